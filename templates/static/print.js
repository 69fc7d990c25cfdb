// The date of printing, on paper only: the print stylesheet shows #print-date, the screen never does.
"use strict";
(function () {
  var target = document.getElementById("print-date");
  if (!target) return;
  function fill() {
    var lang = document.documentElement.lang || "de";
    var when = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" }).format(new Date());
    target.textContent = (target.getAttribute("data-label") || "") + " " + when;
  }
  fill();
  window.addEventListener("beforeprint", fill);
})();
