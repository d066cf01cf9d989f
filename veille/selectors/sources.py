"""Reads of the sources: list, health, recent items, OPML imports.

Veille content is public information gathered for the whole unit: every reader role
sees every source (see veille/permissions.py); field comms officers see none.
"""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, SortFilter

from ..models import Item, OpmlImport, Source, SourceQuerySet
from ..permissions import can_manage_sources, can_read


def sources_for(user) -> QuerySet[Source]:
    """Sources `user` may see: all of them for readers, none otherwise."""
    if not can_read(user):
        return Source.objects.none()
    return Source.objects.all()


def _items_30d():
    since = timezone.now() - timedelta(days=30)
    counts = (
        Item.objects.filter(source=OuterRef("pk"), published_at__gte=since)
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


class SourceFilterSet(ListFilterSet):
    """The sources list: `?q=` (name or address), `?kind=`, `?state=`, `?sort=`."""

    q = django_filters.CharFilter(label=_("Nom ou adresse"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Source.Kind.choices, empty_label=_("Tous")
    )
    state = django_filters.ChoiceFilter(
        label=_("État"),
        choices=[
            ("active", _("Actives")),
            ("inactive", _("Inactives")),
            ("failing", _("En échec")),
        ],
        empty_label=_("Toutes"),
        method="filter_state",
    )
    sort = SortFilter(
        fields={
            "name": "name",
            "kind": "kind",
            "country": "country__name_fr",
            "language": "language",
            "fetched": "last_fetched_at",
            "failures": "consecutive_failures",
            "items": "items_30d",
        },
        default="name",
        tiebreak=("name", "pk"),
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()[:100]
        return queryset.filter(Q(name__icontains=value) | Q(feed_url__icontains=value))

    def filter_state(self, queryset, name, value):
        if value == "active":
            return queryset.filter(active=True)
        if value == "inactive":
            return queryset.filter(active=False)
        return queryset.failing()


def source_list(user, data) -> SourceFilterSet:
    """Sources for the list page (one query per page, whatever the number of rows)."""
    qs = sources_for(user).select_related("country").annotate(items_30d=_items_30d())
    return SourceFilterSet(data, queryset=qs)


class SourceHealthFilterSet(ListFilterSet):
    """The health page: failing sources first by default (`?sort=health`)."""

    sort = SortFilter(
        fields={
            "health": "health_rank",
            "name": "name",
            "fetched": "last_fetched_at",
            "failures": "consecutive_failures",
            "next": "next_fetch_at",
            "items": "items_30d",
        },
        default="health",
        tiebreak=("-consecutive_failures", "name", "pk"),
    )

    class Meta:
        model = Source
        fields: list[str] = []


def source_health(user, data=None) -> SourceHealthFilterSet:
    """Failing sources first (the worst streak first), then errors, then the rest."""
    return SourceHealthFilterSet(data, queryset=_health_queryset(user))


def _health_queryset(user):
    return (
        sources_for(user)
        .select_related("country")
        .annotate(
            items_30d=_items_30d(),
            health_rank=Case(
                When(SourceQuerySet.failing_condition(), then=Value(0)),
                When(last_outcome=Source.Outcome.ERROR, then=Value(1)),
                When(active=False, then=Value(3)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
    )


def failing_sources_count(user) -> int:
    return sources_for(user).failing().count()


def source_recent_items(source: Source, *, limit: int = 10):
    return source.items.only("id", "title", "url", "published_at", "language", "status").order_by(
        "-published_at", "-id"
    )[:limit]


def opml_imports_for(user) -> QuerySet[OpmlImport]:
    if not can_manage_sources(user):
        return OpmlImport.objects.none()
    return OpmlImport.objects.all()
