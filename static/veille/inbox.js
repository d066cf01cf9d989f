/* Veille inbox: keyboard triage, focus that follows the triage, bulk selection.
   The page works without this file (plain forms and links); this makes it fast. */
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
    if (event.key === "Escape" && closeMenu()) {
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
        var link = row && row.querySelector("[data-open]");
        if (!link) { return; }
        window.location.href = link.href;
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

  document.addEventListener("DOMContentLoaded", updateBulk);
})();
