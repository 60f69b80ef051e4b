/*
 * Starts the Wagtail admin widgets that Wagtail itself starts from inline <script> blocks, which the
 * portal's Content-Security-Policy (script-src 'self') blocks: the date, time and date-time pickers,
 * InlinePanel and MultipleChooserPanel. The portal's overrides of those templates
 * (templates/wagtailadmin/widgets/*_input.html, templates/wagtailadmin/panels/*.html) render an inert
 * <script type="application/json" data-portal-init="..."> in place of each inline script; this file makes
 * the same call Wagtail's inline script would have made, once the page is parsed and again for every
 * element added later (a new inline form from its empty-form template, a modal's content).
 */
(function () {
  "use strict";

  var STARTERS = {
    initDateChooser: function (element, options) {
      window.initDateChooser(unescapeJs(element.dataset.portalTarget), options);
    },
    initTimeChooser: function (element, options) {
      window.initTimeChooser(unescapeJs(element.dataset.portalTarget), options);
    },
    initDateTimeChooser: function (element, options) {
      window.initDateTimeChooser(unescapeJs(element.dataset.portalTarget), options);
    },
    InlinePanel: function (element, options) {
      new window.InlinePanel(options);
    },
    MultipleChooserPanel: function (element, options) {
      new window.MultipleChooserPanel(options);
    },
  };

  // The attributes hold Django's escapejs output (as Wagtail's inline scripts do): a JavaScript string
  // body whose escapes are all \uXXXX, so it reads back as a JSON string.
  function unescapeJs(value) {
    return JSON.parse('"' + (value || "") + '"');
  }

  function start(element) {
    if (element.dataset.portalStarted) {
      return;
    }
    var starter = STARTERS[element.dataset.portalInit];
    if (!starter) {
      return;
    }
    element.dataset.portalStarted = "true";
    try {
      starter(element, JSON.parse(unescapeJs(element.dataset.portalOptions)));
    } catch (error) {
      // One broken widget must not stop the others from starting.
      window.console.error("admin-init: could not start", element.dataset.portalInit, error);
    }
  }

  function startWithin(root) {
    if (root.matches && root.matches("script[data-portal-init]")) {
      start(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("script[data-portal-init]").forEach(start);
    }
  }

  function boot() {
    startWithin(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(startWithin);
      });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
