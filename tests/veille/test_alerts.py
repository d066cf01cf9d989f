"""Watch rules → alerts: evaluation after fetches (idempotent), the alerts page, the badge."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import country
from tests.veille.factories import AlertFactory, ItemFactory, WatchRuleFactory
from tests.veille.helpers import count_queries, make_story
from veille import selectors
from veille.models import Alert
from veille.services import rule_create, watch_rules_evaluate
from veille.tasks import evaluate_watch_rules

pytestmark = pytest.mark.django_db


def _rule(owner, **fields):
    fields.setdefault("name", "Libye")
    fields.setdefault("query", "Libye")
    return rule_create(owner=owner, **fields)


def _later(minutes=15):
    return timezone.now() + timedelta(minutes=minutes)


@pytest.mark.smoke
def test_new_matching_articles_raise_one_alert_each_and_only_once(advocacy_ly):
    ItemFactory(title="Avant la règle : Libye")
    rule = _rule(advocacy_ly)
    match = ItemFactory(title="Naufrage au large de la Libye")
    ItemFactory(title="Hébergement à Paris")

    assert watch_rules_evaluate() == 1
    assert watch_rules_evaluate() == 0
    assert watch_rules_evaluate(now=_later()) == 0

    alert = Alert.objects.get()
    assert (alert.rule, alert.user, alert.item, alert.read_at) == (rule, advocacy_ly, match, None)


def test_a_story_told_by_three_sources_gives_one_alert(advocacy_ly):
    _rule(advocacy_ly, query="naufrage")
    cluster, _items = make_story(size=3, title="Naufrage au large de Zouara")

    watch_rules_evaluate()
    make_story(size=1, title="Autre naufrage")

    watch_rules_evaluate()
    assert Alert.objects.filter(cluster=cluster).count() == 1
    assert Alert.objects.count() == 2


def test_filters_of_the_rule_apply(advocacy_ly):
    libya = country("LY")
    _rule(advocacy_ly, query="naufrage", filters={"country": [str(libya.pk)], "language": ["fr"]})
    tagged = ItemFactory(title="Naufrage", countries=[libya], language="fr")
    ItemFactory(title="Naufrage", language="fr")
    ItemFactory(title="Naufrage", countries=[libya], language="en")

    watch_rules_evaluate()

    assert [a.item for a in Alert.objects.all()] == [tagged]


def test_an_article_written_by_a_fetch_still_open_is_not_missed(advocacy_ly):
    rule = _rule(advocacy_ly)
    first = ItemFactory(title="Libye : premier article")
    watch_rules_evaluate()
    rule.refresh_from_db()
    # The recent article is looked at again later: the marker stays behind it.
    assert rule.last_evaluated_item_id < first.pk

    # An article with a smaller id committed after the first run (a slower fetch).
    late = ItemFactory(pk=first.pk - 1 if first.pk > 1 else None, title="Libye : retardataire")
    watch_rules_evaluate()
    watch_rules_evaluate(now=_later())

    assert set(Alert.objects.values_list("item_id", flat=True)) == {first.pk, late.pk}
    rule.refresh_from_db()
    assert rule.last_evaluated_item_id >= first.pk


def test_digest_only_rules_keep_their_alerts_out_of_the_unread_count(advocacy_ly):
    _rule(advocacy_ly, alert_in_app=False, digest_email=True)
    ItemFactory(title="Libye")

    watch_rules_evaluate()

    assert Alert.objects.get().read_at is not None
    assert selectors.nav_badge(advocacy_ly) is None


def test_inactive_rules_and_rules_of_people_without_access_stay_silent(advocacy_ly, field_calais):
    _rule(advocacy_ly, active=False)
    WatchRuleFactory(owner=field_calais, query="Libye")
    ItemFactory(title="Libye")

    assert watch_rules_evaluate() == 0
    assert not Alert.objects.exists()


def test_a_rule_matching_everything_does_not_flood(advocacy_ly, monkeypatch):
    monkeypatch.setattr("veille.services.rules.MAX_ALERTS_PER_RUN", 3)
    _rule(advocacy_ly, query="article")
    for n in range(5):
        ItemFactory(title=f"Un article {n}")

    assert watch_rules_evaluate() == 3


def test_the_task_runs_the_evaluation(advocacy_ly):
    _rule(advocacy_ly)
    ItemFactory(title="Libye")

    assert evaluate_watch_rules.apply().get() == 1


def test_navigation_badge_counts_unread_alerts(client_for, advocacy_ly):
    alert = AlertFactory(rule=WatchRuleFactory(owner=advocacy_ly))
    AlertFactory(rule=alert.rule)

    html = client_for(advocacy_ly).get(reverse("veille:inbox")).content.decode()

    assert selectors.nav_badge(advocacy_ly) == 2
    assert '2<span class="visually-hidden"> nouvelles alertes</span>' in html


def test_alerts_page_lists_and_marks_alerts_read(client_for, advocacy_ly, coordinator):
    rule = WatchRuleFactory(owner=advocacy_ly, name="Libye")
    first = AlertFactory(rule=rule, item=ItemFactory(title="Premier"))
    second = AlertFactory(rule=rule, item=ItemFactory(title="Second"))
    AlertFactory(rule=WatchRuleFactory(owner=coordinator), item=ItemFactory(title="Pas à moi"))
    client = client_for(advocacy_ly)

    html = client.get(reverse("veille:alerts")).content.decode()
    assert "Premier" in html
    assert "Second" in html
    assert "Pas à moi" not in html

    client.post(reverse("veille:alerts_read"), {"alerts": [first.pk]})
    assert Alert.objects.filter(read_at__isnull=True).count() == 2
    unread = client.get(reverse("veille:alerts"), {"unread": "true"}).content.decode()
    assert "Premier" not in unread
    assert "Second" in unread

    client.get(reverse("veille:item_detail", args=[second.item_id]))  # opening reads it
    second.refresh_from_db()
    assert second.read_at is not None


def test_mark_all_read(client_for, advocacy_ly):
    rule = WatchRuleFactory(owner=advocacy_ly)
    AlertFactory(rule=rule)
    AlertFactory(rule=rule)

    response = client_for(advocacy_ly).post(
        reverse("veille:alerts_read"), {"scope": "all"}, follow=True
    )

    assert "2 alertes marquées comme lues." in response.content.decode()
    assert selectors.nav_badge(advocacy_ly) is None


def test_alerts_page_runs_a_constant_number_of_queries(
    client_for, advocacy_ly, django_assert_num_queries
):
    rule = WatchRuleFactory(owner=advocacy_ly)
    for _ in range(3):
        AlertFactory(rule=rule)
    client = client_for(advocacy_ly)
    client.get(reverse("veille:alerts"))
    queries = count_queries(client, reverse("veille:alerts"))

    for _ in range(30):
        AlertFactory(rule=rule)
    with django_assert_num_queries(len(queries)):
        client.get(reverse("veille:alerts"))
