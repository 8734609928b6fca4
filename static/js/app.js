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
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var button = select.form.querySelector("button[type=submit]");
      if (button) { button.classList.add("visually-hidden"); }
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
