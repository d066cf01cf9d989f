"""Every veille list filters and sorts through a FilterSet: English parameters, one `sort`
parameter, a default order when the sort is unknown, and a constant number of queries."""

import pytest
from django.urls import reverse

from tests.veille.factories import (
    AlertFactory,
    AnalysisNoteFactory,
    SourceFactory,
    WatchRuleFactory,
)
from tests.veille.helpers import count_queries
from veille.models import AnalysisNote

pytestmark = pytest.mark.django_db


def _titles(response, attribute):
    return [getattr(row, attribute) for row in response.context["page_obj"].object_list]


def test_notes_filter_by_status_audience_and_author_and_sort(client_for, coordinator, viewer):
    AnalysisNoteFactory(author=coordinator, title="B mine", status=AnalysisNote.Status.DRAFT)
    AnalysisNoteFactory(author=viewer, title="A theirs", status=AnalysisNote.Status.PUBLISHED)
    AnalysisNoteFactory(author=viewer, title="C partners", audience="partners", status="published")
    client = client_for(coordinator)
    url = reverse("veille:notes")

    assert _titles(client.get(url, {"sort": "title"}), "title") == [
        "A theirs",
        "B mine",
        "C partners",
    ]
    assert _titles(client.get(url, {"sort": "-title"}), "title")[0] == "C partners"
    assert _titles(client.get(url, {"author": "me"}), "title") == ["B mine"]
    assert _titles(client.get(url, {"status": "published", "audience": "partners"}), "title") == [
        "C partners"
    ]
    # An unknown sort key falls back to the default order (most recently changed first).
    fallback = client.get(url, {"sort": "author__password"})
    assert fallback.status_code == 200
    assert fallback.context["sort"] == "-updated"
    html = client.get(url, {"sort": "title"}).content.decode()
    assert 'aria-sort="ascending"' in html


def test_sources_filter_and_sort_with_the_shared_header(client_for, coordinator):
    SourceFactory(name="Zeta", active=False)
    SourceFactory(name="Alpha", consecutive_failures=9)
    SourceFactory(name="Mu")
    client = client_for(coordinator)
    url = reverse("veille:sources")

    assert _titles(client.get(url), "name") == ["Alpha", "Mu", "Zeta"]
    assert _titles(client.get(url, {"sort": "-name"}), "name") == ["Zeta", "Mu", "Alpha"]
    assert _titles(client.get(url, {"state": "inactive"}), "name") == ["Zeta"]
    assert _titles(client.get(url, {"state": "failing"}), "name") == ["Alpha"]
    assert _titles(client.get(url, {"q": "alp"}), "name") == ["Alpha"]
    health = client.get(reverse("veille:source_health"))
    assert _titles(health, "name")[0] == "Alpha"  # failing first
    assert _titles(client.get(reverse("veille:source_health"), {"sort": "name"}), "name") == [
        "Alpha",
        "Mu",
        "Zeta",
    ]


def test_alerts_filter_by_rule_and_unread(client_for, coordinator):
    first = WatchRuleFactory(owner=coordinator, name="Frontex")
    second = WatchRuleFactory(owner=coordinator, name="Mineurs")
    AlertFactory(rule=first)
    read = AlertFactory(rule=second)
    read.read_at = read.created_at
    read.save()
    client = client_for(coordinator)
    url = reverse("veille:alerts")

    assert len(client.get(url).context["alerts"]) == 2
    assert [a.rule.name for a in client.get(url, {"rule": second.pk}).context["alerts"]] == [
        "Mineurs"
    ]
    assert [a.rule.name for a in client.get(url, {"unread": "true"}).context["alerts"]] == [
        "Frontex"
    ]
    # Somebody else's rule is not a choice: the filter is ignored, nothing leaks.
    other = WatchRuleFactory(name="Pas à moi")
    response = client.get(url, {"rule": other.pk})
    assert "Pas à moi" not in response.content.decode()


def test_rules_sort(client_for, coordinator):
    WatchRuleFactory(owner=coordinator, name="B")
    WatchRuleFactory(owner=coordinator, name="A")
    response = client_for(coordinator).get(reverse("veille:rules"), {"sort": "-name"})
    assert [r.name for r in response.context["rules"]] == ["B", "A"]


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("veille:notes", {"sort": "title"}),
        ("veille:sources", {"sort": "-items", "state": "active"}),
        ("veille:source_health", {}),
        ("veille:alerts", {"unread": "true"}),
        ("veille:rules", {"sort": "-unread"}),
    ],
)
def test_list_pages_run_a_constant_number_of_queries(client_for, coordinator, url_name, params):
    client = client_for(coordinator)
    url = reverse(url_name)

    def grow():
        rule = WatchRuleFactory(owner=coordinator)
        AlertFactory(rule=rule)
        SourceFactory()
        AnalysisNoteFactory(author=coordinator)

    grow()
    client.get(url, params)
    baseline = count_queries(client, url, params)
    for _ in range(8):
        grow()
    assert len(count_queries(client, url, params)) == len(baseline)
