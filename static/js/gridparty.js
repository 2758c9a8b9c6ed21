// Small progressive enhancements; every page works without this file.
// Loaded from 'self' only: the Content-Security-Policy forbids inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A print button: the browser's print, where "save as PDF" is one choice.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});

// An import's progress bar: polls its progress and reloads the page once it is done
// (the page itself shows the result; without JavaScript, reloading by hand works).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("import-bar");
  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (p) {
        if (p.finished) { window.location.reload(); return; }
        bar.value = p.percent;
        bar.textContent = p.percent + "%";
        box.querySelectorAll("[data-count]").forEach(function (el) {
          el.textContent = p[el.dataset.count];
        });
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
});

// The visit and patrol forms on a phone with a weak connection: nothing typed is lost. The form
// is sent with fetch; if the network is gone its fields are kept in this browser
// (localStorage; a photo cannot be kept) and sent as soon as the connection is back,
// or on the next tap. Its idempotency key makes a second send record nothing new.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-select-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.querySelectorAll('input[name="' + button.dataset.selectAll + '"]')
        .forEach(function (input) { input.checked = true; });
    });
  });
  var form = document.querySelector('form[data-offline-form]:not([data-offline-form=""])');
  if (!form || !window.fetch || !window.localStorage || !window.FormData) { return; }
  var note = document.getElementById("offline-note");
  var storeKey = "gridparty-" + form.dataset.offlineForm + ":" + window.location.pathname;
  var sending = false;

  function say(text) {
    note.hidden = false;
    note.querySelector("p").textContent = text;
  }
  function fields() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") { pairs.push([name, value]); }
    });
    return pairs;
  }
  function restore(pairs) {
    form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (input) {
      input.checked = false;
    });
    pairs.forEach(function (pair) {
      form.querySelectorAll('[name="' + pair[0] + '"]').forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === pair[1]) { input.checked = true; }
        } else if (input.type !== "file" && input.name !== "csrfmiddlewaretoken") {
          input.value = pair[1];
        }
      });
    });
  }
  function post(body) {
    return fetch(window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }
  function keep(pairs) {
    window.localStorage.setItem(storeKey, JSON.stringify(pairs));
    say(form.dataset.savedText);
  }
  function done(result) {
    if (result.status === 200 && result.data.ok) {
      window.localStorage.removeItem(storeKey);
      say(form.dataset.sentText);
      window.location.assign(result.data.next);
      return true;
    }
    return false;
  }
  function sendPending() {
    var pending = window.localStorage.getItem(storeKey);
    if (!pending || sending || !navigator.onLine) { return; }
    var pairs = JSON.parse(pending);
    var body = new FormData();
    pairs.forEach(function (pair) { body.append(pair[0], pair[1]); });
    sending = true;
    say(form.dataset.pendingText);
    post(body).then(function (result) {
      sending = false;
      if (!done(result)) {  // refused (e.g. a date): show the form with what was typed
        window.localStorage.removeItem(storeKey);
        restore(pairs);
        HTMLFormElement.prototype.submit.call(form);
      }
    }).catch(function () { sending = false; keep(pairs); });
  }

  var pending = window.localStorage.getItem(storeKey);
  if (pending) { restore(JSON.parse(pending)); sendPending(); }
  window.addEventListener("online", sendPending);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    var pairs = fields();
    if (!navigator.onLine) { keep(pairs); return; }
    sending = true;
    post(new FormData(form)).then(function (result) {
      sending = false;
      if (!done(result)) {
        // The server refused something: the ordinary submit shows its messages.
        HTMLFormElement.prototype.submit.call(form);
      }
    }).catch(function () { sending = false; keep(pairs); });
  });
});
