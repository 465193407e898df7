// The return form: autosave (static/js/autosave.js: conflicts, signed-out sessions, a local copy
// of unsaved typing), its progress counters, and keeping the user's place. Loaded with
// <script defer> after autosave.js; no inline JS (Content Security Policy).
(function () {
  "use strict";

  var summary = document.getElementById("error-summary") || document.getElementById("conflict-summary");
  if (summary) summary.focus();

  // Following an in-page link ("jump to the next unanswered question", error links) moves focus too.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link || link.getAttribute("href").length < 2) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) window.setTimeout(function () { target.focus(); }, 0);
  });

  var form = document.getElementById("return-form");
  if (!form || !form.dataset.autosaveUrl) return;

  var scrollKey = "auditportal:return-scroll:" + form.dataset.returnId;

  function questionLabel(name) {
    var block = form.querySelector('[name="' + name + '"]');
    block = block && block.closest(".question");
    var label = block && block.querySelector("legend, label");
    return label ? label.textContent.trim() : name;
  }

  function updateProgress(data) {
    var answered = {};
    (data.answered || []).forEach(function (anchor) { answered[anchor] = true; });
    var total = 0;
    form.querySelectorAll(".theme-section").forEach(function (section) {
      var questions = section.querySelectorAll(".question");
      var done = 0;
      questions.forEach(function (q) {
        q.classList.toggle("is-answered", Boolean(answered[q.id]));
        if (answered[q.id]) done += 1;
      });
      total += done;
      var counter = document.querySelector('[data-theme-progress="' + section.id + '"]');
      if (counter) counter.textContent = done + "/" + questions.length;
    });
    var count = document.getElementById("answered-count");
    if (count) count.textContent = total;
    var next = document.getElementById("next-unanswered");
    if (next) {
      next.hidden = !data.next_unanswered;
      if (data.next_unanswered) next.setAttribute("href", "#" + data.next_unanswered);
    }
  }

  // The shared autosave (static/js/autosave.js): saving, conflicts, the local copy.
  window.AuditPortal.autosave(form, {
    noun: "return",
    draftKey: "auditportal:return-draft:" + form.dataset.returnId,
    label: questionLabel,
    // A question's evidence box is named with its question, not listed twice.
    draftItems: function (changes) {
      return Object.keys(changes).filter(function (name) {
        return !(/_evidence$/.test(name) && changes[name.replace(/_evidence$/, "")]);
      }).map(questionLabel);
    },
    onSaved: updateProgress
  });

  // Keep the user's place between sittings and reloads.
  var scrollTimer = null;
  window.addEventListener("scroll", function () {
    window.clearTimeout(scrollTimer);
    scrollTimer = window.setTimeout(function () {
      try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) { /* ignore */ }
    }, 200);
  }, { passive: true });
  if (!window.location.hash && !summary) {
    var y = 0;
    try { y = parseInt(sessionStorage.getItem(scrollKey) || "0", 10); } catch (e) { y = 0; }
    if (y > 0) window.scrollTo(0, y);
  }
})();
