/* 考核评价 charts (ECharts, served locally): a bar chart of each ranking group's scores, the
   trend of each group's average over the previous periods, a unit's score over periods.
   The data comes from json_script blocks; the tables beside them carry the same figures. */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function draw(el, option) {
    if (!el || typeof echarts === "undefined") return;
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function start() {
    var period = data("eval-chart");
    if (period) {
      document.querySelectorAll(".eval-chart[data-group]").forEach(function (el) {
        var g = period.groups[Number(el.dataset.group)];
        if (!g) return;
        var many = g.units.length > 30;
        draw(el, {
          tooltip: { trigger: "axis" },
          grid: { left: 48, right: 16, top: 16, bottom: many ? 60 : 80 },
          xAxis: { type: "category", data: g.units, axisLabel: { rotate: 45, interval: many ? "auto" : 0 } },
          yAxis: { type: "value", scale: true },
          dataZoom: many ? [{ type: "slider", start: 0, end: Math.min(100, 3000 / g.units.length) }] : [],
          series: [{ name: period.labels.score, type: "bar", data: g.scores, itemStyle: { color: "#2f6fde" } }]
        });
      });
      var t = period.trend;
      draw(document.getElementById("eval-trend"), {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 32 },
        xAxis: { type: "category", data: t.periods },
        yAxis: { type: "value", scale: true },
        series: t.series.map(function (s) {
          return { name: s.name, type: "line", data: s.data, connectNulls: true };
        })
      });
    }
    var unit = data("eval-unit-chart");
    if (unit) {
      draw(document.getElementById("eval-unit-trend"), {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 48, top: 32, bottom: 32 },
        xAxis: { type: "category", data: unit.periods },
        yAxis: [{ type: "value", scale: true }, { type: "value", inverse: true, minInterval: 1 }],
        series: [
          { name: unit.labels.score, type: "line", data: unit.scores },
          { name: unit.labels.rank, type: "line", yAxisIndex: 1, data: unit.ranks }
        ]
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
