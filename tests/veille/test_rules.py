"""Watch rules: saved from the inbox filter, edited, deleted, private RSS feed."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.core.factories import country, theme
from tests.veille.factories import ItemFactory, WatchRuleFactory
from veille.models import TriageStatus, WatchRule
from veille.services import rule_create

pytestmark = pytest.mark.django_db


def test_save_as_rule_prefills_the_form_with_the_inbox_filter(client_for, advocacy_ly):
    libya = country("LY")
    response = client_for(advocacy_ly).get(
        reverse("veille:rule_create"), {"q": "garde-côtes", "country": libya.pk, "kind": "ngo"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="garde-côtes"' in html
    assert f'value="{libya.pk}"' in html
    assert "checked" in html


@pytest.mark.smoke
def test_creating_a_rule_stores_query_and_filters_and_starts_after_the_backlog(
    client_for, advocacy_ly
):
    backlog = ItemFactory()
    libya, detention = country("LY"), theme("detention")

    response = client_for(advocacy_ly).post(
        reverse("veille:rule_create"),
        {
            "name": "Garde-côtes libyens",
            "query": "garde-côtes",
            "country": [libya.pk],
            "theme": [detention.pk],
            "language": ["fr", "ar"],
            "active": "on",
            "alert_in_app": "on",
            "digest_email": "on",
        },
    )

    assert response.status_code == 302
    rule = WatchRule.objects.get()
    assert rule.owner == advocacy_ly
    assert rule.query == "garde-côtes"
    assert rule.filters == {
        "country": [str(libya.pk)],
        "theme": [str(detention.pk)],
        "language": ["fr", "ar"],
    }
    assert rule.digest_email
    assert rule.last_evaluated_item_id == backlog.pk


def test_a_rule_needs_a_query_or_a_filter_and_keeps_what_was_typed(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("veille:rule_create"), {"name": "Tout", "query": "", "active": "on"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Une règle sans recherche ni filtre signalerait tous les articles." in html
    assert 'value="Tout"' in html
    assert not WatchRule.objects.exists()


def test_invalid_filter_values_are_refused(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("veille:rule_create"),
        {"name": "x", "query": "a", "date_from": "demain", "active": "on"},
    )
    assert response.status_code == 200
    assert "Corrigez les filtres de la règle." in response.content.decode()


def test_editing_and_deleting_a_rule(client_for, coordinator):
    rule = WatchRuleFactory(owner=coordinator, name="Ancienne", query="Frontex")
    client = client_for(coordinator)

    form = client.get(reverse("veille:rule_edit", args=[rule.pk]))
    assert 'value="Frontex"' in form.content.decode()
    client.post(
        reverse("veille:rule_edit", args=[rule.pk]),
        {"name": "Nouvelle", "query": "Frontex -Grèce", "language": ["fr"], "active": "on"},
    )
    rule.refresh_from_db()
    assert (rule.name, rule.query, rule.filters, rule.alert_in_app) == (
        "Nouvelle",
        "Frontex -Grèce",
        {"language": ["fr"]},
        False,
    )

    confirm = client.get(reverse("veille:rule_delete", args=[rule.pk]))
    assert "Supprimer cette règle de veille ?" in confirm.content.decode()
    client.post(reverse("veille:rule_delete", args=[rule.pk]))
    assert not WatchRule.objects.exists()


def test_rules_belong_to_their_owner(client_for, coordinator, viewer):
    theirs = WatchRuleFactory(owner=coordinator, name="Confidentielle")
    client = client_for(viewer)

    assert "Confidentielle" not in client.get(reverse("veille:rules")).content.decode()
    for name in ("veille:rule_edit", "veille:rule_delete"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("veille:rule_feed", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("veille:rule_delete", args=[theirs.pk])).status_code == 404
    assert WatchRule.objects.filter(pk=theirs.pk).exists()


def test_rules_page_lists_rules_with_their_unread_alerts(client_for, coordinator):
    WatchRuleFactory(owner=coordinator, name="Mineurs", query="mineurs")

    html = client_for(coordinator).get(reverse("veille:rules")).content.decode()

    assert "Mineurs" in html
    assert "Créer un flux RSS privé pour cette règle" in html


def _feed(client, token):
    return client.get(reverse("veille:rule_rss", args=[token]))


def test_private_rss_feed_lists_the_matching_articles_with_the_token_alone(
    client, client_for, coordinator
):
    rule = WatchRuleFactory(owner=coordinator, query="Frontex", filters={"language": ["fr"]})
    match = ItemFactory(title="Frontex publie son rapport", language="fr", summary="<p>Résumé</p>")
    ItemFactory(title="Frontex report", language="en")
    ItemFactory(title="Frontex écarté", language="fr", status=TriageStatus.DISCARDED)
    ItemFactory(title="Autre chose", language="fr")
    client_for(coordinator).post(reverse("veille:rule_feed", args=[rule.pk]))
    rule.refresh_from_db()
    assert len(rule.feed_token) >= 40
    client.logout()

    response = _feed(client, rule.feed_token)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    titles = [node.text for node in root.iter("title")]
    assert titles[1:] == [match.title]
    link = root.find("channel/item/link").text
    assert link.endswith(reverse("veille:item_detail", args=[match.pk]))


def test_revoked_or_replaced_tokens_stop_working(client, client_for, coordinator):
    rule = WatchRuleFactory(owner=coordinator, query="Frontex")
    owner = client_for(coordinator)
    owner.post(reverse("veille:rule_feed", args=[rule.pk]))
    rule.refresh_from_db()
    first = rule.feed_token

    owner.post(reverse("veille:rule_feed", args=[rule.pk]), {"action": "enable"})
    rule.refresh_from_db()
    assert rule.feed_token != first
    assert _feed(client, first).status_code == 404
    second = rule.feed_token

    owner.post(reverse("veille:rule_feed", args=[rule.pk]), {"action": "revoke"})
    rule.refresh_from_db()
    assert rule.feed_token == ""
    assert _feed(client, second).status_code == 404
    assert _feed(client, "x" * 43).status_code == 404


def test_the_feed_is_empty_once_the_owner_loses_access(client, field_calais):
    rule = WatchRuleFactory(owner=field_calais, query="Frontex", feed_token="t" * 43)
    ItemFactory(title="Frontex")

    response = _feed(client, rule.feed_token)

    assert response.status_code == 200
    assert b"<item>" not in response.content
    field_calais.is_active = False
    field_calais.save()
    assert _feed(client, rule.feed_token).status_code == 404


def test_a_rule_whose_period_ends_before_it_starts_is_refused(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("veille:rule_create"),
        {
            "name": "Dates à l'envers",
            "query": "Frontex",
            "date_from": "2026-11-30",
            "date_to": "2026-11-01",
            "active": "on",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "La période se termine avant de commencer" in html
    assert 'value="Dates à l&#x27;envers"' in html
    assert not WatchRule.objects.exists()
    with pytest.raises(ValidationError, match="avant de commencer"):
        rule_create(
            owner=coordinator,
            name="Service",
            query="Frontex",
            filters={"date_from": "2026-11-30", "date_to": "2026-11-01"},
        )


def _groups(html: str) -> dict[str, bool]:
    """Each folded filter group of the rule form: is it open?"""
    found = re.findall(
        r'<details class="filter-group[^"]*"( open)?>\s*<summary class="fw-semibold">([^<]+)', html
    )
    return {label.strip(): bool(is_open) for is_open, label in found}


def test_the_rule_form_folds_its_filters_and_opens_those_in_use(client_for, coordinator):
    client = client_for(coordinator)
    detention = theme("detention")

    blank = client.get(reverse("veille:rule_create")).content.decode()
    prefilled = client.get(reverse("veille:rule_create"), {"theme": detention.pk}).content.decode()

    assert _groups(blank) == {
        "Thèmes": False,
        "Pays": False,
        "Sources": False,
        "Langues": False,
        "Période": False,
        "Importance et annotations": False,
    }
    assert _groups(prefilled)["Thèmes"] is True
    assert _groups(prefilled)["Pays"] is False


def test_a_filter_error_opens_its_group(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("veille:rule_create"),
        {"name": "Dates", "query": "naufrage", "active": "on", "date_from": "pas une date"},
    )

    assert _groups(response.content.decode())["Période"] is True
