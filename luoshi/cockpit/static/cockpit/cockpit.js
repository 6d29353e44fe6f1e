/* 领导驾驶舱: ECharts from the page's JSON (json_script), a click on a bar opens the tasks
   behind it; the timeline's collapse/expand. No build step, no CDN. */
(function () {
  "use strict";
  var COLOURS = { red: "#d9363e", yellow: "#e0a100", green: "#2e9d5b", blue: "#2f6fd6" };
  var NAMES = { red: "红灯", yellow: "黄灯", green: "绿灯", blue: "蓝灯" };

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function dark() {
    return !!document.querySelector(".cockpit-screen");
  }

  function lightsChart(el, d) {
    var chart = window.echarts.init(el, dark() ? "dark" : null, { renderer: "canvas" });
    var names = d.names.slice().reverse();
    var series = ["red", "yellow", "green", "blue"].map(function (light) {
      return {
        name: NAMES[light], type: "bar", stack: "all", itemStyle: { color: COLOURS[light] },
        data: d.series[light].slice().reverse(), light: light
      };
    });
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names },
      series: series
    });
    chart.on("click", function (p) {
      var light = ["red", "yellow", "green", "blue"][p.seriesIndex];
      var links = d.links[light].slice().reverse();
      if (links[p.dataIndex]) { window.location.href = links[p.dataIndex]; }
    });
    return chart;
  }

  function trendChart(el, d) {
    var chart = window.echarts.init(el, dark() ? "dark" : null, { renderer: "canvas" });
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.months },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { name: "按期办结", type: "bar", stack: "c", itemStyle: { color: COLOURS.green }, data: d.on_time },
        { name: "延期后按期", type: "bar", stack: "c", itemStyle: { color: COLOURS.yellow }, data: d.extended },
        { name: "逾期办结", type: "bar", stack: "c", itemStyle: { color: COLOURS.red }, data: d.late },
        { name: "按期率", type: "line", yAxisIndex: 1, connectNulls: true, itemStyle: { color: COLOURS.blue }, data: d.rate }
      ]
    });
    var keys = ["on_time", "extended", "late"];
    chart.on("click", function (p) {
      var key = keys[p.seriesIndex];
      if (key && d.links[p.dataIndex]) { window.location.href = d.links[p.dataIndex][key]; }
    });
    return chart;
  }

  function charts() {
    if (!window.echarts) { return; }
    var made = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var d = data(el.getAttribute("data-source"));
      if (!d) { return; }
      if (el.getAttribute("data-chart") === "lights") {
        if (!d.names.length) { el.hidden = true; return; }
        made.push(lightsChart(el, d));
      } else if (el.getAttribute("data-chart") === "trend") {
        made.push(trendChart(el, d));
      }
      el.setAttribute("data-ready", "1");
    });
    window.addEventListener("resize", function () { made.forEach(function (c) { c.resize(); }); });
  }

  // --- timeline: collapse / expand a task's sub-tree ------------------------------------------
  function gantt() {
    var root = document.getElementById("gantt");
    if (!root) { return; }
    var rows = Array.prototype.slice.call(root.querySelectorAll(".gantt-row"));
    // a toggle only where the next row is a child
    rows.forEach(function (row, i) {
      var next = rows[i + 1];
      var button = row.querySelector(".gantt-toggle");
      if (button && !(next && next.dataset.path.indexOf(row.dataset.path) === 0)) { button.remove(); }
    });
    function apply() {
      var closed = [];
      rows.forEach(function (row) {
        var path = row.dataset.path;
        while (closed.length && path.indexOf(closed[closed.length - 1]) !== 0) { closed.pop(); }
        row.hidden = closed.length > 0;
        var button = row.querySelector(".gantt-toggle");
        if (button && button.getAttribute("aria-expanded") === "false") { closed.push(path); }
      });
    }
    root.addEventListener("click", function (event) {
      var button = event.target.closest(".gantt-toggle");
      if (!button) { return; }
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      button.textContent = open ? "▸" : "▾";
      apply();
    });
    document.querySelectorAll("[data-gantt]").forEach(function (b) {
      b.addEventListener("click", function () {
        var open = b.getAttribute("data-gantt") === "expand-all";
        root.querySelectorAll(".gantt-toggle").forEach(function (t) {
          t.setAttribute("aria-expanded", open ? "true" : "false");
          t.textContent = open ? "▾" : "▸";
        });
        apply();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { charts(); gantt(); });
})();
