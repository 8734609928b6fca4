// The project socket: shows when the page is out of date, and the lobby's connection state.
(function () {
  "use strict";
  var root = document.getElementById("project-live");
  if (!root || !window.WebSocket) { return; }
  var notice = document.querySelector("[data-live-notice]");
  var status = document.querySelector("[data-live-status]");
  var delay = 1000;

  function setStatus(connected) {
    if (!status) { return; }
    status.textContent = connected ? status.dataset.connected : status.dataset.disconnected;
    status.classList.toggle("live-status--down", !connected);
  }

  function showChange(what) {
    if (!notice) { return; }
    var text = root.dataset["changed" + what.charAt(0).toUpperCase() + what.slice(1)];
    if (!text) { return; }
    notice.querySelector("[data-live-notice-text]").textContent = text;
    notice.hidden = false;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + root.dataset.socketPath);
    socket.addEventListener("open", function () { delay = 1000; setStatus(true); });
    socket.addEventListener("message", function (message) {
      var data = JSON.parse(message.data);
      if (data.type === "event" && data.event.kind === "project.changed") {
        if (root.dataset.reloadOn === data.event.what) {
          // The lobby is a waiting room: a newly opened activity should simply appear.
          window.location.reload();
          return;
        }
        showChange(data.event.what);
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4403) {
        // Removed from the project (consumers.REMOVED): the page itself is no longer theirs.
        window.location.reload();
        return;
      }
      setStatus(false);
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
