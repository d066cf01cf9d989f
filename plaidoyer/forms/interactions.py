"""Forms of interactions, follow-ups and positions."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FollowUp, Interaction, Position
from .common import DateInput, StakeholderPicker, default_country, unit_people


class InteractionForm(StakeholderPicker, forms.ModelForm):
    follow_up_description = forms.CharField(
        label=_("Suite à donner (facultatif)"), max_length=300, required=False
    )
    follow_up_owner = forms.ModelChoiceField(
        label=_("Responsable de la suite"), queryset=unit_people(), required=False
    )
    follow_up_due = forms.DateField(
        label=_("Échéance de la suite"), required=False, widget=DateInput()
    )

    class Meta:
        model = Interaction
        fields = [
            "kind",
            "occurred_on",
            "title",
            "country",
            "stakeholders",
            "organisations",
            "participants",
            "coalition",
            "summary",
            "asks",
            "answers",
            "sensitivity",
        ]
        widgets = {
            "occurred_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "asks": forms.Textarea(attrs={"rows": 3}),
            "answers": forms.Textarea(attrs={"rows": 3}),
            "participants": forms.CheckboxSelectMultiple,
            "organisations": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "stakeholders": _(
                "Cochez les personnes rencontrées ; cherchez-en d'autres ci-dessous."
            ),
        }

    def __init__(
        self,
        *args,
        countries,
        stakeholders,
        organisations,
        coalitions,
        with_follow_up=True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["organisations"].queryset = organisations.filter(archived_at__isnull=True)
        self.fields["organisations"].required = False
        self.fields["participants"].queryset = unit_people()
        self.fields["coalition"].queryset = coalitions
        initial_ids = self.initial.get("stakeholders") or []
        if self.instance.pk and not initial_ids:
            initial_ids = list(self.instance.stakeholders.values_list("pk", flat=True))
        self.setup_stakeholder_picker(
            "stakeholders",
            stakeholders,
            self.data if self.is_bound else None,
            [getattr(p, "pk", p) for p in initial_ids],
        )
        if not self.instance.pk and not self.initial.get("country"):
            self.initial["country"] = default_country(countries)
        if not with_follow_up:
            for name in ("follow_up_description", "follow_up_owner", "follow_up_due"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        description = cleaned.get("follow_up_description")
        if description:
            if not cleaned.get("follow_up_owner"):
                self.add_error("follow_up_owner", _("Qui s'en charge ?"))
            if not cleaned.get("follow_up_due"):
                self.add_error("follow_up_due", _("Pour quand ?"))
        if not cleaned.get("stakeholders") and not cleaned.get("organisations"):
            self.add_error(None, _("Indiquez au moins un interlocuteur ou une organisation."))
        return cleaned

    def split(self) -> tuple[dict, list[dict]]:
        """(the interaction's data, its first follow-ups) for the service."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("follow_up_")}
        follow_ups = []
        if self.cleaned_data.get("follow_up_description"):
            follow_ups.append(
                {
                    "description": self.cleaned_data["follow_up_description"],
                    "owner": self.cleaned_data["follow_up_owner"],
                    "due_on": self.cleaned_data["follow_up_due"],
                }
            )
        return data, follow_ups


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = unit_people()


_ITEM_REF = re.compile(r"(?:/veille/articles/)?(\d+)/?$")


class PositionForm(forms.ModelForm):
    item_ref = forms.CharField(
        label=_("Article de veille"),
        required=False,
        max_length=300,
        help_text=_("Son adresse dans l'intranet (…/veille/articles/123/) ou son numéro."),
    )

    class Meta:
        model = Position
        fields = ["theme", "support", "stated_on", "source", "interaction", "source_detail"]
        widgets = {"stated_on": DateInput()}

    def __init__(self, *args, interactions, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["interaction"].queryset = interactions
        self.fields["interaction"].help_text = _(
            "Si la position a été exprimée lors d'un échange avec nous."
        )

    def clean_item_ref(self):
        ref = self.cleaned_data["item_ref"].strip()
        if not ref:
            return None
        match = _ITEM_REF.search(ref)
        item = self.items.filter(pk=int(match.group(1))).first() if match else None
        if item is None:
            raise forms.ValidationError(
                _("Article introuvable : collez l'adresse de sa page dans la veille.")
            )
        return item

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "item_ref"}
        data["item"] = self.cleaned_data.get("item_ref")
        return data
