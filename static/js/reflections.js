// The pages of reflection rounds, quick polls and cross-country pairing: participant,
// facilitator's console and projector. The server's snapshot and events are the truth;
// this module keeps the state they describe and draws it.
(function () {
  "use strict";
  var configElement = document.getElementById("live-config");
  var root = document.querySelector("[data-reflect]");
  if (!configElement || !root || !window.live || !window.WebSocket) { return; }
  var config = JSON.parse(configElement.textContent);
  var kind = root.dataset.reflect;
  var role = config.role;
  var state = null;
  var connection = null;

  function $(selector) { return root.querySelector(selector); }
  function $all(selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return values[key] === undefined ? match : String(values[key]);
    });
  }
  function el(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined && text !== null) { element.textContent = text; }
    return element;
  }
  function newToken() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(Date.now()) + String(Math.random()).slice(2);
  }

  // Feedback and status

  function showFeedback(form, text, isError) {
    var element = form ? form.querySelector("[data-feedback]") : $("[data-feedback]");
    if (!element) { if (isError && text) { window.alert(text); } return; }
    element.textContent = text;
    element.classList.toggle("wall__feedback--error", Boolean(isError));
  }

  function setStatus(status) {
    var element = document.querySelector("[data-live-status]");
    if (!element) { return; }
    var key = "label" + status.charAt(0).toUpperCase() + status.slice(1);
    element.textContent = element.dataset[key] || status;
    element.dataset.status = status;
  }

  // The timer counts down against the server's clock.
  var timerElements = $all("[data-timer]");
  function drawTimer() {
    var timer = state && state.timer;
    var left = null;
    if (timer && timer.running) { left = Math.max(0, Date.parse(timer.ends_at) - live.serverNow()); }
    else if (timer && timer.remaining_ms !== null) { left = timer.remaining_ms; }
    timerElements.forEach(function (element) {
      element.hidden = left === null;
      if (left === null) { return; }
      var seconds = Math.ceil(left / 1000);
      element.querySelector("[data-timer-text]").textContent =
        Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
      element.classList.toggle("timer--done", seconds === 0);
      element.classList.toggle("timer--paused", !timer.running);
    });
  }
  window.setInterval(drawTimer, 250);

  function drawState() {
    root.dataset.state = state.activity.state;
    $all("[data-locked-notice]").forEach(function (notice) { notice.hidden = state.activity.state === "open"; });
    var badge = document.querySelector("[data-state-badge]");
    if (badge) {
      var key = "label" + state.activity.state.charAt(0).toUpperCase() + state.activity.state.slice(1);
      badge.textContent = badge.dataset[key] || state.activity.state;
    }
    $all("[data-state-button]").forEach(function (button) {
      button.disabled = button.dataset.stateButton === state.activity.state;
    });
  }

  // Bars with a data table behind them (the table is what screen readers read).
  function drawBars(container, rows) {
    var body = container && container.querySelector("[data-bars-body]");
    if (!body) { return; }
    var top = rows.reduce(function (max, row) { return Math.max(max, row.count); }, 0);
    body.textContent = "";
    rows.forEach(function (row) {
      var tr = el("tr");
      var th = el("th", null, row.label);
      th.scope = "row";
      tr.appendChild(th);
      tr.appendChild(el("td", "live-bars__count", String(row.count)));
      var cell = el("td", "live-bars__column");
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("class", "bar bar--live");
      svg.setAttribute("viewBox", "0 0 100 8");
      svg.setAttribute("preserveAspectRatio", "none");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      [["bar__track", 100], ["bar__value", top ? Math.round(100 * row.count / top) : 0]].forEach(function (bar) {
        var rect = document.createElementNS(ns, "rect");
        rect.setAttribute("class", bar[0]);
        rect.setAttribute("width", String(bar[1]));
        rect.setAttribute("height", "8");
        rect.setAttribute("rx", "2");
        svg.appendChild(rect);
      });
      cell.appendChild(svg);
      tr.appendChild(cell);
      body.appendChild(tr);
    });
  }

  // Forms: console buttons send their operation over the socket; without JavaScript they post.

  function formData(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (["csrfmiddlewaretoken", "op", "id", "next"].indexOf(name) !== -1) { return; }
      // Ticked formats and choices share a name; the socket gets them as a list, as a form
      // posted without JavaScript sends each of them.
      if (name === "formats" || name === "choices") {
        data[name] = (data[name] || []).concat([value]);
      } else {
        data[name] = ["seconds", "speaker", "offset", "prompt"].indexOf(name) !== -1 ? parseInt(value, 10) : value;
      }
    });
    return data;
  }

  $all("[data-op-form]").forEach(function (form) {
    form.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
      live.send(form.querySelector("input[name=op]").value, formData(form));
    });
  });

  // Reflection round

  var formatLabels = {};

  function speakerName(id) {
    var found = state.round.speakers.filter(function (speaker) { return speaker.id === id; })[0];
    return found ? found.name : "";
  }

  function drawCurrent() {
    var name = state.round.current ? speakerName(state.round.current) : "";
    $all("[data-current-speaker]").forEach(function (element) {
      element.textContent = name ? fill(element.dataset.template, {name: name}) : element.dataset.labelNone;
    });
  }

  function drawAnswers() {
    var container = $("[data-answers]");
    if (!container) { return; }
    var labels = container.dataset;
    var canRemove = role === "console";
    container.querySelectorAll("[data-prompt]").forEach(function (section) {
      var index = parseInt(section.dataset.prompt, 10);
      var list = section.querySelector("[data-answer-list]");
      var answers = state.round.answers.filter(function (answer) { return answer.prompt === index; });
      if (role === "projector") { answers = answers.slice().reverse(); }
      list.textContent = "";
      if (!answers.length) { list.appendChild(el("li", "meta", labels.empty)); }
      answers.forEach(function (answer) {
        var item = el("li", "answer");
        item.dataset.answer = answer.id;
        item.appendChild(el("p", "answer__text", answer.text));
        var meta = el("p", "meta");
        if (answer.author) { meta.appendChild(document.createTextNode(answer.author + " ")); }
        if (answer.captured && role === "console") { meta.appendChild(document.createTextNode("(" + labels.labelCaptured + ") ")); }
        answer.formats.forEach(function (value) {
          meta.appendChild(el("span", "badge badge--quiet", formatLabels[value] || value));
          meta.appendChild(document.createTextNode(" "));
        });
        item.appendChild(meta);
        if (canRemove) {
          var button = el("button", "button button--small button--secondary", root.dataset.labelRemove);
          button.type = "button";
          var hidden = el("span", "visually-hidden", " " + answer.text.slice(0, 40));
          button.appendChild(hidden);
          button.addEventListener("click", function () { live.send("answer.remove", {answer: answer.id}); });
          item.appendChild(button);
        }
        list.appendChild(item);
      });
    });
  }

  function drawHere(me) {
    var form = $("[data-here-form]");
    var done = $("[data-here-done]");
    if (form) { form.hidden = Boolean(me); }
    if (done) { done.hidden = !me; }
  }

  // The speaking order: drag a name, or use its Earlier and Later buttons.
  var dragged = null;
  function drawSpeakers() {
    var list = $("[data-speakers]");
    if (!list) { return; }
    var labels = list.dataset;
    list.textContent = "";
    state.round.speakers.forEach(function (speaker, index) {
      var item = el("li", "speaker");
      item.dataset.speaker = speaker.id;
      item.classList.toggle("speaker--current", speaker.id === state.round.current);
      item.classList.toggle("speaker--spoken", speaker.spoken);
      item.classList.toggle("speaker--skipped", speaker.skipped);
      item.draggable = true;
      var name = el("span", "speaker__name", speaker.name);
      item.appendChild(name);
      var meta = [speaker.country_name, speaker.organisation].filter(Boolean).join(" · ");
      item.appendChild(el("span", "meta", meta));
      var status = speaker.id === state.round.current ? labels.labelNow : speaker.spoken ? labels.labelSpoken : speaker.skipped ? labels.labelSkipped : "";
      if (status) { item.appendChild(el("span", "badge badge--quiet", status)); }
      var tools = el("span", "speaker__tools");
      [["up", -1], ["down", 1]].forEach(function (move) {
        var button = el("button", "button button--small button--secondary", labels["label" + (move[0] === "up" ? "Up" : "Down")]);
        button.type = "button";
        button.appendChild(el("span", "visually-hidden", " " + speaker.name));
        button.disabled = (move[1] < 0 && index === 0) || (move[1] > 0 && index === state.round.speakers.length - 1);
        button.dataset.move = move[0];
        button.addEventListener("click", function () {
          live.send("order.move", {speaker: speaker.id, offset: move[1]});
          var announce = $("[data-order-announce]");
          if (announce) { announce.textContent = fill(labels.labelMoved, {name: speaker.name, n: index + 1 + move[1]}); }
          pendingFocus = {speaker: speaker.id, move: move[0]};
        });
        tools.appendChild(button);
      });
      var skip = el("button", "button button--small button--secondary", speaker.skipped ? labels.labelUnskip : labels.labelSkip);
      skip.type = "button";
      skip.appendChild(el("span", "visually-hidden", " " + speaker.name));
      skip.addEventListener("click", function () { live.send("speaker.skip", {speaker: speaker.id}); });
      tools.appendChild(skip);
      item.appendChild(tools);
      item.addEventListener("dragstart", function (dragEvent) {
        dragged = speaker.id;
        item.classList.add("speaker--dragging");
        dragEvent.dataTransfer.effectAllowed = "move";
        dragEvent.dataTransfer.setData("text/plain", String(speaker.id));
      });
      item.addEventListener("dragend", function () { item.classList.remove("speaker--dragging"); dragged = null; });
      item.addEventListener("dragover", function (dragEvent) { if (dragged !== null) { dragEvent.preventDefault(); } });
      item.addEventListener("drop", function (dropEvent) {
        dropEvent.preventDefault();
        if (dragged === null || dragged === speaker.id) { return; }
        var all = state.round.speakers.map(function (s) { return s.id; });
        var from = all.indexOf(dragged);
        var ids = all.filter(function (id) { return id !== dragged; });
        // Dropped on a later name: after it; on an earlier one: before it.
        ids.splice(ids.indexOf(speaker.id) + (from < index ? 1 : 0), 0, dragged);
        live.send("order.set", {order: ids.join(",")});
      });
      list.appendChild(item);
    });
    if (pendingFocus) {
      var target = list.querySelector('[data-speaker="' + pendingFocus.speaker + '"] [data-move="' + pendingFocus.move + '"]');
      if (target && !target.disabled) { target.focus(); }
      else if (target) { var other = target.parentNode.querySelector("button:not([disabled])"); if (other) { other.focus(); } }
      pendingFocus = null;
    }
  }
  var pendingFocus = null;

  // Answers the participant sent: drawn from acks and the outbox (the server does not
  // tell an anonymous round's participants which answers are theirs).
  var sent = [];
  function drawSent() {
    var list = $("[data-sent]");
    if (!list) { return; }
    var pending = connection ? connection.pending().filter(function (op) { return op.op === "answer.post"; }) : [];
    list.textContent = "";
    sent.concat(pending.map(function (op) { return {text: op.data.text, pending: true}; })).forEach(function (answer) {
      var item = el("li", "answer" + (answer.pending ? " answer--pending" : ""), answer.text);
      if (answer.pending) { item.appendChild(el("span", "chip__note", " · " + list.dataset.labelPending)); }
      list.appendChild(item);
    });
    $("[data-sent-section]").hidden = list.children.length === 0;
  }

  function drawRound() {
    drawCurrent();
    drawAnswers();
    drawSpeakers();
    drawHere(state.round.me);
    drawSent();
    drawBars($("[data-bars]"), state.round.chart.filter(function (row) { return role !== "projector" || row.count > 0; }));
  }

  $all("[data-answer-form]").forEach(function (form) {
    form.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      var data = formData(form);
      data.text = (data.text || "").trim();
      if (!data.text) {
        showFeedback(form, form.dataset.emptyMessage, true);
        form.querySelector("textarea").focus();
        return;
      }
      data.token = newToken();
      data.formats = data.formats || [];
      live.send(form.dataset.op, data);
      form.querySelector("textarea").value = "";
      form.querySelectorAll("input[name=formats]").forEach(function (box) { box.checked = false; });
      showFeedback(form, "", false);
      drawSent();
    });
  });

  function roundEvent(event) {
    if (event.kind === "answer.added") {
      state.round.answers.push(event.answer);
      state.round.chart = event.chart;
    } else if (event.kind === "answer.removed") {
      state.round.answers = state.round.answers.filter(function (answer) { return answer.id !== event.answer; });
      state.round.chart = event.chart;
    } else if (event.kind === "people") {
      state.round.speakers = event.speakers;
      state.round.current = event.current;
      if (event.timer) { state.timer = event.timer; }
    }
  }

  // Quick poll

  function drawPoll() {
    var results = state.poll.results;
    $all("[data-poll-question]").forEach(function (element) { element.textContent = state.poll.question; });
    drawBars($("[data-bars]"), results.rows);
    var voters = $("[data-voters]");
    if (voters) {
      var text = results.voters === 1 ? voters.dataset.templateOne : fill(voters.dataset.templateMany, {n: results.voters});
      if (results.mean !== null) { text += " " + fill(voters.dataset.templateMean, {mean: results.mean}); }
      voters.textContent = text;
    }
    var form = $("[data-vote-form]");
    if (form) {
      var closed = state.activity.state !== "open";
      form.querySelectorAll("input, button").forEach(function (input) { input.disabled = closed; });
    }
  }

  var voteForm = $("[data-vote-form]");
  if (voteForm) {
    voteForm.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      var data = formData(voteForm);
      if (!data.choices) { showFeedback(voteForm, voteForm.dataset.emptyMessage, true); return; }
      live.send("vote", {choices: data.choices});
      var note = voteForm.querySelector("[data-vote-note]");
      note.textContent = note.dataset.labelPending;
      showFeedback(voteForm, "", false);
    });
  }

  // Cross-country pairing

  function drawGroups() {
    var list = $("[data-groups]");
    if (!list) { return; }
    var me = state.pairing.me;
    list.textContent = "";
    state.pairing.groups.forEach(function (group) {
      var item = el("li", "pair-group");
      item.dataset.group = group.number;
      item.appendChild(el("span", "pair-group__number", String(group.number)));
      var members = el("ul", "plain-list");
      group.members.forEach(function (member) {
        var line = el("li", null, member.name + " ");
        line.appendChild(el("span", "meta", member.country_name));
        if (member.id === me) { line.classList.add("pair-group__me"); }
        members.appendChild(line);
      });
      item.appendChild(members);
      list.appendChild(item);
    });
    var empty = $("[data-groups-empty]");
    if (empty) { empty.hidden = state.pairing.groups.length > 0; }
  }

  function drawMyGroup() {
    var box = $("[data-my-group]");
    if (!box) { return; }
    var me = state.pairing.me;
    var mine = state.pairing.groups.filter(function (group) {
      return group.members.some(function (member) { return member.id === me; });
    })[0];
    var heading = box.querySelector("h2");
    box.textContent = "";
    box.appendChild(heading);
    if (!mine) { box.appendChild(el("p", "meta", box.dataset.labelWaiting)); return; }
    box.appendChild(el("p", "meta", fill(box.dataset.templateNumber, {n: mine.number})));
    var list = el("ul", "plain-list");
    mine.members.forEach(function (member) {
      if (member.id === me) { return; }
      var line = el("li");
      line.appendChild(el("strong", null, member.name));
      line.appendChild(document.createTextNode(" "));
      line.appendChild(el("span", "meta", [member.country_name, member.organisation].filter(Boolean).join(" · ")));
      list.appendChild(line);
    });
    box.appendChild(list);
  }

  function drawPrompt() {
    var prompt = state.pairing.prompt;
    $all("[data-prompt-card]").forEach(function (card) {
      card.hidden = !prompt;
      if (!prompt) { return; }
      card.querySelector("[data-prompt-name]").textContent = prompt.name;
      card.querySelector("[data-prompt-instructions]").textContent = prompt.instructions;
    });
  }

  function drawPairing() {
    drawHere(state.pairing.me);
    drawGroups();
    drawMyGroup();
    drawPrompt();
    var people = $("[data-people]");
    if (people) {
      people.textContent = "";
      state.pairing.people.forEach(function (member) {
        people.appendChild(el("li", "chip", member.name + (member.country ? " · " + member.country : "")));
      });
    }
    var count = $("[data-people-count]");
    if (count) { count.textContent = String(state.pairing.people.length); }
    var projectorCount = $("[data-people-count-projector]");
    if (projectorCount) { projectorCount.textContent = fill(projectorCount.dataset.template, {n: state.pairing.people.length}); }
    var make = $("[data-make-pairs]");
    if (make) { make.textContent = state.pairing.round ? make.dataset.labelAgain : make.dataset.labelFirst; }
    var roundLabel = $("[data-round-label]");
    if (roundLabel) { roundLabel.textContent = state.pairing.round ? fill(roundLabel.dataset.template, {n: state.pairing.round}) : ""; }
  }

  function pairingEvent(event) {
    if (event.kind === "people") { state.pairing.people = event.people; }
    else if (event.kind === "pairs") { state.pairing.groups = event.groups; state.pairing.round = event.round; }
    else if (event.kind === "prompt") { state.pairing.prompt = event.prompt; }
  }

  function draw() {
    drawState();
    drawTimer();
    if (kind === "round") { drawRound(); }
    else if (kind === "poll") { drawPoll(); }
    else if (kind === "pairing") { drawPairing(); }
  }

  connection = live.connect(config.socket, {
    outboxKey: config.outbox,
    onStatus: setStatus,
    onSnapshot: function (snapshot, version) {
      state = snapshot;
      root.dataset.version = version;
      if (state.round) {
        state.round.formats.forEach(function (format) { formatLabels[format.value] = format.label; });
      }
      draw();
    },
    onEvent: function (event, version) {
      if (!state) { return; }
      root.dataset.version = version;
      if (event.kind === "state") { state.activity.state = event.state; }
      else if (event.kind === "timer") { state.timer = event.timer; }
      else if (kind === "round") { roundEvent(event); }
      else if (kind === "poll" && event.kind === "poll.results") { state.poll.results = event.results; }
      else if (kind === "poll" && event.kind === "poll.question") { state.poll.question = event.question; }
      else if (kind === "pairing") { pairingEvent(event); }
      draw();
    },
    onAck: function (op) {
      if (kind === "pairing") { $all("[data-feedback]").forEach(function (element) { element.textContent = ""; }); }
      if (op.op === "here") {
        // Who "me" is comes with the next snapshot; ask for it.
        connection.sync();
      } else if (op.op === "answer.post") {
        sent.push({text: op.data.text});
        drawSent();
      } else if (op.op === "vote") {
        state.poll.mine = [].concat(op.data.choices).map(Number);
        var note = $("[data-vote-note]");
        if (note) { note.textContent = note.dataset.labelSaved; }
      }
    },
    onError: function (error, op) {
      var form = null;
      if (op && (op.op === "answer.post" || op.op === "answer.capture")) {
        form = root.querySelector('[data-answer-form][data-op="' + op.op + '"]');
        if (form && !form.querySelector("textarea").value) { form.querySelector("textarea").value = op.data.text; }
      } else if (op && op.op === "vote") {
        form = voteForm;
      }
      showFeedback(form, error.message, true);
      if (kind === "round") { drawSent(); }
    }
  });
})();
