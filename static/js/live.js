// The client half of the live protocol (docs/live-protocol.md), shared by every live page.
//
//   var connection = live.connect("/ws/p/eme/live/7/", {
//     outboxKey: "7:user-3",            // where unsent operations wait (sessionStorage)
//     onSnapshot: function (state, version) {},
//     onEvent: function (event, version) {},
//     onAck: function (op, reply) {},    // an operation was saved
//     onError: function (error, op) {},  // the server refused an operation: error.message
//     onStatus: function (status) {}     // "connecting", "live", "reconnecting", "offline"
//   });
//   live.send("word.post", {text: "curious"});   // or connection.send(...)
//   live.serverNow();                             // the server's clock, for timers
//
// Every operation gets an id and waits in an outbox kept in sessionStorage until the server
// acknowledges it, so a reload or a dropped connection loses nothing; the server ignores
// an id it has seen, so sending again doubles nothing.
(function () {
  "use strict";

  var BACKOFF_START_MS = 500;
  var BACKOFF_MAX_MS = 15000;
  var OFFLINE_AFTER_FAILURES = 3;
  var ACK_GAP_WAIT_MS = 1500;
  // The server closes with this code when the member or guest was removed (consumers.REMOVED).
  var REMOVED = 4403;
  // Refusals that say "not now" rather than "no": the op stays in the outbox and is sent
  // again after a pause (the server applies an op id once, so a retry never doubles it).
  var TRANSIENT = {server_error: true, rate_limited: true};
  var RETRY_START_MS = 1000;
  var RETRY_MAX_MS = 15000;
  // A quiet page asks every so often whether it has missed anything: an event dropped at
  // the end of a burst shows no gap until the next one, and on a quiet page none may come.
  var PING_EVERY_MS = 25000;
  var current = null;

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function Outbox(key) {
    this.key = "jointlearn-outbox:" + key;
    try {
      this.items = JSON.parse(window.sessionStorage.getItem(this.key) || "[]");
    } catch (error) {
      this.items = [];
    }
  }
  Outbox.prototype.save = function () {
    try {
      window.sessionStorage.setItem(this.key, JSON.stringify(this.items));
    } catch (error) { /* storage full or blocked: the outbox still lives in memory */ }
  };
  Outbox.prototype.add = function (item) { this.items.push(item); this.save(); };
  Outbox.prototype.remove = function (id) {
    var found = null;
    this.items = this.items.filter(function (item) {
      if (item.id === id) { found = item; return false; }
      return true;
    });
    this.save();
    return found;
  };

  function Connection(path, handlers) {
    this.path = path;
    this.handlers = handlers || {};
    this.outbox = new Outbox(this.handlers.outboxKey || path);
    this.version = null;
    this.synced = false;
    this.failures = 0;
    this.clockOffset = 0;
    this.socket = null;
    this.closed = false;
    this.status = null;
    var self = this;
    window.addEventListener("online", function () { self.reconnectNow(); });
    window.addEventListener("offline", function () {
      // Do not wait for the socket to time out: from now on operations wait in the outbox.
      self.setStatus("offline");
      if (self.socket) { self.socket.close(); }
    });
    this.open();
  }

  Connection.prototype.url = function () {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + this.path;
  };

  Connection.prototype.setStatus = function (status) {
    if (status === this.status) { return; }
    this.status = status;
    if (this.handlers.onStatus) { this.handlers.onStatus(status); }
  };

  Connection.prototype.open = function () {
    var self = this;
    if (this.closed) { return; }
    this.setStatus(this.status === null ? "connecting" : this.status);
    var socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener("open", function () {
      self.failures = 0;
      window.clearInterval(self.pinger);
      self.pinger = window.setInterval(function () {
        if (self.synced) { self.transmit({op: "ping"}); }
      }, PING_EVERY_MS);
    });
    socket.addEventListener("message", function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (error) { return; }
      self.receive(data);
    });
    socket.addEventListener("close", function (event) {
      if (self.socket !== socket) { return; }
      window.clearInterval(self.pinger);
      self.synced = false;
      self.socket = null;
      if (event.code === REMOVED) {
        // Removed from the project: reconnecting would only be refused.
        self.closed = true;
        self.setStatus("removed");
        return;
      }
      if (self.closed) { return; }
      self.failures += 1;
      var offline = !navigator.onLine || self.failures >= OFFLINE_AFTER_FAILURES;
      self.setStatus(offline ? "offline" : "reconnecting");
      // Exponential backoff with full jitter, so a room of phones does not return at once.
      var ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * Math.pow(2, self.failures - 1));
      self.retry = window.setTimeout(function () { self.open(); }, Math.random() * ceiling);
    });
  };

  Connection.prototype.reconnectNow = function () {
    if (this.socket || this.closed) { return; }
    window.clearTimeout(this.retry);
    this.failures = 0;
    this.open();
  };

  Connection.prototype.noteServerTime = function (serverTime) {
    if (!serverTime) { return; }
    var server = Date.parse(serverTime);
    if (!isNaN(server)) { this.clockOffset = server - Date.now(); }
  };

  Connection.prototype.serverNow = function () { return Date.now() + this.clockOffset; };

  Connection.prototype.receive = function (data) {
    var self = this;
    if (data.type === "snapshot") {
      this.noteServerTime(data.server_time);
      this.version = data.version;
      this.synced = true;
      this.setStatus("live");
      if (this.handlers.onSnapshot) { this.handlers.onSnapshot(data.state, data.version); }
      this.flush();
    } else if (data.type === "event") {
      if (!this.synced || data.version <= this.version) { return; }
      this.noteServerTime(data.server_time);
      // "after": the version this event follows for this socket (events of other tables
      // are not sent to a café phone); without it, the one before.
      var follows = typeof data.after === "number" ? data.after : data.version - 1;
      if (follows !== this.version) {
        // A message was lost on the way (channel layers drop under load): start again.
        this.sync();
        return;
      }
      this.version = data.version;
      if (data.event && data.event.kind === "resync") {
        // Changed outside an operation (a guest removed, an account erased): names or
        // posts went, and only a new snapshot shows what is left.
        this.sync();
        return;
      }
      if (this.handlers.onEvent) { this.handlers.onEvent(data.event, data.version); }
    } else if (data.type === "ack") {
      var op = this.outbox.remove(data.id);
      if (op && this.handlers.onAck) { this.handlers.onAck(op, data); }
      if (data.version > this.version) {
        // The event for this change should be on its way; if it never comes, resync.
        window.setTimeout(function () {
          if (self.synced && self.version < data.version) { self.sync(); }
        }, ACK_GAP_WAIT_MS);
      }
    } else if (data.type === "error") {
      if (data.id && TRANSIENT[data.code]) {
        this.retryLater(data.id);
        if (this.handlers.onError) { this.handlers.onError(data, null); }
        return;
      }
      var refused = data.id ? this.outbox.remove(data.id) : null;
      if (this.handlers.onError) { this.handlers.onError(data, refused); }
    } else if (data.type === "pong") {
      this.noteServerTime(data.server_time);
    }
  };

  Connection.prototype.retryLater = function (id) {
    var self = this;
    var item = this.outbox.items.filter(function (entry) { return entry.id === id; })[0];
    if (!item) { return; }
    item.retries = (item.retries || 0) + 1;
    this.outbox.save();
    var ceiling = Math.min(RETRY_MAX_MS, RETRY_START_MS * Math.pow(2, item.retries - 1));
    window.setTimeout(function () {
      var still = self.outbox.items.some(function (entry) { return entry.id === id; });
      if (still && self.synced) { self.transmit({op: item.op, id: item.id, data: item.data}); }
    }, ceiling / 2 + Math.random() * ceiling / 2);
  };

  Connection.prototype.sync = function () {
    this.synced = false;
    this.transmit({op: "sync"});
  };

  Connection.prototype.transmit = function (message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  };

  Connection.prototype.flush = function () {
    var self = this;
    this.outbox.items.forEach(function (item) {
      self.transmit({op: item.op, id: item.id, data: item.data});
    });
  };

  Connection.prototype.send = function (op, data) {
    var item = {op: op, id: newId(), data: data || {}};
    this.outbox.add(item);
    if (this.synced) { this.transmit(item); }
    return item;
  };

  Connection.prototype.pending = function () { return this.outbox.items.slice(); };

  Connection.prototype.close = function () {
    this.closed = true;
    window.clearTimeout(this.retry);
    if (this.socket) { this.socket.close(); }
  };

  window.live = {
    connect: function (path, handlers) {
      current = new Connection(path, handlers);
      return current;
    },
    send: function (op, data) { return current.send(op, data); },
    serverNow: function () { return current ? current.serverNow() : Date.now(); }
  };
})();
