// The learning café's live pages: participant (phone first), facilitator's console, projector.
// The server's snapshot and events are the truth; this module only draws them and sends
// operations through live.js. Pages are drawn by the server first and work without it.
(function () {
  "use strict";
  var configElement = document.getElementById("live-config");
  var labelsElement = document.getElementById("cafe-labels");
  var root = document.querySelector("[data-cafe]");
  if (!configElement || !labelsElement || !root || !window.live || !window.WebSocket) { return; }
  var config = JSON.parse(configElement.textContent);
  var L = JSON.parse(labelsElement.textContent);
  var role = config.role;

  var model = null;       // the snapshot's "cafe" part, kept up to date by events
  var activityState = "open";
  var timer = null;
  var canFacilitate = false;
  var connection = null;
  var editingSummary = false;

  function $(selector) { return root.querySelector(selector); }
  function $all(selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) { return String(values[key]); });
  }
  function el(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined && text !== null) { element.textContent = text; }
    return element;
  }
  function button(label, className, onClick, hiddenName) {
    var element = el("button", "button button--small " + (className || "button--secondary"), label);
    element.type = "button";
    if (hiddenName) { element.appendChild(el("span", "visually-hidden", " " + hiddenName)); }
    element.addEventListener("click", onClick);
    return element;
  }

  // What the model says

  function peopleById() {
    var found = {};
    model.people.forEach(function (person) { found[person.id] = person; });
    return found;
  }
  function tablesById() {
    var found = {};
    model.tables.forEach(function (table) { found[table.id] = table; });
    return found;
  }
  function seatsOf(personId) { return model.seating[String(personId)] || [null, null]; }
  function myTableId() { return model.me ? seatsOf(model.me)[0] : null; }
  function nextTableId() { return model.me ? seatsOf(model.me)[1] : null; }
  function hostedTableId() {
    if (!model.me) { return null; }
    var hosted = model.tables.filter(function (table) { return table.host === model.me; })[0];
    return hosted ? hosted.id : null;
  }
  function seatedAt(tableId, index) {
    var people = peopleById();
    return Object.keys(model.seating)
      .filter(function (id) { return model.seating[id][index] === tableId && people[id] && people[id].present; })
      .map(function (id) { return people[id]; })
      .sort(function (a, b) { return a.name.localeCompare(b.name); });
  }
  function liveTables() { return model.tables.filter(function (table) { return !table.removed; }); }
  function tableLabel(table) { return fill(L.table, {n: table.number}); }

  // Drawing

  function drawPhase() {
    root.dataset.phase = model.phase;
    $all("[data-show-phase]").forEach(function (element) {
      var phases = element.dataset.showPhase.split(" ");
      var shown = phases.indexOf(model.phase) !== -1;
      if (element.hasAttribute("data-not-last")) { shown = shown && model.round + 1 < model.rounds; }
      element.hidden = !shown;
    });
    $all("[data-round]").forEach(function (element) {
      element.textContent = fill(L.round, {n: model.round + 1, total: model.rounds});
    });
    var phaseLabel = $("[data-phase-label]");
    if (phaseLabel) { phaseLabel.textContent = L.phase[model.phase] || model.phase; }
    $all("[data-expected-round]").forEach(function (input) { input.value = String(model.round); });
    var announcement = $("[data-announcement]");
    if (announcement) {
      announcement.textContent = model.announcement;
      announcement.hidden = !model.announcement;
    }
    var present = $("[data-present]");
    if (present) {
      present.textContent = fill(L.present, {n: model.people.filter(function (p) { return p.present; }).length});
    }
  }

  function personItem(person, hostId) {
    var item = el("li", "person");
    item.appendChild(el("span", "person__name", person.name));
    var meta = [person.organisation, person.country].filter(Boolean).join(" · ");
    if (person.id === hostId) { meta = meta ? meta + " · " + L.host : L.host; }
    if (meta) {
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", "person__meta", meta));
    }
    return item;
  }

  function drawMyTable() {
    var joined = Boolean(model.me);
    var join = $("[data-join]");
    if (join) { join.hidden = joined || model.phase === "finished"; }
    var here = $("[data-here]");
    if (here) { here.hidden = !joined; }
    var card = $("[data-my-table]");
    if (!card) { return; }
    var tables = tablesById();
    var table = tables[myTableId()];
    var seated = Boolean(table) && (model.phase === "talking" || model.phase === "moving");
    card.hidden = !seated || model.phase === "moving";
    var next = tables[nextTableId()];
    var moveTo = $("[data-move-to]");
    if (moveTo) {
      moveTo.textContent = next ? tableLabel(next) : "";
      $("[data-move-theme]").textContent = next ? next.theme : "";
    }
    var nextLine = $("[data-next-table]");
    nextLine.hidden = !(next && model.phase === "talking");
    if (next) { $("[data-next-label]").textContent = fill(L.tableTheme, {n: next.number, theme: next.theme}); }
    var noteArea = $("[data-note-area]");
    if (noteArea) { noteArea.hidden = !seated; }
    var earlierArea = $("[data-earlier-area]");
    if (earlierArea) { earlierArea.hidden = !seated || model.phase === "moving"; }
    if (!table) { return; }
    $("[data-table-number]").textContent = tableLabel(table);
    $("[data-table-theme]").textContent = table.theme;
    $("[data-table-question]").textContent = table.question;
    var host = peopleById()[table.host];
    $("[data-table-host]").hidden = !host;
    if (host) { $("[data-host-name]").textContent = host.name; }
    var video = $("[data-table-video]");
    video.hidden = !table.video_url;
    if (table.video_url) { video.querySelector("a").href = table.video_url; }
    var list = $("[data-table-people]");
    list.textContent = "";
    seatedAt(table.id, 0).forEach(function (person) { list.appendChild(personItem(person, table.host)); });
    var tableInput = $("[data-note-table]");
    if (tableInput) { tableInput.value = String(table.id); }
  }

  function pendingNotes() {
    if (!connection) { return []; }
    return connection.pending().filter(function (op) { return op.op === "note.post"; });
  }

  function noteItem(note, options) {
    var item = el("li", "note" + (note.hidden ? " note--hidden" : "") + (note.pending ? " note--pending" : ""));
    item.dataset.note = note.id;
    item.appendChild(el("p", "note__text", note.text));
    var meta = [note.author_name];
    if (note.country) { meta.push(note.country); }
    meta.push(fill(L.noteRound, {n: note.round + 1}));
    if (note.practice_title) { meta.push(note.practice_title); }
    meta.push(note.pending ? L.pending : note.votes === 1 ? L.oneVote : fill(L.votes, {n: note.votes}));
    if (note.hidden) { meta.push(L.hidden); }
    item.appendChild(el("p", "note__meta", meta.join(" · ")));
    if (note.pending || !options.actions) { return item; }
    var actions = el("div", "button-row note__actions");
    var mine = note.author === model.me;
    if (!mine && model.me && note.round === model.round && model.phase === "talking" && !note.hidden) {
      var voted = model.my_votes.indexOf(note.id) !== -1;
      var vote = button(voted ? L.voted : L.vote, voted ? "button--secondary" : "", function () {
        live.send("note.vote", {note_id: note.id});
      }, note.text);
      vote.disabled = voted || model.votes_left <= 0;
      actions.appendChild(vote);
    }
    if (mine) {
      actions.appendChild(button(L.edit, "", function () {
        var text = window.prompt(L.editPrompt, note.text);
        if (text !== null && text.trim()) { live.send("note.edit", {note_id: note.id, text: text.trim()}); }
      }, note.text));
      actions.appendChild(button(L.delete, "button--danger", function () {
        if (window.confirm(L.deleteConfirm)) { live.send("note.delete", {note_id: note.id}); }
      }, note.text));
    }
    if (options.moderate) {
      actions.appendChild(button(note.hidden ? L.show : L.hide, "", function () {
        live.send(note.hidden ? "note.show" : "note.hide", {note_id: note.id});
      }, note.text));
    }
    if (actions.childNodes.length) { item.appendChild(actions); }
    return item;
  }

  function byVotes(a, b) { return b.votes - a.votes || a.id - b.id; }

  function drawNotes() {
    var list = $("[data-notes]");
    if (!list) { return; }
    list.textContent = "";
    if (role === "console") {
      model.notes.slice().sort(function (a, b) { return b.id - a.id; }).forEach(function (note) {
        list.appendChild(noteItem(note, {actions: true, moderate: true}));
      });
      var shown = $("[data-notes-shown]");
      if (shown) {
        shown.hidden = model.notes_total <= model.notes.length;
        shown.textContent = fill(L.notesShown, {shown: model.notes.length, total: model.notes_total});
      }
      return;
    }
    var tableId = myTableId();
    var moderate = hostedTableId() !== null && hostedTableId() === tableId;
    var now = model.notes.filter(function (note) { return note.table === tableId && note.round === model.round; });
    pendingNotes().forEach(function (op) {
      now.push({id: op.id, text: op.data.text, author_name: "", round: model.round, votes: 0, pending: true});
    });
    now.sort(byVotes).forEach(function (note) { list.appendChild(noteItem(note, {actions: true, moderate: moderate})); });
    var earlier = $("[data-earlier]");
    earlier.textContent = "";
    var old = model.notes.filter(function (note) { return note.table === tableId && note.round < model.round; });
    old.sort(byVotes).forEach(function (note) { earlier.appendChild(noteItem(note, {actions: false})); });
    // The snapshot holds the most voted of earlier rounds (earlier_limit); say so.
    var earlierShown = $("[data-earlier-shown]");
    var earlierTotal = Math.max(model.earlier_total || 0, old.length);
    earlierShown.hidden = earlierTotal <= old.length;
    earlierShown.textContent = fill(L.earlierShown, {shown: old.length, total: earlierTotal});
    var summary = model.summaries[String(tableId)];
    var summaryElement = $("[data-summary]");
    summaryElement.textContent = "";
    if (summary) {
      summaryElement.appendChild(el("p", "summary__text", summary.text));
      summaryElement.appendChild(el("p", "meta", fill(L.summaryBy, {name: summary.by, n: summary.version})));
    }
    $("[data-earlier-empty]").hidden = old.length > 0 || Boolean(summary);
    var votesLeft = $("[data-votes-left]");
    if (votesLeft) {
      votesLeft.hidden = !model.me || model.votes_per_round === 0;
      votesLeft.textContent = fill(L.votesLeft, {n: model.votes_left});
    }
    drawSummaryEditor(tableId, moderate);
  }

  function drawSummaryEditor(tableId, isHost) {
    var editor = $("[data-summary-editor]");
    if (!editor) { return; }
    editor.hidden = !isHost;
    if (!isHost || editingSummary) { return; }
    var summary = model.summaries[String(tableId)];
    editor.querySelector("textarea").value = summary ? summary.text : "";
  }

  function drawTables() {
    var grid = $("[data-tables]");
    if (!grid) { return; }
    grid.textContent = "";
    var moving = model.phase === "moving";
    liveTables().forEach(function (table) {
      var item = el("li", "table-card");
      item.dataset.table = table.id;
      var heading = el(role === "projector" ? "h2" : "h3");
      heading.appendChild(el("span", "table-card__number", String(table.number)));
      heading.appendChild(document.createTextNode(" " + table.theme));
      var here = seatedAt(table.id, 0);
      var coming = seatedAt(table.id, 1);
      if (role === "console") {
        heading.appendChild(document.createTextNode(" "));
        heading.appendChild(el("span", "badge", String(here.length)));
      }
      item.appendChild(heading);
      if (role === "projector") {
        if (moving) {
          var names = el("p", "table-card__coming", coming.map(function (p) { return p.name; }).join(", "));
          item.appendChild(names);
        } else {
          var count = here.length;
          item.appendChild(el("p", "table-card__count", count === 1 ? L.onePerson : fill(L.people, {n: count})));
        }
      } else {
        var list = el("ul", "people people--small");
        (moving ? coming : here).forEach(function (person) { list.appendChild(personItem(person, table.host)); });
        if (moving) { item.appendChild(el("p", "meta", L.coming)); }
        item.appendChild(list);
      }
      grid.appendChild(item);
    });
    $all("[data-table-select]").forEach(function (select) {
      var chosen = select.value || "";
      select.textContent = "";
      liveTables().forEach(function (table) {
        var option = el("option", null, table.number + ". " + table.theme);
        option.value = String(table.id);
        select.appendChild(option);
      });
      if (chosen && select.querySelector("option[value='" + chosen + "']")) { select.value = chosen; }
    });
    $all("[data-person-select]").forEach(function (select) {
      var chosen = select.value || (select.options[0] ? select.options[0].value : "");
      select.textContent = "";
      model.people.filter(function (p) { return p.present; }).forEach(function (person) {
        var option = el("option", null, person.name);
        option.value = String(person.id);
        select.appendChild(option);
      });
      if (chosen && select.querySelector("option[value='" + chosen + "']")) { select.value = chosen; }
    });
  }

  function drawOffline() {
    var list = $("[data-offline]");
    if (!list) { return; }
    list.textContent = "";
    var offline = model.people.filter(function (p) { return p.present && p.online === false; });
    offline.forEach(function (person) { list.appendChild(personItem(person, null)); });
    $("[data-offline-empty]").hidden = offline.length > 0;
  }

  // The console's seating plan figures: the server reports them with every plan change.
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, {maximumFractionDigits: 1});
  var percentFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, {style: "percent"});
  function drawQuality() {
    var figures = $all("[data-quality]");
    if (!figures.length) { return; }
    var quality = model.quality;
    $("[data-quality-none]").hidden = Boolean(quality);
    figures.forEach(function (element) { element.hidden = !quality; });
    if (!quality) { return; }
    $all("[data-quality-figure]").forEach(function (element) {
      var value = quality[element.dataset.qualityFigure];
      var format = element.dataset.format === "percent" ? percentFormat : numberFormat;
      element.textContent = format.format(value);
    });
  }

  function draw() {
    if (!model) { return; }
    drawPhase();
    drawMyTable();
    drawNotes();
    drawTables();
    drawOffline();
    drawQuality();
    drawTimer();
  }

  // The timer counts down against the server's clock; the server sends nothing per second.
  var timerElement = $("[data-timer]");
  function remainingMs() {
    if (!timer) { return null; }
    if (timer.running) { return Math.max(0, Date.parse(timer.ends_at) - live.serverNow()); }
    return timer.remaining_ms;
  }
  function drawTimer() {
    if (!timerElement) { return; }
    var left = model && model.phase === "talking" ? remainingMs() : null;
    timerElement.hidden = left === null;
    if (left === null) { return; }
    var seconds = Math.ceil(left / 1000);
    timerElement.querySelector("[data-timer-text]").textContent =
      Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
    timerElement.classList.toggle("timer--done", seconds === 0);
    timerElement.classList.toggle("timer--paused", !timer.running);
  }
  window.setInterval(drawTimer, 250);

  function setTimer(value) { timer = value && (value.running || value.remaining_ms !== null) ? value : null; }

  function feedback(text, isError) {
    var element = $("[data-feedback]");
    if (!element) { if (text && isError) { window.alert(text); } return; }
    element.textContent = text;
    element.classList.toggle("cafe__feedback--error", Boolean(isError));
  }

  function setStatus(status) {
    var element = document.querySelector("[data-live-status]");
    if (!element) { return; }
    var key = "label" + status.charAt(0).toUpperCase() + status.slice(1);
    element.textContent = element.dataset[key] || status;
    element.dataset.status = status;
  }

  // A participant follows their table: when it changes, the notes it holds come with a
  // fresh snapshot, asked for after a random wait of up to 3 s so a room does not ask at once.
  function followTable(before) {
    if (role !== "participant") { return; }
    var people = peopleById();
    var strangers = Object.keys(model.seating).some(function (id) {
      return model.seating[id][0] === myTableId() && !people[id];
    });
    if (myTableId() === before && !strangers) { return; }
    window.setTimeout(function () { connection.sync(); }, Math.random() * 3000);
  }

  function applyUpdate(event) {
    var tableBefore = myTableId();
    ["phase", "round", "seating", "tables", "announcement", "quality"].forEach(function (key) {
      if (event[key] !== undefined) { model[key] = event[key]; }
    });
    if (event.state) { activityState = event.state; }
    if (event.timer) { setTimer(event.timer); }
    if (event.round !== undefined && event.round !== model.votesRound) {
      model.votesRound = event.round;
      model.my_votes = [];
      model.votes_left = model.votes_per_round;
    }
    if (event.person) {
      var person = Object.assign({online: role === "console" ? true : undefined}, event.person);
      model.people = model.people.filter(function (p) { return p.id !== person.id; }).concat([person]);
      if (event.seats) { model.seating[String(person.id)] = event.seats; }
    }
    if (event.left !== undefined) {
      model.people.forEach(function (p) { if (p.id === event.left) { p.present = false; } });
      delete model.seating[String(event.left)];
      if (event.left === model.me) {
        // This phone left, or the facilitator took it out: it may check in again.
        model.me = null;
        model.my_table = null;
        var left = $("[data-left]");
        if (left) { left.hidden = false; }
      }
    }
    followTable(tableBefore);
  }

  function findNote(id) { return model.notes.filter(function (note) { return note.id === id; })[0]; }

  function applyEvent(event) {
    if (event.kind === "cafe.update") {
      applyUpdate(event);
    } else if (event.kind === "note.posted") {
      var visible = role === "console" || event.note.table === myTableId();
      if (visible && !findNote(event.note.id)) {
        model.notes.push(event.note);
        if (role === "console") {
          // The console keeps the newest notes, as its snapshot does.
          model.notes_total += 1;
          if (model.notes.length > model.notes_limit) { model.notes = model.notes.slice(-model.notes_limit); }
        }
      }
    } else if (event.kind === "note.edited") {
      var edited = findNote(event.id);
      if (edited) { edited.text = event.text; edited.edited = true; }
    } else if (event.kind === "note.deleted") {
      model.notes = model.notes.filter(function (note) { return note.id !== event.id; });
      if (role === "console") { model.notes_total -= 1; }
    } else if (event.kind === "note.hidden" || event.kind === "note.shown") {
      model.notes = model.notes.filter(function (note) { return note.id !== event.id; });
      var shown = event.kind === "note.shown" && event.note.table === myTableId();
      if (role === "console" || shown) { model.notes.push(event.note); }
      model.notes.sort(function (a, b) { return a.id - b.id; });
    } else if (event.kind === "note.voted") {
      var voted = findNote(event.id);
      if (voted) { voted.votes = event.votes; }
    } else if (event.kind === "summary.saved") {
      if (role === "console" || event.summary.table === myTableId()) {
        model.summaries[String(event.summary.table)] = event.summary;
      }
    } else if (event.kind === "timer") {
      setTimer(event.timer);
    } else if (event.kind === "state") {
      activityState = event.state;
    }
    draw();
  }

  connection = live.connect(config.socket, {
    outboxKey: config.outbox,
    onStatus: setStatus,
    onSnapshot: function (state) {
      model = state.cafe;
      model.votesRound = model.round;
      activityState = state.activity.state;
      canFacilitate = state.me.can_facilitate && role !== "projector";
      setTimer(state.timer);
      draw();
    },
    onEvent: applyEvent,
    onAck: function (op) {
      if (op.op === "note.vote") {
        model.my_votes.push(op.data.note_id);
        model.votes_left = Math.max(0, model.votes_left - 1);
      } else if (op.op === "summary.save") {
        editingSummary = false;
      } else if (op.op === "cafe.join") {
        connection.sync();  // the snapshot says who I am and where I sit
      }
      feedback("", false);
      draw();
    },
    onError: function (error, op) {
      feedback(error.message, true);
      if (op && op.op === "summary.save") {
        var summaryFeedback = $("[data-summary-feedback]");
        if (summaryFeedback) { summaryFeedback.textContent = error.message; }
        // The newer text arrives with the snapshot; the draft stays in the box.
        if (error.code === "stale") { connection.sync(); }
      } else if (error.code === "stale") {
        connection.sync();
      }
      draw();
    }
  });

  // Presence (who is connected) reaches the console outside the versioned events.
  var receive = connection.receive;
  connection.receive = function (data) {
    if (data.type === "presence") {
      if (model) {
        model.people.forEach(function (p) { if (p.id === data.participant) { p.online = data.online; } });
        drawOffline();
      }
      return;
    }
    receive.call(connection, data);
  };

  var NUMBERS = ["seconds", "expected_round", "participant_id", "table_id", "user_id", "practice_id"];

  function formData(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (["csrfmiddlewaretoken", "op", "id", "next"].indexOf(name) !== -1) { return; }
      if (NUMBERS.indexOf(name) !== -1) {
        if (value === "") { return; }
        data[name] = parseInt(value, 10);
      } else {
        data[name] = value;
      }
    });
    return data;
  }

  // Forms send their operation over the socket; without JavaScript they post.
  $all("[data-op-form]").forEach(function (form) {
    form.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
      live.send(form.querySelector("input[name=op]").value, formData(form));
      var text = form.querySelector("input[name=theme]");
      if (text) { text.value = ""; }
    });
  });

  var noteForm = $("[data-note-form]");
  if (noteForm) {
    noteForm.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      var input = noteForm.querySelector("textarea[name=text]");
      var text = input.value.trim();
      if (!text) {
        feedback(L.empty, true);
        input.focus();
        return;
      }
      var data = formData(noteForm);
      data.text = text;
      data.table_id = myTableId();
      live.send("note.post", data);
      input.value = "";
      var practice = noteForm.querySelector("select[name=practice_id]");
      if (practice) { practice.value = ""; }
      feedback("", false);
      input.focus();
      draw();
    });
  }

  var summaryForm = $("[data-summary-form]");
  if (summaryForm) {
    var summaryText = summaryForm.querySelector("textarea");
    summaryText.addEventListener("input", function () { editingSummary = true; });
    summaryForm.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      var tableId = hostedTableId();
      var summary = model.summaries[String(tableId)];
      $("[data-summary-feedback]").textContent = "";
      live.send("summary.save", {
        table_id: tableId,
        text: summaryText.value,
        base_version: summary ? summary.version : 0
      });
    });
  }
})();
