// Inspections: the phone score sheet autosaves its draft, so a bad connection or a reload loses nothing.
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var live = document.getElementById("live-score");
  var timer = null;
  var pending = false;

  function save() {
    timer = null;
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (el) { data.delete(el.name); });
    data.delete("submit");
    status.textContent = "正在保存…";
    pending = true;
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": data.get("csrfmiddlewaretoken") }
    }).then(function (r) { return r.json(); }).then(function (body) {
      pending = false;
      if (body.ok) {
        status.textContent = "已自动保存 " + body.saved_at;
        status.className = "text-success";
        if (live) live.textContent = body.score === null ? "—" : body.score;
      } else {
        status.textContent = (body.errors || ["保存失败"]).join(";");
        status.className = "text-danger";
      }
    }).catch(function () {
      pending = false;
      status.textContent = "网络不通,稍后自动重试";
      status.className = "text-warning";
      schedule(5000);
    });
  }
  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay);
  }
  form.addEventListener("input", function (e) { if (e.target.type !== "file") schedule(800); });
  form.addEventListener("change", function (e) { if (e.target.type !== "file") schedule(300); });
  form.addEventListener("submit", function (e) {
    var button = e.submitter;
    var msg = button && button.getAttribute("data-confirm-submit");
    if (msg && !window.confirm(msg)) { e.preventDefault(); return; }
    if (timer) clearTimeout(timer);
  });
  window.addEventListener("beforeunload", function () { if (timer || pending) save(); });
})();
