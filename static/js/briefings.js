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

// The composer's text saves as it is typed, through the autosave shared with returns
// (static/js/autosave.js): a status line, a copy in this browser until it is saved, a warning on
// leaving with unsaved text, and a conflict shown with both texts when a colleague saved first.
(function () {
  "use strict";
  var form = document.getElementById("briefing-form");
  if (!form || !form.dataset.autosaveUrl || !window.AuditPortal) return;

  var summary = document.getElementById("error-summary") || document.getElementById("conflict-summary");
  if (summary) summary.focus();

  function fieldLabel(name) {
    var el = form.querySelector('[name="' + name + '"]');
    if (!el) return name;
    var group = el.closest("fieldset");
    var label = el.id && form.querySelector('label[for="' + el.id + '"]');
    if (el.type === "checkbox" && el.name !== "quotes" && el.name !== "resources" && label) {
      return label.textContent.trim();
    }
    if ((el.name === "quotes" || el.name === "resources") && group) {
      var legend = group.querySelector("legend");
      if (legend) return legend.textContent.trim();
    }
    return label ? label.textContent.trim() : name;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A colleague (or another tab) saved first: show each changed point with both texts, let the
  // user choose per point, then save exactly what they chose. Nothing is written before that.
  function showConflict(data, autosave) {
    var problem = document.getElementById("autosave-problem");
    var changes = data.changed || [];
    problem.textContent = "";
    problem.appendChild(el("h2", "h5", "Not saved: someone saved this briefing after you opened it"));
    problem.appendChild(el("p", "", data.message));
    if (!changes.length) {
      problem.appendChild(el("p", "", "The saved copy has the same text as this page."));
    }
    changes.forEach(function (change) {
      var box = el("fieldset", "conflict-change");
      var legend = el("legend", "h6", change.label);
      box.appendChild(legend);
      var texts = el("div", "conflict-texts");
      var saved = el("div");
      saved.append(el("p", "conflict-caption", "Saved now"), el("div", "conflict-text", change.saved_text));
      var yours = el("div");
      yours.append(el("p", "conflict-caption", "On this page (yours)"), el("div", "conflict-text", change.yours_text));
      texts.append(saved, yours);
      box.appendChild(texts);
      [["saved", "Use the saved text"], ["yours", "Keep my text"]].forEach(function (choice) {
        var wrap = el("div", "form-check form-check-inline");
        var input = el("input", "form-check-input");
        input.type = "radio";
        input.name = "conflict-choice-" + change.name;
        input.id = "conflict-" + change.name + "-" + choice[0];
        input.value = choice[0];
        var label = el("label", "form-check-label", choice[1]);
        label.htmlFor = input.id;
        wrap.append(input, label);
        box.appendChild(wrap);
      });
      problem.appendChild(box);
    });
    var note = el("p", "conflict-note mb-2");
    var save = el("button", "btn btn-primary me-2", changes.length ? "Save with my choices" : "Save this page");
    save.type = "button";
    save.addEventListener("click", function () {
      var savedValues = {};
      var apply = {};
      var missing = changes.filter(function (change) {
        var chosen = problem.querySelector('input[name="conflict-choice-' + change.name + '"]:checked');
        savedValues[change.name] = change.saved;
        if (chosen && chosen.value === "saved") apply[change.name] = change.saved;
        return !chosen;
      });
      if (missing.length) {
        note.textContent = "Choose which text to keep for: " + missing.map(function (c) { return c.label; }).join("; ") + ".";
        return;
      }
      autosave.apply(apply);
      autosave.resolve(data.version, savedValues);
    });
    var reload = el("a", "btn btn-outline-dark", "Load the saved copy");
    reload.href = window.location.pathname;
    var actions = el("div", "d-flex flex-wrap align-items-center gap-2");
    actions.append(save, reload);
    problem.append(note, actions);
    problem.hidden = false;
    problem.focus();
  }

  var autosave = window.AuditPortal.autosave(form, {
    noun: "briefing",
    draftKey: "auditportal:briefing-draft:" + form.dataset.briefingId,
    label: fieldLabel,
    delayMs: 2000,
    warnOnLeave: true,
    onConflict: showConflict
  });

  // Leaving the page (saving, rendering, any other form) starts no new preview: the browser
  // would cancel it half-way. Another form (Render PDF, Refill, Approve...) waits until the text
  // is saved, so a version never misses the last words typed.
  var leaving = false;
  document.addEventListener("submit", function (event) {
    if (event.target === form || !autosave.isDirty()) { leaving = true; return; }
    event.preventDefault();
    var target = event.target;
    var submitter = event.submitter || null;
    autosave.setStatus("Saving your text first…");
    autosave.flush(function (ok) {
      if (ok) {
        leaving = true;
        autosave.leaving();
        target.requestSubmit(submitter);
      } else {
        autosave.showProblem("Your latest typing is not saved yet, so that was not done. Once the status says “Saved”, try again.");
      }
    });
  });
  form.addEventListener("htmx:beforeRequest", function (event) {
    if (leaving) event.preventDefault();
  });
  // The print preview shows the saved text: save first.
  var preview = document.querySelector("[data-preview-link]");
  if (preview) {
    preview.addEventListener("click", function (event) {
      if (!autosave.isDirty()) return;
      event.preventDefault();
      autosave.flush(function (ok) { if (ok) window.location.href = preview.href; });
    });
  }
})();
