"""The list and the detail page: tabs, the gate's panel, filters, query counts, dashboard."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Site
from temoignages import services
from temoignages.extensions import cards
from tests.core.factories import site, theme
from tests.temoignages.factories import (
    ConsentFactory,
    FormQuestionFactory,
    TestimonyFactory,
    TestimonyTranslationFactory,
    TestimonyUseFactory,
    UsableExtractFactory,
    usable_testimony,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def detail(client, testimony, tab=""):
    url = reverse("temoignages:detail", args=[testimony.pk])
    return client.get(url + (f"?tab={tab}" if tab else ""))


def test_panel_says_why_partners_and_public_are_refused(client_for, coordinator):
    testimony = usable_testimony(site=site("tripoli"), sensitivity="confidential", external_text="")
    content = detail(client_for(coordinator), testimony).content.decode()
    panel = content[content.index('id="usability-panel"') :]
    panel = panel[: panel.index("</ul>\n        <div")]
    assert "✓</span> Interne" in panel
    assert "✗</span> Partenaires" in panel
    assert "pas de version externe caviardée" in panel
    assert "site à risque élevé : pas d&#x27;usage public" in panel


def test_every_tab_renders_for_the_coordinator(client_for, coordinator, field_calais):
    question = FormQuestionFactory(
        key="lieu-interception",
        label_fr="Lieu d'interception",
        kind="single_choice",
        choices=[{"value": "mer", "fr": "En mer", "en": "At sea", "ar": "في البحر"}],
    )
    testimony = usable_testimony(
        collected_by=field_calais,
        language="ar",
        narrative="احتجزونا في زوارة لثلاثة أشهر",
        form_version=question.version,
        answers={"lieu-interception": "mer"},
        is_minor=True,
        themes=[theme("detention")],
        consent={"minor_ok": True},
    )
    TestimonyTranslationFactory(testimony=testimony, language="fr", text="Ils nous ont détenus.")
    UsableExtractFactory(testimony=testimony, text="« Trois mois »", external_text="« 3 mois »")
    TestimonyUseFactory(testimony=testimony, where="Note sur la détention")
    services.testimony_draft_update  # noqa: B018 — history comes from the services below
    services.external_version_update(
        testimony=testimony, user=coordinator, external_text="Version caviardée."
    )
    client = client_for(coordinator)
    recit = detail(client, testimony, "recit").content.decode()
    assert 'lang="ar" dir="rtl"' in recit
    assert "Ils nous ont détenus." in recit  # translation side by side
    assert "En mer" in recit  # choice label, not the stored value
    assert "Mineur" in recit  # sensitivity badges
    assert "Version caviardée." in detail(client, testimony, "externe").content.decode()
    consent = detail(client, testimony, "consentement").content.decode()
    assert "Référent ASE" in consent
    assert "Retirer le consentement" in consent
    assert "Note sur la détention" in detail(client, testimony, "utilisations").content.decode()
    history = detail(client, testimony, "historique").content.decode()
    assert "Version externe modifiée" in history
    assert "Consultation" in history  # audit trail of views, for coordinators
    assert detail(client, testimony, "medias").status_code == 200


def test_unknown_tab_falls_back_to_the_first(client_for, coordinator):
    testimony = usable_testimony()
    assert detail(client_for(coordinator), testimony, "nope").status_code == 200


def test_field_officer_has_no_reveal_or_review_action(client_for, field_calais, coordinator):
    testimony = TestimonyFactory(collected_by=field_calais, status="submitted")
    services.testimony_identity_set(testimony=testimony, user=coordinator, full_name="X")
    reveal_url = reverse("temoignages:identity_reveal", args=[testimony.pk])
    approve_url = reverse("temoignages:review_approve", args=[testimony.pk])
    content = detail(client_for(field_calais), testimony).content.decode()
    assert reveal_url not in content
    assert approve_url not in content
    coord = detail(client_for(coordinator), testimony).content.decode()
    assert reveal_url in coord
    assert approve_url in coord


def test_rejection_reason_is_shown_to_the_officer(client_for, field_calais):
    testimony = TestimonyFactory(
        collected_by=field_calais, status="rejected", rejection_reason="Retirer le prénom."
    )
    assert "Retirer le prénom." in detail(client_for(field_calais), testimony).content.decode()


def test_advocacy_sees_the_original_but_not_consent_or_history(client_for, advocacy_fr):
    testimony = usable_testimony(narrative="Récit pour le plaidoyer")
    client = client_for(advocacy_fr)
    assert "Récit pour le plaidoyer" in detail(client, testimony).content.decode()
    content = detail(client, testimony, "consentement").content.decode()
    assert "Retirer le consentement" not in content  # falls back to the first tab


# --- List -------------------------------------------------------------------------------


def test_list_query_count_is_constant(client_for, coordinator, django_assert_num_queries):
    client = client_for(coordinator)
    client.get(reverse("temoignages:list"))  # warm up (session, content types)
    for _ in range(3):
        usable_testimony(themes=[theme("detention")])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("temoignages:list"))
    for _ in range(20):
        TestimonyFactory(status="submitted", themes=[theme("torture")])
        ConsentFactory()
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("temoignages:list"))
    assert response.status_code == 200


def test_list_query_count_for_communication(client_for, communication, django_assert_num_queries):
    client = client_for(communication)
    client.get(reverse("temoignages:list"))
    usable_testimony()
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("temoignages:list"))
    for _ in range(15):
        usable_testimony()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("temoignages:list"))


def test_list_filters(client_for, coordinator):
    usable = usable_testimony(site=site("marseille"))
    expiring = usable_testimony(consent={"expires_on": TODAY() + datetime.timedelta(days=3)})
    submitted = TestimonyFactory(status="submitted", is_minor=True)
    client = client_for(coordinator)

    def refs(**params):
        content = client.get(reverse("temoignages:list"), params).content.decode()
        return set(re.findall(r"TEM-1999-\d{4}", content))

    assert refs(usable_for="public") == {usable.reference, expiring.reference}
    assert refs(consent="expiring") == {expiring.reference}
    assert refs(status="submitted") == {submitted.reference}
    assert refs(is_minor="true") == {submitted.reference}
    assert refs(site=site("marseille").pk) == {usable.reference}
    assert refs(q=usable.reference) == {usable.reference}


def test_suspending_a_site_removes_its_testimonies_from_public_lists(client_for, coordinator):
    testimony = usable_testimony()
    client = client_for(coordinator)
    params = {"usable_for": "partners"}
    assert testimony.reference in client.get(reverse("temoignages:list"), params).content.decode()
    Site.objects.filter(pk=testimony.site_id).update(status=Site.Status.SUSPENDED)
    assert (
        testimony.reference not in client.get(reverse("temoignages:list"), params).content.decode()
    )


def test_list_empty_states(client_for, coordinator):
    client = client_for(coordinator)
    assert "Aucun témoignage pour l" in client.get(reverse("temoignages:list")).content.decode()
    filtered = client.get(reverse("temoignages:list"), {"status": "approved"}).content.decode()
    assert "Aucun témoignage ne correspond" in filtered


def test_list_htmx_request_gets_the_partial(client_for, coordinator):
    usable_testimony()
    response = client_for(coordinator).get(reverse("temoignages:list"), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert 'id="testimony-table"' in response.content.decode()


def test_list_paginates(client_for, coordinator, settings):
    settings.PAGINATE_BY = 5
    for _ in range(7):
        TestimonyFactory(status="submitted")
    content = client_for(coordinator).get(reverse("temoignages:list")).content.decode()
    assert "Page 1 sur 2" in content


# --- Dashboard --------------------------------------------------------------------------


def test_dashboard_cards_for_coordinators_only(rf, coordinator, advocacy_fr):
    TestimonyFactory(status="submitted")
    usable_testimony(consent={"expires_on": TODAY() + datetime.timedelta(days=5)})
    request = rf.get("/")
    request.user = coordinator
    by_key = {card.key: card for card in cards(request)}
    waiting = by_key["temoignages.awaiting_review"]
    expiring = by_key["temoignages.consents_expiring"]
    assert waiting.context["count"] == waiting.count == 1
    assert expiring.context["count"] == expiring.count == 1
    request.user = advocacy_fr
    keys = {card.key for card in cards(request)}
    assert not keys & {"temoignages.awaiting_review", "temoignages.consents_expiring"}


def test_dashboard_cards_cost_a_constant_number_of_queries(
    rf, coordinator, django_assert_num_queries
):
    request = rf.get("/")
    request.user = coordinator
    cards(request)
    for _ in range(12):
        TestimonyFactory(status="submitted")
        usable_testimony(consent={"expires_on": TODAY() + datetime.timedelta(days=5)})
    with django_assert_num_queries(3):  # review (rows and count); consents; objectives
        cards(request)


def test_dashboard_page_shows_the_cards(client_for, coordinator):
    testimony = TestimonyFactory(status="submitted")
    content = client_for(coordinator).get(reverse("influence:dashboard")).content.decode()
    assert "Témoignages à relire" in content
    assert testimony.reference in content


def test_list_sorts(client_for, coordinator):
    first, second = TestimonyFactory(status="submitted"), TestimonyFactory(status="submitted")
    client = client_for(coordinator)

    def order(sort):
        content = client.get(reverse("temoignages:list"), {"sort": sort}).content.decode()
        return re.findall(r"TEM-1999-\d{4}(?=</a>)", content)

    assert order("reference") == [first.reference, second.reference]
    assert order("-reference") == [second.reference, first.reference]


def test_field_officer_can_resume_a_returned_testimony_from_the_detail(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, status="rejected")
    content = detail(client_for(field_calais), testimony).content.decode()
    assert reverse("temoignages:submit_resume", args=[testimony.pk]) in content
    approved = usable_testimony(collected_by=field_calais)
    content = detail(client_for(field_calais), approved).content.decode()
    assert reverse("temoignages:submit_resume", args=[approved.pk]) not in content
