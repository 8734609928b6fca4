// The project pack's progress bar: polls the build's status and reloads the page when the
// pack is ready (or the build failed), which then offers the download or says what happened.
(function () {
  "use strict";
  const box = document.getElementById("pack-progress");
  if (!box) return;
  const bar = document.getElementById("pack-bar");
  const percent = document.getElementById("pack-percent");

  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        if (status.status !== "building") {
          window.location.assign(box.dataset.pageUrl);
          return;
        }
        bar.value = status.progress;
        bar.textContent = status.progress + " %";
        percent.textContent = String(status.progress);
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 1000);
})();
