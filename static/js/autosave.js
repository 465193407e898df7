// Autosave for a long form (the return form, the briefing composer): one implementation.
// - saves a moment after typing stops, when a field is left, and when the tab is hidden;
// - says what happened in a status line ("Saved at 14:05", "Not saved — retrying…");
// - keeps a copy of unsaved typing in this browser (localStorage) and offers it back after a
//   network failure, a closed tab or a reload;
// - sends the version the page was loaded at: a save from an older copy is refused by the
//   server (409) and explained, never written over someone else's work;
// - keeps the typing when the session ended (401) or the server failed (5xx), and tries again.
// The server answers JSON: {ok, version, message} or {ok: false, error, message, ...}.
// Loaded with <script defer> before the page's own script; no inline JS (Content Security Policy).
(function () {
  "use strict";

  var DELAY_MS = 3000;
  var RETRY_MS = 15000;

  function same(a, b) { return JSON.stringify(a || []) === JSON.stringify(b || []); }

  function button(label, className, onClick) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = className;
    el.textContent = label;
    el.addEventListener("click", onClick);
    return el;
  }

  // attach(form, options) -> a controller. Options:
  //   draftKey      localStorage key of this form's unsaved typing (required)
  //   noun          "return", "briefing": used in the status line
  //   statusLine, problem, draftPanel: elements (defaults: #save-status, #autosave-problem,
  //                 #draft-panel)
  //   label(name)   the words naming a field, for the restore offer
  //   draftItems(changes) -> [label, ...]  what the restore offer lists (default: every field)
  //   onSaved(data) after a successful save (e.g. progress counters)
  //   onConflict(data, controller)  shows a conflict (default: "load the saved copy")
  //   delayMs       the pause after typing before saving (default 3 s)
  //   warnOnLeave   ask before leaving the page with unsaved changes
  function attach(form, options) {
    var opts = options || {};
    var url = form.dataset.autosaveUrl;
    var noun = opts.noun || "form";
    var draftKey = opts.draftKey;
    var statusLine = opts.statusLine || document.getElementById("save-status");
    var problem = opts.problem || document.getElementById("autosave-problem");
    var draftPanel = opts.draftPanel || document.getElementById("draft-panel");
    var versionInput = form.querySelector('input[name="version"]');
    var delay = opts.delayMs || DELAY_MS;

    var timer = null;
    var retryTimer = null;
    var inFlight = false;
    var pending = false;
    var blocked = null; // "conflict", "signed_out", "read_only" or null
    var submitting = false;
    var queuedSubmit = false; // a submit made while an autosave was in flight waits for it
    var queuedSubmitter = null;
    var flushWaiters = [];
    var base = serialise(); // the values as saved at versionInput.value
    // A page shown again after a refused save holds typing that is not saved yet.
    var lastSent = form.dataset.autosaveUnsaved ? "" : JSON.stringify(base);

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

    function apply(fields) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !(el.name in fields) || el.disabled) return;
        var values = fields[el.name];
        if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) !== -1;
        else if (el.type !== "submit" && el.type !== "hidden") el.value = values[0] || "";
      });
      // Whatever else listens (the briefing's live preview) sees the new values.
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function isDirty() { return inFlight || JSON.stringify(serialise()) !== lastSent; }

    // --- the local copy: what was typed here and against which saved copy -------------------
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
    function label(name) {
      if (opts.label) return opts.label(name);
      var el = form.querySelector('[name="' + name + '"]');
      var text = el && el.id && form.querySelector('label[for="' + el.id + '"]');
      return text ? text.textContent.trim() : name;
    }

    function offerDraft() {
      if (!draftPanel) return;
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
      var items = opts.draftItems ? opts.draftItems(changes) : names.map(label);
      items.forEach(function (words) {
        var item = document.createElement("li");
        item.textContent = words;
        list.appendChild(item);
      });
      var restore = button("Restore my typing", "btn btn-primary btn-sm me-2", function () {
        apply(changes);
        draftPanel.hidden = true;
        setStatus("Your typing is restored. Saving…");
        save();
      });
      var discard = button("Discard it", "btn btn-outline-dark btn-sm", function () {
        dropDraft();
        draftPanel.hidden = true;
        setStatus("The unsaved typing was discarded.");
      });
      draftPanel.append(heading, text, list, restore, discard);
      draftPanel.hidden = false;
    }

    // --- messages --------------------------------------------------------------------------
    function setStatus(text) {
      statusLine.textContent = text;
      statusLine.classList.toggle("is-unsaved", /^Not saved/.test(text));
    }

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

    // --- saving ----------------------------------------------------------------------------
    function schedule(ms) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, ms);
    }

    function settleFlush(ok) {
      var waiters = flushWaiters;
      flushWaiters = [];
      waiters.forEach(function (w) { w(ok); });
    }

    function save(saveOptions) {
      window.clearTimeout(timer);
      timer = null;
      if (submitting || blocked === "conflict" || blocked === "read_only") { settleFlush(false); return; }
      var current = serialise();
      var snapshot = JSON.stringify(current);
      if (snapshot === lastSent && !blocked) { if (!inFlight) settleFlush(true); return; }
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
        // A keepalive request (the tab is closing) may carry at most 64 KB: a longer form is
        // sent as usual, and its copy in this browser covers a tab that closes first.
        keepalive: Boolean(saveOptions && saveOptions.keepalive) && snapshot.length * 2 < 60000,
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
        setStatus("Not saved — retrying. AuditPortal could not be reached; your typing is kept in this browser.");
        retry();
      }).then(function () {
        inFlight = false;
        if (queuedSubmit) {
          // Submit now, with the version that save returned (else it would look stale).
          queuedSubmit = false;
          form.requestSubmit(queuedSubmitter);
          return;
        }
        if (pending) { pending = false; schedule(500); return; }
        settleFlush(JSON.stringify(serialise()) === lastSent);
      });
    }

    function retry() {
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(function () { save(); }, RETRY_MS);
    }

    function defaultConflict(data) {
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
        if (opts.onSaved) opts.onSaved(data);
        return;
      }
      keepDraft();
      if (data.error === "conflict") {
        blocked = "conflict";
        setStatus(data.same_user ? "Not saved: this " + noun + " was saved in another tab or window." : "Not saved: someone else saved this " + noun + ".");
        (opts.onConflict || defaultConflict)(data, controller);
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
        setStatus("Not saved — retrying. AuditPortal had a problem saving; your typing is kept in this browser.");
        retry();
      } else if (data.error === "read_only") {
        blocked = "read_only";
        setStatus("Not saved.");
        showProblem(data.message);
      } else {
        setStatus("Not saved: please correct what is shown.");
        showProblem(data.message || "Not saved.", (data.errors || []).map(function (e) {
          return { anchor: e[0], text: e[1] };
        }));
      }
    }

    // After a conflict the user chose what to keep: `saved` holds the values now saved at
    // `version` that differ from this page's copy. Saving this page again is their decision.
    function resolve(version, saved) {
      versionInput.value = version;
      Object.keys(saved || {}).forEach(function (name) { base[name] = saved[name]; });
      lastSent = JSON.stringify(base);
      blocked = null;
      hideProblem();
      if (JSON.stringify(serialise()) === lastSent) {
        // Every choice was the saved text, and nothing else differs: nothing to send.
        dropDraft();
        setStatus("Nothing to save: this page now shows the saved " + noun + ".");
        return;
      }
      save();
    }

    function isField(el) { return el && el.form === form && el.name && el.type !== "submit"; }

    form.addEventListener("input", function (event) {
      if (!isField(event.target)) return;
      keepDraft();
      schedule(delay);
    });
    form.addEventListener("change", function (event) {
      if (!isField(event.target)) return;
      keepDraft();
      schedule(delay);
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
    // Back on the network: try at once rather than at the next retry.
    window.addEventListener("online", function () { if (isDirty() || blocked === "signed_out") save(); });
    if (opts.warnOnLeave) {
      window.addEventListener("beforeunload", function (event) {
        if (submitting || blocked === "read_only" || !isDirty()) return;
        event.preventDefault();
        event.returnValue = "";
      });
    }

    var controller = {
      form: form,
      serialise: serialise,
      apply: apply,
      isDirty: isDirty,
      setStatus: setStatus,
      showProblem: showProblem,
      hideProblem: hideProblem,
      resolve: resolve,
      // Save now; the callback gets true once everything on the page is saved.
      flush: function (callback) {
        if (callback) flushWaiters.push(callback);
        if (!isDirty() && !inFlight) { settleFlush(true); return; }
        save();
      },
      // The form is about to be left on purpose (another form posts): no new autosave.
      leaving: function () { submitting = true; window.clearTimeout(timer); }
    };
    offerDraft();
    return controller;
  }

  window.AuditPortal = window.AuditPortal || {};
  window.AuditPortal.autosave = attach;
})();
