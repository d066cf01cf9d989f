"""Forms of the records side: consent, withdrawal, review, external version, identity,
media upload, retention and export. Views pass `cleaned_data` to the services and hand
service errors back with `add_service_errors`, so what was typed is always kept."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import ExportFormat

from .. import conf
from ..models import Audience, Consent, Testimony


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ConsentForm(forms.Form):
    """Consent as a checklist of uses and elements, with the consequences in plain words.

    For a minor, named public use and the name are not offered (and the form says why);
    the guardian's and the minor's own agreement are asked instead.
    """

    scope_internal = forms.BooleanField(
        label=_("Analyse interne"),
        required=False,
        help_text=_("Le témoignage nourrit nos analyses, sans sortir de l'unité."),
    )
    scope_external_anonymised = forms.BooleanField(
        label=_("Utilisation externe anonymisée"),
        required=False,
        help_text=_(
            "Une version sans nom ni détail identifiant peut être partagée avec des "
            "partenaires ou publiée."
        ),
    )
    scope_public_named = forms.BooleanField(
        label=_("Utilisation publique nominative"),
        required=False,
        help_text=_("La personne accepte d'être citée sous son nom, en public."),
    )
    element_text = forms.BooleanField(label=_("Le texte du récit"), required=False)
    element_voice = forms.BooleanField(label=_("Sa voix (enregistrements)"), required=False)
    element_image = forms.BooleanField(label=_("Son image (photos, vidéos)"), required=False)
    element_name = forms.BooleanField(label=_("Son nom"), required=False)
    method = forms.ChoiceField(label=_("Forme du consentement"), choices=Consent.Method.choices)
    given_on = forms.DateField(label=_("Donné le"), widget=DateInput())
    expires_on = forms.DateField(
        label=_("Expire le"),
        required=False,
        widget=DateInput(),
    )
    explained_in = forms.CharField(
        label=_("Langue dans laquelle le consentement a été expliqué"), max_length=60
    )
    interpreter_used = forms.BooleanField(label=_("Avec un·e interprète"), required=False)
    interpreter = forms.CharField(
        label=_("Interprète"),
        max_length=120,
        required=False,
        help_text=_("Nom ou organisation de l'interprète."),
    )
    guardian_consent = forms.BooleanField(
        label=_("Accord d'un représentant légal ou d'un adulte de confiance"), required=False
    )
    guardian_relationship = forms.CharField(
        label=_("Qui a donné cet accord"),
        max_length=120,
        required=False,
        help_text=_("Par ex. tuteur, référent ASE, éducateur, adulte de confiance."),
    )
    minor_agreement = forms.BooleanField(label=_("Accord du mineur lui-même"), required=False)
    signed_form = forms.FileField(
        label=_("Formulaire signé (photo ou PDF)"),
        required=False,
        help_text=_(
            "Stocké à part, hors de toute adresse publique ; les métadonnées des photos "
            "sont supprimées."
        ),
    )

    SCOPE_FIELDS = ("scope_internal", "scope_external_anonymised", "scope_public_named")
    ELEMENT_FIELDS = ("element_text", "element_voice", "element_image", "element_name")
    MINOR_FIELDS = ("guardian_consent", "guardian_relationship", "minor_agreement")

    def __init__(self, *args, testimony: Testimony | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.testimony = testimony
        self.fields["expires_on"].help_text = _(
            "Vide : %(months)s mois après la date du consentement."
        ) % {"months": conf.consent_default_months()}
        # None: not known yet (the blank offline wizard keeps every field).
        self.is_minor = testimony.is_minor if testimony is not None else None
        if self.is_minor:
            del self.fields["scope_public_named"]
            del self.fields["element_name"]
        elif self.is_minor is False:
            for name in self.MINOR_FIELDS:
                del self.fields[name]
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())

    def scope_fields(self):
        return [self[n] for n in self.SCOPE_FIELDS if n in self.fields]

    def element_fields(self):
        return [self[n] for n in self.ELEMENT_FIELDS if n in self.fields]

    def detail_fields(self):
        skip = set(self.SCOPE_FIELDS) | set(self.ELEMENT_FIELDS) | set(self.MINOR_FIELDS)
        return [self[n] for n in self.fields if n not in skip]

    def minor_fields(self):
        return [self[n] for n in self.MINOR_FIELDS if n in self.fields]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["signed_form"] = data.get("signed_form") or None
        for name in ("scope_public_named", "element_name"):
            data.setdefault(name, False)
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Restez factuel : ce motif est conservé avec le consentement."),
    )


class SafeguardingForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes de la revue de protection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Ce qui doit être corrigé"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("L'agent·e de terrain verra ce message avec le témoignage renvoyé."),
    )


class ExternalVersionForm(forms.Form):
    """The reviewer's redacted version, plus the external wording of each extract."""

    external_text = forms.CharField(
        label=_("Version externe (caviardée)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}),
        help_text=_(
            "Retirez noms, lieux précis, dates exactes et tout détail qui permettrait de "
            "reconnaître la personne. C'est cette version qui peut sortir de l'unité."
        ),
    )

    def __init__(self, *args, testimony: Testimony, **kwargs):
        super().__init__(*args, **kwargs)
        self.extracts = list(testimony.extracts.all())
        self.fields["external_text"].initial = testimony.external_text
        for extract in self.extracts:
            name = f"extract_{extract.pk}"
            self.fields[name] = forms.CharField(
                label=_("Extrait %(n)s pour l'externe") % {"n": extract.position + 1},
                required=False,
                initial=extract.external_text,
                widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            )

    def extract_pairs(self):
        return [(extract, self[f"extract_{extract.pk}"]) for extract in self.extracts]

    def extract_wordings(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data.get(f"extract_{e.pk}", "") for e in self.extracts}


class IdentityForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Personne déjà enregistrée (pseudonyme)"),
        max_length=20,
        required=False,
        help_text=_(
            "Pour relier ce témoignage à une personne qui a déjà témoigné, par ex. P-7K3M9Q."
        ),
    )
    full_name = forms.CharField(label=_("Nom"), max_length=200, required=False)
    contact = forms.CharField(
        label=_("Contact"),
        max_length=300,
        required=False,
        help_text=_("Téléphone, adresse ou structure qui permet de la joindre."),
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(k, "").strip() for k in ("pseudonym", "full_name", "contact")):
            raise ValidationError(_("Indiquez un pseudonyme existant, ou un nom et/ou un contact."))
        if data.get("pseudonym", "").strip() and (
            data.get("full_name", "").strip() or data.get("contact", "").strip()
        ):
            raise ValidationError(
                _("Soit un pseudonyme existant, soit une nouvelle identité : pas les deux.")
            )
        return data


class MediaUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "Photo (JPEG, PNG, WebP), audio, vidéo ou PDF. Le type est vérifié d'après le "
            "contenu ; les métadonnées des photos (GPS compris) sont supprimées."
        ),
    )
    caption = forms.CharField(
        label=_("Légende (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Sans nom ni lieu précis."),
    )


class RetentionForm(forms.Form):
    retention_date = forms.DateField(label=_("Conserver jusqu'au"), widget=DateInput())


class ExportForm(forms.Form):
    AUDIENCE_CHOICES = [
        ("metadata", _("Métadonnées seulement (sans texte)")),
        (Audience.INTERNAL, _("Usage interne (récit original)")),
        (Audience.PARTNERS, _("Partenaires (version caviardée)")),
        (Audience.PUBLIC, _("Public (version caviardée)")),
    ]
    export_format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    audience = forms.ChoiceField(label=_("Pour quel usage"), choices=AUDIENCE_CHOICES)

    def __init__(self, *args, allowed_audiences: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            c for c in self.AUDIENCE_CHOICES if c[0] in allowed_audiences
        ]
