// Key events in a return: each row saves itself a few seconds after the last change (JSON
// from audits/views/key_events.py), shows problems at its fields, and a saved new row becomes an
// event row with a fresh blank row below it. Without JavaScript the Save buttons post as forms.
(function () {
  "use strict";

  var DELAY_MS = 2000;
  var section = document.getElementById("key-events");
  if (!section) return;
  var blank = document.getElementById("event-new");
  var blankHtml = blank ? blank.outerHTML : "";


  function showErrors(form, errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (box) {
      var name = box.getAttribute("data-error-for");
      var messages = (errors && errors[name]) || [];
      box.textContent = messages.join(" ");
      var input = form.querySelector('[name="' + name + '"]');
      if (input) {
        if (messages.length) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    });
    var other = (errors && (errors[""] || errors.__all__)) || [];
    status(form, other.join(" "));
  }

  function status(form, text) {
    var line = form.querySelector(".key-event-status");
    if (line) line.textContent = text;
  }

  function renameIds(form, from, to) {
    form.querySelectorAll("[id]").forEach(function (el) { el.id = el.id.replace(from, to); });
    form.querySelectorAll("[for]").forEach(function (el) { el.htmlFor = el.htmlFor.replace(from, to); });
    form.querySelectorAll("[aria-describedby]").forEach(function (el) {
      el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").split(from).join(to));
    });
  }

  function becomeEvent(form, data) {
    form.action = data.action;
    form.removeAttribute("data-new");
    renameIds(form, "event-new", "event-" + data.id);
    form.id = "event-" + data.id;
    form.setAttribute("aria-label", "Key event");
    var add = form.querySelector('button[type="submit"]');
    if (add) { add.textContent = "Save"; add.className = "btn btn-outline-primary btn-sm"; }
    var remove = document.createElement("button");
    remove.type = "submit";
    remove.className = "btn btn-outline-danger btn-sm ms-1";
    remove.setAttribute("formaction", data.remove);
    remove.setAttribute("data-remove", "");
    remove.textContent = "Remove";
    add.insertAdjacentElement("afterend", remove);
    if (blankHtml) {
      form.insertAdjacentHTML("afterend", blankHtml);
      var fresh = form.nextElementSibling;
      wire(fresh);
    }
  }

  function ready(form) {
    if (!form.hasAttribute("data-new")) return true;
    return form.elements.when.value.trim() !== "" && form.elements.kind.value !== "";
  }

  function send(form, url, remove) {
    if (form.dataset.busy) { form.dataset.again = "1"; return; }
    form.dataset.busy = "1";
    status(form, remove ? "Removing…" : "Saving…");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (data) { return { response: response, data: data }; });
    }).then(function (result) {
      delete form.dataset.busy;
      var data = result.data;
      if (!data.ok) { showErrors(form, data.errors); return; }
      if (remove) { form.remove(); return; }
      showErrors(form, {});
      form.elements.version.value = data.version;
      if (data.created) becomeEvent(form, data);
      status(form, data.message);
      if (form.dataset.again) { delete form.dataset.again; send(form, form.action, false); }
    }).catch(function () {
      delete form.dataset.busy;
      status(form, "Not saved: the connection failed. Try Save again.");
    });
  }

  function wire(form) {
    var timer = null;
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { if (ready(form)) send(form, form.action, false); }, DELAY_MS);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("data-remove")) {
        send(form, submitter.getAttribute("formaction"), true);
      } else {
        send(form, form.action, false);
      }
    });
  }

  section.querySelectorAll("form[data-key-event]").forEach(wire);
})();
