"""The dashboard: every app's cards for the user's scope, each number equal to the count
of the list it links to, and a number of queries that does not grow with the data."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.extensions import registry
from core.models import User
from influence.models import Objective, PoliticalEvent
from tests.plaidoyer.factories import (
    ActionFactory,
    BudgetLineFactory,
    FollowUpFactory,
    OutcomeFactory,
    StatementFactory,
)
from tests.temoignages.factories import CollectionObjectiveFactory
from tests.temoignages.factories import TestimonyFactory as MakeTestimony
from tests.veille.factories import AlertFactory, ItemFactory, SourceFactory

from .factories import event, marker, message, objective, unit_strategy

pytestmark = pytest.mark.django_db

DEMO_ROLES = [
    "coordination",
    "plaidoyer.france",
    "plaidoyer.libye",
    "terrain.calais",
    "terrain.marseille",
    "terrain.libye",
    "communication",
    "lecture",
]


def _list_count(response) -> int:
    """The number a list page shows: its paginator's count (the inbox: its story total,
    the field home: its drafts)."""
    context = response.context
    if "result" in context and hasattr(context["result"], "total"):
        return context["result"].total
    if "page_obj" in context:
        return context["page_obj"].paginator.count
    if "drafts" in context:
        return len(context["drafts"])
    raise AssertionError(f"no list on {response.request['PATH_INFO']}")


def _more_data(coordinator):
    source = SourceFactory(consecutive_failures=9)
    for _ in range(15):
        AlertFactory(user=coordinator, item=ItemFactory(source=source))
        MakeTestimony(status="submitted")
    CollectionObjectiveFactory.create_batch(5)
    unit = unit_strategy(title="Autre fil")
    soon = timezone.localdate() + datetime.timedelta(days=20)
    today = timezone.localdate()
    for n in range(15):
        ActionFactory(due_on=today + datetime.timedelta(days=n % 9 - 3))
        FollowUpFactory(due_on=today - datetime.timedelta(days=1))
        OutcomeFactory()
        BudgetLineFactory()
        StatementFactory(deadline=today + datetime.timedelta(days=n + 1))
    for n in range(15):
        marker(objective(unit, f"Objectif {n}", due_on=soon))
        event(f"Événement {n}", days=n + 1)
        message(
            coordinator,
            text=f"Message {n}",
            valid_until=soon,
            theme_slug="torture",
            audience="media" if n % 2 else "public",
        )


def test_dashboard_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    coordinator = User.objects.get(username="coordination")
    client.force_login(coordinator)
    client.get(reverse("influence:dashboard"))  # warm the session

    # The staff coordinator's admin permissions take one of the 25.
    with django_assert_max_num_queries(25) as baseline:
        first = client.get(reverse("influence:dashboard"))
    _more_data(coordinator)
    cache.clear()

    with django_assert_max_num_queries(len(baseline.captured_queries) + 1):  # +1: chart cache
        second = client.get(reverse("influence:dashboard"))

    assert first.status_code == second.status_code == 200
    titles = [card.title for card in second.context["cards"]]
    for expected in (
        "Veille : sujets à trier",
        "Alertes de veille",
        "Sources en échec",
        "Témoignages à relire",
        "Consentements à renouveler",
        "Objectifs de collecte en cours",
        "Notes d'analyse récentes",
        "Sites et statut",
        "Calendrier — 30 jours",
        "Objectifs à risque",
        "Messages à revoir",
        "Progression des objectifs",
        "Articles par thème, 12 semaines",
        "Actions à rendre cette semaine",
        "Suites à donner en retard",
        "Résultats du trimestre",
    ):
        assert expected in titles


def test_influence_cards_count_what_their_lists_show(client_for, coordinator):
    unit = unit_strategy()
    soon = timezone.localdate() + datetime.timedelta(days=10)
    marker(objective(unit, "En retard", due_on=soon))
    objective(unit, "Sans échéance")
    Objective.objects.create(
        strategy=unit,
        title="Abandonné",
        impact=1,
        feasibility=1,
        urgency=1,
        operational_risk=1,
        due_on=soon,
        status="dropped",
    )
    event("Dans dix jours", days=10)
    event("Dans quarante jours", days=40)
    PoliticalEvent.objects.create(
        title="Déjà en cours",
        kind="summit",
        start=timezone.localdate() - datetime.timedelta(days=2),
        end=timezone.localdate() + datetime.timedelta(days=1),
    )
    message(coordinator, text="Expire bientôt", valid_until=soon)
    message(coordinator, text="Sans date", theme_slug="torture")
    client = client_for(coordinator)

    cards = {c.key: c for c in client.get(reverse("influence:dashboard")).context["cards"]}

    assert cards["influence.calendar"].count == 2
    assert cards["influence.objectives_at_risk"].count == 1
    assert cards["influence.messages_to_review"].count == 1
    for key in (
        "influence.calendar",
        "influence.objectives_at_risk",
        "influence.messages_to_review",
    ):
        assert _list_count(client.get(cards[key].link_url)) == cards[key].count


def test_empty_cards_say_why_and_what_to_do(client_for, coordinator):
    html = client_for(coordinator).get(reverse("influence:dashboard")).content.decode()
    assert "Aucun événement dans les 30 prochains jours." in html
    assert "Aucun objectif en retard" in html
    assert "Tous les messages en usage sont à jour et valides." in html


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_every_card_number_equals_the_count_of_its_list(demo_data, client, username):
    user = User.objects.get(username=username)
    client.force_login(user)

    cards = client.get(reverse("influence:dashboard")).context["cards"]

    counted = [card for card in cards if card.count is not None]
    assert counted, "every role gets at least one card with a number"
    for card in counted:
        assert card.link_url, card.key
        listed = client.get(card.link_url)
        assert listed.status_code == 200, (card.key, card.link_url)
        assert _list_count(listed) == card.count, (card.key, card.link_url)


def test_the_demo_fills_every_card_for_the_coordinator(demo_data, client):
    client.force_login(User.objects.get(username="coordination"))
    cards = {card.key: card for card in client.get(reverse("influence:dashboard")).context["cards"]}
    for key in (
        "influence.calendar",
        "influence.objectives_at_risk",
        "influence.messages_to_review",
        "veille.inbox",
        "veille.alerts",
        "temoignages.awaiting_review",
    ):
        assert cards[key].count, key


def test_a_field_officer_gets_the_cards_of_their_sites_and_keeps_their_home(demo_data, client):
    officer = User.objects.get(username="terrain.calais")
    client.force_login(officer)

    assert registry.home_url_name(officer) == "temoignages:home"
    response = client.get(reverse("influence:dashboard"))
    keys = [card.key for card in response.context["cards"]]
    assert "temoignages.my_drafts" in keys
    assert "temoignages.site_objectives" in keys
    assert "temoignages.consents_expiring" in keys
    assert not any(k.startswith(("veille.", "influence.")) for k in keys)
    html = response.content.decode()
    assert 'href="/tableau-de-bord/"' in html  # in the navigation
    assert 'href="/strategies/"' not in html
