/* Influence — what the app keeps on this device, and wiping it.

   Some pages keep work on the phone until it reaches the server (a wizard's copy in
   localStorage, an offline queue in IndexedDB), and the field app's service worker
   keeps a few blank pages for offline use (Cache Storage, caches named "influence-…").
   On a shared phone nothing one person typed may stay for the next one:
   - logging out wipes all of it, after asking when some of it was never sent;
   - when another account logs in on this phone, the same happens: the previous
     account's unsent work is never sent under the new one. Cancelling logs the new
     account out instead, so the previous person can log in and send it.

   For the scripts that keep things (window.InfluenceDevice):
   - store(name): an idb-keyval store, wiped with the rest;
   - a value kept in such a store, or as JSON in localStorage under "influence:", that
     has `pending: true` is unsent work (counted in the warning);
   - ready: a promise resolved once the owner check is done; read or send what the
     device keeps only after it.
   Strings go through Django's JavaScript catalogue (djangojs). */
(function () {
  "use strict";

  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, args) {
    var i = 0;
    return fmt.replace(/%s/g, function () { return String(args[i++]); });
  };
  var kv = window.idbKeyval;

  var PREFIX = "influence:";                // wiped
  var OWNER_KEY = "influence-device:owner";  // who the kept data belongs to
  var STORES_KEY = "influence-device:stores";  // the IndexedDB stores to wipe
  var CACHE_PREFIX = "influence-";
  var LOGOUT = /\/compte\/deconnexion\/$/;

  function local() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function storeNames() {
    var storage = local();
    try { return JSON.parse(storage.getItem(STORES_KEY)) || []; } catch (e) { return []; }
  }

  var stores = {};
  function store(name) {
    if (!kv || !window.indexedDB) { return null; }
    var names = storeNames();
    if (names.indexOf(name) === -1) {
      names.push(name);
      try { local().setItem(STORES_KEY, JSON.stringify(names)); } catch (e) { /* full */ }
    }
    if (!stores[name]) { stores[name] = kv.createStore(CACHE_PREFIX + name, name); }
    return stores[name];
  }

  function localKeys() {
    var storage = local();
    var keys = [];
    if (!storage) { return keys; }
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0) { keys.push(key); }
    }
    return keys;
  }

  function isPending(value) { return !!value && value.pending === true; }

  function unsentCount() {
    var storage = local();
    var count = localKeys().filter(function (key) {
      try { return isPending(JSON.parse(storage.getItem(key))); } catch (e) { return false; }
    }).length;
    if (!kv || !window.indexedDB) { return Promise.resolve(count); }
    return Promise.all(storeNames().map(function (name) {
      return kv.values(store(name)).then(function (values) {
        return values.filter(isPending).length;
      }, function () { return 0; });
    })).then(function (counts) {
      return counts.reduce(function (a, b) { return a + b; }, count);
    });
  }

  function wipe() {
    var jobs = [];
    if (kv && window.indexedDB) {
      storeNames().forEach(function (name) {
        jobs.push(kv.clear(store(name)).catch(function () {}));
      });
    }
    var storage = local();
    localKeys().forEach(function (key) { storage.removeItem(key); });
    if (window.caches) {
      jobs.push(window.caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf(CACHE_PREFIX) === 0;
        }).map(function (key) { return window.caches.delete(key); }));
      }).catch(function () {}));
    }
    return Promise.all(jobs);
  }

  function logoutForm() {
    return Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      return LOGOUT.test(form.action || "");
    })[0];
  }

  // Log out and keep what is on the device (it belongs to someone else).
  function logoutKeeping() {
    var form = logoutForm();
    if (!form) { return; }
    form.setAttribute("data-device-checked", "1");
    form.submit();
  }

  // --- Logging out ----------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!LOGOUT.test(form.action || "") || form.hasAttribute("data-device-checked")) { return; }
    event.preventDefault();
    unsentCount().catch(function () { return 0; }).then(function (count) {
      if (count && !window.confirm(interpolate(ngettext(
        "%s témoignage n'a pas encore été envoyé depuis cet appareil : il sera effacé. Se déconnecter quand même ?",
        "%s témoignages n'ont pas encore été envoyés depuis cet appareil : ils seront effacés. Se déconnecter quand même ?",
        count), [count]))) {
        return;
      }
      return wipe().then(function () {
        try { local().removeItem(OWNER_KEY); } catch (e) { /* storage unavailable */ }
        form.setAttribute("data-device-checked", "1");
        form.submit();
      });
    });
  });

  // --- Another account on this device ---------------------------------------------------

  function checkOwner() {
    var storage = local();
    var current = document.body && document.body.getAttribute("data-user-id");
    if (!storage || !current) { return Promise.resolve(); }
    var previous = storage.getItem(OWNER_KEY);
    if (previous === current) { return Promise.resolve(); }
    if (previous === null) {
      storage.setItem(OWNER_KEY, current);
      return Promise.resolve();
    }
    return unsentCount().catch(function () { return 0; }).then(function (count) {
      if (count && !window.confirm(interpolate(ngettext(
        "Cet appareil garde %s témoignage pas encore envoyé, saisi avec un autre compte. Continuer l'efface de cet appareil. Annuler vous déconnecte, pour que la personne qui l'a saisi se reconnecte et l'envoie.",
        "Cet appareil garde %s témoignages pas encore envoyés, saisis avec un autre compte. Continuer les efface de cet appareil. Annuler vous déconnecte, pour que la personne qui les a saisis se reconnecte et les envoie.",
        count), [count]))) {
        logoutKeeping();
        return new Promise(function () {});  // the page is leaving: nothing may read the data
      }
      return wipe().then(function () { storage.setItem(OWNER_KEY, current); });
    });
  }

  var ready = new Promise(function (resolve) {
    function start() { checkOwner().then(resolve, resolve); }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  });

  window.InfluenceDevice = {
    store: store,
    unsentCount: unsentCount,
    wipe: wipe,
    ready: ready
  };
})();
