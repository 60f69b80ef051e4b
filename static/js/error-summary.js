// GOV.UK error summary: when a form comes back with errors, move focus to its summary (so the page scrolls
// to it and screen readers read it), and make each link in it put the reader on the question, with the
// question's legend or label in view. A static file: the portal's CSP allows no inline scripts.
(function () {
  "use strict";

  function questionOf(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset) return fieldset.querySelector("legend") || fieldset;
    return document.querySelector('label[for="' + input.id + '"]') || input;
  }

  function start() {
    var summary = document.querySelector(".error-summary");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) return;
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      questionOf(input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
