"""Reads of the sources: list, health, recent items, OPML imports.

Veille content is public information gathered for the whole unit: every reader role
sees every source (see veille/permissions.py); field comms officers see none.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Item, OpmlImport, Source, SourceQuerySet
from ..permissions import can_manage_sources, can_read

SOURCE_SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "kind": ("kind", "name"),
    "-kind": ("-kind", "name"),
    "country": ("country__name_fr", "name"),
    "-country": ("-country__name_fr", "name"),
    "language": ("language", "name"),
    "-language": ("-language", "name"),
    "fetched": ("last_fetched_at", "name"),
    "-fetched": ("-last_fetched_at", "name"),
    "failures": ("consecutive_failures", "name"),
    "-failures": ("-consecutive_failures", "name"),
    "items": ("items_30d", "name"),
    "-items": ("-items_30d", "name"),
}


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


def source_list(user, *, query: str = "", kind: str = "", state: str = "", sort: str = "name"):
    """Sources for the list page (one query per page, whatever the number of rows)."""
    qs = sources_for(user).select_related("country").annotate(items_30d=_items_30d())
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(feed_url__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    if state == "active":
        qs = qs.filter(active=True)
    elif state == "inactive":
        qs = qs.filter(active=False)
    elif state == "failing":
        qs = qs.failing()
    return qs.order_by(*SOURCE_SORTS.get(sort, SOURCE_SORTS["name"]))


def source_health(user):
    """Failing sources first (the worst streak first), then errors, then the rest."""
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
        .order_by("health_rank", "-consecutive_failures", "name")
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
