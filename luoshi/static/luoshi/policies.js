// 政策兑现 overview: the delivered share by policy or by category, drawn with the vendored
// ECharts (no CDN). Data and words come from the page (json_script "policy-chart-data").
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("policy-chart");
    var source = document.getElementById("policy-chart-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(box);
    function option(kind) {
      var rows = kind === "categories" ? data.categories : data.policies;
      var names = rows.map(function (r) { return kind === "categories" ? r.category : r.title; });
      var share = rows.map(function (r) { return r.percent; });
      var onTime = rows.map(function (r) { return kind === "categories" ? r.percent_on_time : r.on_time; });
      return {
        animation: false,
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
        legend: { data: [data.labels.share, data.labels.on_time] },
        grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: {
          type: "category", data: names, inverse: true,
          axisLabel: { width: 220, overflow: "truncate" }
        },
        series: [
          { name: data.labels.share, type: "bar", data: share, itemStyle: { color: "#2f6fb5" } },
          { name: data.labels.on_time, type: "bar", data: onTime, itemStyle: { color: "#7bb36b" } }
        ]
      };
    }
    function show(kind) {
      var rows = kind === "categories" ? data.categories : data.policies;
      box.style.height = Math.max(160, 48 + rows.length * 44) + "px";
      chart.resize();
      chart.setOption(option(kind), true);
      document.querySelectorAll("[data-chart]").forEach(function (b) {
        b.classList.toggle("active", b.getAttribute("data-chart") === kind);
      });
    }
    document.querySelectorAll("[data-chart]").forEach(function (b) {
      b.addEventListener("click", function () { show(b.getAttribute("data-chart")); });
    });
    window.addEventListener("resize", function () { chart.resize(); });
    show("policies");
    box.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
