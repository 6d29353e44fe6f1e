/* 落实 — small helpers for the forms. Every form works without them. */
(function () {
  "use strict";

  // A grouped multi-select of units (data-unit-filter) gets a filter box and a count, so
  // picking co-units among a thousand works.
  function enhanceUnitSelect(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var box = document.createElement("div");
    box.className = "unit-filter";
    var input = document.createElement("input");
    input.type = "search";
    // The words come from the page (data-* attributes rendered in the user's language).
    input.placeholder = select.getAttribute("data-filter-placeholder") || "";
    input.setAttribute("aria-label", input.placeholder);
    var picked = document.createElement("span");
    picked.className = "unit-picked";
    box.appendChild(input);
    box.appendChild(picked);
    select.parentNode.insertBefore(box, select);
    function count() {
      var names = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.text; });
      var shown = names.slice(0, 4).join(select.getAttribute("data-separator") || ", ") + (names.length > 4 ? "…" : "");
      var text = select.getAttribute("data-picked") || "%(n)s: %(names)s";
      picked.textContent = names.length ? text.replace("%(n)s", String(names.length)).replace("%(names)s", function () { return shown; }) : "";
    }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var any = false;
        Array.prototype.forEach.call(group.children, function (o) {
          var show = !q || o.text.indexOf(q) >= 0 || o.selected;
          o.hidden = !show;
          any = any || show;
        });
        group.hidden = !any;
      });
    });
    // Plain clicks toggle one unit, so nobody loses a selection by forgetting Ctrl.
    select.addEventListener("mousedown", function (event) {
      var option = event.target;
      if (option.tagName !== "OPTION" || event.shiftKey) return;
      event.preventDefault();
      var top = select.scrollTop;
      option.selected = !option.selected;
      select.focus();
      select.scrollTop = top;
      count();
    });
    select.addEventListener("change", count);
    count();
  }

  // 完成进度: a slider next to the number, kept in step.
  function enhancePercent(range) {
    var number = document.getElementById(range.getAttribute("data-percent-for"));
    if (!number) return;
    range.hidden = false;
    range.addEventListener("input", function () { number.value = range.value; });
    number.addEventListener("input", function () { range.value = number.value || 0; });
  }

  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-unit-filter]"), enhanceUnitSelect);
    Array.prototype.forEach.call(root.querySelectorAll("input[data-percent-for]"), enhancePercent);
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
