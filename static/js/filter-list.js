// A list filtered as you type (e.g. a finding's source returns): an <input data-filter-list="ID">
// hides the items of list ID whose data-filter-text does not hold what is typed. Without
// script the box stays hidden and every item shows. No inline scripts (Content Security Policy).
(function () {
  "use strict";
  document.querySelectorAll("input[data-filter-list]").forEach(function (input) {
    var list = document.getElementById(input.dataset.filterList);
    var status = document.getElementById(input.dataset.filterStatus);
    if (!list) return;
    input.closest("[hidden]") && input.closest("[hidden]").removeAttribute("hidden");
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var shown = 0;
      list.querySelectorAll("[data-filter-text]").forEach(function (item) {
        var match = !needle || item.dataset.filterText.toLowerCase().indexOf(needle) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      if (status) status.textContent = needle ? shown + " of " + list.querySelectorAll("[data-filter-text]").length + " returns shown" : "";
    });
  });
})();
