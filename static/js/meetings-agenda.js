// Drag and drop for the agenda planner: a shortcut for the Move up / Move down buttons,
// which keep working without JavaScript. A drop posts the new position, then reloads.
(function () {
  "use strict";

  function csrfToken(list) {
    var input = list.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function enable(list) {
    var dragged = null;
    list.querySelectorAll("[data-item]").forEach(function (item) {
      item.setAttribute("draggable", "true");
      var handle = item.querySelector(".drag-handle");
      if (handle) { handle.hidden = false; }
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("agenda-item--dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.item);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("agenda-item--dragging");
        list.querySelectorAll(".agenda-item--drop").forEach(function (other) {
          other.classList.remove("agenda-item--drop");
        });
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) { return; }
        event.preventDefault();
        item.classList.add("agenda-item--drop");
      });
      item.addEventListener("dragleave", function () {
        item.classList.remove("agenda-item--drop");
      });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!dragged || dragged === item) { return; }
        var items = Array.prototype.slice.call(list.querySelectorAll("[data-item]"));
        var position = items.indexOf(item);
        var body = new URLSearchParams();
        body.set("position", String(position));
        fetch(dragged.dataset.moveUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken(list), "Accept": "application/json" },
          body: body,
          credentials: "same-origin",
        }).then(function (response) {
          if (response.ok) { window.location.hash = "item-" + dragged.dataset.item; }
          window.location.reload();
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".agenda-items").forEach(function (list) {
      if (list.querySelector("[data-item]")) { enable(list); }
    });
  });
})();
