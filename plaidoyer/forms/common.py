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


class Picker:
    """A relation over thousands of rows (stakeholders, actions), rendered as checkboxes
    (or radio buttons for a single choice) for the few that matter: those already chosen,
    and those found by the picker's search box (`<field>_q`, sent with the "Chercher"
    button, which keeps everything typed). Validation accepts any row of `queryset` (the
    user's scope)."""

    picker_limit = 30

    def setup_picker(
        self, name: str, queryset, data, initial_ids=(), *, search=None, label=str, order="pk"
    ) -> None:
        field = self.fields[name]
        field.queryset = queryset
        multiple = isinstance(field, forms.ModelMultipleChoiceField)
        chosen = set()
        if data is not None and hasattr(data, "getlist"):
            values = data.getlist(name) if multiple else [data.get(name, "")]
            chosen.update(str(v) for v in values if str(v).isdigit())
        else:
            chosen.update(str(pk) for pk in initial_ids if pk)
        candidates = list(queryset.filter(pk__in=chosen)) if chosen else []
        query = (data.get(f"{name}_q", "") if data is not None else "").strip()
        self.picker_queries = getattr(self, "picker_queries", {})
        self.picker_queries[name] = query
        if query and search is not None:
            found = search(queryset.exclude(pk__in=chosen), query)
            candidates += list(found.order_by(order)[: self.picker_limit])
        field.widget = forms.CheckboxSelectMultiple() if multiple else forms.RadioSelect()
        choices = [(obj.pk, label(obj)) for obj in candidates]
        if not multiple and not field.required:
            choices.insert(0, ("", _("Aucun")))
        field.widget.choices = choices


def search_stakeholders(queryset, query: str):
    from ..models import normalise

    for word in normalise(query).split()[:6]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def search_titles(queryset, query: str):
    return queryset.filter(title__icontains=query.strip())


def stakeholder_label(person) -> str:
    from django.utils.translation import gettext as gettext_now

    text = f"{person.full_name} — {person.organisation.name}"
    if person.can_restrict_operations:
        text += " · " + gettext_now("peut restreindre nos opérations")
    return text


def action_label(action) -> str:
    return f"{action.title} ({action.get_status_display()}, {action.country.code})"


class StakeholderPicker(Picker):
    """The picker over stakeholders (search by name, function, e-mail; no accents)."""

    def setup_stakeholder_picker(self, name, queryset, data, initial_ids=()):
        self.setup_picker(
            name,
            queryset.select_related("organisation"),
            data,
            initial_ids,
            search=search_stakeholders,
            label=stakeholder_label,
            order="full_name",
        )
