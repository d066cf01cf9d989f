"""The coordinator dashboard: every app's cards, a number of queries that does not grow."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import User
from tests.temoignages.factories import CollectionObjectiveFactory
from tests.temoignages.factories import TestimonyFactory as MakeTestimony
from tests.veille.factories import AlertFactory, ItemFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_dashboard_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    call_command("seed_demo", quiet_logins=True)
    coordinator = User.objects.get(username="coordination")
    client.force_login(coordinator)
    client.get(reverse("influence:dashboard"))  # warm the session

    with django_assert_max_num_queries(25) as baseline:
        first = client.get(reverse("influence:dashboard"))
    source = SourceFactory(consecutive_failures=9)
    for _ in range(20):
        AlertFactory(user=coordinator, item=ItemFactory(source=source))
        MakeTestimony(status="submitted")
    CollectionObjectiveFactory.create_batch(5)

    with django_assert_max_num_queries(len(baseline.captured_queries)):
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
    ):
        assert expected in titles
