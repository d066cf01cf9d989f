"""Forms of the submission wizard, one per step.

Each step form has a *lenient* mode (every field optional) used by the autosave and by
"Précédent": whatever is valid is saved, nothing typed is refused for being incomplete.
"Suivant" validates the step strictly. Required questions of the form are checked again
at submission by the service.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.models import Theme

from .. import conf
from ..models import CollectionForm, Testimony
from ..selectors import collection_sites, form_offered_at, forms_for_collection
from .questions import add_question_fields
from .records import ConsentForm, DateInput, MediaUploadForm

STEPS = [
    (1, _("Contexte")),
    (2, _("Récit")),
    (3, _("Profil")),
    (4, _("Consentement")),
    (5, _("Médias")),
    (6, _("Relire et envoyer")),
]
STEP_TITLES = {
    1: _("Contexte"),
    2: _("Récit"),
    3: _("Profil pseudonymisé"),
    4: _("Consentement"),
    5: _("Médias"),
    6: _("Relire et envoyer"),
}
LAST_STEP = 6

# Countries most often crossed on the routes the unit works on, offered first.
FREQUENT_ROUTE_COUNTRIES = (
    "LY", "TN", "DZ", "MA", "NE", "ML", "SD", "TD", "ER", "ET", "EG", "SN", "MR",
    "IT", "MT", "ES", "GR", "FR", "BE", "GB", "DE",
)  # fmt: skip
MINOR_BRACKETS = frozenset({Testimony.AgeBracket.UNDER_15, Testimony.AgeBracket.AGE_15_17})


class LenientMixin:
    """`lenient=True` makes every field optional (autosave, going back)."""

    def make_lenient(self) -> None:
        for field in self.fields.values():
            field.required = False


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Cette date est dans le futur."), code="future")


# The value of "free narrative, no form" in the form choice.
NO_FORM = "aucun"
# What `ContextForm.chosen_form()` returns when the form is left as it is.
FORM_UNCHANGED = object()


class FormChoiceWidget(forms.RadioSelect):
    """The offered forms as radio buttons. Each option lists the sites its form is used
    at (`data-sites`, empty: everywhere) so the page script can show only the forms of
    the chosen site; the server checks it again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites_by_value: dict[str, list[int]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        sites = self.sites_by_value.get(str(value))
        if sites is not None:
            option["attrs"]["data-sites"] = " ".join(str(pk) for pk in sites)
        return option


class ContextForm(LenientMixin, forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, empty_label=None)
    collected_on = forms.DateField(
        label=_("Date du recueil"),
        widget=DateInput(),
        validators=[_not_in_future],
        help_text=_("Le jour de l'entretien (pas dans le futur)."),
    )
    language = forms.ChoiceField(
        label=_("Langue du récit"),
        choices=settings.CONTENT_LANGUAGES,
        help_text=_("La langue dans laquelle vous écrirez le récit."),
    )
    collection_form = forms.ChoiceField(
        label=_("Formulaire"),
        required=False,
        widget=FormChoiceWidget,
        error_messages={
            "required": _("Choisissez un formulaire, ou « Récit libre, sans formulaire »."),
        },
    )
    title = forms.CharField(
        label=_("Titre court (facultatif)"),
        max_length=160,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("Quelques mots sans nom ni lieu précis, pour le retrouver dans vos listes."),
    )

    def __init__(self, *args, user, testimony: Testimony | None = None, lenient=False, **kw):
        super().__init__(*args, **kw)
        self.user = user
        self.testimony = testimony
        self.fields["site"].queryset = collection_sites(user)
        self.offered_forms = list(forms_for_collection(user))
        self._forms_by_value = {str(f.pk): f for f in self.offered_forms}
        current = testimony.form_version.form if testimony and testimony.form_version_id else None
        if current is not None and str(current.pk) not in self._forms_by_value:
            # The draft's form is no longer offered (archived, moved): it stays possible.
            self._forms_by_value[str(current.pk)] = current
        choice = self.fields["collection_form"]
        choice.choices = [
            *((value, f.name) for value, f in self._forms_by_value.items()),
            (NO_FORM, _("Récit libre, sans formulaire")),
        ]
        choice.widget.sites_by_value = {
            value: [site.pk for site in f.sites.all()] for value, f in self._forms_by_value.items()
        }
        # Choosing a form is deliberate: nothing is preselected for a new testimony.
        choice.required = bool(self._forms_by_value) and not lenient
        if testimony is None:
            choice.help_text = _(
                "Le formulaire qui correspond à l'histoire recueillie. Si aucun ne convient, "
                "choisissez le récit libre."
            )
        elif testimony.form_can_change:
            choice.help_text = _(
                "Vous pouvez en changer tant que le témoignage n'a pas été envoyé : le récit "
                "et les réponses déjà saisies sont gardés."
            )
        else:
            choice.disabled = True
            choice.help_text = _(
                "Ce témoignage a été envoyé à la relecture avec ce formulaire : il le garde."
            )
        today = timezone.localdate()
        # The browser says at once what the service refuses (see collection_date_error).
        self.fields["collected_on"].widget.attrs.update(
            {"min": conf.earliest_collection_date().isoformat(), "max": today.isoformat()}
        )
        if testimony is not None:
            self.initial.update(
                {
                    "client_uuid": testimony.client_uuid,
                    "site": testimony.site_id,
                    "collected_on": testimony.collected_on,
                    "language": testimony.language,
                    "collection_form": str(current.pk) if current else NO_FORM,
                    "title": testimony.title,
                }
            )
        else:
            self.initial.setdefault("collected_on", today)
            self.initial.setdefault("language", "fr")
        if lenient:
            self.make_lenient()
            self.fields["client_uuid"].required = True

    @property
    def offers_a_choice(self) -> bool:
        return bool(self._forms_by_value)

    def chosen_form(self):
        """The CollectionForm chosen, None for a free narrative, or FORM_UNCHANGED when
        nothing was chosen (autosave of a half-filled step) or the form is fixed."""
        field = self.fields["collection_form"]
        value = self.cleaned_data.get("collection_form", "")
        if field.disabled or "collection_form" in self.errors:
            return FORM_UNCHANGED
        if value == NO_FORM:
            return None
        if not value:
            return FORM_UNCHANGED if self.offers_a_choice else None
        return self._forms_by_value[value]

    def clean(self):
        data = super().clean()
        site = data.get("site")
        form = self.chosen_form() if "collection_form" in data else FORM_UNCHANGED
        if site and isinstance(form, CollectionForm) and not form_offered_at(form, site):
            self.add_error(
                "collection_form",
                _("Ce formulaire n'est pas utilisé sur le site « %(site)s ».") % {"site": site},
            )
        return data


class ExtractsWidget(forms.Widget):
    """Several text boxes with the same name; rendered by the step template."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name, [])
        return value if isinstance(value, list) else [value]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class ExtractsField(forms.Field):
    widget = ExtractsWidget
    max_items = 20
    max_length = 1000

    def to_python(self, value):
        values = [v.strip() for v in (value or []) if isinstance(v, str) and v.strip()]
        return values

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_items:
            raise forms.ValidationError(
                _("%(n)s extraits au maximum.") % {"n": self.max_items}, code="too_many"
            )
        for item in value:
            if len(item) > self.max_length:
                raise forms.ValidationError(
                    _("Un extrait fait au plus %(n)s caractères : gardez une citation courte.")
                    % {"n": self.max_length},
                    code="too_long",
                )


class NarrativeForm(LenientMixin, forms.Form):
    narrative = forms.CharField(
        label=_("Récit"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Dans la langue de la personne, avec ses mots. Pas de nom, pas d'adresse : "
            "l'identité, si elle est nécessaire, va dans le registre séparé."
        ),
    )
    translation_language = forms.ChoiceField(
        label=_("Langue de la traduction"), choices=(), required=False
    )
    translation_text = forms.CharField(
        label=_("Texte traduit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    extracts = ExtractsField(label=_("Extraits utilisables"), required=False)
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, testimony: Testimony | None, questions=(), lenient=False, **kwargs):
        """`testimony=None` gives the blank step of the offline wizard (the page script
        sets the narrative's language and direction from step 1)."""
        super().__init__(*args, **kwargs)
        self.testimony = testimony
        language = testimony.language if testimony is not None else ""
        narrative = self.fields["narrative"].widget
        narrative.attrs["dir"] = "rtl" if language == "ar" else "auto"
        if language:
            narrative.attrs["lang"] = language
        self.fields["translation_language"].choices = [
            (code, label) for code, label in settings.CONTENT_LANGUAGES if code != language
        ]
        self.previous_translation = ""
        if testimony is not None:
            translations = {t.language: t.text for t in testimony.translations.all()}
            other = [code for code in translations if code != language]
            default_translation = other[0] if other else ("fr" if language != "fr" else "en")
            self.initial.update(
                {
                    "narrative": testimony.narrative,
                    "translation_language": default_translation,
                    "translation_text": translations.get(default_translation, ""),
                    "extracts": [e.text for e in testimony.extracts.all()],
                    "themes": [t.pk for t in testimony.themes.all()],
                }
            )
            self.previous_translation = default_translation if other else ""
        self.question_names = add_question_fields(
            self,
            list(questions),
            answers=testimony.answers if testimony is not None else None,
            also_in=language if language in ("ar", "en") else "",
            lenient=lenient,
        )
        if lenient:
            self.make_lenient()

    def question_fields(self):
        return [self[name] for name in self.question_names]

    def folds(self) -> dict[str, dict]:
        """What each folded part of the step holds, for its summary line (the page
        script keeps it up to date while typing) and whether it starts open: a part
        with an error is open, and the questions while none is answered or a required
        one waits for its answer."""
        errors = set(self.errors) if self.is_bound else set()
        questions = [self[name] for name in self.question_names]
        answered = sum(1 for field in questions if _has_value(field.value()))
        required_left = sum(
            1 for field in questions if field.field.required and not _has_value(field.value())
        )
        extracts = [e for e in (self["extracts"].value() or []) if e and str(e).strip()]
        themes = [t for t in (self["themes"].value() or []) if t]
        translation = str(self["translation_text"].value() or "").strip()
        return {
            "questions": {
                "answered": answered,
                "total": len(questions),
                "open": bool(required_left or answered == 0 or errors & set(self.question_names)),
            },
            "themes": {"count": len(themes), "open": "themes" in errors},
            "extracts": {"count": len(extracts), "open": "extracts" in errors},
            "translation": {
                "filled": bool(translation),
                "open": bool(errors & {"translation_language", "translation_text"}),
            },
        }

    def clean(self):
        data = super().clean()
        if data.get("translation_text", "").strip() and not data.get("translation_language"):
            self.add_error("translation_language", _("Indiquez la langue de la traduction."))
        return data

    def translations_update(self) -> dict[str, str] | None:
        """What to pass as `translations` to the draft service (None: leave as is)."""
        data = self.cleaned_data
        if "translation_text" not in data or "translation_language" not in data:
            return None
        language = data.get("translation_language") or ""
        text = data.get("translation_text", "")
        update: dict[str, str] = {}
        if self.previous_translation and self.previous_translation != language:
            update[self.previous_translation] = ""
        if language:
            update[language] = text
        return update


def _has_value(value) -> bool:
    if isinstance(value, list | tuple):
        return any(_has_value(v) for v in value)
    return value not in (None, "", False)


class QuestionsForm(forms.Form):
    """One form's questions on their own, with a prefix: the offline wizard holds the
    questions of every form of the officer's sites and shows those of the chosen one.
    Its fields are named "f<form>-q_<key>"; field_app.js sends them as "q_<key>"."""

    def __init__(self, *args, collection_form: CollectionForm, questions, **kwargs):
        kwargs.setdefault("prefix", f"f{collection_form.pk}")
        super().__init__(*args, **kwargs)
        self.collection_form = collection_form
        self.question_names = add_question_fields(self, list(questions))

    def question_fields(self):
        return [self[name] for name in self.question_names]


def _route_choices():
    names = dict(countries)
    frequent = [(code, names[code]) for code in FREQUENT_ROUTE_COUNTRIES if code in names]
    others = sorted(
        ((code, name) for code, name in names.items() if code not in FREQUENT_ROUTE_COUNTRIES),
        key=lambda c: c[1],
    )
    return [
        (_("Pays fréquents sur les routes"), sorted(frequent, key=lambda c: c[1])),
        (_("Tous les autres pays"), others),
    ]


class ProfileForm(LenientMixin, forms.Form):
    age_bracket = forms.ChoiceField(
        label=_("Tranche d'âge"),
        choices=Testimony.AgeBracket.choices,
        help_text=_("L'âge déclaré par la personne, même s'il est contesté."),
    )
    is_minor = forms.BooleanField(
        label=_("Mineur (ou se déclarant mineur)"),
        required=False,
        help_text=_(
            "Cochez aussi pour un jeune dont la minorité est contestée : les règles de "
            "protection des mineurs s'appliquent alors au consentement."
        ),
    )
    gender = forms.ChoiceField(label=_("Genre"), choices=Testimony.Gender.choices)
    nationality = forms.ChoiceField(label=_("Nationalité"), required=False, choices=())
    administrative_status = forms.ChoiceField(
        label=_("Situation administrative"), choices=Testimony.AdministrativeStatus.choices
    )
    route_countries = forms.MultipleChoiceField(
        label=_("Pays traversés"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Maintenez Ctrl (ou ⌘) pour en choisir plusieurs sur un ordinateur."),
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensibilité"),
        choices=Testimony.Sensitivity.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "« Strictement confidentiel » : usage interne uniquement (personne facilement "
            "reconnaissable, risque pour elle ou pour nos opérations). « Confidentiel » : "
            "jamais public. « Interne » : peut sortir, une fois caviardé et approuvé."
        ),
    )

    def __init__(self, *args, testimony: Testimony | None, lenient=False, **kwargs):
        super().__init__(*args, **kwargs)
        by_name = sorted(dict(countries).items(), key=lambda c: c[1])
        self.fields["nationality"].choices = [("", _("Non précisée")), *by_name]
        self.fields["route_countries"].choices = _route_choices()
        if testimony is None:
            testimony = Testimony()  # the blank step: the model's defaults
        self.initial.update(
            {
                "age_bracket": testimony.age_bracket,
                "is_minor": testimony.is_minor,
                "gender": testimony.gender,
                "nationality": testimony.nationality.code or "",
                "administrative_status": testimony.administrative_status,
                "route_countries": [c.code for c in testimony.route_countries],
                "sensitivity": testimony.sensitivity,
            }
        )
        if lenient:
            self.make_lenient()

    def clean(self):
        data = super().clean()
        if data.get("age_bracket") in MINOR_BRACKETS and not data.get("is_minor"):
            self.add_error(
                "is_minor",
                _(
                    "La tranche d'âge indique un mineur : cochez « Mineur » pour que les "
                    "règles de protection s'appliquent."
                ),
            )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {}
        for name in (
            "age_bracket",
            "gender",
            "administrative_status",
            "sensitivity",
            "nationality",
        ):
            if name in data and (data[name] or name == "nationality"):
                kwargs[name] = data[name]
        if "is_minor" in data and "is_minor" not in self.errors:
            kwargs["is_minor"] = data["is_minor"]
        if "route_countries" in data:
            kwargs["route_countries"] = list(data["route_countries"])
        return kwargs


class WizardConsentForm(ConsentForm):
    """The records' consent checklist, with the wizard's defaults and one more refusal: a
    request that still asks for named use of a minor is refused, not silently cut.

    `testimony=None` is the blank step of the offline wizard: every field is there and
    the page script shows the minor's or the adult's ones after step 3."""

    def __init__(self, *args, testimony: Testimony | None, **kwargs):
        super().__init__(*args, testimony=testimony, **kwargs)
        if testimony is None:
            del self.fields["signed_form"]  # joined once online (one consent record per file)
            self.fields["explained_in"].widget.attrs["data-language-names"] = json.dumps(
                {code: str(label).lower() for code, label in settings.CONTENT_LANGUAGES},
                ensure_ascii=False,
            )
            return
        consent = testimony.current_consent
        if consent is not None and consent.withdrawn_at is None and not self.is_bound:
            for name in self.fields:
                if name != "signed_form" and hasattr(consent, name):
                    self.initial[name] = getattr(consent, name)
        if not self.is_bound and not self.initial.get("explained_in"):
            self.initial["explained_in"] = str(
                dict(settings.CONTENT_LANGUAGES).get(testimony.language, "")
            ).lower()

    def clean(self):
        data = super().clean()
        if self.is_minor:
            for name in ("scope_public_named", "element_name"):
                if self.data.get(name) in ("on", "true", "1", "True"):
                    self.add_error(
                        None,
                        _(
                            "Un mineur ne peut jamais être cité nommément en public, ni par "
                            "son nom : cette utilisation est refusée."
                        ),
                    )
                    break
        return data


class WizardMediaForm(MediaUploadForm):
    """Step 5: a photo taken with the camera (`capture`) or any file from the device.

    `media_uuid` is the file's id on a phone that kept it offline (a resend of the
    same file adds nothing)."""

    photo = forms.FileField(
        label=_("Prendre une photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Ouvre l'appareil photo du téléphone."),
    )
    media_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    field_order = ["photo", "file", "caption", "media_uuid"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False
        self.fields["file"].label = _("Ou choisir un fichier")

    def clean(self):
        data = super().clean()
        if not (data.get("photo") or data.get("file")) and not self.errors:
            self.add_error("file", _("Prenez une photo ou choisissez un fichier."))
        return data

    @property
    def upload(self):
        return self.cleaned_data.get("photo") or self.cleaned_data.get("file")
