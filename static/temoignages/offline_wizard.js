/* Témoignages — the offline wizard: the six steps on one page (kept by the service
   worker), for a testimony typed without a connection.

   Everything typed is kept at once in this phone's IndexedDB (field_app.js queue: the
   text as one record, each photo or file as its own record), never in a cache. The
   page's address says which testimony it shows (#<id>), so "Reprendre" and "Corriger"
   come back to it. "Envoyer à la relecture" checks every step, puts the testimony in the
   queue, and sends it at once when there is a connection; otherwise it leaves by itself
   when the network is back.

   The steps use the wizard's own fields; the checks here mirror the server's (required
   fields, consent rules) so that a testimony rarely comes back "à corriger".
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

  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var MINOR_BRACKETS = { under_15: true, "15_17": true };
  var THUMB_SIZE = 160;

  var W = window.InfluenceWizard;
  var app = window.InfluenceFieldApp;

  var root, form, sections, lastStep;
  var item = null;
  var step = 1;
  var saving = Promise.resolve();

  function $(selector, scope) { return (scope || root).querySelector(selector); }
  function $all(selector, scope) { return Array.prototype.slice.call((scope || root).querySelectorAll(selector)); }

  function today() {
    var d = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function hhmm() {
    var d = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  // --- Keeping what is typed ------------------------------------------------------------

  function field(name) { return form.querySelector("[name='" + name + "']"); }

  function chosenForm() {
    var checked = form.querySelector("input[name=collection_form]:checked");
    return checked ? checked.value : "";
  }

  function persist() {
    item.pending = true;
    var snapshot = item;
    saving = saving.then(function () { return app.queue.save(snapshot); }).then(function () {
      var status = $("[data-draft-status]");
      status.setAttribute("data-state", "saved");
      status.textContent = interpolate(gettext("Enregistré sur cet appareil %s"), [hhmm()]);
    }, function () {
      var status = $("[data-draft-status]");
      status.setAttribute("data-state", "error");
      status.textContent = gettext("Cet appareil n'a pas pu garder la saisie (plus de place ?).");
    });
    return saving;
  }

  function capture(number) {
    item.values[number] = W.collect(sections[number]);
    if (number === 1) { item.title = (item.values[1].title || "").trim(); }
  }

  function captureAll() {
    for (var number = 1; number <= 4; number++) { capture(number); }
  }

  function onEdit(event) {
    var section = event.target.closest("section[data-step]");
    if (!section || !item) { return; }
    var number = Number(section.getAttribute("data-step"));
    if (!(number >= 1 && number <= 4)) { return; }
    dependents();  // may fill or clear fields of later steps
    captureAll();
    if (item.state === "invalid") { item.state = "editing"; }
    clearErrors();
    persist();
  }

  // --- What depends on earlier steps -----------------------------------------------------

  function dependents() {
    // Step 2: the chosen form's questions, the narrative's language and direction.
    var chosen = chosenForm();
    var fold = $("[data-questions-fold]");
    var shown = null;
    $all("[data-form-questions]").forEach(function (group) {
      var on = group.getAttribute("data-form-questions") === chosen;
      group.hidden = !on;
      group.disabled = !on;
      if (on) { shown = group; }
    });
    if (fold) {
      fold.hidden = !shown;
      if (shown) { $("[data-form-name]", fold).textContent = shown.getAttribute("data-form-name"); }
    }
    var language = field("language");
    var code = language ? language.value : "";
    var label = language && language.selectedOptions[0] ? language.selectedOptions[0].textContent : "";
    $("[data-language-label]").textContent = label;
    $all("textarea[name=narrative], textarea[name=extracts]").forEach(function (area) {
      area.setAttribute("dir", code === "ar" ? "rtl" : "auto");
      if (code) { area.setAttribute("lang", code); }
    });
    var translation = field("translation_language");
    if (translation) {
      Array.prototype.forEach.call(translation.options, function (option) {
        option.disabled = option.value === code;
        option.hidden = option.value === code;
      });
      if (translation.value === code) {
        var other = Array.prototype.filter.call(translation.options, function (o) { return !o.disabled; })[0];
        if (other) { translation.value = other.value; }
      }
    }
    var explained = field("explained_in");
    if (explained && !explained.value && code) {
      try {
        explained.value = JSON.parse(explained.getAttribute("data-language-names"))[code] || "";
      } catch (e) { /* leave it empty */ }
    }
    // Step 4: a minor's consent (no named use, the guardian's and their own agreement).
    var minorBox = field("is_minor");
    var minor = !!(minorBox && minorBox.checked);
    $all("[data-minor-only]").forEach(function (el) { el.hidden = !minor; });
    $all("[data-adult-only]").forEach(function (el) {
      el.hidden = minor;
      if (minor) { $all("input[type=checkbox]", el).forEach(function (box) { box.checked = false; }); }
    });
    if (refreshFolds) { refreshFolds(); }
  }

  var refreshFolds = null;

  // --- Checks ---------------------------------------------------------------------------

  function labelOf(el) {
    var group = el.type === "radio" || (el.type === "checkbox" && form.querySelectorAll("[name='" + el.name + "']").length > 1);
    var label = null;
    if (group) {
      var fieldset = el.closest("fieldset");
      label = fieldset ? fieldset.querySelector("legend") : null;
    } else if (el.id) {
      label = form.querySelector("label[for='" + el.id + "']");
    }
    if (!label) { return el.name; }
    var copy = label.cloneNode(true);
    $all(".required-mark, .visually-hidden", copy).forEach(function (n) { n.remove(); });
    return copy.textContent.trim();
  }

  // Shown in its step (the step itself may be hidden: sending checks and reviews all).
  function inUse(el) {
    var hidden = el.closest("[hidden]");
    return !hidden || hidden.matches("section[data-step]");
  }

  function visibleFields(section) {
    return $all("input, select, textarea", section).filter(function (el) {
      return el.name && el.type !== "file" && el.type !== "button" && !el.matches(":disabled") &&
        inUse(el);
    });
  }

  function isChecked(name) {
    var el = field(name);
    return !!(el && el.checked && inUse(el));
  }

  function problems(number) {
    var section = sections[number];
    var found = [];
    var seen = {};
    visibleFields(section).forEach(function (el) {
      if (seen[el.name] || el.checkValidity()) { return; }
      seen[el.name] = true;
      found.push({ el: el, message: el.validationMessage });
    });
    function add(name, message) {
      var el = field(name);
      if (el && !seen[name]) { seen[name] = true; found.push({ el: el, message: message }); }
    }
    if (number === 3) {
      var bracket = field("age_bracket");
      if (bracket && MINOR_BRACKETS[bracket.value] && !isChecked("is_minor")) {
        add("is_minor", gettext("La tranche d'âge indique un mineur : cochez « Mineur » pour que les règles de protection s'appliquent."));
      }
    }
    if (number === 4) {
      if (!["scope_internal", "scope_external_anonymised", "scope_public_named"].some(isChecked)) {
        add("scope_internal", gettext("Cochez au moins une utilisation acceptée."));
      }
      if (!["element_text", "element_voice", "element_image", "element_name"].some(isChecked)) {
        add("element_text", gettext("Cochez au moins un élément accepté."));
      }
      if (isChecked("scope_public_named") && !isChecked("element_name")) {
        add("element_name", gettext("Une utilisation publique nominative suppose l'accord pour le nom."));
      }
      if (isChecked("interpreter_used") && !field("interpreter").value.trim()) {
        add("interpreter", gettext("Indiquez l'interprète (nom ou organisation)."));
      }
      if (isChecked("is_minor")) {
        if (!isChecked("guardian_consent")) {
          add("guardian_consent", gettext("Pour un mineur, l'accord d'un représentant légal ou d'un adulte de confiance est obligatoire."));
        } else if (!field("guardian_relationship").value.trim()) {
          add("guardian_relationship", gettext("Précisez qui a donné l'accord (tuteur, référent ASE, adulte de confiance…)."));
        }
        if (!isChecked("minor_agreement")) {
          add("minor_agreement", gettext("L'accord du mineur lui-même est obligatoire."));
        }
      }
    }
    return found;
  }

  function clearErrors() {
    $("[data-step-errors]").hidden = true;
    $all(".is-invalid", form).forEach(function (el) { el.classList.remove("is-invalid"); });
  }

  function showErrors(list) {
    var box = $("[data-step-errors]");
    var ul = $("[data-step-error-list]");
    ul.textContent = "";
    list.forEach(function (problem) {
      var li = document.createElement("li");
      if (problem.el) {
        problem.el.classList.add("is-invalid");
        var fold = problem.el.closest("details");
        if (fold) { fold.open = true; }
        li.textContent = labelOf(problem.el) + " : " + problem.message;
      } else {
        li.textContent = problem.message;
      }
      ul.appendChild(li);
    });
    box.hidden = !list.length;
    if (list.length) {
      box.scrollIntoView({ block: "center" });
      box.focus({ preventScroll: true });
    }
  }

  // Refusals the server sent back ("à corriger"), shown on their step.
  function serverProblems(number) {
    return (item.errors || []).filter(function (error) { return error.step === number; }).map(function (error) {
      var el = null;
      if (error.field) {
        el = field(error.field) || form.querySelector("[name$='-" + error.field + "']");
      }
      return { el: el, message: error.message };
    });
  }

  // --- Steps ----------------------------------------------------------------------------

  function show(number, quiet) {
    step = number;
    var queued = number === "queued";
    Object.keys(sections).forEach(function (key) { sections[key].hidden = String(key) !== String(number); });
    $all("[data-step-title-text]").forEach(function (el) {
      el.hidden = el.getAttribute("data-step-title-text") !== String(number);
    });
    var current = queued ? lastStep : number;
    $("[data-step-count]").textContent = current;
    var progress = $("[data-progress]");
    progress.setAttribute("aria-valuenow", current);
    progress.setAttribute("aria-valuetext", interpolate(gettext("Étape %(n)s sur %(total)s"), { n: current, total: lastStep }, true));
    // The width classes of app.css go by fives (CSP: no style attributes).
    $("[data-progress-bar]").className = "progress-bar w-pct-" + Math.round(20 * current / lastStep) * 5;
    $all("[data-step-item]").forEach(function (li) {
      var n = Number(li.getAttribute("data-step-item"));
      li.className = n === current && !queued ? "current" : (n < current || queued ? "done" : "");
      if (n === current && !queued) { li.setAttribute("aria-current", "step"); } else { li.removeAttribute("aria-current"); }
    });
    $("[data-prev]").hidden = queued || number === 1;
    $("[data-prev-placeholder]").hidden = !(queued || number === 1);
    $("[data-next]").hidden = queued || number === lastStep;
    $("[data-send]").hidden = number !== lastStep;
    $("[data-draft-status]").hidden = queued;
    $("[data-discard-row]").hidden = queued || !item.created;
    clearErrors();
    if (number === lastStep) { review(); }
    if (!queued) { showErrors(serverProblems(number)); }
    if (!queued && item.step !== number) {
      item.step = number;
      if (item.created) { persist(); }
    }
    if (!quiet) {
      window.scrollTo(0, 0);
      $("[data-step-title]").focus({ preventScroll: true });
    }
  }

  function next() {
    var found = problems(step);
    if (found.length) { showErrors(found); return; }
    ensureCreated();
    show(step + 1);
  }

  function prev() { show(step - 1); }

  function send() {
    for (var number = 1; number < lastStep; number++) {
      var found = problems(number);
      if (found.length) { show(number); showErrors(found); return; }
    }
    ensureCreated();
    captureAll();
    item.state = "queued";
    item.errors = [];
    persist().then(function () {
      show("queued");
      return app.render();
    }).then(function () {
      root.setAttribute("data-queued", item.uuid);
      app.sendAll();
    });
  }

  function ensureCreated() {
    if (!item.created) {
      item.created = new Date().toISOString();
      captureAll();
      persist();
    }
  }

  // --- Review (step 6) ------------------------------------------------------------------

  function valueText(el, values) {
    if (el.type === "radio" || el.type === "checkbox") {
      var group = $all("[name='" + el.name + "']", form).filter(function (box) { return box.checked; });
      if (el.type === "checkbox" && group.length <= 1 && form.querySelectorAll("[name='" + el.name + "']").length === 1) {
        return el.checked ? gettext("Oui") : "";
      }
      return group.map(function (box) {
        var label = form.querySelector("label[for='" + box.id + "']");
        return label ? label.textContent.trim() : box.value;
      }).join(", ");
    }
    if (el.tagName === "SELECT") {
      return Array.prototype.filter.call(el.options, function (o) { return o.selected && o.value; })
        .map(function (o) { return o.textContent.trim(); }).join(", ");
    }
    if (el.name === "extracts") {
      return W.asList(values.extracts).filter(function (v) { return v.trim(); }).map(function (v) { return "« " + v.trim() + " »"; }).join(" ");
    }
    return el.value.trim();
  }

  function review() {
    var box = $("[data-review]");
    box.textContent = "";
    for (var number = 1; number <= 5; number++) {
      var block = document.createElement("section");
      block.className = "review-block";
      var heading = document.createElement("h2");
      heading.className = "h6";
      heading.textContent = $("[data-step-title-text='" + number + "']").textContent + " ";
      var edit = document.createElement("button");
      edit.type = "button";
      edit.className = "btn btn-link btn-sm p-0 align-baseline";
      edit.textContent = gettext("Modifier");
      edit.addEventListener("click", show.bind(null, number));
      heading.appendChild(edit);
      block.appendChild(heading);
      var list = document.createElement("dl");
      list.className = "review-list";
      var values = number <= 4 ? W.collect(sections[number]) : {};
      var seen = {};
      if (number === 2 && !String(values.translation_text || "").trim()) {
        seen.translation_language = true;  // no translation: its language says nothing
      }
      visibleFields(sections[number]).forEach(function (el) {
        if (seen[el.name] || number === 5) { return; }
        seen[el.name] = true;
        var text = valueText(el, values);
        if (!text) { return; }
        var dt = document.createElement("dt");
        dt.textContent = labelOf(el);
        var dd = document.createElement("dd");
        dd.setAttribute("dir", "auto");
        dd.textContent = text;
        list.appendChild(dt);
        list.appendChild(dd);
      });
      if (number === 5) {
        var dt = document.createElement("dt");
        dt.textContent = gettext("Fichiers");
        var dd = document.createElement("dd");
        var count = item.media.length;
        dd.textContent = count
          ? interpolate(ngettext("%s fichier gardé sur cet appareil", "%s fichiers gardés sur cet appareil", count), [count])
          : gettext("Aucun média.");
        list.appendChild(dt);
        list.appendChild(dd);
      }
      block.appendChild(list);
      box.appendChild(block);
    }
  }

  // --- Photos and files (step 5) ----------------------------------------------------------

  function thumbnail(file) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) { return Promise.resolve(""); }
    return window.createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, THUMB_SIZE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL("image/jpeg", 0.7);
    }).catch(function () { return ""; });
  }

  function kindOf(type) {
    if (/^image\//.test(type)) { return gettext("Photo"); }
    if (/^audio\//.test(type)) { return gettext("Audio"); }
    if (/^video\//.test(type)) { return gettext("Vidéo"); }
    return gettext("Document");
  }

  function sizeText(bytes) {
    if (bytes >= 1024 * 1024) { return (bytes / 1024 / 1024).toFixed(1) + " Mo"; }
    return Math.max(1, Math.round(bytes / 1024)) + " ko";
  }

  function renderMedia() {
    var list = $("[data-media-list]");
    list.textContent = "";
    item.media.forEach(function (media, index) {
      var li = document.createElement("li");
      li.className = "media-item";
      if (media.thumb) {
        var img = document.createElement("img");
        img.className = "media-thumb";
        img.src = media.thumb;
        img.alt = media.caption || gettext("Photo sans légende");
        li.appendChild(img);
      } else {
        var icon = document.createElement("span");
        icon.className = "media-icon";
        icon.setAttribute("aria-hidden", "true");
        icon.textContent = kindOf(media.type).slice(0, 1);
        li.appendChild(icon);
      }
      var meta = document.createElement("span");
      meta.className = "media-meta";
      meta.textContent = kindOf(media.type) + " · " + sizeText(media.size);
      if (media.caption) {
        var caption = document.createElement("span");
        caption.className = "d-block";
        caption.setAttribute("dir", "auto");
        caption.textContent = media.caption;
        meta.appendChild(caption);
      }
      li.appendChild(meta);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-outline-danger btn-sm";
      remove.textContent = gettext("Retirer");
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + kindOf(media.type) + " " + (index + 1);
      remove.appendChild(hidden);
      remove.addEventListener("click", function () {
        if (!window.confirm(gettext("Retirer ce fichier ? Il est effacé de cet appareil."))) { return; }
        app.queue.removeFile(media.uuid).then(function () {
          item.media = item.media.filter(function (m) { return m.uuid !== media.uuid; });
          renderMedia();
          persist();
        });
      });
      li.appendChild(remove);
      list.appendChild(li);
    });
    $("[data-media-empty]").hidden = item.media.length > 0;
  }

  function addMedia() {
    var photo = field("media-photo");
    var other = field("media-file");
    var caption = field("media-caption");
    var feedback = $("[data-media-feedback]");
    var file = (photo.files && photo.files[0]) || (other.files && other.files[0]);
    if (!file) {
      feedback.textContent = gettext("Prenez une photo ou choisissez un fichier.");
      return;
    }
    feedback.textContent = "";
    ensureCreated();
    var media = {
      uuid: app.newUuid(),
      name: file.name || "photo.jpg",
      type: file.type,
      size: file.size,
      caption: caption.value.trim()
    };
    thumbnail(file).then(function (thumb) {
      media.thumb = thumb;
      return app.queue.putFile(media.uuid, file);
    }).then(function () {
      item.media.push(media);
      photo.value = "";
      other.value = "";
      caption.value = "";
      renderMedia();
      return persist();
    }).catch(function () {
      feedback.textContent = gettext("Ce fichier n'a pas pu être gardé sur cet appareil (plus de place ?).");
    });
  }

  // --- Start ----------------------------------------------------------------------------

  function blankItem() {
    return {
      uuid: app.newUuid(),
      owner: app.config().user,
      state: "editing",
      step: 1,
      values: {},
      media: [],
      created: ""
    };
  }

  function load() {
    var wanted = window.location.hash.slice(1);
    var found = UUID.test(wanted) ? app.queue.get(wanted) : Promise.resolve(null);
    return found.then(function (stored) {
      item = stored && stored.state !== "sent" ? stored : blankItem();
      item.values = item.values || {};
      item.media = item.media || [];
      if (!item.created) {
        // A page kept for days must still start today.
        ["collected_on", "given_on"].forEach(function (name) {
          var el = field(name);
          if (el) { el.value = today(); }
        });
      }
      $all("input[type=date]").forEach(function (el) {
        if (el.name === "collected_on" || el.name === "given_on") { el.max = today(); }
      });
      for (var number = 1; number <= 4; number++) {
        if (item.values[number]) { W.applyValues(sections[number], item.values[number]); }
      }
      if (window.location.hash.slice(1) !== item.uuid) {
        window.history.replaceState(null, "", "#" + item.uuid);
      }
      dependents();
      renderMedia();
      if (item.state === "queued" || item.state === "sending") {
        show("queued", true);
        return app.render();
      }
      show(Number(item.step) || 1, true);
    });
  }

  // Once this testimony has left the phone, the page says so.
  function followSending() {
    app.queue.get(item.uuid).then(function (stored) {
      if (!stored || stored.state !== "sent" || step !== "queued") { return; }
      $all("[data-step-title-text]").forEach(function (el) {
        el.hidden = el.getAttribute("data-step-title-text") !== "sent";
      });
    });
  }

  function connection() {
    $("[data-connection-note]").hidden = navigator.onLine;
    $all("[data-when-offline]").forEach(function (el) { el.hidden = navigator.onLine; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.querySelector("[data-offline-wizard]");
    if (!root || !W || !app) { return; }
    form = $("form[data-offline-form]");
    lastStep = Number(root.getAttribute("data-last-step"));
    sections = {};
    $all("section[data-step]", form).forEach(function (section) {
      sections[section.getAttribute("data-step")] = section;
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    $("[data-next]").addEventListener("click", next);
    $("[data-prev]").addEventListener("click", prev);
    $("[data-send]").addEventListener("click", send);
    $("[data-add-media]").addEventListener("click", addMedia);
    $("[data-discard]").addEventListener("click", function () {
      if (!window.confirm(gettext("Effacer ce témoignage de cet appareil ? Il n'a pas été envoyé : il sera perdu."))) { return; }
      app.queue.remove(item).then(function () {
        window.location.assign(root.getAttribute("data-home-url"));
      });
    });
    W.initExtracts(sections[2], sections[2]);
    W.initFormChoice(sections[1]);
    refreshFolds = W.initFolds(sections[2]);
    window.addEventListener("online", connection);
    window.addEventListener("offline", connection);
    connection();
    document.addEventListener("influence:queue-changed", function () {
      if (item) { followSending(); }
    });
    app.ready.then(load).then(function () {
      root.setAttribute("data-ready", "1");
    });
  });
})();
