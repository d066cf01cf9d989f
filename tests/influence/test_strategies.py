"""Strategies: the common thread, country strategies side by side, validation, risks."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from influence.models import Strategy
from influence.selectors.strategies import side_by_side

from .factories import country_strategy, objective, unit_strategy

pytestmark = pytest.mark.django_db


def test_side_by_side_shows_taken_up_absent_and_country_only_objectives(coordinator):
    unit = unit_strategy()
    detention = objective(unit, "Fin de la détention des enfants")
    care = objective(unit, "Accès aux soins")
    france = country_strategy(unit, "FR")
    libya = country_strategy(unit, "LY")
    objective(france, "Présomption de minorité", takes_up=detention)
    objective(libya, "Accès aux centres", takes_up=detention)
    own = objective(libya, "Tuberculose après libération")

    grid = side_by_side(coordinator, unit)

    assert [c.strategy.country.code for c in grid.columns] == ["LY", "FR"] or [
        c.strategy.country.code for c in grid.columns
    ] == ["FR", "LY"]
    rows = {o.title: [cell.taken_up for cell in cells] for o, cells in grid.rows}
    assert rows[detention.title] == [True, True]
    assert rows[care.title] == [False, False]
    libya_column = next(c for c in grid.columns if c.strategy == libya)
    assert libya_column.own == [own]


def test_the_side_by_side_page_says_repris_and_absent(client_for, coordinator):
    unit = unit_strategy()
    taken = objective(unit, "Fin de la détention des enfants")
    objective(unit, "Accès aux soins")
    objective(country_strategy(unit, "FR"), "Présomption de minorité", takes_up=taken)

    response = client_for(coordinator).get(reverse("influence:strategies"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "repris" in html
    assert "absent" in html
    assert "Présomption de minorité" in html  # the country's own wording, on hover


def test_coordinator_validates_a_draft_and_it_is_dated_and_audited(client_for, coordinator):
    unit = unit_strategy()

    response = client_for(coordinator).post(reverse("influence:strategy_validate", args=[unit.pk]))

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.status == Strategy.Status.VALIDATED
    assert unit.validated_by == coordinator
    assert unit.validated_at is not None
    assert AuditEvent.objects.filter(
        action="change", object_type="influence.strategy", object_id=str(unit.pk)
    ).exists()


def test_advocacy_officer_cannot_validate(client_for, advocacy_fr):
    unit = unit_strategy()
    response = client_for(advocacy_fr).post(reverse("influence:strategy_validate", args=[unit.pk]))
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.status == Strategy.Status.DRAFT


def test_advocacy_officer_edits_their_country_but_not_another(client_for, advocacy_fr):
    unit = unit_strategy()
    france = country_strategy(unit, "FR")
    libya = country_strategy(unit, "LY")
    client = client_for(advocacy_fr)

    assert client.get(reverse("influence:strategy_edit", args=[france.pk])).status_code == 200
    assert client.get(reverse("influence:strategy_edit", args=[libya.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="permission_denied", object_id=str(libya.pk)).exists()


def test_a_period_ending_before_it_starts_is_refused_and_nothing_typed_is_lost(
    client_for, coordinator
):
    response = client_for(coordinator).post(
        reverse("influence:strategy_create") + "?unite=1",
        {
            "title": "Fil conducteur 2027",
            "period_start": "2027-12-31",
            "period_end": "2027-01-01",
            "common_thread": "Soigner et témoigner.",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "La fin de la période doit être postérieure à son début." in html
    assert "Fil conducteur 2027" in html
    assert "Soigner et témoigner." in html
    assert not Strategy.objects.exists()


def test_risk_scores_out_of_range_get_a_clear_message(client_for, coordinator):
    unit = unit_strategy()
    libya = country_strategy(unit, "LY")

    response = client_for(coordinator).post(
        reverse("influence:risk_create", args=[libya.pk]),
        {"title": "Suspension des activités", "likelihood": "7", "impact": "0"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "inférieure ou égale à 5" in html
    assert "supérieure ou égale à 1" in html
    assert "Suspension des activités" in html
    assert not libya.risks.exists()


def test_archiving_asks_for_confirmation_first(client_for, coordinator):
    unit = unit_strategy()
    client = client_for(coordinator)

    page = client.get(reverse("influence:strategy_archive", args=[unit.pk]))
    assert page.status_code == 200
    assert "Archiver la stratégie" in page.content.decode()
    unit.refresh_from_db()
    assert unit.status == Strategy.Status.DRAFT

    client.post(reverse("influence:strategy_archive", args=[unit.pk]))
    unit.refresh_from_db()
    assert unit.status == Strategy.Status.ARCHIVED


def test_field_officers_do_not_see_strategies(client_for, field_calais):
    unit_strategy()
    assert client_for(field_calais).get(reverse("influence:strategies")).status_code == 403
