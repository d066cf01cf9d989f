/* Témoignages — the submission wizard's safety net.

   Every step is a plain form that works without this file. With it:
   - what is typed is copied at once into localStorage, keyed by the user and the
     draft's client id (the same id the server uses to never create two testimonies);
   - steps 1–3 of a draft that exists on the server are autosaved (POST with the header
     "X-Autosave: 1"; the server saves whatever is valid and answers JSON);
   - "✓ Brouillon enregistré 14:02" is always visible, and "hors ligne — enregistré sur
     cet appareil" when the connection drops (offline event or a failed save);
   - back online, or when the page is opened again, unsaved changes are restored from
     the device and sent to the server;
   - going to the next step while offline is held back instead of losing the page;
   - "Ajouter comme extrait" turns the text selected in the narrative into an extract;
   - step 1 shows only the forms used at the chosen site; step 2's folded parts say
     what they hold ("Répondu : 2 sur 5") while typing.
   The copy on the device is removed once the testimony is sent or the draft deleted;
   it counts as unsent work (`pending`) for the logout warning (js/device.js).
   The offline wizard (offline_wizard.js) reuses the form helpers: window.InfluenceWizard.
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

  var PREFIX = "influence:temoignages:";
  var AUTOSAVE_DELAY = 1000;
  var SERVER_STEPS = { "1": true, "2": true, "3": true };

  // --- Storage on the device ------------------------------------------------------------

  var storage = (function () {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  })();

  function draftKey(user, uuid) { return PREFIX + user + ":draft:" + uuid; }
  function indexKey(user) { return PREFIX + user + ":drafts"; }

  function readJSON(key) {
    if (!storage) { return null; }
    try { return JSON.parse(storage.getItem(key)); } catch (e) { return null; }
  }

  function writeJSON(key, value) {
    if (!storage) { return false; }
    try { storage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }

  function readIndex(user) {
    var index = readJSON(indexKey(user));
    return Array.isArray(index) ? index : [];
  }

  function loadDraft(user, uuid) {
    var draft = readJSON(draftKey(user, uuid)) || {};
    draft.uuid = uuid;
    draft.steps = draft.steps || {};
    draft.dirty = draft.dirty || {};
    draft.rev = draft.rev || 0;
    return draft;
  }

  function saveDraft(user, draft) {
    draft.pending = dirtySteps(draft).length > 0;
    var ok = writeJSON(draftKey(user, draft.uuid), draft);
    var index = readIndex(user);
    if (index.indexOf(draft.uuid) === -1) {
      index.push(draft.uuid);
      writeJSON(indexKey(user), index);
    }
    return ok;
  }

  function removeDraft(user, uuid) {
    if (!storage) { return; }
    storage.removeItem(draftKey(user, uuid));
    writeJSON(indexKey(user), readIndex(user).filter(function (u) { return u !== uuid; }));
  }

  function dirtySteps(draft) {
    return Object.keys(draft.dirty || {}).filter(function (s) { return draft.dirty[s]; });
  }

  function hhmm(date) {
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  // --- Form values ----------------------------------------------------------------------

  function isTracked(el) {
    return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "nav" &&
      el.type !== "file" && el.type !== "submit" && el.type !== "button" && !el.disabled &&
      !(el.matches && el.matches(":disabled"));  // also inside a disabled fieldset
  }

  // The fields of a form, or of any part of a page (a step of the offline wizard).
  function fieldsOf(container) {
    return container.elements || container.querySelectorAll("input, select, textarea");
  }

  function collect(form) {
    var values = {};
    var counts = {};
    Array.prototype.forEach.call(fieldsOf(form), function (el) {
      if (isTracked(el)) { counts[el.name] = (counts[el.name] || 0) + 1; }
    });
    Array.prototype.forEach.call(fieldsOf(form), function (el) {
      if (!isTracked(el)) { return; }
      var name = el.name;
      if (el.type === "checkbox" || el.type === "radio") {
        if (!values[name]) { values[name] = []; }
        if (el.checked) { values[name].push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else if (counts[name] > 1) {
        if (!values[name]) { values[name] = []; }
        values[name].push(el.value);
      } else {
        values[name] = el.value;
      }
    });
    return values;
  }

  function asList(value) {
    if (Array.isArray(value)) { return value; }
    return value === undefined || value === null ? [] : [value];
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function differsFromForm(form, stored) {
    var current = collect(form);
    return Object.keys(stored).some(function (name) {
      if (name === "extracts") {
        var clean = function (v) { return asList(v).filter(function (x) { return x.trim(); }); };
        return !same(clean(current[name]), clean(stored[name]));
      }
      return !same(asList(current[name]), asList(stored[name]));
    });
  }

  function applyValues(form, values) {
    Object.keys(values).forEach(function (name) {
      if (name === "client_uuid") { return; }
      if (name === "extracts") { setExtracts(form, asList(values[name])); return; }
      var wanted = asList(values[name]);
      var elements = Array.prototype.filter.call(fieldsOf(form), function (el) {
        return el.name === name && isTracked(el);
      });
      elements.forEach(function (el, i) {
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = wanted.indexOf(el.value) !== -1;
        } else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) {
            o.selected = wanted.indexOf(o.value) !== -1;
          });
        } else {
          el.value = elements.length > 1 ? (wanted[i] || "") : (wanted[0] || "");
        }
      });
    });
  }

  function toFormData(form, values) {
    var data = new FormData();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { data.append("csrfmiddlewaretoken", token.value); }
    Object.keys(values).forEach(function (name) {
      asList(values[name]).forEach(function (v) { data.append(name, v); });
    });
    return data;
  }

  // --- Extracts -------------------------------------------------------------------------

  function extractRow(list, text, number, template) {
    var row = document.createElement("div");
    row.className = "extract-row mb-2";
    var id = "id_extract_js_" + Date.now() + "_" + number;
    var label = document.createElement("label");
    label.className = "form-label small";
    label.htmlFor = id;
    label.textContent = interpolate(gettext("Extrait %s"), [number]);
    var area = document.createElement("textarea");
    area.name = "extracts";
    area.id = id;
    area.rows = 2;
    area.className = "form-control";
    if (template) {
      area.setAttribute("dir", template.getAttribute("dir") || "auto");
      if (template.getAttribute("lang")) { area.setAttribute("lang", template.getAttribute("lang")); }
    }
    area.value = text;
    row.appendChild(label);
    row.appendChild(area);
    return row;
  }

  function setExtracts(form, texts) {
    var list = form.querySelector("[data-extract-list]");
    if (!list) { return; }
    var newRow = list.querySelector("[data-extract-new]");
    var template = newRow ? newRow.querySelector("textarea") : null;
    Array.prototype.forEach.call(list.querySelectorAll(".extract-row"), function (row) {
      if (row !== newRow) { row.remove(); }
    });
    var kept = texts.filter(function (t) { return t && t.trim(); });
    kept.forEach(function (text, i) {
      list.insertBefore(extractRow(list, text, i + 1, template), newRow);
    });
    if (template) { template.value = ""; }
  }

  function addExtract(form, text) {
    var list = form.querySelector("[data-extract-list]");
    var newRow = list.querySelector("[data-extract-new]");
    var template = newRow.querySelector("textarea");
    var count = list.querySelectorAll(".extract-row").length;
    var row = extractRow(list, text, count, template);
    list.insertBefore(row, newRow);
    var fold = list.closest("details");
    if (fold) { fold.open = true; }
    row.querySelector("textarea").dispatchEvent(new Event("input", { bubbles: true }));
    return row;
  }

  function initExtracts(root, form) {
    var tools = root.querySelector("[data-extract-tools]");
    var narrative = form.querySelector("textarea[name=narrative]");
    if (!tools || !narrative) { return; }
    tools.hidden = false;
    var feedback = tools.querySelector("[data-extract-feedback]");
    tools.querySelector("[data-add-extract]").addEventListener("click", function () {
      var start = narrative.selectionStart;
      var end = narrative.selectionEnd;
      var text = narrative.value.substring(start, end).trim();
      if (!text) {
        feedback.className = "form-text text-danger d-block";
        feedback.textContent = gettext("Sélectionnez d'abord un passage du récit.");
        narrative.focus();
        return;
      }
      addExtract(form, text);
      feedback.className = "form-text text-success d-block";
      feedback.textContent = gettext("Extrait ajouté à la liste ci-dessous.");
    });
  }

  // Step 1: only the forms used at the chosen site (each option says where: data-sites).
  function initFormChoice(form) {
    var site = form.querySelector("select[name=site]");
    var options = form.querySelectorAll("input[name=collection_form][data-sites]");
    if (!site || !options.length) { return; }
    function update() {
      Array.prototype.forEach.call(options, function (input) {
        var sites = input.getAttribute("data-sites").split(" ").filter(Boolean);
        var offered = !sites.length || sites.indexOf(site.value) !== -1;
        var row = input.closest("div") || input;
        row.hidden = !offered;
        if (!offered && input.checked) {
          input.checked = false;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    }
    site.addEventListener("change", update);
    update();
  }

  // Step 2: each folded part says what it holds.
  function foldStatus(fold) {
    var kind = fold.getAttribute("data-fold");
    var fields = Array.prototype.filter.call(fold.querySelectorAll("input, select, textarea"),
      function (el) { return isTracked(el) && !el.closest("[hidden]"); });
    var values = collect({ elements: fields });
    var filled = function (name) {
      return asList(values[name]).some(function (v) { return String(v).trim(); });
    };
    if (kind === "questions") {
      var names = Object.keys(values);
      var answered = names.filter(filled).length;
      return interpolate(gettext("Répondu : %(n)s sur %(total)s"), { n: answered, total: names.length }, true);
    }
    if (kind === "themes") {
      var themes = asList(values.themes).length;
      return themes ? interpolate(ngettext("%s thème choisi", "%s thèmes choisis", themes), [themes])
        : gettext("Aucun thème choisi");
    }
    if (kind === "extracts") {
      var extracts = asList(values.extracts).filter(function (v) { return v.trim(); }).length;
      return extracts ? interpolate(ngettext("%s extrait", "%s extraits", extracts), [extracts])
        : gettext("Aucun extrait");
    }
    if (kind === "translation") {
      return filled("translation_text") ? gettext("Remplie") : gettext("Aucune");
    }
    return "";
  }

  function initFolds(container) {
    var folds = container.querySelectorAll("details[data-fold]");
    function update() {
      Array.prototype.forEach.call(folds, function (fold) {
        var status = fold.querySelector("[data-fold-status]");
        if (status) { status.textContent = foldStatus(fold); }
      });
    }
    container.addEventListener("input", update);
    container.addEventListener("change", update);
    update();
    return update;
  }

  function initTranslationDirection(form) {
    var select = form.querySelector("select[name=translation_language]");
    var area = form.querySelector("textarea[name=translation_text]");
    if (!select || !area) { return; }
    function update() {
      area.setAttribute("dir", select.value === "ar" ? "rtl" : "auto");
      if (select.value) { area.setAttribute("lang", select.value); }
    }
    select.addEventListener("change", update);
    update();
  }

  // --- Talking to the server ------------------------------------------------------------

  function postStep(url, form, values) {
    return fetch(url, {
      method: "POST",
      body: toFormData(form, values),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "manual",
      headers: { "X-Autosave": "1", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  // Step 1 of the draft typed on this device as `uuid` (its content is restored there).
  function startUrl(base, uuid) {
    return base + "?draft=" + encodeURIComponent(uuid);
  }

  // --- The wizard page ------------------------------------------------------------------

  function initWizard(root) {
    var user = root.getAttribute("data-user");
    var uuid = root.getAttribute("data-client-uuid");
    var step = root.getAttribute("data-step");
    var pk = root.getAttribute("data-pk");
    var template = root.getAttribute("data-step-url-template");
    var form = root.querySelector("form[data-wizard-form]");
    var statusEl = document.getElementById("draft-status");
    var offlineMessage = document.getElementById("offline-message");
    if (!form || !uuid || !user) { return; }
    var tracked = !form.hasAttribute("data-no-autosave");
    var autosave = root.getAttribute("data-autosave") === "1" && tracked && !!template;
    var timer = null;
    var saving = false;
    var lastSaved = statusEl ? statusEl.getAttribute("data-saved-label") || "" : "";

    var draft = loadDraft(user, uuid);
    if (pk) { draft.pk = pk; }
    draft.reference = root.getAttribute("data-reference") || draft.reference || "";
    draft.title = root.getAttribute("data-title") || draft.title || "";
    draft.template = template || draft.template || "";
    draft.startUrl = startUrl(root.getAttribute("data-start-url"), uuid);

    function persist() { return saveDraft(user, draft); }

    function setStatus(state, time) {
      if (!statusEl) { return; }
      statusEl.setAttribute("data-state", state);
      var text;
      if (state === "saved") {
        text = "✓ " + interpolate(gettext("Brouillon enregistré %s"), [time || hhmm(new Date())]);
      } else if (state === "offline") {
        text = gettext("hors ligne — enregistré sur cet appareil");
      } else if (state === "local") {
        text = interpolate(gettext("Enregistré sur cet appareil %s"), [time || hhmm(new Date())]);
      } else if (state === "saving") {
        text = gettext("Enregistrement…");
      } else if (state === "error") {
        text = gettext("Le serveur n'a pas pu enregistrer — votre saisie est gardée sur cet appareil");
      } else {
        return;
      }
      statusEl.textContent = text;
    }

    function stepUrl(s) { return draft.template.replace("{step}", s); }

    // Send every step that has unsaved changes (autosavable steps only), one by one.
    function resync() {
      if (!draft.pk || !draft.template || saving) { return Promise.resolve(); }
      var pending = dirtySteps(draft).filter(function (s) { return SERVER_STEPS[s] && draft.steps[s]; });
      if (!pending.length) { return Promise.resolve(); }
      saving = true;
      setStatus("saving");
      var chain = Promise.resolve(true);
      pending.forEach(function (s) {
        chain = chain.then(function (ok) {
          if (!ok) { return false; }
          var rev = draft.rev;
          return postStep(stepUrl(s), form, draft.steps[s]).then(function (result) {
            if (result.status === 409) {
              removeDraft(user, uuid);
              if (result.body && result.body.redirect) { window.location.assign(result.body.redirect); }
              return false;
            }
            if (result.status !== 200 || !result.body.ok) {
              setStatus("error");
              return false;
            }
            // Cleared only if nothing was typed meanwhile, and the server took all of it.
            if (draft.rev === rev && !result.body.partial) { draft.dirty[s] = false; }
            persist();
            lastSaved = result.body.saved_at;
            setStatus("saved", lastSaved);
            return true;
          }, function () {
            setStatus("offline");
            return false;
          });
        });
      });
      return chain.then(function () { saving = false; }, function () { saving = false; });
    }

    function scheduleSave() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (navigator.onLine) { resync(); } else { setStatus("offline"); }
      }, AUTOSAVE_DELAY);
    }

    function onChange(event) {
      if (!tracked || (event.target && event.target.type === "file")) { return; }
      draft.steps[step] = collect(form);
      draft.dirty[step] = true;
      draft.rev += 1;
      draft.updated = new Date().toISOString();
      persist();
      if (!navigator.onLine) {
        setStatus("offline");
      } else if (autosave) {
        scheduleSave();
      } else {
        setStatus("local");
      }
    }

    // The step sent last time went through if the server now shows another step.
    if (draft.submittedStep && String(draft.submittedStep) !== String(step)) {
      draft.dirty[draft.submittedStep] = false;
    }
    draft.submittedStep = null;

    // Restore what this device has and the server does not.
    if (tracked && draft.dirty[step] && draft.steps[step] && differsFromForm(form, draft.steps[step])) {
      applyValues(form, draft.steps[step]);
      var notice = document.getElementById("draft-restored");
      if (notice) {
        notice.textContent = gettext(
          "Votre saisie a été restaurée depuis cet appareil : elle n'avait pas encore été enregistrée sur le serveur.");
        notice.classList.remove("d-none");
      }
    }
    persist();

    form.addEventListener("input", onChange);
    form.addEventListener("change", onChange);
    form.addEventListener("submit", function (event) {
      if (tracked) {
        draft.steps[step] = collect(form);
        draft.dirty[step] = true;
      }
      if (!navigator.onLine) {
        event.preventDefault();
        persist();
        setStatus("offline");
        if (offlineMessage) {
          offlineMessage.textContent = gettext(
            "Hors ligne : impossible de changer d'étape pour l'instant. Votre saisie est gardée sur cet appareil ; réessayez quand la connexion revient.");
          offlineMessage.classList.remove("d-none");
        }
        return;
      }
      draft.submittedStep = step;
      persist();
    });

    window.addEventListener("offline", function () { setStatus("offline"); });
    window.addEventListener("online", function () {
      if (offlineMessage) { offlineMessage.classList.add("d-none"); }
      if (dirtySteps(draft).length && draft.pk) {
        resync();
      } else if (dirtySteps(draft).length) {
        setStatus("local");
      } else if (lastSaved) {
        setStatus("saved", lastSaved);
      }
    });

    initExtracts(root, form);
    initTranslationDirection(form);
    initFormChoice(form);
    initFolds(form);

    if (!navigator.onLine) {
      setStatus("offline");
    } else if (dirtySteps(draft).length) {
      if (draft.pk) { resync(); } else { setStatus("local"); }
    }
    root.setAttribute("data-ready", "1");
  }

  // --- The field officer's home ---------------------------------------------------------

  function initHome(home) {
    var user = home.getAttribute("data-user");
    if (!storage || !user) { return; }
    var cleared = home.getAttribute("data-cleared-draft");
    if (cleared) { removeDraft(user, cleared); }
    var onServer = {};
    Array.prototype.forEach.call(home.querySelectorAll("[data-server-draft]"), function (row) {
      onServer[row.getAttribute("data-server-draft")] = row;
    });
    var section = home.querySelector("[data-local-drafts]");
    var list = home.querySelector("[data-local-draft-list]");
    readIndex(user).forEach(function (uuid) {
      var draft = readJSON(draftKey(user, uuid));
      if (!draft) { removeDraft(user, uuid); return; }
      var dirty = dirtySteps(draft).length > 0;
      if (draft.pk && onServer[uuid]) {
        var note = onServer[uuid].querySelector("[data-unsynced-note]");
        if (note && dirty) { note.hidden = false; }
        return;
      }
      if (draft.pk && !dirty) { removeDraft(user, uuid); return; }  // sent or deleted since
      if (!draft.pk && !dirty) { removeDraft(user, uuid); return; }
      section.hidden = false;
      var item = document.createElement("li");
      item.className = "list-group-item testimony-row";
      var main = document.createElement("div");
      main.className = "testimony-row-main";
      var title = document.createElement("span");
      title.className = "fw-semibold d-block";
      title.setAttribute("dir", "auto");
      var first = draft.steps && draft.steps["1"];
      title.textContent = draft.reference || (first && first.title) || gettext("Nouveau témoignage");
      var when = document.createElement("span");
      when.className = "d-block small text-body-secondary";
      when.textContent = draft.updated
        ? interpolate(gettext("Modifié sur cet appareil le %s"), [new Date(draft.updated).toLocaleString()])
        : "";
      main.appendChild(title);
      main.appendChild(when);
      var resume = document.createElement("a");
      resume.className = "btn btn-outline-primary";
      // The start address is rebuilt from the draft id (one kept by an older page may
      // name the draft with an earlier parameter).
      resume.href = draft.pk && draft.template
        ? draft.template.replace("{step}", "1")
        : startUrl(home.getAttribute("data-start-url"), uuid);
      resume.textContent = gettext("Reprendre");
      var forget = document.createElement("button");
      forget.type = "button";
      forget.className = "btn btn-outline-danger";
      forget.textContent = gettext("Effacer de cet appareil");
      forget.addEventListener("click", function () {
        if (window.confirm(gettext("Effacer ce brouillon de cet appareil ? Ce qui n'a pas été enregistré sur le serveur sera perdu."))) {
          removeDraft(user, uuid);
          item.remove();
          if (!list.children.length) { section.hidden = true; }
        }
      });
      item.appendChild(main);
      item.appendChild(resume);
      item.appendChild(forget);
      list.appendChild(item);
    });
  }

  // --- Done page: the draft has left the device -----------------------------------------

  function initDone(done) {
    var user = done.getAttribute("data-user");
    var uuid = done.getAttribute("data-clear-draft");
    if (user && uuid) { removeDraft(user, uuid); }
  }

  window.InfluenceWizard = {
    collect: collect,
    applyValues: applyValues,
    asList: asList,
    initExtracts: initExtracts,
    initTranslationDirection: initTranslationDirection,
    initFormChoice: initFormChoice,
    initFolds: initFolds
  };

  document.addEventListener("DOMContentLoaded", function () {
    var wizard = document.querySelector("[data-wizard]");
    if (wizard) { initWizard(wizard); }
    var home = document.querySelector("[data-field-home]");
    if (home) { initHome(home); }
    var done = document.querySelector("[data-clear-draft]");
    if (done) { initDone(done); }
  });
})();
