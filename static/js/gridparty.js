// Small progressive enhancements; every page works without this file.
// Loaded from 'self' only: the Content-Security-Policy forbids inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
