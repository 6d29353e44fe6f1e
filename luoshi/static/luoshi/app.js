/* 落实: the little JavaScript the pages use. Everything works without it. */
(function () {
  "use strict";
  // A filter form marked data-drop-empty sends only the filters that are set, so the
  // address bar (and a shared link) stays short: /tasks/?light=red rather than ?q=&unit=…
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("[data-drop-empty]")) return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  });
  // A form marked data-confirm="问题？" asks before it is sent (no onsubmit="" attribute:
  // the content-security policy runs no inline script, docs/HARDENING.md).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.confirm) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);
})();
