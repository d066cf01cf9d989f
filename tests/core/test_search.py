"""The header search: every app's results, grouped by kind, scoped like their lists."""

import pytest
from django.urls import reverse

from tests.temoignages.factories import TestimonyFactory as MakeTestimony
from tests.veille.factories import AnalysisNoteFactory, ItemFactory

pytestmark = pytest.mark.django_db


def _groups(response) -> dict[str, list[str]]:
    return {kind: [r.title for r in results] for kind, results in response.context["groups"]}


def test_results_are_grouped_by_kind(client_for, coordinator):
    ItemFactory(title="Naufrage au large de Zuwara")
    AnalysisNoteFactory(author=coordinator, title="Zuwara : interceptions en hausse")

    groups = _groups(client_for(coordinator).get(reverse("core:search") + "?q=Zuwara"))

    assert groups["Articles de veille"] == ["Naufrage au large de Zuwara"]
    assert groups["Notes d'analyse"] == ["Zuwara : interceptions en hausse"]


def test_testimony_codes_are_scoped_like_the_testimony_list(
    client_for, coordinator, field_calais, viewer
):
    from core.models import Site

    calais = MakeTestimony(site=Site.objects.get(code="calais"), status="submitted")
    marseille = MakeTestimony(site=Site.objects.get(code="marseille"), status="submitted")
    query = f"?q={calais.reference[:8]}"

    seen_by_coordinator = _groups(client_for(coordinator).get(reverse("core:search") + query))
    seen_by_field = _groups(client_for(field_calais).get(reverse("core:search") + query))
    seen_by_viewer = _groups(client_for(viewer).get(reverse("core:search") + query))

    assert {calais.reference, marseille.reference} <= set(seen_by_coordinator["Témoignages"])
    assert seen_by_field["Témoignages"] == [calais.reference]
    assert "Témoignages" not in seen_by_viewer


def test_drafts_of_others_never_show(client_for, coordinator):
    draft = MakeTestimony(status="draft")
    groups = _groups(client_for(coordinator).get(reverse("core:search") + f"?q={draft.reference}"))
    assert "Témoignages" not in groups


def test_a_one_letter_query_asks_for_more(client_for, coordinator):
    response = client_for(coordinator).get(reverse("core:search") + "?q=a")
    assert "Tapez au moins deux caractères." in response.content.decode()
