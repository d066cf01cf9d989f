"""The Témoignages landing page: the field officer's drafts, testimonies sent back and
sent, objectives of their sites; something useful for coordinators; scoping."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from temoignages.models import Testimony
from tests.core.factories import site, theme
from tests.temoignages.factories import CollectionObjectiveFactory, TestimonyFactory

pytestmark = pytest.mark.django_db

HOME = "temoignages:home"


def test_field_officer_lands_on_their_testimonies_from_the_site_home(client_for, field_calais):
    response = client_for(field_calais).get(reverse("core:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(HOME)
    assert "Nouveau témoignage" in response.content.decode()


def test_empty_home_says_what_to_do(client_for, field_calais):
    content = client_for(field_calais).get(reverse(HOME)).content.decode()
    assert "Aucun témoignage pour l'instant." in content
    assert reverse("temoignages:submit_start") in content


@pytest.mark.smoke
def test_home_lists_drafts_returned_and_sent_with_status_badges(client_for, field_calais):
    draft = TestimonyFactory(collected_by=field_calais, title="Brouillon du matin", wizard_step=3)
    returned = TestimonyFactory(
        collected_by=field_calais,
        status=Testimony.Status.REJECTED,
        rejection_reason="Retirer le prénom du frère au 2e paragraphe.",
    )
    sent = TestimonyFactory(collected_by=field_calais, submitted=True, title="Envoyé hier")
    approved = TestimonyFactory(collected_by=field_calais, approved=True)
    content = client_for(field_calais).get(reverse(HOME)).content.decode()

    assert "Brouillon du matin" in content
    assert "étape 3/6" in content
    assert reverse("temoignages:submit_resume", args=[draft.pk]) in content
    assert "Renvoyés pour correction" in content
    assert "Retirer le prénom du frère au 2e paragraphe." in content
    assert reverse("temoignages:submit_resume", args=[returned.pk]) in content
    assert "Envoyé hier" in content
    assert reverse("temoignages:detail", args=[sent.pk]) in content
    assert ">Soumis</span>" in content
    assert ">Approuvé</span>" in content
    assert approved.reference in content
    assert f'data-server-draft="{draft.client_uuid}"' in content


def test_home_shows_only_the_officers_own_testimonies_on_their_sites(
    client_for, field_calais, field_marseille
):
    TestimonyFactory(collected_by=field_marseille, site=site("marseille"), title="De Marseille")
    TestimonyFactory(site=site("calais"), title="D'un collègue")
    content = client_for(field_calais).get(reverse(HOME)).content.decode()
    assert "De Marseille" not in content
    assert "D&#x27;un collègue" not in content


def test_home_shows_the_objectives_of_the_officers_sites(client_for, field_calais):
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)
    CollectionObjectiveFactory(
        site=site("calais"),
        theme=theme("violences-frontieres"),
        period_start=start,
        period_end=end,
        target_count=8,
        reason="Violences policières lors des démantèlements",
    )
    CollectionObjectiveFactory(
        site=site("tripoli"), theme=theme("detention"), period_start=start, period_end=end
    )
    TestimonyFactory(
        site=site("calais"),
        submitted=True,
        collected_on=today,
        themes=[theme("violences-frontieres")],
    )
    content = client_for(field_calais).get(reverse(HOME)).content.decode()
    assert "Objectifs de collecte de mes sites" in content
    assert "Violences policières lors des démantèlements" in content
    assert "1 / 8 recueillis" in content
    assert "Détention" not in content


def test_coordinator_home_points_to_review_consents_builder_and_objectives(client_for, coordinator):
    TestimonyFactory(submitted=True)
    content = client_for(coordinator).get(reverse(HOME)).content.decode()
    assert reverse("temoignages:list") + "?status=submitted&amp;status=in_review" in content
    assert reverse("temoignages:consents_expiring") in content
    assert reverse("temoignages:forms_list") in content
    assert reverse("temoignages:objectives") in content
    assert '<span class="home-tile-count">1</span>' in content


def test_readers_go_to_the_list_and_viewers_are_told_why(client_for, advocacy_fr, viewer):
    response = client_for(advocacy_fr).get(reverse(HOME))
    assert response["Location"] == reverse("temoignages:list")
    response = client_for(viewer).get(reverse(HOME))
    assert "Aucun témoignage ne vous est accessible" in response.content.decode()


def test_a_discarded_draft_is_cleared_from_the_device(client_for, field_calais):
    content = (
        client_for(field_calais)
        .get(reverse(HOME), {"discarded": "0d9f7a7e-8f63-4f0e-9b1a-3c3f6c2f5e11"})
        .content.decode()
    )
    assert 'data-cleared-draft="0d9f7a7e-8f63-4f0e-9b1a-3c3f6c2f5e11"' in content
    content = client_for(field_calais).get(reverse(HOME), {"discarded": "<script>"}).content
    assert b'data-cleared-draft=""' in content


@pytest.mark.parametrize("role_fixture", ["field_calais", "coordinator"])
def test_home_runs_a_constant_number_of_queries(
    request, client_for, role_fixture, django_assert_num_queries
):
    user = request.getfixturevalue(role_fixture)
    client = client_for(user)
    today = timezone.localdate()
    CollectionObjectiveFactory(  # one running objective: its progress is one grouped query
        site=site("calais"), period_start=today, period_end=today + datetime.timedelta(days=9)
    )
    client.get(reverse(HOME))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(HOME))
    for n in range(6):
        TestimonyFactory(collected_by=user, title=f"Brouillon {n}")
        TestimonyFactory(collected_by=user, submitted=True)
        TestimonyFactory(collected_by=user, status=Testimony.Status.REJECTED)
        CollectionObjectiveFactory(
            site=site("calais"),
            period_start=today - datetime.timedelta(days=1),
            period_end=today + datetime.timedelta(days=n + 1),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse(HOME))
    assert "Brouillon 5" in response.content.decode()
