/* Autosave of campaign answers: no keystroke lost on a dropped connection.
   Changed fields are sent ~2 s after typing stops and on leaving a field; failures are retried
   every few seconds, and unsent text is kept in localStorage and restored on the next visit. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var DEBOUNCE = 2000, RETRY = 5000;
  var url = form.dataset.autosave;
  var status = document.getElementById("autosave-status");
  var key = "recolte-draft:" + form.dataset.draftKey;
  var pending = {};
  var timer = null, running = null;

  function csrf() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) { return headers["X-CSRFToken"]; }
    } catch (e) { /* fall back to the form's own token */ }
    return form.elements.csrfmiddlewaretoken.value;
  }
  function show(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }
  function remember() {
    try {
      if (Object.keys(pending).length) { localStorage.setItem(key, JSON.stringify(pending)); }
      else { localStorage.removeItem(key); }
    } catch (e) { /* private mode: the server copy is all we have */ }
  }
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }
  function send(sent, keepalive) {
    var body = new FormData();
    Object.keys(sent).forEach(function (name) { body.append(name, sent[name]); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin", keepalive: !!keepalive,
      headers: {"X-CSRFToken": csrf(), "X-Autosave": "1", "Accept": "application/json"}
    });
  }
  function flush() {
    clearTimeout(timer);
    if (running) { return running; }
    var names = Object.keys(pending);
    if (!names.length) { return Promise.resolve(); }
    var sent = {};
    names.forEach(function (name) { sent[name] = pending[name]; });
    show(form.dataset.msgSaving, "saving");
    running = send(sent).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw {refused: data.error || response.statusText}; }
        return data;
      });
    }).then(function (data) {
      names.forEach(function (name) { if (pending[name] === sent[name]) { delete pending[name]; } });
      remember();
      show(form.dataset.msgSaved + " " + data.saved_at, "saved");
    }).catch(function (error) {
      if (error && error.refused) { show(error.refused, "refused"); return; }
      show(form.dataset.msgOffline, "offline");
      schedule(RETRY);
    }).then(function () {
      running = null;
      if (Object.keys(pending).length && status.dataset.state === "saved") { schedule(DEBOUNCE); }
    });
    return running;
  }
  // A group of boxes (multiple choice, yes/no, scale) is one answer: its ticked values, one
  // per line, as the server reads them.
  function valueOf(name) {
    var field = form.elements[name];
    if (!field.length || field.tagName === "SELECT") { return field.value; }
    return Array.prototype.filter.call(field, function (box) {
      return box.checked;
    }).map(function (box) { return box.value; }).join("\n");
  }
  function restore(name, value) {
    var field = form.elements[name];
    if (!field.length || field.tagName === "SELECT") { field.value = value; return; }
    var lines = value.split("\n");
    Array.prototype.forEach.call(field, function (box) {
      if (box.type !== "hidden") { box.checked = lines.indexOf(box.value) >= 0; }
    });
    field[0].dispatchEvent(new Event("change", {bubbles: true}));  // skip logic follows
  }
  function changed(event) {
    var field = event.target;
    if (!field.name || field.name.indexOf("q-") !== 0) { return; }
    pending[field.name] = valueOf(field.name);
    remember();
    show(form.dataset.msgUnsaved, "dirty");
    schedule(DEBOUNCE);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", function (event) {
    if (pending[event.target.name] !== undefined) { flush(); }
  });
  form.addEventListener("submit", function () { pending = {}; remember(); });
  window.addEventListener("online", flush);
  window.addEventListener("pagehide", function () {
    if (Object.keys(pending).length) { send(pending, true); }
  });
  document.querySelectorAll("[data-flush]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!Object.keys(pending).length) { return; }
      event.preventDefault();
      flush().then(function () {
        if (!Object.keys(pending).length) { window.location.href = link.href; }
      });
    });
  });

  try {
    var kept = JSON.parse(localStorage.getItem(key) || "{}");
    Object.keys(kept).forEach(function (name) {
      if (form.elements[name] && valueOf(name) !== kept[name]) {
        restore(name, kept[name]);
        pending[name] = kept[name];
      }
    });
    remember();
    if (Object.keys(pending).length) {
      show(form.dataset.msgRestored, "dirty");
      schedule(500);
    }
  } catch (e) { /* unreadable storage: ignore */ }
})();
