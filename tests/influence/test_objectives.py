"""Objectives: the priority formula and ranking, markers ticked with evidence, at risk."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from influence.models import MarkerEvidence
from influence.selectors.objectives import objective_list, objectives_at_risk, priority_of
from tests.veille.factories import ItemFactory

from .factories import marker, objective, unit_strategy

pytestmark = pytest.mark.django_db


def test_priority_formula_rewards_impact_and_penalises_risk(settings):
    settings.INFLUENCE_PRIORITY_WEIGHTS = {
        "impact": 0.4,
        "feasibility": 0.2,
        "urgency": 0.2,
        "operational_risk": 0.2,
    }
    assert priority_of(impact=5, feasibility=5, urgency=5, operational_risk=1) == 100.0
    assert priority_of(impact=1, feasibility=1, urgency=1, operational_risk=5) == 0.0
    # impact 5 → 0.4 × 1 ; others at their middle (0.5) → 0.6 × 0.5 = 0.3 ; total 0.7
    assert priority_of(impact=5, feasibility=3, urgency=3, operational_risk=3) == 70.0


def test_ranked_list_follows_the_weights_from_the_settings(settings, coordinator):
    unit = unit_strategy()
    impactful = objective(unit, "Impact fort", scores=(5, 1, 1, 3))
    urgent = objective(unit, "Urgent", scores=(1, 1, 5, 3))

    settings.INFLUENCE_PRIORITY_WEIGHTS = {
        "impact": 0.7,
        "feasibility": 0.1,
        "urgency": 0.1,
        "operational_risk": 0.1,
    }
    assert list(objective_list(coordinator))[:2] == [impactful, urgent]

    settings.INFLUENCE_PRIORITY_WEIGHTS = {
        "impact": 0.1,
        "feasibility": 0.1,
        "urgency": 0.7,
        "operational_risk": 0.1,
    }
    assert list(objective_list(coordinator))[:2] == [urgent, impactful]


def test_the_objective_page_shows_the_formula_with_its_numbers(client_for, coordinator):
    target = objective(unit_strategy(), "Accès aux soins", scores=(4, 3, 2, 5))
    html = client_for(coordinator).get(target.get_absolute_url()).content.decode()
    assert "(5 − risque) / 4" in html
    assert "(impact − 1) / 4" in html
    assert "Priorité" in html


def test_scores_outside_1_to_5_are_refused_and_the_form_keeps_what_was_typed(
    client_for, coordinator
):
    unit = unit_strategy()
    response = client_for(coordinator).post(
        reverse("influence:objective_create", args=[unit.pk]),
        {
            "title": "Fin des refoulements",
            "impact": "9",
            "feasibility": "0",
            "urgency": "3",
            "operational_risk": "3",
            "status": "active",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "inférieure ou égale à 5" in html
    assert "supérieure ou égale à 1" in html
    assert 'value="Fin des refoulements"' in html
    assert not unit.objectives.exists()


def test_ticking_a_marker_with_a_veille_item_found_by_the_search(client_for, coordinator):
    target = objective(unit_strategy(), "Évacuations")
    step = marker(target, "Le HCR publie ses chiffres")
    item = ItemFactory(title="Le HCR publie les chiffres des évacuations depuis la Libye")
    client = client_for(coordinator)
    url = reverse("influence:marker_tick", args=[step.pk])
    today = timezone.localdate().isoformat()

    found = client.post(
        url, {"reached_on": today, "evidence_query": "évacuations", "action": "search"}
    )
    assert f"veille.item:{item.pk}" in found.content.decode()

    saved = client.post(
        url,
        {
            "reached_on": today,
            "evidence_query": "évacuations",
            "evidence": [f"veille.item:{item.pk}"],
            "action": "save",
        },
    )

    assert saved.status_code == 302
    step.refresh_from_db()
    assert step.reached_on == timezone.localdate()
    assert step.reached_by == coordinator
    evidence = MarkerEvidence.objects.get(marker=step)
    assert evidence.evidence == item
    page = client.get(target.get_absolute_url()).content.decode()
    assert item.title in page
    assert "1/1" in page


def test_evidence_that_the_search_did_not_offer_is_refused(client_for, coordinator):
    step = marker(objective(unit_strategy(), "Évacuations"))
    ItemFactory(title="Article sans rapport")
    response = client_for(coordinator).post(
        reverse("influence:marker_tick", args=[step.pk]),
        {
            "reached_on": timezone.localdate().isoformat(),
            "evidence_query": "évacuations",
            "evidence": ["core.user:1"],
            "action": "save",
        },
    )
    assert response.status_code == 400
    assert not MarkerEvidence.objects.exists()
    step.refresh_from_db()
    assert step.reached_on is None


def test_a_marker_cannot_be_reached_in_the_future(client_for, coordinator):
    step = marker(objective(unit_strategy(), "Évacuations"))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(coordinator).post(
        reverse("influence:marker_tick", args=[step.pk]), {"reached_on": tomorrow, "action": "save"}
    )
    assert response.status_code == 400
    assert "La date ne peut pas être dans le futur." in response.content.decode()


def test_at_risk_means_due_soon_with_few_markers_reached(settings, coordinator):
    settings.INFLUENCE_AT_RISK_DAYS = 90
    settings.INFLUENCE_AT_RISK_PERCENT = 50
    unit = unit_strategy()
    soon = timezone.localdate() + datetime.timedelta(days=30)
    late = objective(unit, "En retard", due_on=soon)
    marker(late, "a", reached=True)
    marker(late, "b")
    marker(late, "c")
    on_track = objective(unit, "En bonne voie", due_on=soon)
    marker(on_track, "a", reached=True)
    marker(on_track, "b", reached=True)
    objective(unit, "Lointain", due_on=soon + datetime.timedelta(days=200))
    objective(unit, "Abandonné", due_on=soon, status="dropped")

    assert list(objectives_at_risk(coordinator)) == [late]


def test_indicator_progress_between_baseline_and_target(client_for, coordinator):
    target = objective(unit_strategy(), "Soins")
    client = client_for(coordinator)
    client.post(
        reverse("influence:indicator_create", args=[target.pk]),
        {"name": "Personnes orientées", "baseline": "100", "target": "300", "current": "200"},
    )
    indicator = target.indicators.get()
    assert indicator.percent == 50
    assert "50 %" in client.get(target.get_absolute_url()).content.decode()


def test_the_objective_list_runs_a_constant_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    unit = unit_strategy()
    client = client_for(coordinator)
    for n in range(3):
        marker(objective(unit, f"Objectif {n}"))
    client.get(reverse("influence:objectives"))
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("influence:objectives"))
    for n in range(20):
        marker(objective(unit, f"Autre objectif {n}"), reached=True)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("influence:objectives"))
    assert response.context["page_obj"].paginator.count == 23
