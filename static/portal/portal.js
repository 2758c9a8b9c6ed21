// The "larger text" switch of the cadres' own pages: remembered on the phone.
(function () {
  var KEY = "gridparty-portal-larger";
  var root = document.documentElement;
  function stored() { try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  if (stored()) root.classList.add("larger");
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("text-size");
    if (!button) return;
    button.setAttribute("aria-pressed", root.classList.contains("larger") ? "true" : "false");
    button.addEventListener("click", function () {
      var larger = root.classList.toggle("larger");
      button.setAttribute("aria-pressed", larger ? "true" : "false");
      try { localStorage.setItem(KEY, larger ? "1" : "0"); } catch (e) { /* private mode */ }
    });
  });
})();
