"""Forms of outcomes, lessons learned and budget lines."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from influence.models import Objective, ProgressMarker

from ..models import BudgetLine, Lesson, Outcome
from .common import DateInput, Picker, action_label, default_country, search_titles


class OutcomeForm(Picker, forms.ModelForm):
    markers = forms.ModelMultipleChoiceField(
        label=_("Marqueurs de progrès que ce résultat atteint"),
        queryset=ProgressMarker.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Cochez ceux qui correspondent : ils seront marqués atteints à la date du "
            "changement, avec ce résultat pour preuve, et leur objectif lié."
        ),
    )

    class Meta:
        model = Outcome
        fields = [
            "title",
            "description",
            "changed_by",
            "stakeholder",
            "organisation",
            "kind",
            "significance",
            "contribution",
            "contribution_detail",
            "evidence",
            "occurred_on",
            "country",
            "actions",
            "objectives",
        ]
        widgets = {
            "occurred_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "significance": forms.Textarea(attrs={"rows": 2}),
            "contribution_detail": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "objectives": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, countries, stakeholders, organisations, actions, **kwargs):
        super().__init__(*args, **kwargs)
        from .common import search_stakeholders, stakeholder_label

        data = self.data if self.is_bound else None
        self.fields["country"].queryset = countries
        self.fields["organisation"].queryset = organisations
        objectives = Objective.objects.select_related("strategy__country").order_by("title")
        self.fields["objectives"].queryset = objectives
        self.fields["objectives"].required = False
        self.fields["markers"].queryset = (
            ProgressMarker.objects.select_related("objective")
            .filter(objective__status=Objective.Status.ACTIVE)
            .order_by("objective__title", "position", "pk")
        )
        self.fields["markers"].label_from_instance = _marker_label
        instance = self.instance if self.instance.pk else None
        self.setup_picker(
            "stakeholder",
            stakeholders.select_related("organisation"),
            data,
            [instance.stakeholder_id] if instance else [],
            search=search_stakeholders,
            label=stakeholder_label,
            order="full_name",
        )
        self.setup_picker(
            "actions",
            actions,
            data,
            list(instance.actions.values_list("pk", flat=True))
            if instance
            else self.initial.get("actions", []),
            search=search_titles,
            label=action_label,
            order="-due_on",
        )
        if not self.instance.pk and not self.initial.get("country"):
            self.initial["country"] = default_country(countries)

    def service_data(self) -> tuple[dict, list]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "markers"}
        return data, list(self.cleaned_data.get("markers") or [])


class LessonForm(Picker, forms.ModelForm):
    class Meta:
        model = Lesson
        fields = [
            "title",
            "what_worked",
            "what_did_not",
            "to_repeat",
            "country",
            "themes",
            "actions",
        ]
        widgets = {
            "what_worked": forms.Textarea(attrs={"rows": 3}),
            "what_did_not": forms.Textarea(attrs={"rows": 3}),
            "to_repeat": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, countries, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        instance = self.instance if self.instance.pk else None
        self.setup_picker(
            "actions",
            actions,
            self.data if self.is_bound else None,
            list(instance.actions.values_list("pk", flat=True))
            if instance
            else self.initial.get("actions", []),
            search=search_titles,
            label=action_label,
            order="-due_on",
        )
        if not self.instance.pk and not self.initial.get("country"):
            self.initial["country"] = default_country(countries)


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "name", "country", "allocation", "notes"]


def _marker_label(marker) -> str:
    label = _("%(objective)s · %(level)s : %(text)s") % {
        "objective": marker.objective.title,
        "level": marker.get_level_display(),
        "text": marker.text,
    }
    if marker.reached_on:
        label = _("%(marker)s (déjà atteint)") % {"marker": label}
    return label
