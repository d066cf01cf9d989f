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
