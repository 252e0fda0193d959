// Wuzha page behaviour, loaded on every page (no inline scripts, so a strict CSP can forbid them).
(function () {
  "use strict";
  // The CSP forbids inline <style>: htmx's indicator rules live in css/wuzha.css instead.
  if (window.htmx) window.htmx.config.includeIndicatorStyles = false;
  // Site form: show only the size fields that fit the chosen kind.
  function toggleKindFields() {
    var kind = document.querySelector("select[name=kind]");
    if (!kind) return;
    document.querySelectorAll(".kind-field").forEach(function (el) {
      var kinds = (el.dataset.kinds || "").split(" ");
      el.hidden = kind.value !== "" && kinds.indexOf(kind.value) === -1;
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[name=kind]")) toggleKindFields();
    if (e.target.matches("form.auto-submit select, form.auto-submit input[type=checkbox]")) e.target.form.submit();
  });
  document.addEventListener("DOMContentLoaded", toggleKindFields);
  // Buttons that ask before a destructive action: data-confirm="说明".
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
})();
