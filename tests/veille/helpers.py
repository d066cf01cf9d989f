"""Helpers for the veille tests (inbox, triage, rules, notes): stories made of articles."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.veille.factories import ClusterFactory, ItemFactory, SourceFactory
from veille.models import Cluster, Item


def make_story(*, size: int = 3, title: str = "Naufrage au large de la Libye", **item_fields):
    """A cluster of `size` articles from `size` sources; returns (cluster, [items])."""
    now = timezone.now()
    items = [
        ItemFactory(
            title=f"{title} ({n + 1})" if n else title,
            source=SourceFactory(),
            published_at=item_fields.pop("published_at", now) - timedelta(minutes=n),
            **item_fields,
        )
        for n in range(size)
    ]
    cluster = ClusterFactory(
        representative=items[-1],
        title=title,
        item_count=size,
        source_count=size,
        source_names=[i.source.name for i in items][:3],
        first_published_at=items[-1].published_at,
        latest_published_at=items[0].published_at,
    )
    Item.objects.filter(pk__in=[i.pk for i in items]).update(cluster=cluster, is_cluster_lead=False)
    Item.objects.filter(pk=items[-1].pk).update(is_cluster_lead=True)
    for item in items:
        item.refresh_from_db()
    return cluster, items


def make_stories(count: int, *, size: int = 2) -> list[Cluster]:
    return [make_story(size=size, title=f"Sujet numéro {n}")[0] for n in range(count)]


def count_queries(client, url, params=None) -> list[str]:
    """The SQL of the queries one GET runs (to compare two data sizes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in context.captured_queries]
