// The return form: autosave, conflicts, signed-out sessions, a local copy of unsaved typing,
// and keeping the user's place. Loaded with <script defer>; no inline JS (Content Security Policy).
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

  var DELAY_MS = 3000;
  var RETRY_MS = 15000;
  var url = form.dataset.autosaveUrl;
  var draftKey = "auditportal:return-draft:" + form.dataset.returnId;
  var scrollKey = "auditportal:return-scroll:" + form.dataset.returnId;
  var statusLine = document.getElementById("save-status");
  var problem = document.getElementById("autosave-problem");
  var draftPanel = document.getElementById("draft-panel");
  var versionInput = form.querySelector('input[name="version"]');

  var timer = null;
  var retryTimer = null;
  var inFlight = false;
  var pending = false;
  var blocked = null; // "conflict", "signed_out", "read_only" or null
  var submitting = false;
  var queuedSubmit = false; // a submit made while an autosave was in flight waits for it
  var queuedSubmitter = null;
  var base = serialise(); // the answers as saved at versionInput.value
  var lastSent = JSON.stringify(base);

  function serialise() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken" || el.name === "version") return;
      if (el.type === "submit" || el.type === "button") return;
      if (!data[el.name]) data[el.name] = [];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      data[el.name].push(el.value);
    });
    return data;
  }

  function same(a, b) { return JSON.stringify(a || []) === JSON.stringify(b || []); }

  function apply(fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in fields) || el.disabled) return;
      var values = fields[el.name];
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) !== -1;
      else if (el.type !== "submit" && el.type !== "hidden") el.value = values[0] || "";
    });
  }

  // --- the local copy: what was typed here and against which saved copy ---------------------
  function keepDraft() {
    try {
      localStorage.setItem(draftKey, JSON.stringify({
        at: new Date().toISOString(), version: versionInput.value, base: base, fields: serialise()
      }));
    } catch (e) { /* storage full or disabled: autosave still runs */ }
  }
  function dropDraft() { try { localStorage.removeItem(draftKey); } catch (e) { /* ignore */ } }
  function readDraft() {
    try { return JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { return null; }
  }
  // The user's own edits in a stored draft that the page does not already show.
  function ownChanges(draft) {
    var changes = {};
    var current = serialise();
    Object.keys(draft.fields || {}).forEach(function (name) {
      if (!(name in current)) return;
      var typed = draft.fields[name];
      if (!same(typed, (draft.base || {})[name]) && !same(typed, current[name])) changes[name] = typed;
    });
    return changes;
  }
  function questionLabel(name) {
    var block = form.querySelector('[name="' + name + '"]');
    block = block && block.closest(".question");
    var label = block && block.querySelector("legend, label");
    return label ? label.textContent.trim() : name;
  }

  function offerDraft() {
    var draft = readDraft();
    if (!draft) return;
    var changes = ownChanges(draft);
    var names = Object.keys(changes);
    if (!names.length) { dropDraft(); return; }
    var when = new Date(draft.at);
    draftPanel.textContent = "";
    var heading = document.createElement("h2");
    heading.className = "h5";
    heading.textContent = "You have unsaved typing in this browser";
    var text = document.createElement("p");
    text.textContent = "From " + when.toLocaleString("en-GB") + ", not saved to AuditPortal. It changes: ";
    var list = document.createElement("ul");
    names.forEach(function (name) {
      if (/_evidence$/.test(name) && changes[name.replace(/_evidence$/, "")]) return;
      var item = document.createElement("li");
      item.textContent = questionLabel(name);
      list.appendChild(item);
    });
    var restore = button("Restore my typing", "btn btn-primary btn-sm me-2", function () {
      apply(changes);
      draftPanel.hidden = true;
      setStatus("Your typing is restored. Saving…");
      save();
    });
    var discard = button("Discard it", "btn btn-outline-secondary btn-sm", function () {
      dropDraft();
      draftPanel.hidden = true;
      setStatus("The unsaved typing was discarded.");
    });
    draftPanel.append(heading, text, list, restore, discard);
    draftPanel.hidden = false;
  }

  function button(label, className, onClick) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = className;
    el.textContent = label;
    el.addEventListener("click", onClick);
    return el;
  }

  // --- messages ----------------------------------------------------------------------------
  function setStatus(text) { statusLine.textContent = text; }

  function showProblem(message, items, extra) {
    problem.textContent = "";
    var p = document.createElement("p");
    p.className = items || extra ? "" : "mb-0";
    p.textContent = message;
    problem.appendChild(p);
    if (items && items.length) {
      var list = document.createElement("ul");
      items.forEach(function (item) {
        var li = document.createElement("li");
        if (item.anchor) {
          var a = document.createElement("a");
          a.href = "#" + item.anchor;
          a.textContent = item.text;
          li.appendChild(a);
        } else {
          li.textContent = item.text;
        }
        list.appendChild(li);
      });
      problem.appendChild(list);
    }
    if (extra) problem.appendChild(extra);
    problem.hidden = false;
  }
  function hideProblem() { problem.hidden = true; problem.textContent = ""; }

  function csrfToken() {
    // Read the cookie each time: signing in again in another tab rotates the token.
    var name = form.dataset.csrfCookie + "=";
    var cookie = document.cookie.split("; ").filter(function (c) { return c.indexOf(name) === 0; })[0];
    if (cookie) return decodeURIComponent(cookie.slice(name.length));
    var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  // --- saving ------------------------------------------------------------------------------
  function schedule(ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, ms);
  }

  function save(options) {
    window.clearTimeout(timer);
    timer = null;
    if (submitting || blocked === "conflict" || blocked === "read_only") return;
    var current = serialise();
    var snapshot = JSON.stringify(current);
    if (snapshot === lastSent && !blocked) return;
    if (inFlight) { pending = true; return; }
    keepDraft();
    inFlight = true;
    setStatus("Saving…");
    var body = new FormData(form);
    body.delete("csrfmiddlewaretoken");
    body.append("_base", JSON.stringify(base));
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: Boolean(options && options.keepalive),
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status >= 500 && type.indexOf("application/json") === -1) {
        // The server failed (not the session): say so, keep the typing, try again.
        return { status: response.status, data: { error: "server_error" } };
      }
      if (response.redirected || type.indexOf("application/json") === -1) {
        // A sign-in page or a CSRF refusal: the session ended or changed.
        return { status: 401, data: { error: "signed_out", message:
          "You have been signed out, so this was not saved. Your typing is kept in this browser. " +
          "Sign in again in a new tab, then come back here: it will save again." } };
      }
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      handle(result, current, snapshot);
    }).catch(function () {
      setStatus("Not saved: AuditPortal could not be reached. Your typing is kept in this browser; trying again shortly.");
      retry();
    }).then(function () {
      inFlight = false;
      if (queuedSubmit) {
        // Submit now, with the version that save returned (else it would look stale).
        queuedSubmit = false;
        form.requestSubmit(queuedSubmitter);
        return;
      }
      if (pending) { pending = false; schedule(500); }
    });
  }

  function retry() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () { save(); }, RETRY_MS);
  }

  function handle(result, sent, snapshot) {
    var data = result.data || {};
    if (result.status === 200 && data.ok) {
      blocked = null;
      versionInput.value = data.version;
      base = sent;
      lastSent = snapshot;
      hideProblem();
      setStatus(data.message);
      if (JSON.stringify(serialise()) === snapshot) dropDraft(); else keepDraft();
      updateProgress(data);
      return;
    }
    keepDraft();
    if (data.error === "conflict") {
      blocked = "conflict";
      setStatus(data.same_user ? "Not saved: this return was saved in another tab or window." : "Not saved: someone else saved this return.");
      var reload = document.createElement("p");
      reload.className = "mb-0";
      var link = document.createElement("a");
      link.href = window.location.pathname;
      link.textContent = "Load the saved copy";
      reload.append(link, " – your typing stays in this browser and is offered back so you can re-apply it.");
      showProblem(data.message + ((data.changed || []).length ? " Where the saved answers differ from this page:" : ""),
        (data.changed || []).map(function (c) {
          return { anchor: c.anchor, text: c.sentence };
        }), reload);
      problem.focus();
    } else if (data.error === "signed_out") {
      blocked = "signed_out";
      setStatus("Not saved: you are signed out. Your typing is kept in this browser.");
      var signIn = document.createElement("p");
      signIn.className = "mb-0";
      var a = document.createElement("a");
      a.href = form.dataset.loginUrl;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "Sign in again in a new tab";
      signIn.append(a, ", then return to this tab. Saving resumes by itself.");
      showProblem(data.message, null, signIn);
      retry();
    } else if (data.error === "server_error") {
      setStatus("Not saved: AuditPortal had a problem saving. Your typing is kept in this browser; trying again shortly.");
      retry();
    } else if (data.error === "read_only") {
      blocked = "read_only";
      setStatus("Not saved.");
      showProblem(data.message);
    } else {
      setStatus("Not saved: please correct the answers shown.");
      showProblem(data.message || "Not saved.", (data.errors || []).map(function (e) {
        return { anchor: e[0], text: e[1] };
      }));
    }
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

  function isField(el) { return el && el.form === form && el.name && el.type !== "submit"; }

  form.addEventListener("input", function (event) {
    if (!isField(event.target)) return;
    keepDraft();
    schedule(DELAY_MS);
  });
  form.addEventListener("change", function (event) {
    if (!isField(event.target)) return;
    keepDraft();
    schedule(DELAY_MS);
  });
  form.addEventListener("focusout", function (event) {
    if (isField(event.target)) save();
  });
  form.addEventListener("submit", function (event) {
    if (inFlight) {
      // Leaving a field started an autosave; submitting alongside it would conflict with
      // our own save. Wait for it (the save's last step submits again).
      event.preventDefault();
      queuedSubmit = true;
      queuedSubmitter = event.submitter || null;
      return;
    }
    submitting = true;
    window.clearTimeout(timer);
    keepDraft();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save({ keepalive: true });
    else if (blocked === "signed_out") save();
  });
  window.addEventListener("focus", function () { if (blocked === "signed_out") save(); });

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

  offerDraft();
})();
