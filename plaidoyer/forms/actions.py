"""Forms of advocacy actions: the action itself, a deliverable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from influence.models import KeyMessage, Objective

from ..models import AdvocacyAction
from .common import DateInput, StakeholderPicker, default_country, unit_people


class ActionForm(StakeholderPicker, forms.ModelForm):
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("idea", _("Idée")), ("planned", _("Planifiée"))],
        initial="idea",
        help_text=_("Ensuite, l'action avance avec les boutons de sa page."),
    )

    class Meta:
        model = AdvocacyAction
        fields = [
            "title",
            "kind",
            "description",
            "country",
            "themes",
            "objective",
            "key_messages",
            "target_stakeholders",
            "target_organisations",
            "audience",
            "start_on",
            "due_on",
            "owner",
            "budget_line",
            "budget_planned",
            "budget_spent",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
            "start_on": DateInput(),
            "due_on": DateInput(),
            "key_messages": forms.SelectMultiple(attrs={"size": 6}),
            "target_organisations": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "target_stakeholders": _("Les personnes visées ; cherchez-en ci-dessous."),
            "budget_spent": _(
                "Une dépense au-delà du budget prévu est acceptée, avec un avertissement."
            ),
        }

    def __init__(self, *args, countries, stakeholders, organisations, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["status"]
        self.fields["country"].queryset = countries
        self.fields["owner"].queryset = unit_people()
        self.fields["objective"].queryset = Objective.objects.select_related(
            "strategy__country"
        ).order_by("strategy__scope", "title")
        self.fields["objective"].label_from_instance = _objective_label
        self.fields["key_messages"].queryset = KeyMessage.objects.exclude(
            status=KeyMessage.Status.RETIRED
        ).select_related("theme", "country")
        self.fields["key_messages"].label_from_instance = _message_label
        self.fields["target_organisations"].queryset = organisations.filter(
            archived_at__isnull=True
        )
        self.fields["budget_line"].queryset = budget_lines
        initial_ids = self.initial.get("target_stakeholders") or []
        if self.instance.pk and not initial_ids:
            initial_ids = list(self.instance.target_stakeholders.values_list("pk", flat=True))
        self.setup_stakeholder_picker(
            "target_stakeholders",
            stakeholders,
            self.data if self.is_bound else None,
            [getattr(p, "pk", p) for p in initial_ids],
        )
        if not self.instance.pk and not self.initial.get("country"):
            self.initial["country"] = default_country(countries)


class DeliverableForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, image ou texte ; 25 Mo au plus."),
    )


def _objective_label(objective) -> str:
    where = objective.strategy.country.name if objective.strategy.country_id else _("Unité")
    return f"{objective.title} ({where})"


def _message_label(message) -> str:
    where = message.country.code if message.country_id else _("cadre")
    return f"{message.theme.name} · {where} · {message.first_line}"
