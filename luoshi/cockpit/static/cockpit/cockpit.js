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

  // --- timeline: rows drawn from the page's JSON, collapse / expand a task's sub-tree -------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function ganttRows(root, rows) {
    var w = root.dataset;
    var today = w.today;
    var frag = document.createDocumentFragment();
    rows.forEach(function (r, i) {
      var next = rows[i + 1];
      var row = el("div", "gantt-row");
      row.setAttribute("role", "row");
      row.setAttribute("aria-level", String(r.l + 1));
      row.dataset.path = r.p;
      var name = el("div", "gantt-name");
      name.setAttribute("role", "gridcell");
      name.style.paddingLeft = r.l + "em";
      if (next && next.p.indexOf(r.p) === 0) {
        var b = el("button", "gantt-toggle", "▾");
        b.type = "button";
        b.setAttribute("aria-expanded", "true");
        b.setAttribute("aria-label", w.wFold);
        name.appendChild(b);
      }
      var a = el("a", "", r.t);
      a.href = r.u;
      a.title = r.c + " " + r.t;
      name.appendChild(a);
      var track = el("div", "gantt-track");
      track.setAttribute("role", "gridcell");
      var t = el("span", "gantt-today");
      t.style.left = today + "%";
      track.appendChild(t);
      var bar = el("span", "gantt-bar light-bg-" + r.lt + (r.d ? "" : " open-ended"));
      bar.style.left = r.x + "%";
      bar.style.width = r.w + "%";
      bar.title = r.c + "：" + r.s + " → " + (r.d || (r.o ? w.wOngoing : "—")) + "，" + w.wProgress + " " + r.pg + "%";
      var pg = el("span", "gantt-progress");
      pg.style.width = r.pg + "%";
      bar.appendChild(pg);
      track.appendChild(bar);
      r.e.forEach(function (e) {
        var x = el("span", "gantt-ext");
        x.style.left = e[0] + "%";
        x.style.width = e[1] + "%";
        x.title = w.wExtended + "：" + e[2] + " → " + e[3];
        track.appendChild(x);
      });
      r.m.forEach(function (m) {
        var d = el("span", "gantt-ms" + (m[3] ? " " + m[3] : ""));
        d.style.left = m[0] + "%";
        d.title = m[1] + "：" + m[2];
        track.appendChild(d);
      });
      row.appendChild(name);
      row.appendChild(track);
      frag.appendChild(row);
    });
    root.appendChild(frag);
  }

  function ganttTable(rows) {
    var details = document.getElementById("gantt-fallback");
    if (!details) { return; }
    details.addEventListener("toggle", function () {
      var body = details.querySelector("tbody");
      if (!details.open || body.childElementCount) { return; }
      var frag = document.createDocumentFragment();
      rows.forEach(function (r) {
        var tr = el("tr");
        var first = el("td", "", r.c + " " + r.t);
        first.style.paddingLeft = r.l + "em";
        tr.appendChild(first);
        tr.appendChild(el("td", "tnum", r.s));
        tr.appendChild(el("td", "tnum", r.d || "—"));
        tr.appendChild(el("td", "", r.m.map(function (m) { return m[2] + " " + m[1]; }).join("；")));
        tr.appendChild(el("td", "", r.e.map(function (e) { return e[2] + " → " + e[3]; }).join("；")));
        tr.appendChild(el("td", "", r.ln));
        frag.appendChild(tr);
      });
      body.appendChild(frag);
    });
  }

  function gantt() {
    var root = document.getElementById("gantt");
    var rows = data("gantt-rows");
    if (!root || !rows) { return; }
    ganttRows(root, rows);
    ganttTable(rows);
    var all = Array.prototype.slice.call(root.querySelectorAll(".gantt-row"));
    function apply() {
      var closed = [];
      all.forEach(function (row) {
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
    root.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", function () { charts(); gantt(); });
})();
