/* Témoignages — the field app's service worker (served at /temoignages/sw.js, so its
   scope is the field app: /temoignages/).

   What it keeps (Cache Storage, one cache named "influence-field-…"):
   - the static files (CSS, scripts, icons) and the JavaScript catalogue;
   - two pages that hold no testimony: the offline home and the blank wizard with the
     forms of the officer's sites (views/offline.py). They are fetched again each time
     a field page asks for it ("refresh"), so forms and sites stay current.
   What it never keeps: any other page (testimony pages answer `no-store`), any POST,
   anything a response marks `no-store`. Testimonies typed offline live in IndexedDB,
   written by the page (field_app.js), never here.

   Without a connection, opening the field home or "Nouveau témoignage" shows the
   cached offline home or blank wizard; any other page of the app shows the offline
   home, which says that page needs the network. Sending the queue is the page's job,
   on its `online` event (Background Sync is not available everywhere).

   Paths below are relative to the scope and mirror temoignages/urls.py (a test checks). */
"use strict";

var CACHE = "influence-field-v1";
var SCOPE = new URL(self.registration.scope).pathname;
var OFFLINE_HOME = SCOPE + "hors-ligne/";
var OFFLINE_WIZARD = SCOPE + "hors-ligne/nouveau/";
var SHELL = [OFFLINE_HOME, OFFLINE_WIZARD];
// Pages that open as their offline version when the network is gone.
var FALLBACK = {};
FALLBACK[SCOPE] = OFFLINE_HOME;
FALLBACK[SCOPE + "nouveau/"] = OFFLINE_WIZARD;
// Files that hold nothing personal and may be served from the cache.
var ASSETS = /^\/(static\/|i18n\/js\/)/;
var ASSET_IN_PAGE = /(?:src|href)="(\/(?:static\/[^"]+|i18n\/js\/))"/g;

function noStore(response) {
  return /no-store/i.test(response.headers.get("Cache-Control") || "");
}

function isHtml(response) {
  return /^text\/html/i.test(response.headers.get("Content-Type") || "");
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("influence-field-") === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

// --- Keeping the shell --------------------------------------------------------------------

function assetsOf(html) {
  var urls = [];
  var match;
  ASSET_IN_PAGE.lastIndex = 0;
  while ((match = ASSET_IN_PAGE.exec(html)) !== null) {
    var url = match[1].replace(/&amp;/g, "&");
    if (urls.indexOf(url) === -1) { urls.push(url); }
  }
  return urls;
}

function keepAsset(cache, url) {
  return cache.match(url, { ignoreVary: true }).then(function (cached) {
    if (cached) { return; }
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.ok && !noStore(response)) { return cache.put(url, response); }
    });
  });
}

// Fetch the shell pages (as the logged-in officer) and the files they use. A page that
// answers with the login form (session over) is not kept.
function refreshShell() {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (!response.ok || response.redirected || !isHtml(response)) { return false; }
        return response.clone().text().then(function (html) {
          return cache.put(url, response).then(function () {
            return Promise.all(assetsOf(html).map(function (asset) {
              return keepAsset(cache, asset);
            }));
          }).then(function () { return true; });
        });
      });
    }));
  }).then(function (results) {
    return results.every(Boolean);
  }, function () { return false; });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (data.type === "refresh") {
    event.waitUntil(refreshShell().then(function (ok) {
      if (port) { port.postMessage({ type: "refreshed", ok: ok }); }
    }));
  }
});

// --- Answering requests -------------------------------------------------------------------

function fromCache(url) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(url, { ignoreVary: true });
  });
}

function navigate(request) {
  var path = new URL(request.url).pathname;
  return fetch(request).catch(function (error) {
    var offline = SHELL.indexOf(path) !== -1 ? path : (FALLBACK[path] || OFFLINE_HOME);
    return fromCache(offline).then(function (cached) {
      if (cached) { return cached; }
      throw error;
    });
  });
}

// Cached files answer at once and are refreshed in the background.
function asset(event) {
  var request = event.request;
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (cached) {
      var network = fetch(request).then(function (response) {
        if (response.ok && !noStore(response)) { cache.put(request, response.clone()); }
        return response;
      });
      if (cached) {
        event.waitUntil(network.catch(function () {}));
        return cached;
      }
      return network;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (url.pathname.indexOf(SCOPE) === 0) { event.respondWith(navigate(request)); }
    return;
  }
  if (ASSETS.test(url.pathname)) { event.respondWith(asset(event)); }
});
