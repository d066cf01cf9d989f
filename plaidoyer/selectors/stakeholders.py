"""Reads of organisations and stakeholders: what a user may read or change, the lists'
FilterSets, a stakeholder's page (timeline, positions per theme, actions targeting them),
merge candidates, the personal-data export and the power / interest grid."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict

from core.models import Country

from ..models import (
    AdvocacyAction,
    FollowUp,
    Interaction,
    Organisation,
    Position,
    Stakeholder,
    SupportLevel,
)
from ..permissions import can_read, can_see_interaction, interaction_visibility_q, managed_q

# --- Scoping -------------------------------------------------------------------------------


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if not can_read(user):
        return Organisation.objects.none()
    return Organisation.objects.select_related("country")


def organisations_managed_by(user) -> QuerySet[Organisation]:
    condition = managed_q(user)
    queryset = organisations_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)


def stakeholders_visible_to(user) -> QuerySet[Stakeholder]:
    if not can_read(user):
        return Stakeholder.objects.none()
    return Stakeholder.objects.select_related("organisation", "country", "owner")


def stakeholders_managed_by(user) -> QuerySet[Stakeholder]:
    condition = managed_q(user)
    queryset = stakeholders_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)


def countries_managed_by(user) -> QuerySet[Country]:
    """The countries `user` may create records in (every one for coordinators)."""
    from ..permissions import managed_country_ids

    countries = Country.objects.order_by("name_fr")
    ids = managed_country_ids(user)
    return countries if ids is None else countries.filter(pk__in=ids)


# --- Lists ------------------------------------------------------------------------------------


def organisation_filterset(*, user, data):
    from ..filters import OrganisationFilter

    stakeholder_count = (
        Stakeholder.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = organisations_visible_to(user).annotate(
        stakeholder_count=Coalesce(Subquery(stakeholder_count), 0)
    )
    return OrganisationFilter(data=data if data is not None else QueryDict(), queryset=queryset)


def stakeholder_filterset(*, user, data):
    from ..filters import StakeholderFilter

    return StakeholderFilter(
        data=data if data is not None else QueryDict(), queryset=stakeholders_visible_to(user)
    )


# --- One stakeholder --------------------------------------------------------------------------


def stakeholder_interactions(user, stakeholder: Stakeholder) -> QuerySet[Interaction]:
    """The stakeholder's timeline, newest first, without the confidential exchanges the
    user may not read."""
    queryset = (
        Interaction.objects.filter(stakeholders=stakeholder)
        .select_related("author", "country")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")))
        .order_by("-occurred_on", "-pk")
    )
    condition = interaction_visibility_q(user)
    return queryset if condition is None else queryset.filter(condition)


def organisation_interactions(user, organisation: Organisation) -> QuerySet[Interaction]:
    """Exchanges with the organisation itself or with any of its people."""
    queryset = (
        Interaction.objects.filter(
            Q(organisations=organisation) | Q(stakeholders__organisation=organisation)
        )
        .distinct()
        .select_related("author", "country")
        .prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.select_related("organisation")),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
        )
        .order_by("-occurred_on", "-pk")
    )
    condition = interaction_visibility_q(user)
    return queryset if condition is None else queryset.filter(condition)


@dataclass(frozen=True)
class ThemeHistory:
    theme: object
    current: Position
    steps: list[Position]  # newest first


def position_history(user, stakeholder: Stakeholder) -> list[ThemeHistory]:
    """Positions per theme, each theme with its dated steps (one query). A position learnt
    in a confidential exchange `user` may not read keeps its source ("an exchange with
    us") but not the exchange: it is taken off the position, so no page shows its title."""
    positions = list(
        stakeholder.positions.select_related(
            "theme", "interaction", "item", "recorded_by"
        ).order_by("theme__position", "theme__name_fr", "-stated_on", "-pk")
    )
    grouped: dict[int, list[Position]] = {}
    for position in positions:
        if position.interaction is not None and not can_see_interaction(user, position.interaction):
            position.interaction = None
        grouped.setdefault(position.theme_id, []).append(position)
    return [
        ThemeHistory(theme=steps[0].theme, current=steps[0], steps=steps)
        for steps in grouped.values()
    ]


def actions_targeting(user, stakeholder: Stakeholder) -> QuerySet[AdvocacyAction]:
    from .actions import actions_visible_to

    return (
        actions_visible_to(user)
        .filter(
            Q(target_stakeholders=stakeholder) | Q(target_organisations=stakeholder.organisation_id)
        )
        .distinct()
        .order_by("-due_on", "-pk")
    )


def merge_candidates(user, stakeholder: Stakeholder, query: str = "") -> QuerySet[Stakeholder]:
    """Who may be a duplicate of `stakeholder`: same organisation, or a name search; only
    among the records the user manages."""
    from ..models import normalise

    candidates = stakeholders_managed_by(user).exclude(pk=stakeholder.pk)
    words = [w for w in normalise(query).split() if w]
    if words:
        for word in words:
            candidates = candidates.filter(search_text__contains=word)
    else:
        last = normalise(stakeholder.full_name).split()[-1:] or [""]
        candidates = candidates.filter(
            Q(organisation=stakeholder.organisation_id) | Q(search_text__contains=last[0])
        )
    return candidates.order_by("full_name", "pk")[:30]


# --- Personal data ----------------------------------------------------------------------------


def personal_data_rows(stakeholder: Stakeholder) -> list[tuple[str, str]]:
    """Everything held about the person, as (what, value) rows for the export on request:
    the record, the positions attributed to them and the exchanges they took part in
    (dates and subjects; confidential contents are summarised by their existence)."""
    from django.utils.translation import gettext as _

    rows: list[tuple[str, str]] = []
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
        "last_contact_on",
        "created_at",
        "updated_at",
    ]
    for name in fields:
        field = Stakeholder._meta.get_field(name)
        value = getattr(stakeholder, name)
        if name == "alignment":
            value = stakeholder.get_alignment_display()
        rows.append((str(field.verbose_name), "" if value is None else str(value)))
    for position in stakeholder.positions.select_related("theme").order_by("stated_on", "pk"):
        rows.append(
            (
                _("Position"),
                f"{position.stated_on:%d/%m/%Y} · {position.theme.name} · "
                f"{SupportLevel(position.support).label} · {position.get_source_display()}",
            )
        )
    for interaction in stakeholder.interactions.order_by("occurred_on", "pk"):
        subject = _("échange confidentiel") if interaction.is_confidential else interaction.title
        rows.append(
            (
                _("Échange"),
                " · ".join(
                    (f"{interaction.occurred_on:%d/%m/%Y}", interaction.get_kind_display(), subject)
                ),
            )
        )
    return rows


# --- Power / interest grid ------------------------------------------------------------------

GRID_LIMIT = 150


def grid_stakeholders(user, *, country=None, theme=None) -> tuple[list[Stakeholder], int]:
    """The stakeholders placed on the grid (the most influential first, at most
    GRID_LIMIT) and how many match in all."""
    from django.db.models import Count, Exists, Window

    queryset = stakeholders_visible_to(user)
    if country is not None:
        queryset = queryset.filter(country=country)
    if theme is not None:
        queryset = queryset.filter(
            Exists(Position.objects.filter(stakeholder=OuterRef("pk"), theme=theme))
        )
    rows = list(
        queryset.annotate(total=Window(Count("pk"))).order_by(
            "-influence", "-interest", "full_name", "pk"
        )[:GRID_LIMIT]
    )
    return rows, (rows[0].total if rows else 0)
