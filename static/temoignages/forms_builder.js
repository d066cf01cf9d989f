/* Collection-forms builder: small comforts on top of plain forms.
   - after "Monter" / "Descendre" (a normal POST and reload), the keyboard focus comes
     back to the same button of the moved question, so it can be pressed again;
   - the "Choix proposés" box only shows for choice questions. */
(function () {
  "use strict";

  function restoreMoveFocus() {
    var moved = new URLSearchParams(window.location.search).get("moved");
    if (!moved || !/^\d+-(up|down)$/.test(moved)) { return; }
    var button = document.getElementById("move-" + moved);
    if (button && button.disabled) {
      // At the top (or bottom) now: the other direction is the useful one.
      var other = moved.endsWith("-up") ? moved.replace(/-up$/, "-down") : moved.replace(/-down$/, "-up");
      button = document.getElementById("move-" + other);
    }
    if (button) { button.focus(); }
    if (window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.delete("moved");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
  }

  function toggleChoices(form) {
    var kind = form.querySelector("select[name=kind]");
    var choices = form.querySelector("textarea[name=choices_text]");
    if (!kind || !choices) { return; }
    var group = choices.closest(".mb-3") || choices.parentNode;
    function update() {
      var show = kind.value === "single_choice" || kind.value === "multiple_choice";
      group.hidden = !show && !choices.value.trim() && !choices.classList.contains("is-invalid");
    }
    kind.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-question-form]"), toggleChoices);
  });
  // After "load": the browser has scrolled to #question-N by then and would otherwise
  // take the focus back to the page.
  window.addEventListener("load", restoreMoveFocus);
})();
