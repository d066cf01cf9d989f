"""Veille cards on the coordinator dashboard: one click to act, constant queries."""

import pytest
from django.urls import reverse

from tests.veille.factories import (
    AlertFactory,
    AnalysisNoteFactory,
    ItemFactory,
    SourceFactory,
    WatchRuleFactory,
)
from tests.veille.helpers import count_queries, make_story
from veille.models import AnalysisNote

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("influence:dashboard")


@pytest.mark.smoke
def test_dashboard_shows_the_veille_cards(client_for, coordinator):
    make_story(size=3, title="Naufrage au large de la Libye")
    AlertFactory(rule=WatchRuleFactory(owner=coordinator), item=ItemFactory(title="Alerte Frontex"))
    SourceFactory(name="Flux en panne", consecutive_failures=7)
    SourceFactory(name="Flux fatigué", consecutive_failures=2)
    AnalysisNoteFactory(author=coordinator, title="Note sur Lampedusa")

    html = client_for(coordinator).get(DASHBOARD).content.decode()

    assert "Veille : sujets à trier" in html
    assert "Naufrage au large de la Libye" in html
    assert "Alerte Frontex" in html
    assert "Flux en panne" in html
    assert "Flux fatigué" not in html
    assert "1 source ne répond plus." in html
    assert "Note sur Lampedusa" in html
    for url in (
        reverse("veille:inbox"),
        reverse("veille:alerts") + "?unread=true",
        reverse("veille:sources") + "?state=failing",
        reverse("veille:notes"),
    ):
        assert f'href="{url}"' in html


def test_cards_follow_what_the_user_may_see(client_for, viewer, coordinator):
    AnalysisNoteFactory(author=coordinator, title="Brouillon interne")
    AnalysisNoteFactory(
        author=coordinator, title="Note publiée", status=AnalysisNote.Status.PUBLISHED
    )
    AlertFactory(rule=WatchRuleFactory(owner=coordinator))

    response = client_for(viewer).get(DASHBOARD)

    html = response.content.decode()
    assert "Note publiée" in html
    assert "Brouillon interne" not in html
    alerts = next(c for c in response.context["cards"] if c.template.endswith("alerts.html"))
    assert alerts.context["count"] == 0
    assert "Aucune alerte en attente." in html
    assert "Aucune note publiée pour l'instant." not in html


def test_empty_cards_say_what_they_are_for(client_for, coordinator):
    html = client_for(coordinator).get(DASHBOARD).content.decode()

    assert "Tout est trié." in html
    assert "Aucune source n'est suivie" in html
    assert reverse("veille:source_create") in html
    assert "Écrire une note d'analyse" in html


def _sources_card(response):
    return next(c for c in response.context["cards"] if c.key == "veille.failing_sources")


def test_the_sources_card_never_says_all_answer_when_none_is_active(client_for, coordinator):
    SourceFactory.create_batch(2, active=False)

    response = client_for(coordinator).get(DASHBOARD)

    html = response.content.decode()
    assert _sources_card(response).context["active"] == 0
    assert "Aucune source n'est active : rien n'est récupéré" in html
    assert "sources actives répondent" not in html
    assert reverse("veille:sources") + "?state=inactive" in html


def test_the_sources_card_counts_the_active_sources_that_answer(client_for, coordinator):
    SourceFactory.create_batch(2)
    SourceFactory(active=False)

    html = client_for(coordinator).get(DASHBOARD).content.decode()

    assert "Les 2 sources actives répondent." in html


def test_who_cannot_activate_sources_is_told_who_can(client_for, viewer):
    SourceFactory(active=False)

    html = client_for(viewer).get(DASHBOARD).content.decode()

    assert "La coordination active les sources : prévenez-la." in html
    assert "?state=inactive" not in html


def test_veille_cards_cost_a_constant_number_of_queries(
    client_for, coordinator, django_assert_num_queries
):
    make_story(size=2)
    client = client_for(coordinator)
    client.get(DASHBOARD)
    queries = count_queries(client, DASHBOARD)

    for n in range(20):
        make_story(size=2, title=f"Sujet {n}")
        SourceFactory(consecutive_failures=9)
        AnalysisNoteFactory(author=coordinator)
        AlertFactory(rule=WatchRuleFactory(owner=coordinator))
    with django_assert_num_queries(len(queries)):
        client.get(DASHBOARD)


def test_demo_rules_notes_and_annotations_are_idempotent():
    from core import demo as core_demo
    from veille import demo as veille_demo
    from veille.models import Alert, Annotation, WatchRule

    core_demo.seed()
    veille_demo.seed()
    counts = (WatchRule.objects.count(), AnalysisNote.objects.count(), Annotation.objects.count())
    veille_demo.seed()

    assert counts == (3, 2, 3)
    assert (WatchRule.objects.count(), AnalysisNote.objects.count()) == counts[:2]
    assert Alert.objects.exists()
    published = AnalysisNote.objects.get(status=AnalysisNote.Status.PUBLISHED)
    assert published.cited_items.count() == 3
