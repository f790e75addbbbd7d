/*
 * Live dashboard panels (hx-trigger="every 30s, visibilitychange from:document").
 * A panel asks for its figures only while the tab is visible, and is not swapped when they did
 * not change (screen readers would announce the same figures again).
 */
(function () {
  "use strict";
  var lastFigures = new WeakMap();

  function isPanel(element) {
    return element instanceof Element && element.matches("[data-dashboard-live]");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isPanel(event.target) && document.visibilityState !== "visible") {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var panel = event.target;
    if (!isPanel(panel)) {
      return;
    }
    if (event.detail.serverResponse === lastFigures.get(panel)) {
      event.detail.shouldSwap = false;
    } else {
      lastFigures.set(panel, event.detail.serverResponse);
    }
  });
})();
