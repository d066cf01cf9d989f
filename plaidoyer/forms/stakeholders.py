"""Forms of organisations and stakeholders: edit, merge, erase, position."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Organisation, Stakeholder
from .common import default_country, score_field, unit_people


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind", "country", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        if not self.instance.pk and not self.initial.get("country"):
            self.initial["country"] = default_country(countries)


class StakeholderForm(forms.ModelForm):
    influence = score_field(
        _("Influence (1-5)"), _("Son pouvoir sur les décisions qui nous importent (5 = décisif).")
    )
    interest = score_field(
        _("Intérêt (1-5)"), _("L'attention qu'il ou elle porte à nos sujets (5 = très forte).")
    )
    alignment = score_field(_("Alignement (1-5)"), _("1 = opposé à nos positions, 5 = allié."))

    class Meta:
        model = Stakeholder
        fields = [
            "full_name",
            "function",
            "organisation",
            "country",
            "email",
            "phone",
            "languages",
            "influence",
            "interest",
            "alignment",
            "owner",
            "can_restrict_operations",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, countries, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["organisation"].queryset = organisations.filter(archived_at__isnull=True)
        self.fields["owner"].queryset = unit_people()
        if not self.instance.pk and not self.initial.get("country"):
            self.initial["country"] = default_country(countries)


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label=_("Fiche en double à fusionner dans celle-ci"),
        queryset=Stakeholder.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la fiche en double.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = candidates
        self.fields["duplicate"].label_from_instance = lambda s: (
            f"{s.full_name} — {s.function or '—'} · {s.organisation.name} · {s.country.name}"
        )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("La personne a demandé l'effacement de ses données (ou il est dû)."),
        error_messages={"required": _("Cochez la case pour confirmer la demande.")},
    )
