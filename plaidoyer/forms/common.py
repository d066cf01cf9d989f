"""Form pieces every plaidoyer form shares: scores 1–5, dates, people and countries."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User


def score_field(label, help_text="") -> forms.IntegerField:
    message = _("Une note va de 1 à 5.")
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=5,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 1, "max": 5, "step": 1}),
        error_messages={"min_value": message, "max_value": message, "invalid": message},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def unit_people():
    """People of the unit who can own a relationship, an action or a follow-up."""
    return (
        User.objects.filter(
            is_active=True, memberships__role__in=["coordinator", "advocacy_officer"]
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def default_country(countries):
    """The single country an officer manages, to preselect it."""
    ids = list(countries.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


class StakeholderPicker:
    """A many-to-many field over thousands of stakeholders, rendered as checkboxes for the
    few that matter: those already chosen, and those found by the picker's search box
    (`<field>_q`, sent with the "Chercher" button, which keeps everything typed).
    Validation accepts any stakeholder of `queryset` (the user's scope)."""

    picker_limit = 30

    def setup_picker(self, name: str, queryset, data, initial_ids=()) -> None:
        from ..models import normalise

        field = self.fields[name]
        field.queryset = queryset
        chosen = set()
        if data is not None and hasattr(data, "getlist"):
            chosen.update(v for v in data.getlist(name) if str(v).isdigit())
        else:
            chosen.update(str(pk) for pk in initial_ids)
        candidates = list(queryset.filter(pk__in=chosen)) if chosen else []
        query = (data.get(f"{name}_q", "") if data is not None else "").strip()
        self.picker_queries = getattr(self, "picker_queries", {})
        self.picker_queries[name] = query
        if query:
            found = queryset.exclude(pk__in=chosen)
            for word in normalise(query).split()[:6]:
                found = found.filter(search_text__contains=word)
            candidates += list(found.order_by("full_name")[: self.picker_limit])
        field.widget = forms.CheckboxSelectMultiple()
        field.widget.choices = [(p.pk, self.picker_label(p)) for p in candidates]

    @staticmethod
    def picker_label(person) -> str:
        from django.utils.translation import gettext as _

        label = f"{person.full_name} — {person.organisation.name}"
        if person.can_restrict_operations:
            label += " · " + _("peut restreindre nos opérations")
        return label
