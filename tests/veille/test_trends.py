"""The dashboard's articles-per-theme chart: one cached aggregate that beat recomputes, so
pages read it without paying for it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.core.factories import theme
from tests.veille.factories import ItemFactory
from veille import tasks
from veille.models import TriageStatus
from veille.selectors import theme_weeks

pytestmark = pytest.mark.django_db


def test_beat_refreshes_the_cached_chart_and_pages_then_read_it_without_a_query():
    detention = theme("detention")
    ItemFactory(themes=[detention], published_at=timezone.now())
    weeks, data = theme_weeks()
    assert len(weeks) == 12
    assert data["counts"][detention.pk][-1] == 1

    # New articles: the cached chart does not move until the refresh runs…
    ItemFactory(themes=[detention], published_at=timezone.now())
    ItemFactory(themes=[detention], published_at=timezone.now(), status=TriageStatus.DISCARDED)
    assert theme_weeks()[1]["counts"][detention.pk][-1] == 1

    # …which beat runs through the task (twice is harmless), then pages read the cache.
    assert tasks.refresh_theme_chart() == 1
    assert tasks.refresh_theme_chart() == 1
    with CaptureQueriesContext(connection) as captured:
        _weeks, data = theme_weeks()
    assert data["counts"][detention.pk][-1] == 2  # the discarded one is not counted
    assert captured.captured_queries == []


def test_an_empty_cache_is_filled_by_the_first_page():
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        theme_weeks()
    assert len(captured.captured_queries) == 1
    with CaptureQueriesContext(connection) as captured:
        theme_weeks()
    assert captured.captured_queries == []
