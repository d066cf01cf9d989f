/* Influence — small progressive enhancements. Pages work without this file. */
(function () {
  "use strict";
  // Strings go through Django's JavaScript catalogue (djangojs domain).
  var gettext = window.gettext || function (s) { return s; };
  var fmt = window.interpolate || function (s) { return s; };

  // Destructive forms may ask before submitting: <form data-confirm="…">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);

  // Logging out clears what the app kept on the device: see device.js.

  // "/" focuses the header search box (unless the person is already typing somewhere).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
    var box = document.getElementById("site-search-q");
    if (!box) { return; }
    event.preventDefault();
    var collapse = box.closest(".navbar-collapse");
    if (collapse && !collapse.classList.contains("show") && window.getComputedStyle(collapse).display === "none") {
      collapse.classList.add("show");
    }
    box.focus();
    box.select();
  });

  // Copy buttons: <button data-copy="#id-of-input">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) { return; }
    field.select();
    var done = function () { button.textContent = gettext("Copié"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });

  // Tables that stack on phones (.table-stack in app.css): each cell carries the name of its
  // column (data-label), taken from the header without its hidden or decorative parts.
  function headerLabel(th) {
    var copy = th.cloneNode(true);
    copy.querySelectorAll("[aria-hidden=true], .visually-hidden").forEach(function (el) { el.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  function labelTable(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      var label = headerLabel(th);
      for (var i = 0; i < (th.colSpan || 1); i++) { labels.push(label); }
    });
    var bodies = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) { bodies.push(table.tFoot); }  // totals rows stack like the others
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column];
          if (label && !cell.hasAttribute("data-label") && cell.getAttribute("scope") !== "row") {
            cell.setAttribute("data-label", label);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }
  function labelTables(root) {
    if (!root || !root.querySelectorAll) { return; }
    var own = root.closest && root.closest("table.table-stack");
    if (own) { labelTable(own); }
    root.querySelectorAll("table.table-stack").forEach(labelTable);
  }
  document.addEventListener("DOMContentLoaded", function () { labelTables(document); });
  document.addEventListener("htmx:load", function (event) { labelTables(event.target); });

  // Put keyboard focus on the error summary so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".form-error-summary");
    if (summary) { summary.focus(); }
  });

  // htmx: never let a failed request go unnoticed.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("htmx-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "htmx-error";
      box.className = "alert alert-danger position-fixed bottom-0 end-0 m-3";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    var status = event.detail.xhr ? event.detail.xhr.status : "";
    box.textContent = fmt(
      gettext("L'action a échoué (%s). Rechargez la page et réessayez."), [status]);
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("htmx-error") || document.createElement("div");
    box.id = "htmx-error";
    box.className = "alert alert-warning position-fixed bottom-0 end-0 m-3";
    box.setAttribute("role", "alert");
    box.textContent = gettext("Pas de connexion : l'action n'a pas été envoyée.");
    document.body.appendChild(box);
  });
})();
