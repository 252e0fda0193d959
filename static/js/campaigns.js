// Campaigns: the activity form shows only the reach fields the chosen channel asks for.
// The table of which fields each channel requires lives in campaigns/channels.py (CHANNEL_FIELDS);
// the form renders it into data-channels / data-required attributes, so this file holds no copy.
(function () {
  "use strict";
  function applyChannel() {
    var select = document.querySelector("#activity-form select[name=channel]");
    if (!select) return;
    var channel = select.value;
    document.querySelectorAll("#activity-form .channel-field").forEach(function (el) {
      var shown = (el.dataset.channels || "").split(" ");
      var required = (el.dataset.required || "").split(" ");
      var visible = channel !== "" && shown.indexOf(channel) !== -1;
      el.hidden = !visible;
      var input = el.querySelector("input, textarea");
      if (input) {
        input.required = visible && required.indexOf(channel) !== -1;
        if (!visible) input.value = "";
      }
      var label = el.querySelector("label");
      if (label) {
        var star = label.querySelector(".asteriskField");
        var needed = visible && required.indexOf(channel) !== -1;
        if (needed && !star) {
          star = document.createElement("span");
          star.className = "asteriskField";
          star.textContent = "*";
          label.appendChild(star);
        } else if (!needed && star) {
          star.remove();
        }
      }
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches("#activity-form select[name=channel]")) applyChannel();
  });
  document.addEventListener("DOMContentLoaded", applyChannel);
})();
