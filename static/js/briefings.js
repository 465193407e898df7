// Briefing composer: ask before a button that replaces text or publishes (data-confirm).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();

// Unsaved text is not lost by leaving the page: the browser asks first. Saving clears it.
(function () {
  "use strict";
  var form = document.getElementById("briefing-form");
  if (!form) return;
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  // Leaving the page (saving, rendering, any other form) starts no new preview: the browser
  // would cancel it half-way.
  var leaving = false;
  document.addEventListener("submit", function (event) {
    leaving = true;
    if (event.target === form) dirty = false;
  });
  form.addEventListener("htmx:beforeRequest", function (event) {
    if (leaving) event.preventDefault();
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
