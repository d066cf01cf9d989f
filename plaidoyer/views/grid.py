"""The power / interest grid: stakeholders placed by influence × interest, coloured by
alignment, each dot a link, per country and / or theme (core's scatter chart)."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import Point, scatter_chart
from core.models import Country, Theme
from core.permissions import access_required

from .. import permissions, selectors
from ..models import Stakeholder
from .common import crumbs

# Dots on the same cell are spread on a small circle so each stays visible and clickable.
_SPREAD = [
    (0, 0),
    (0.18, 0),
    (-0.18, 0),
    (0, 0.18),
    (0, -0.18),
    (0.13, 0.13),
    (-0.13, -0.13),
    (0.13, -0.13),
    (-0.13, 0.13),
    (0.3, 0),
    (-0.3, 0),
    (0, 0.3),
    (0, -0.3),
]


class GridForm(forms.Form):
    country = forms.ModelChoiceField(
        label=gettext_lazy("Pays"),
        queryset=Country.objects.order_by("name_fr"),
        required=False,
        empty_label=gettext_lazy("Tous les pays"),
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Thème (une position connue)"),
        queryset=Theme.objects.order_by("position", "name_fr"),
        required=False,
        empty_label=gettext_lazy("Tous les thèmes"),
    )


def grid_points(stakeholders: list[Stakeholder]) -> list[Point]:
    seen: dict[tuple[int, int], int] = {}
    points = []
    for person in stakeholders:
        cell = (person.interest, person.influence)
        n = seen.get(cell, 0)
        seen[cell] = n + 1
        dx, dy = _SPREAD[n % len(_SPREAD)]
        label = person.full_name
        if person.can_restrict_operations:
            label = _("%(name)s (peut restreindre nos opérations)") % {"name": label}
        points.append(
            Point(
                x=person.interest + dx,
                y=person.influence + dy,
                label=label,
                url=person.get_absolute_url(),
                group=person.alignment - 1,
            )
        )
    return points


@access_required(permissions.can_read)
def grid(request):
    form = GridForm(request.GET or None)
    country = theme = None
    if form.is_valid():
        country, theme = form.cleaned_data["country"], form.cleaned_data["theme"]
    stakeholders, total = selectors.grid_stakeholders(request.user, country=country, theme=theme)
    chart = scatter_chart(
        title=_("Grille pouvoir / intérêt"),
        description=_(
            "Chaque point est un interlocuteur placé selon son intérêt pour nos sujets "
            "(horizontal) et son influence (vertical), coloré selon son alignement."
        ),
        points=grid_points(stakeholders),
        x_label=_("Intérêt"),
        y_label=_("Influence"),
        x_min=0.5,
        x_max=5.5,
        y_min=0.5,
        y_max=5.5,
        quadrants=[
            _("Garder satisfait"),
            _("Gérer de près"),
            _("Surveiller"),
            _("Tenir informé"),
        ],
        groups=[label for _value, label in Stakeholder.Alignment.choices],
    )
    return render(
        request,
        "plaidoyer/grid.html",
        {
            "form": form,
            "chart": chart,
            "stakeholders": stakeholders,
            "total": total,
            "limit": selectors.GRID_LIMIT,
            "crumbs": crumbs((_("Grille pouvoir / intérêt"), "")),
        },
    )
