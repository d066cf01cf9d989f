/* Témoignages — the field app: pages that open without a connection, and a queue of
   testimonies kept on the phone until the network is back.

   - Registers the service worker (sw.js) on the field pages; on the field home it asks
     the worker to keep the offline home and the blank wizard up to date, then says
     "Disponible hors connexion sur cet appareil".
   - The queue lives in IndexedDB (js/device.js stores, wiped on logout): one record per
     testimony typed in the offline wizard, its photos and files as separate records.
     Nothing of it goes to a cache.
   - Sending: when the page is online (on load, on the `online` event, or "Envoyer
     maintenant"), every waiting testimony of the logged-in officer is sent step by step
     (views/offline.py: steps 1 to 4, each photo, then the submission). The server is
     idempotent, so a resend after a lost answer adds nothing. A refusal (a field the
     server does not accept) marks the testimony "à corriger" and keeps it here.
   - Every element [data-offline-queue] shows the queue ("2 témoignages en attente
     d'envoi") and what each one is waiting for.
   Strings go through Django's JavaScript catalogue (djangojs). */
(function () {
  "use strict";

  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, args, named) {
    if (named) {
      return fmt.replace(/%\((\w+)\)s/g, function (m, key) { return String(args[key]); });
    }
    var i = 0;
    return fmt.replace(/%s/g, function () { return String(args[i++]); });
  };

  var kv = window.idbKeyval;
  var device = window.InfluenceDevice;
  var ITEMS = "field-queue";
  var FILES = "field-files";
  var WAITING = { queued: true, sending: true };
  // A sent testimony stays listed ("Envoyé : TEM-…") this long, without its content.
  var SENT_KEPT_MS = 12 * 3600 * 1000;
  var LAST_STEP = 6;

  var config = null;
  var note = "";  // why the queue is not leaving: "offline", "login", "server"

  function readConfig() {
    var el = document.querySelector("[data-field-app]");
    if (!el) { return null; }
    return {
      user: el.getAttribute("data-user"),
      swUrl: el.getAttribute("data-sw-url"),
      scope: el.getAttribute("data-scope"),
      refresh: el.hasAttribute("data-refresh"),
      stateUrl: el.getAttribute("data-state-url"),
      sendUrl: el.getAttribute("data-send-url"),
      wizardUrl: el.getAttribute("data-wizard-url"),
      loginUrl: el.getAttribute("data-login-url")
    };
  }

  function newUuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function changed() {
    document.dispatchEvent(new CustomEvent("influence:queue-changed"));
  }

  // --- The queue on this phone ----------------------------------------------------------

  var queue = {
    all: function () {
      return kv.values(device.store(ITEMS)).then(function (items) {
        return items.filter(function (item) {
          return item && String(item.owner) === String(config.user);
        }).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
      });
    },
    get: function (uuid) {
      return kv.get(uuid, device.store(ITEMS)).then(function (item) {
        return item && String(item.owner) === String(config.user) ? item : null;
      });
    },
    save: function (item) {
      item.updated = new Date().toISOString();
      item.pending = item.state !== "sent";
      return kv.set(item.uuid, item, device.store(ITEMS)).then(changed);
    },
    remove: function (item) {
      var files = (item.media || []).map(function (m) { return m.uuid; });
      return kv.delMany(files, device.store(FILES)).then(function () {
        return kv.del(item.uuid, device.store(ITEMS));
      }).then(changed);
    },
    putFile: function (uuid, blob) { return kv.set(uuid, blob, device.store(FILES)); },
    getFile: function (uuid) { return kv.get(uuid, device.store(FILES)); },
    removeFile: function (uuid) { return kv.del(uuid, device.store(FILES)); }
  };

  // --- Sending --------------------------------------------------------------------------

  function NetworkDown() {}

  function asList(value) {
    if (Array.isArray(value)) { return value; }
    return value === undefined || value === null ? [] : [value];
  }

  // Step 2 of the offline wizard holds every form's questions, named "f<form>-q_<key>";
  // the wizard's step 2 expects "q_<key>".
  function serverName(name) { return name.replace(/^f\d+-(q_)/, "$1"); }

  function formData(values, csrf) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    Object.keys(values || {}).forEach(function (name) {
      asList(values[name]).forEach(function (value) { data.append(serverName(name), value); });
    });
    return data;
  }

  function post(item, step, data) {
    var url = config.sendUrl.replace("00000000-0000-0000-0000-000000000000", item.uuid)
      .replace(/\/0\/$/, "/" + step + "/");
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      var json = /json/.test(response.headers.get("Content-Type") || "");
      if (!json) {
        note = response.redirected ? "login" : "server";
        throw new NetworkDown();
      }
      return response.json();
    }, function () {
      note = "offline";
      throw new NetworkDown();
    });
  }

  function fetchState() {
    return fetch(config.stateUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!/json/.test(response.headers.get("Content-Type") || "")) {
        note = response.redirected ? "login" : "server";
        return null;
      }
      return response.json();
    }, function () {
      note = "offline";
      return null;
    });
  }

  function finishSent(item, result) {
    var media = item.media || [];
    return Promise.all(media.map(function (m) { return queue.removeFile(m.uuid); })).then(function () {
      // What was typed has left the phone; only the reference stays, for a while.
      var sent = {
        uuid: item.uuid,
        owner: item.owner,
        created: item.created,
        title: item.title,
        state: "sent",
        reference: result.reference,
        url: result.url,
        sentAt: new Date().toISOString()
      };
      return queue.save(sent);
    });
  }

  function sendItem(item, csrf) {
    var errors = [];
    var result = null;
    item.state = "sending";
    item.errors = [];
    function record(answer, step) {
      if (answer.ok) {
        result = answer;
        item.reference = answer.reference;
        return;
      }
      (answer.errors || [{ step: step, field: "", message: gettext("Refusé par le serveur.") }])
        .forEach(function (error) { errors.push(error); });
    }
    var chain = queue.save(item);
    [1, 2, 3, 4].forEach(function (step) {
      chain = chain.then(function () {
        if ((result && result.done) || (step > 1 && !result)) { return; }
        return post(item, step, formData(item.values[step], csrf)).then(function (answer) {
          record(answer, step);
        });
      });
    });
    (item.media || []).forEach(function (media) {
      chain = chain.then(function () {
        if (!result || result.done || media.sent) { return; }
        return queue.getFile(media.uuid).then(function (blob) {
          var data = formData({ caption: media.caption || "", media_uuid: media.uuid }, csrf);
          if (blob) { data.append("file", blob, media.name || "photo.jpg"); }
          return post(item, 5, data);
        }).then(function (answer) {
          record(answer, 5);
          if (answer.ok) {
            media.sent = true;
            return queue.save(item);
          }
        });
      });
    });
    chain = chain.then(function () {
      if (!result || result.done || errors.length) { return; }
      return post(item, LAST_STEP, formData({}, csrf)).then(function (answer) {
        record(answer, LAST_STEP);
      });
    });
    return chain.then(function () {
      if (result && result.done) { return finishSent(item, result).then(function () { return true; }); }
      item.state = "invalid";
      item.errors = errors;
      item.step = errors.reduce(function (low, e) { return Math.min(low, e.step || LAST_STEP); }, LAST_STEP);
      return queue.save(item).then(function () { return true; });
    }, function (error) {
      if (!(error instanceof NetworkDown)) { throw error; }
      item.state = "queued";
      return queue.save(item).then(function () { return false; });
    });
  }

  var running = null;

  function sendNow() {
    return queue.all().then(function (items) {
      var waiting = items.filter(function (item) { return WAITING[item.state]; });
      if (!waiting.length) { return; }
      return fetchState().then(function (state) {
        if (!state || String(state.user) !== String(config.user)) { return; }
        note = "";
        var chain = Promise.resolve(true);
        waiting.forEach(function (item) {
          chain = chain.then(function (goOn) { return goOn && sendItem(item, state.csrf); });
        });
        return chain;
      });
    });
  }

  // One sending at a time (in this page, and across tabs where the browser can tell).
  function sendAll() {
    if (!config) { return Promise.resolve(); }
    if (!navigator.onLine) {
      note = "offline";
      changed();
      return Promise.resolve();
    }
    if (running) { return running; }
    var job = navigator.locks ? navigator.locks.request("influence-field-send", sendNow) : sendNow();
    running = job.catch(function () { note = "server"; }).then(function () {
      running = null;
      changed();
    });
    return running;
  }

  // --- The queue as shown on the pages ---------------------------------------------------

  function itemTitle(item) {
    var first = (item.values && item.values["1"]) || {};
    var title = item.title || first.title || "";
    if (title) { return title; }
    var day = first.collected_on || (item.created || "").slice(0, 10);
    return day ? interpolate(gettext("Témoignage du %s"), [day]) : gettext("Nouveau témoignage");
  }

  function button(label, className, onClick) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = className;
    el.textContent = label;
    el.addEventListener("click", onClick);
    return el;
  }

  function link(label, href, className) {
    var el = document.createElement("a");
    el.className = className;
    el.href = href;
    el.textContent = label;
    return el;
  }

  function wizardUrl(item) { return config.wizardUrl + "#" + item.uuid; }

  function itemRow(item) {
    var row = document.createElement("li");
    row.className = "list-group-item testimony-row";
    row.setAttribute("data-queue-item", item.uuid);
    row.setAttribute("data-state", item.state);
    var main = document.createElement("div");
    main.className = "testimony-row-main";
    var title = document.createElement("span");
    title.className = "fw-semibold d-block";
    title.setAttribute("dir", "auto");
    title.textContent = itemTitle(item);
    var state = document.createElement("span");
    state.className = "d-block small queue-state";
    main.appendChild(title);
    main.appendChild(state);
    row.appendChild(main);
    var forget = function () {
      if (window.confirm(gettext("Effacer ce témoignage de cet appareil ? Il n'a pas été envoyé : il sera perdu."))) {
        queue.remove(item);
      }
    };
    if (item.state === "editing") {
      state.textContent = interpolate(gettext("Saisie en cours sur cet appareil (étape %s sur 6)"), [item.step || 1]);
      row.appendChild(link(gettext("Reprendre"), wizardUrl(item), "btn btn-outline-primary"));
      row.appendChild(button(gettext("Effacer"), "btn btn-outline-danger", forget));
    } else if (item.state === "queued") {
      state.textContent = navigator.onLine ? gettext("En attente d'envoi")
        : gettext("En attente d'envoi : partira quand le réseau reviendra");
      row.appendChild(button(gettext("Effacer"), "btn btn-outline-danger", forget));
    } else if (item.state === "sending") {
      state.textContent = gettext("Envoi en cours…");
    } else if (item.state === "invalid") {
      state.className += " text-danger-emphasis";
      state.textContent = gettext("À corriger avant l'envoi :");
      var list = document.createElement("ul");
      list.className = "small mb-0";
      (item.errors || []).forEach(function (error) {
        var li = document.createElement("li");
        li.textContent = interpolate(gettext("Étape %(step)s : %(message)s"), error, true);
        list.appendChild(li);
      });
      main.appendChild(list);
      row.appendChild(link(gettext("Corriger"), wizardUrl(item), "btn btn-outline-primary"));
      row.appendChild(button(gettext("Effacer"), "btn btn-outline-danger", forget));
    } else if (item.state === "sent") {
      state.className += " text-success-emphasis";
      state.textContent = "✓ " + interpolate(gettext("Envoyé à la relecture : %s"), [item.reference]);
      if (item.url) {
        row.appendChild(link(gettext("Voir"), item.url, "btn btn-outline-secondary"));
      }
    }
    return row;
  }

  function summaryText(items) {
    var waiting = items.filter(function (i) { return WAITING[i.state]; }).length;
    var invalid = items.filter(function (i) { return i.state === "invalid"; }).length;
    var parts = [];
    if (waiting) {
      parts.push(interpolate(ngettext("%s témoignage en attente d'envoi", "%s témoignages en attente d'envoi", waiting), [waiting]));
    }
    if (invalid) {
      parts.push(interpolate(ngettext("%s témoignage à corriger", "%s témoignages à corriger", invalid), [invalid]));
    }
    if (!parts.length && items.some(function (i) { return i.state === "sent"; })) {
      parts.push(gettext("Tout ce qui attendait sur cet appareil a été envoyé."));
    }
    return parts.join(" · ");
  }

  function noteText(items) {
    if (!items.some(function (i) { return WAITING[i.state]; })) { return ""; }
    if (!navigator.onLine || note === "offline") {
      return gettext("Hors connexion : l'envoi se fera quand le réseau reviendra, sans rien à faire.");
    }
    if (note === "login") { return gettext("Votre session a pris fin : reconnectez-vous pour envoyer."); }
    if (note === "server") { return gettext("Le serveur n'a pas pu recevoir l'envoi : nouvel essai au prochain retour du réseau, ou avec « Envoyer maintenant »."); }
    return "";
  }

  function render() {
    var panels = document.querySelectorAll("[data-offline-queue]");
    if (!panels.length || !config) { return Promise.resolve(); }
    return queue.all().then(function (items) {
      var now = Date.now();
      var old = items.filter(function (i) {
        return i.state === "sent" && now - Date.parse(i.sentAt) > SENT_KEPT_MS;
      });
      old.forEach(function (i) { kv.del(i.uuid, device.store(ITEMS)); });
      items = items.filter(function (i) { return old.indexOf(i) === -1; });
      Array.prototype.forEach.call(panels, function (panel) {
        panel.hidden = !items.length;
        panel.querySelector("[data-queue-summary]").textContent = summaryText(items);
        var noteEl = panel.querySelector("[data-queue-note]");
        noteEl.textContent = noteText(items);
        var login = panel.querySelector("[data-queue-login]");
        if (login) { login.hidden = note !== "login" || !navigator.onLine; }
        var list = panel.querySelector("[data-queue-list]");
        list.textContent = "";
        items.forEach(function (item) { list.appendChild(itemRow(item)); });
        var send = panel.querySelector("[data-queue-send]");
        if (send) {
          send.hidden = !navigator.onLine || !items.some(function (i) { return i.state === "queued"; });
        }
      });
    });
  }

  // --- Offline readiness ----------------------------------------------------------------

  function ask(worker, message) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) { resolve(event.data); };
      worker.postMessage(message, [channel.port2]);
    });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !config.swUrl) { return Promise.resolve(); }
    return navigator.serviceWorker.register(config.swUrl, { scope: config.scope }).then(function () {
      if (!config.refresh || !navigator.onLine) { return; }
      return navigator.serviceWorker.ready.then(function (registration) {
        return ask(registration.active, { type: "refresh" });
      }).then(function (reply) {
        if (!reply || !reply.ok) { return; }
        document.documentElement.setAttribute("data-offline-ready", "1");
        Array.prototype.forEach.call(document.querySelectorAll("[data-offline-ready-note]"), function (el) {
          el.hidden = false;
        });
      });
    }).catch(function () { /* no offline use on this browser: the pages still work */ });
  }

  // --- Start ----------------------------------------------------------------------------

  var readyResolve;
  var ready = new Promise(function (resolve) { readyResolve = resolve; });

  window.InfluenceFieldApp = {
    queue: queue,
    sendAll: sendAll,
    newUuid: newUuid,
    render: render,
    ready: ready,
    config: function () { return config; }
  };

  document.addEventListener("DOMContentLoaded", function () {
    config = readConfig();
    if (!config || !kv || !device) { return; }
    device.ready.then(function () {
      readyResolve();
      document.addEventListener("influence:queue-changed", render);
      window.addEventListener("online", function () { note = ""; sendAll(); });
      window.addEventListener("offline", function () { note = "offline"; render(); });
      Array.prototype.forEach.call(document.querySelectorAll("[data-queue-send]"), function (el) {
        el.addEventListener("click", function () { note = ""; sendAll(); });
      });
      render().then(function () {
        document.documentElement.setAttribute("data-queue-ready", "1");
      });
      sendAll();
      registerWorker();
    });
  });
})();
