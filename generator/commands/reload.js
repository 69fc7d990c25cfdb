// Added by `pressroom serve` only; never part of a built site.
//
// Polls the preview's status: reloads the page when a new build succeeded, and shows the
// errors of a failed one in a panel until they are fixed. The panel's texts come with the
// status (in the site's language, from the interface catalog), never from this file.
(function () {
  "use strict";
  var STATUS = "/__pressroom/status";
  var seen = null;    // the build this page shows
  var box = null;     // the error panel, while there are errors
  var shown = "";     // the errors in it, so that it is only redrawn (and re-announced) on a change
  var dismissed = ""; // errors the reader hid with the button
  function text(texts, name) {
    return texts && typeof texts[name] === "string" ? texts[name] : "";
  }
  function panel(errors, texts) {
    var lines = errors.join("\n");
    if (lines === shown || lines === dismissed) { return; }
    if (box) { box.remove(); }
    shown = lines;
    box = document.createElement("div");
    box.id = "pressroom-errors";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;top:0;left:0;right:0;max-height:75vh;overflow:auto;" +
      "z-index:2147483647;padding:1.25rem 2rem;background:#3a0000;color:#fff;" +
      "border-bottom:6px solid #ff4d4d;box-shadow:0 6px 24px rgba(0,0,0,.6);" +
      "font:16px/1.5 system-ui,sans-serif;text-align:left";
    var h = document.createElement("h2");
    h.style.cssText = "margin:0 0 .5rem;font-size:1.3rem;color:#fff";
    h.textContent = text(texts, "title");
    var p = document.createElement("p");
    p.style.cssText = "margin:0 0 .75rem";
    p.textContent = text(texts, "hint");
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:0 0 .75rem;white-space:pre-wrap;font:15px/1.5 ui-monospace,monospace;" +
      "background:#000;color:#fff;padding:1rem";
    pre.textContent = lines;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = text(texts, "hide");
    button.style.cssText = "font:inherit;padding:.25rem .75rem";
    button.addEventListener("click", function () { dismissed = lines; hide(); });
    box.appendChild(h);
    box.appendChild(p);
    box.appendChild(pre);
    box.appendChild(button);
    document.body.appendChild(box);
  }
  function hide() {
    if (box) { box.remove(); box = null; }
    shown = "";
  }
  function poll() {
    fetch(STATUS, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen && s.errors.length === 0) {
        location.reload();
        return;
      }
      seen = s.version;
      if (s.errors.length) { panel(s.errors, s.texts); } else { hide(); }
      setTimeout(poll, 700);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
