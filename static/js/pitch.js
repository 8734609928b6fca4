// The live pitch session's pages: the phone that rates, the facilitator's console and the
// projector. The server's snapshot and events are the truth; this module only draws them.
(function () {
  "use strict";
  var configElement = document.getElementById("live-config");
  var root = document.querySelector("[data-pitch]");
  if (!configElement || !root || !window.live || !window.WebSocket) { return; }
  var config = JSON.parse(configElement.textContent);
  var role = config.role;

  var model = {state: root.dataset.state, position: 0, ratingOpen: true, pitches: [], current: null,
    results: null, mine: null, criteria: [], minRatings: 3};
  var connection = null;

  var statusElement = document.querySelector("[data-live-status]");
  var rateForm = document.querySelector("[data-rate-form]");
  var feedbackElement = document.querySelector("[data-feedback]");
  var consoleFeedback = document.querySelector("[data-console-feedback]");

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name] === undefined ? match : String(values[name]);
    });
  }

  function countText(element, count) {
    var data = element.dataset;
    if (count === 0) { return data.templateNone; }
    return count === 1 ? data.templateOne : format(data.templateMany, {n: count});
  }

  function drawCards() {
    document.querySelectorAll("[data-pitch-card]").forEach(function (card) {
      card.hidden = Number(card.dataset.pitchCard) !== model.current;
    });
    document.querySelectorAll("[data-pitch-item]").forEach(function (item) {
      if (Number(item.dataset.pitchItem) === model.current) {
        item.setAttribute("aria-current", "step");
      } else {
        item.removeAttribute("aria-current");
      }
    });
    var position = document.querySelector("[data-position-text]");
    if (position) {
      position.textContent = format(position.dataset.template, {n: model.position + 1, total: model.pitches.length});
    }
  }

  function drawNotices() {
    root.dataset.state = model.state;
    var shown = {
      prepared: model.state === "prepared",
      ended: model.state === "ended",
      locked: model.state === "locked",
      closed: model.state === "open" && !model.ratingOpen
    };
    document.querySelectorAll("[data-notice]").forEach(function (notice) {
      notice.hidden = !shown[notice.dataset.notice];
    });
    var rateNow = document.querySelector("[data-rate-now]");
    if (rateNow) { rateNow.hidden = !(model.state === "open" && model.ratingOpen); }
    var badge = document.querySelector("[data-state-badge]");
    if (badge) { badge.textContent = badge.dataset["label" + model.state.charAt(0).toUpperCase() + model.state.slice(1)]; }
  }

  function drawControls() {
    document.querySelectorAll("[data-expected]").forEach(function (input) { input.value = String(model.position); });
    var previous = document.querySelector("[data-previous]");
    var next = document.querySelector("[data-next]");
    if (previous) { previous.disabled = model.position <= 0; }
    if (next) { next.disabled = model.position >= model.pitches.length - 1; }
    var close = document.querySelector("[data-close-rating]");
    var reopen = document.querySelector("[data-reopen-rating]");
    if (close) { close.hidden = !model.ratingOpen; }
    if (reopen) { reopen.hidden = model.ratingOpen; }
  }

  function drawResults() {
    var results = model.results || {count: 0, enough: false, criteria: [], words: []};
    var count = document.querySelector("[data-results-count]");
    if (count) { count.textContent = countText(count, results.count); }
    var waiting = document.querySelector("[data-results-waiting]");
    if (waiting) { waiting.hidden = results.enough; }
    var table = document.querySelector("[data-results-table]");
    if (table) { table.hidden = !results.enough; }
    results.criteria.forEach(function (row) {
      var element = document.querySelector('[data-result-row="' + row.id + '"]');
      if (!element) { return; }
      element.querySelector("[data-bar]").setAttribute("width", String(row.percent));
      element.querySelector("[data-mean]").textContent = row.mean === null ? "" : row.mean.toFixed(1);
    });
    var words = document.querySelector("[data-words]");
    if (words) {
      words.textContent = "";
      results.words.forEach(function (entry) {
        var item = document.createElement("li");
        item.className = "chip";
        item.textContent = entry.word;
        if (entry.count > 1) {
          var number = document.createElement("span");
          number.className = "cloud__count";
          number.textContent = String(entry.count);
          item.appendChild(document.createTextNode(" "));
          item.appendChild(number);
        }
        words.appendChild(item);
      });
    }
    if (model.results) {
      var badge = document.querySelector('[data-pitch-count="' + model.results.practice + '"]');
      if (badge) { badge.textContent = countText(badge, model.results.count); }
    }
  }

  // fill: put this person's saved rating into the form (after a snapshot, a move or an
  // acknowledgement), not while they change it and others' ratings come in.
  function drawForm(fill) {
    if (!rateForm) { return; }
    var practiceInput = rateForm.querySelector("[data-practice-input]");
    var changed = practiceInput.value !== String(model.current);
    fill = fill || changed;
    practiceInput.value = String(model.current);
    var canRate = model.state === "open" && model.ratingOpen && model.current !== null;
    var mine = model.mine || {scores: {}, word: ""};
    rateForm.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.disabled = !canRate;
      if (fill) {
        var criterion = radio.name.slice(1);
        radio.checked = String(mine.scores[criterion]) === radio.value;
      }
    });
    var word = rateForm.querySelector("input[name=word]");
    if (word) {
      word.disabled = !canRate;
      if (fill) { word.value = mine.word || ""; }
    }
    var submit = rateForm.querySelector("[data-submit]");
    submit.disabled = !canRate;
    submit.textContent = model.mine ? submit.dataset.labelChange : submit.dataset.labelSend;
    if (changed) { showFeedback("", false); }
  }

  function draw(fill) {
    drawCards();
    drawNotices();
    drawControls();
    drawResults();
    drawForm(fill);
  }

  function showFeedback(text, isError) {
    if (!feedbackElement) { return; }
    feedbackElement.textContent = text;
    feedbackElement.classList.toggle("wall__feedback--error", Boolean(isError));
  }

  function setStatus(status) {
    if (!statusElement) { return; }
    var key = "label" + status.charAt(0).toUpperCase() + status.slice(1);
    statusElement.textContent = statusElement.dataset[key] || status;
    statusElement.dataset.status = status;
  }

  function currentOf(position) {
    var pitch = model.pitches[position];
    return pitch ? pitch.practice : null;
  }

  connection = live.connect(config.socket, {
    outboxKey: config.outbox,
    onStatus: setStatus,
    onSnapshot: function (state) {
      var pitch = state.pitch;
      var setupChanged = model.pitches.length > 0 && JSON.stringify(pitch.pitches) !== JSON.stringify(model.pitches);
      model.state = state.activity.state;
      model.position = pitch.position;
      model.ratingOpen = pitch.rating_open;
      model.pitches = pitch.pitches;
      model.current = pitch.current;
      model.results = pitch.results;
      model.mine = pitch.mine;
      model.criteria = pitch.criteria;
      model.minRatings = pitch.min_ratings;
      if (setupChanged) { window.location.reload(); return; }
      draw(true);
    },
    onEvent: function (event) {
      if (event.kind === "pitch.rated") {
        if (event.results.practice === model.current) { model.results = event.results; }
        else {
          var badge = document.querySelector('[data-pitch-count="' + event.results.practice + '"]');
          if (badge) { badge.textContent = countText(badge, event.results.count); }
        }
      } else if (event.kind === "pitch.moved") {
        model.position = event.position;
        model.ratingOpen = event.rating_open;
        model.current = currentOf(event.position);
        model.results = event.results;
        model.mine = null;
        if (role === "participant") {
          // My earlier rating of this pitch (when the facilitator goes back) is in a snapshot.
          draw(true);
          connection.sync();
          return;
        }
      } else if (event.kind === "pitch.rating") {
        model.ratingOpen = event.rating_open;
      } else if (event.kind === "pitch.setup") {
        window.location.reload();
        return;
      } else if (event.kind === "state") {
        var before = model.state;
        model.state = event.state;
        // The console's buttons for the session's state are drawn by the server.
        if (role === "console" && before !== event.state) { window.location.reload(); return; }
      }
      draw();
    },
    onAck: function (op) {
      if (op.op === "pitch.rate" && Number(op.data.practice) === model.current) {
        var scores = {};
        Object.keys(op.data).forEach(function (key) {
          if (/^c\d+$/.test(key)) { scores[key.slice(1)] = op.data[key]; }
        });
        model.mine = {scores: scores, word: op.data.word || ""};
        drawForm(true);
        showFeedback(rateForm.dataset.savedMessage, false);
      }
    },
    onError: function (error) {
      if (error.code === "moved") { return; }  // a second press of the same button
      if (rateForm) {
        showFeedback(error.message, true);
      } else if (consoleFeedback) {
        consoleFeedback.textContent = error.message;
        consoleFeedback.hidden = false;
        window.setTimeout(function () { consoleFeedback.hidden = true; }, 6000);
      }
    }
  });

  if (rateForm) {
    rateForm.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      var data = {practice: model.current};
      var missing = false;
      rateForm.querySelectorAll("fieldset[data-criterion]").forEach(function (fieldset) {
        var chosen = fieldset.querySelector("input[type=radio]:checked");
        if (!chosen) { missing = true; return; }
        data["c" + fieldset.dataset.criterion] = parseInt(chosen.value, 10);
      });
      if (missing) {
        showFeedback(rateForm.dataset.missingMessage, true);
        return;
      }
      var word = rateForm.querySelector("input[name=word]");
      if (word) { data.word = word.value; }
      live.send("pitch.rate", data);
      showFeedback(rateForm.dataset.sendingMessage, false);
    });
  }

  // Console forms send their operation over the socket; without JavaScript they post.
  document.querySelectorAll("[data-op-form]").forEach(function (form) {
    form.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
      var data = {};
      new FormData(form).forEach(function (value, name) {
        if (["csrfmiddlewaretoken", "op", "id", "next"].indexOf(name) === -1) {
          data[name] = name === "expected" ? parseInt(value, 10) : value;
        }
      });
      live.send(form.querySelector("input[name=op]").value, data);
    });
  });
})();
