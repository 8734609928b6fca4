// The check-in word wall's pages: participant, facilitator's console and projector.
// The server's snapshot and events are the truth; this module only draws them.
(function () {
  "use strict";
  var configElement = document.getElementById("live-config");
  var root = document.querySelector("[data-wall]");
  if (!configElement || !root || !window.live || !window.WebSocket) { return; }
  var config = JSON.parse(configElement.textContent);
  var role = config.role;

  var model = {words: {}, mine: [], state: "open", question: "", perPerson: 3, people: 0, timer: null};
  var canFacilitate = false;

  var statusElement = document.querySelector("[data-live-status]");
  var cloudElement = document.querySelector("[data-cloud]");
  var moderationElement = document.querySelector("[data-moderation]");
  var emptyElement = document.querySelector("[data-cloud-empty]");
  var questionElements = document.querySelectorAll("[data-question]");
  var peopleElement = document.querySelector("[data-people]");
  var mineElement = document.querySelector("[data-mine]");
  var wordsLeftElement = document.querySelector("[data-words-left]");
  var feedbackElement = document.querySelector("[data-feedback]");
  var lockedNotice = document.querySelector("[data-locked-notice]");
  var postForm = document.querySelector("[data-post-form]");
  var timerElement = document.querySelector("[data-timer]");
  var timerText = document.querySelector("[data-timer-text]");

  function format(template, n) { return template.replace("%(n)s", String(n)); }

  function sortedWords() {
    return Object.keys(model.words)
      .map(function (word) { return Object.assign({word: word}, model.words[word]); })
      .filter(function (word) { return word.count > 0 && (canFacilitate || !word.hidden); })
      .sort(function (a, b) { return b.count - a.count || (a.word < b.word ? -1 : 1); });
  }

  // Sizes 1 to 6 by count, as the server draws them for pages without JavaScript.
  function level(count, top) { return top > 1 ? 1 + Math.round(5 * (count - 1) / (top - 1)) : 3; }

  function drawCloud(words) {
    if (!cloudElement) { return; }
    var top = words.reduce(function (max, word) { return word.hidden ? max : Math.max(max, word.count); }, 1);
    cloudElement.textContent = "";
    words.forEach(function (word) {
      if (word.hidden) { return; }
      var item = document.createElement("li");
      item.className = "cloud__word cloud__word--" + level(word.count, top);
      item.dataset.word = word.word;
      var text = document.createElement("span");
      text.className = "cloud__text";
      text.textContent = word.word;
      var count = document.createElement("span");
      count.className = "cloud__count";
      count.textContent = String(word.count);
      item.appendChild(text);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(count);
      cloudElement.appendChild(item);
    });
  }

  function drawModeration(words) {
    if (!moderationElement) { return; }
    var labels = moderationElement.dataset;
    moderationElement.textContent = "";
    words.forEach(function (word) {
      var item = document.createElement("li");
      item.className = "moderation__word" + (word.hidden ? " moderation__word--hidden" : "");
      item.dataset.word = word.word;
      var text = document.createElement("span");
      text.className = "moderation__text";
      text.textContent = word.word;
      var count = document.createElement("span");
      count.className = "cloud__count";
      count.textContent = String(word.count);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small button--secondary";
      button.textContent = word.hidden ? labels.labelShow : labels.labelHide;
      var hiddenName = document.createElement("span");
      hiddenName.className = "visually-hidden";
      hiddenName.textContent = " " + word.word;
      button.appendChild(hiddenName);
      button.addEventListener("click", function () {
        live.send(word.hidden ? "word.show" : "word.hide", {word: word.word});
      });
      item.appendChild(text);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(count);
      if (word.hidden) {
        var badge = document.createElement("span");
        badge.className = "badge badge--quiet";
        badge.textContent = labels.labelHidden;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(badge);
      }
      item.appendChild(button);
      moderationElement.appendChild(item);
    });
  }

  function pendingWords() {
    return connection.pending()
      .filter(function (op) { return op.op === "word.post"; })
      .map(function (op) { return op.data.text.trim().replace(/\s+/g, " ").toLowerCase(); });
  }

  function drawMine() {
    if (!mineElement) { return; }
    var pending = pendingWords();
    mineElement.textContent = "";
    model.mine.concat(pending).forEach(function (word, index) {
      var item = document.createElement("li");
      var waiting = index >= model.mine.length;
      item.className = "chip" + (waiting ? " chip--pending" : "");
      item.textContent = word;
      if (waiting) {
        var note = document.createElement("span");
        note.className = "chip__note";
        note.textContent = " · " + mineElement.dataset.labelPending;
        item.appendChild(note);
      }
      mineElement.appendChild(item);
    });
    if (wordsLeftElement) {
      var left = Math.max(0, model.perPerson - model.mine.length - pending.length);
      var data = wordsLeftElement.dataset;
      wordsLeftElement.textContent = left === 0 ? data.templateNone
        : left === 1 ? data.templateOne : format(data.templateMany, left);
    }
    if (postForm) {
      var closed = model.state !== "open" || model.mine.length + pending.length >= model.perPerson;
      postForm.querySelector("input[name=text]").disabled = closed;
      postForm.querySelector("button[type=submit]").disabled = closed;
    }
  }

  function drawPeople() {
    if (!peopleElement) { return; }
    var data = peopleElement.dataset;
    peopleElement.textContent = model.people === 1 ? data.templateOne : format(data.templateMany, model.people);
  }

  function drawState() {
    root.dataset.state = model.state;
    if (lockedNotice) { lockedNotice.hidden = model.state === "open"; }
    var badge = document.querySelector("[data-state-badge]");
    if (badge) { badge.textContent = badge.dataset["label" + model.state.charAt(0).toUpperCase() + model.state.slice(1)]; }
    var lockValue = document.querySelector("[data-lock-value]");
    var lockButton = document.querySelector("[data-lock-button]");
    if (lockValue && lockButton) {
      lockValue.value = model.state === "open" ? "locked" : "open";
      lockButton.textContent = model.state === "open" ? lockButton.dataset.labelLock : lockButton.dataset.labelUnlock;
    }
  }

  function draw() {
    var words = sortedWords();
    drawCloud(words);
    drawModeration(words);
    if (emptyElement) { emptyElement.hidden = words.length > 0; }
    questionElements.forEach(function (element) { element.textContent = model.question; });
    var questionInput = document.getElementById("wall-question");
    if (questionInput && document.activeElement !== questionInput) { questionInput.value = model.question; }
    drawPeople();
    drawMine();
    drawState();
    drawTimer();
  }

  // The timer counts down against the server's clock; the server sends nothing per second.
  function remainingMs() {
    if (!model.timer) { return null; }
    if (model.timer.running) { return Math.max(0, Date.parse(model.timer.ends_at) - live.serverNow()); }
    return model.timer.remaining_ms;
  }

  function drawTimer() {
    if (!timerElement) { return; }
    var left = remainingMs();
    timerElement.hidden = left === null;
    if (left === null) { return; }
    var seconds = Math.ceil(left / 1000);
    timerText.textContent = Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
    timerElement.classList.toggle("timer--done", seconds === 0);
    timerElement.classList.toggle("timer--paused", !model.timer.running);
  }
  window.setInterval(drawTimer, 250);

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
    drawMine();
  }

  var connection = live.connect(config.socket, {
    outboxKey: config.outbox,
    onStatus: setStatus,
    onSnapshot: function (state) {
      canFacilitate = state.me.can_facilitate && role !== "projector";
      model.words = {};
      state.wall.words.forEach(function (word) { model.words[word.word] = {count: word.count, hidden: word.hidden}; });
      model.mine = state.wall.mine;
      model.state = state.activity.state;
      model.question = state.wall.question;
      model.perPerson = state.wall.words_per_person;
      model.people = state.wall.people;
      model.timer = state.timer.running || state.timer.remaining_ms !== null ? state.timer : null;
      draw();
    },
    onEvent: function (event) {
      if (event.kind === "word.posted") {
        model.words[event.word] = {count: event.count, hidden: Boolean(event.hidden)};
        if (event.people !== undefined) { model.people = event.people; }
      } else if (event.kind === "word.hidden") {
        if (model.words[event.word]) { model.words[event.word].hidden = true; }
      } else if (event.kind === "word.shown") {
        model.words[event.word] = {count: event.count, hidden: false};
      } else if (event.kind === "wall.cleared") {
        model.words = {};
        model.mine = [];
        model.people = 0;
      } else if (event.kind === "wall.question") {
        model.question = event.question;
      } else if (event.kind === "state") {
        model.state = event.state;
      } else if (event.kind === "timer") {
        model.timer = event.timer.running || event.timer.remaining_ms !== null ? event.timer : null;
      }
      draw();
    },
    onAck: function (op) {
      if (op.op === "word.post") {
        var word = op.data.text.trim().replace(/\s+/g, " ").toLowerCase();
        if (model.mine.indexOf(word) === -1) { model.mine.push(word); }
        showFeedback("", false);
      }
      drawMine();
    },
    onError: function (error) {
      showFeedback(error.message, true);
      if (!feedbackElement && error.message) { window.alert(error.message); }
      drawMine();
    }
  });

  if (postForm) {
    postForm.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      var input = postForm.querySelector("input[name=text]");
      var text = input.value.trim();
      if (!text) {
        showFeedback(postForm.dataset.emptyMessage || "", true);
        input.focus();
        return;
      }
      live.send("word.post", {text: text});
      input.value = "";
      input.focus();
      showFeedback("", false);
      drawMine();
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
          data[name] = name === "seconds" ? parseInt(value, 10) : value;
        }
      });
      live.send(form.querySelector("input[name=op]").value, data);
    });
  });
})();
