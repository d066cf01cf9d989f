/* Veille inbox: keyboard triage, focus that follows the triage, bulk selection, the
   reading pane and the compact density.
   The page works without this file (plain forms and links); this makes it fast.
   - o / Enter on a story opens the reading pane: beside the list on wide screens, under
     the story on narrower ones; j / k move to the next story with the pane open (it
     follows), r / d / a triage the story it shows, Escape closes it and gives the focus
     back to the story.
   - "Affichage compact" hides snippets and tags; the choice is kept in a cookie so the
     server renders the list that way next time. */
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var fmt = window.interpolate || function (s, a) { return s.replace("%s", a[0]); };

  var focusedId = null;    // id of the focused row ("story-123")
  var advanceFrom = null;  // row id whose triage action should move focus to the next row

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-story]"));
  }

  function focusRow(row, scroll) {
    if (!row) { return; }
    rows().forEach(function (r) { r.classList.remove("row-focused"); });
    row.classList.add("row-focused");
    focusedId = row.id;
    row.focus({ preventScroll: true });
    if (scroll !== false) { row.scrollIntoView({ block: "nearest" }); }
  }

  function currentRow() {
    var row = focusedId && document.getElementById(focusedId);
    if (row) { return row; }
    var active = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("[data-story]");
    return active || null;
  }

  function move(step) {
    var list = rows();
    if (!list.length) { return; }
    var row = currentRow();
    var index = row ? list.indexOf(row) : -1;
    var next = index < 0 ? list[0] : list[Math.max(0, Math.min(list.length - 1, index + step))];
    focusRow(next);
    if (readingId && next.id !== readingId) { openReader(next, false); }
  }

  // --- Reading pane -------------------------------------------------------------------

  var WIDE = window.matchMedia("(min-width: 1200px)");
  var readingId = null;  // id of the story shown in the pane

  function pane() { return document.getElementById("reader-pane"); }

  function placePane(row) {
    var box = pane();
    var layout = document.querySelector("[data-reading]");
    var side = document.querySelector("[data-reader-side]");
    var holder = document.getElementById("reader-row");
    if (WIDE.matches) {
      if (box.parentNode !== side) { side.appendChild(box); }
      if (holder) { holder.remove(); }
      layout.classList.add("is-reading");
      return;
    }
    layout.classList.remove("is-reading");
    if (!holder) {
      holder = document.createElement("li");
      holder.id = "reader-row";
      holder.className = "list-group-item reader-row";
    }
    row.after(holder);
    holder.appendChild(box);
  }

  function openReader(row, takeFocus) {
    var url = row && row.getAttribute("data-read-url");
    var box = pane();
    if (!url || !box || !window.htmx) { return false; }
    readingId = row.id;
    rows().forEach(function (r) {
      r.classList.toggle("is-read-here", r === row);
    });
    placePane(row);
    box.hidden = false;
    box.setAttribute("aria-busy", "true");
    if (!box.firstElementChild) {
      var waiting = document.createElement("p");
      waiting.className = "small text-body-secondary mb-0";
      waiting.textContent = gettext("Chargement…");
      box.appendChild(waiting);
    }
    // The pane is the request's source: htmx marks it busy, not the whole page (with the
    // body as source, the results' own "Chargement…" showed above the list).
    window.htmx.ajax("GET", url, { source: box, target: box, swap: "innerHTML" }).then(function () {
      box.removeAttribute("aria-busy");
      var article = box.querySelector(".reader");
      if (takeFocus !== false && article) { article.focus(); }
      if (!WIDE.matches) { row.scrollIntoView({ block: "nearest" }); }
    });
    return true;
  }

  // The pane goes back to its place, empty (before the results are replaced, or closed).
  function resetReader() {
    var box = pane();
    readingId = null;
    rows().forEach(function (r) { r.classList.remove("is-read-here"); });
    if (!box) { return; }
    box.hidden = true;
    box.innerHTML = "";
    var side = document.querySelector("[data-reader-side]");
    if (side && box.parentNode !== side) { side.appendChild(box); }
    var holder = document.getElementById("reader-row");
    if (holder) { holder.remove(); }
    var layout = document.querySelector("[data-reading]");
    if (layout) { layout.classList.remove("is-reading"); }
  }

  function closeReader() {
    if (!readingId) { return false; }
    var row = document.getElementById(readingId);
    resetReader();
    if (row) { focusRow(row); }
    return true;
  }

  WIDE.addEventListener("change", function () {
    var row = readingId && document.getElementById(readingId);
    if (row) { placePane(row); }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "inbox-results") { resetReader(); }
  });

  // --- Compact density ----------------------------------------------------------------

  function setupDensity() {
    var toggle = document.querySelector("[data-density-toggle]");
    if (!toggle) { return; }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var compact = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", compact ? "true" : "false");
      document.querySelectorAll("[data-story-list]").forEach(function (list) {
        list.classList.toggle("is-compact", compact);
      });
      document.cookie = "inbox_density=" + (compact ? "compact" : "comfortable") +
        "; path=/; max-age=31536000; SameSite=Lax";
    });
  }

  function typing(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function showHelp() {
    var modal = document.getElementById("shortcuts-help");
    if (modal && window.bootstrap) { window.bootstrap.Modal.getOrCreateInstance(modal).show(); }
  }

  // Escape closes the open menu (importance, themes, countries) and gives the focus back
  // to the button that opened it.
  function closeMenu() {
    var active = document.activeElement;
    var menu = (active && active.closest && active.closest("details.menu-details[open]")) ||
      document.querySelector("details.menu-details[open]");
    if (!menu) { return false; }
    menu.removeAttribute("open");
    var summary = menu.querySelector("summary");
    if (summary) { summary.focus(); }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Escape" && (closeMenu() || (!typing(event.target) && closeReader()))) {
      event.preventDefault();
      return;
    }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    if (document.querySelector(".modal.show")) { return; }
    var row = currentRow();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "r": case "d": case "a": {
        var button = row && row.querySelector('[data-shortcut="' + event.key + '"]');
        if (!button) { return; }
        button.click();
        break;
      }
      case "x": {
        var box = row && row.querySelector("[data-select]");
        if (!box) { return; }
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
        break;
      }
      case "o": case "Enter": {
        if (event.key === "Enter" && event.target !== row) { return; }
        if (!row) { return; }
        if (!openReader(row)) {
          var link = row.querySelector("[data-open]");
          if (!link) { return; }
          window.location.href = link.href;
        }
        break;
      }
      case "/": {
        var search = document.querySelector('input[name="q"][form="inbox-filters"]');
        if (!search) { return; }
        search.focus();
        search.select();
        break;
      }
      case "?": showHelp(); break;
      default: return;
    }
    event.preventDefault();
  });

  // A click on a row (outside its controls) focuses it.
  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-reader-close]");
    if (close) { closeReader(); return; }
    // The pane's triage buttons act on the story it shows, like r / d / a.
    var action = event.target.closest && event.target.closest("[data-reader-action]");
    if (action) {
      var shown = readingId && document.getElementById(readingId);
      var button = shown && shown.querySelector(
        '[data-shortcut="' + action.getAttribute("data-reader-action") + '"]');
      if (button) { button.click(); }
      return;
    }
    var row = event.target.closest && event.target.closest("[data-story]");
    if (row && !event.target.closest("a, button, input, label, summary, details")) {
      focusRow(row, false);
    }
    // A triage action: the next row takes the focus once the row is updated.
    var advance = event.target.closest && event.target.closest("[data-advance]");
    if (advance) {
      var owner = advance.closest("[data-story]");
      advanceFrom = owner ? owner.id : null;
    }
    // Close the other <details> menus.
    document.querySelectorAll("details.menu-details[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (advanceFrom) {
      var updated = document.getElementById(advanceFrom);
      advanceFrom = null;
      if (updated) {
        var list = rows();
        var next = list[list.indexOf(updated) + 1] || updated;
        focusRow(next);
        if (readingId) { openReader(next, false); }
        return;
      }
    }
    if (target && target.id === "inbox-results") {
      focusedId = null;
      updateBulk();
    } else if (focusedId && document.getElementById(focusedId)) {
      document.getElementById(focusedId).classList.add("row-focused");
    }
  });

  // Bulk selection: the bar says how many stories are selected.
  function updateBulk() {
    var bar = document.querySelector("[data-bulk-bar]");
    if (!bar) { return; }
    var boxes = document.querySelectorAll("[data-select]");
    var checked = document.querySelectorAll("[data-select]:checked").length;
    var count = bar.querySelector("[data-bulk-count]");
    if (count) {
      count.textContent = checked
        ? fmt(ngettext("%s sujet sélectionné", "%s sujets sélectionnés", checked), [checked])
        : gettext("Cochez des sujets (ou x) pour agir sur plusieurs à la fois.");
    }
    bar.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = checked === 0;
    });
    bar.classList.toggle("is-empty", checked === 0);
    var all = bar.querySelector("[data-select-all]");
    if (all) {
      all.checked = checked > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-select-all]")) {
      document.querySelectorAll("[data-select]").forEach(function (box) {
        box.checked = target.checked;
      });
      updateBulk();
    } else if (target.matches && target.matches("[data-select]")) {
      updateBulk();
    } else if (target.form && target.form.id === "inbox-filters" &&
               !document.getElementById("inbox-filters").contains(target)) {
      // Fields placed outside the filter form (sort) submit it too.
      target.form.requestSubmit();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    updateBulk();
    setupDensity();
  });
})();
