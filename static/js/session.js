// Idle-timeout warning (WCAG 2.2.1 Timing Adjustable). The server ends a session after
// data-session-idle seconds without activity (accounts.middleware.SessionSecurityMiddleware);
// two minutes before, this shows a dialog whose "Stay signed in" button pings the keep-alive
// endpoint. htmx polling (hx-trigger="every ...") is marked passive so it never keeps an
// unattended session alive. Activity is shared between tabs through localStorage.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-idle") || "", 10);
  if (!idle) {
    return;
  }
  var keepAliveUrl = body.getAttribute("data-session-keepalive");
  var signInUrl = body.getAttribute("data-session-signin");
  var dialog = document.getElementById("session-timeout");
  var countdown = dialog ? dialog.querySelector("[data-session-countdown]") : null;
  var extendButton = dialog ? dialog.querySelector("[data-session-extend]") : null;
  var warnBefore = Math.min(120, Math.floor(idle / 2));
  var storageKey = "auditportal-last-activity";
  var lastActivity = Date.now();

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function noteActivity() {
    lastActivity = Date.now();
    try {
      window.localStorage.setItem(storageKey, String(lastActivity));
    } catch (e) {
      /* private mode: this tab only */
    }
  }

  function latestActivity() {
    var shared = 0;
    try {
      shared = parseInt(window.localStorage.getItem(storageKey) || "0", 10) || 0;
    } catch (e) {
      shared = 0;
    }
    return Math.max(lastActivity, shared);
  }

  function describe(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    var parts = [];
    if (minutes) {
      parts.push(minutes + (minutes === 1 ? " minute" : " minutes"));
    }
    if (rest || !minutes) {
      parts.push(rest + (rest === 1 ? " second" : " seconds"));
    }
    return parts.join(" ");
  }

  function isOpen() {
    return dialog && dialog.open;
  }

  function closeDialog() {
    if (isOpen()) {
      dialog.close();
    }
  }

  function extend() {
    var form = new FormData();
    fetch(keepAliveUrl, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    })
      .then(function (response) {
        if (response.status === 401 || response.redirected) {
          signOut();
          return;
        }
        noteActivity();
        closeDialog();
      })
      .catch(function () {
        /* offline: leave the dialog open so the user can try again */
      });
  }

  function signOut() {
    var next = window.location.pathname + window.location.search;
    window.location.assign(signInUrl + "?next=" + encodeURIComponent(next));
  }

  var lastAnnounced = -1;
  function tick() {
    var elapsed = Math.floor((Date.now() - latestActivity()) / 1000);
    var left = idle - elapsed;
    if (left <= 0) {
      signOut();
      return;
    }
    if (left <= warnBefore) {
      if (dialog && !isOpen() && typeof dialog.showModal === "function") {
        dialog.showModal();
        if (extendButton) {
          extendButton.focus();
        }
      }
      // Update the text every 15 seconds (and each second in the last 15) so screen readers
      // are not flooded.
      if (countdown && (left <= 15 || left % 15 === 0 || lastAnnounced < 0)) {
        countdown.textContent = describe(left);
        lastAnnounced = left;
      }
    } else {
      lastAnnounced = -1;
      closeDialog();
    }
  }

  if (extendButton) {
    extendButton.addEventListener("click", extend);
  }
  if (dialog) {
    // Escape closes the dialog: the user is clearly there, so extend.
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      extend();
    });
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var trigger = elt && elt.getAttribute ? elt.getAttribute("hx-trigger") || "" : "";
    if (/\bevery\b/.test(trigger)) {
      event.detail.headers["X-Session-Passive"] = "1";
    } else {
      noteActivity();
    }
  });

  noteActivity();
  window.setInterval(tick, 1000);
})();
