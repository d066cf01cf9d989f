"""Trends over weeks: what the dashboard's chart of articles per theme reads."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from ..models import Item, TriageStatus

CHART_WEEKS = 12
CHART_CACHE_SECONDS = 1800


def theme_weeks(*, today: date | None = None, refresh: bool = False) -> tuple[list[date], dict]:
    """Articles (not discarded) per theme and per week over the last 12 weeks, with the
    themes' names: one aggregate query over months of articles, cached half an hour (the
    chart moves slowly). Beat recomputes it every quarter of an hour (`refresh=True`,
    `veille.tasks.refresh_theme_chart`), so no page pays for it while beat runs."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=n) for n in range(CHART_WEEKS - 1, -1, -1)]
    key = f"veille:theme-weeks:{monday.isoformat()}"
    data = None if refresh else cache.get(key)
    if data is None:
        since = timezone.make_aware(datetime.combine(weeks[0], time.min))
        rows = (
            Item.themes.through.objects.filter(item__published_at__gte=since)
            .exclude(item__status=TriageStatus.DISCARDED)
            .annotate(week=TruncWeek("item__published_at"))
            .values_list("week", "theme_id", "theme__name_fr", "theme__name_en")
            .annotate(n=Count("pk"))
            .order_by()
        )
        data = {"counts": {}, "names": {}}
        index = {week: i for i, week in enumerate(weeks)}
        for week, theme_id, name_fr, name_en, n in rows:
            day = timezone.localtime(week).date() if isinstance(week, datetime) else week
            position = index.get(day - timedelta(days=day.weekday()))
            if position is not None:
                data["counts"].setdefault(theme_id, [0] * CHART_WEEKS)[position] += n
                data["names"][theme_id] = (name_fr, name_en)
        cache.set(key, data, CHART_CACHE_SECONDS)
    return weeks, data
