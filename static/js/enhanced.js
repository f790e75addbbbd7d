/*
 * Progressive enhancement (no inline script: the page policy refuses them).
 * Blocks marked data-enhanced stay hidden without scripts (they need htmx); show them, and keep
 * Enter in their search-as-you-type box from submitting the surrounding form.
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-enhanced]").forEach(function (block) {
    block.hidden = false;
    block.querySelectorAll("input[type=search]").forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
        }
      });
    });
  });
})();
