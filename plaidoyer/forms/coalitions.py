"""Forms of coalitions and joint statements."""

from __future__ import annotations

from django import forms

from ..models import Coalition, JointStatement
from .common import DateInput, default_country, unit_people


class CoalitionForm(forms.ModelForm):
    class Meta:
        model = Coalition
        fields = [
            "name",
            "kind",
            "level",
            "country",
            "members",
            "representative",
            "mandate",
            "themes",
        ]
        widgets = {
            "members": forms.SelectMultiple(attrs={"size": 8}),
            "themes": forms.CheckboxSelectMultiple,
            "mandate": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, countries, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["members"].queryset = organisations.filter(archived_at__isnull=True)
        self.fields["representative"].queryset = unit_people()
        if not self.instance.pk and not self.initial.get("country"):
            self.initial["country"] = default_country(countries)


class StatementForm(forms.ModelForm):
    class Meta:
        model = JointStatement
        fields = ["title", "text", "deadline", "status", "published_on"]
        widgets = {
            "deadline": DateInput(),
            "published_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 8}),
        }
