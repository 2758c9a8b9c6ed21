// Small progressive enhancements; every page works without this file.
// Loaded from 'self' only: the Content-Security-Policy forbids inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
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
