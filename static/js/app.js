// Small helpers for every page: the browser's time zone for the server, and the language picker.
(function () {
  "use strict";
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (error) {
    // An old browser without Intl keeps the server's default zone.
  }
  // The project's sections fold into a menu on a phone; without JavaScript they scroll.
  function foldProjectNav() {
    var toggle = document.querySelector("[data-nav-toggle]");
    if (!toggle) { return; }
    var nav = toggle.closest(".project-nav");
    var current = nav.querySelector('.project-nav__links a[aria-current="page"]');
    if (current) { toggle.querySelector("[data-nav-current]").textContent = current.textContent.trim(); }
    function setOpen(open) {
      nav.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    nav.classList.add("is-folding");
    toggle.hidden = false;
    toggle.addEventListener("click", function () { setOpen(!nav.classList.contains("is-open")); });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldProjectNav();
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var button = select.form.querySelector("button[type=submit]");
      if (button) { button.classList.add("visually-hidden"); }
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
