/* Témoignages — the offline home (a page the service worker keeps): says whether the
   network is back, and when another page of the app was asked for without a
   connection (the worker answers with this page), that it needs the network. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var home = document.querySelector("[data-offline-home]");
    if (!home) { return; }
    var here = window.location.pathname;
    var unavailable = home.querySelector("[data-unavailable]");
    unavailable.hidden = here === home.getAttribute("data-self-url") ||
      here === home.getAttribute("data-home-url");
    function update() {
      home.querySelector("[data-when-offline]").hidden = navigator.onLine;
      home.querySelector("[data-when-online]").hidden = !navigator.onLine;
    }
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    update();
  });
})();
