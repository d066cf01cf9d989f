"""Drafts, submission and review: references, idempotency, states, external version, history."""

import datetime
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from temoignages import services
from temoignages.models import Testimony, TestimonyEvent
from tests.core.factories import site, theme
from tests.temoignages.factories import (
    ConsentFactory,
    FormQuestionFactory,
    TestimonyFactory,
    UsableExtractFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_draft_gets_a_reference_and_a_default_retention(field_calais):
    testimony = services.testimony_draft_create(
        user=field_calais, site=site("calais"), sensitivity="strict"
    )
    year = TODAY().year
    assert testimony.reference.startswith(f"TEM-{year}-")
    assert testimony.retention_date == testimony.collected_on + datetime.timedelta(days=730)
    second = services.testimony_draft_create(user=field_calais, site=site("calais"))
    assert int(second.reference.rsplit("-", 1)[1]) == int(testimony.reference.rsplit("-", 1)[1]) + 1


def test_retried_draft_creation_returns_the_same_testimony(field_calais):
    key = uuid.uuid4()
    first = services.testimony_draft_create(user=field_calais, site=site("calais"), client_uuid=key)
    again = services.testimony_draft_create(user=field_calais, site=site("calais"), client_uuid=key)
    assert first.pk == again.pk
    assert Testimony.objects.count() == 1


def test_field_officer_cannot_start_a_draft_for_another_site(field_calais):
    with pytest.raises(PermissionDenied):
        services.testimony_draft_create(user=field_calais, site=site("marseille"))


def test_collection_date_in_the_future_is_refused(field_calais):
    with pytest.raises(ValidationError) as excinfo:
        services.testimony_draft_create(
            user=field_calais,
            site=site("calais"),
            collected_on=TODAY() + datetime.timedelta(days=1),
        )
    assert "collected_on" in excinfo.value.message_dict


def test_draft_update_logs_field_names_never_values(field_calais):
    testimony = services.testimony_draft_create(user=field_calais, site=site("calais"))
    services.testimony_draft_update(
        testimony=testimony,
        user=field_calais,
        narrative="Nous avons été interceptés au large de Zuwara.",
        is_minor=True,
        themes=[theme("detention")],
        translations={"en": "We were intercepted off Zuwara."},
        extracts=["« Interceptés au large »"],
        wizard_step=3,
    )
    event = testimony.events.filter(kind=TestimonyEvent.Kind.UPDATED).get()
    assert event.changed_fields == sorted(
        ["narrative", "is_minor", "themes", "translations", "extracts"]
    )
    assert "Zuwara" not in str(list(TestimonyEvent.objects.values()))
    testimony.refresh_from_db()
    assert testimony.wizard_step == 3
    assert testimony.translations.get().language == "en"


def test_sensitivity_change_moves_the_default_retention_date(field_calais):
    testimony = services.testimony_draft_create(user=field_calais, site=site("calais"))
    services.testimony_draft_update(testimony=testimony, user=field_calais, sensitivity="standard")
    testimony.refresh_from_db()
    assert testimony.retention_date == testimony.collected_on + datetime.timedelta(days=5 * 365)


def test_required_form_answers_are_checked_at_submission(field_calais):
    question = FormQuestionFactory(required=True, key="lieu", kind="short_text")
    testimony = TestimonyFactory(collected_by=field_calais, form_version=question.version)
    ConsentFactory(testimony=testimony)
    with pytest.raises(ValidationError) as excinfo:
        services.testimony_submit(testimony=testimony, user=field_calais)
    assert "answers" in excinfo.value.message_dict


def test_unknown_choice_is_refused(field_calais):
    question = FormQuestionFactory(
        kind="single_choice", key="statut", choices=[{"value": "oui", "fr": "Oui"}]
    )
    testimony = TestimonyFactory(collected_by=field_calais, form_version=question.version)
    with pytest.raises(ValidationError):
        services.testimony_draft_update(
            testimony=testimony, user=field_calais, answers={"statut": "peut-être"}
        )


def test_submit_is_idempotent(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    ConsentFactory(testimony=testimony)
    services.testimony_submit(testimony=testimony, user=field_calais)
    services.testimony_submit(testimony=testimony, user=field_calais)
    assert testimony.events.filter(kind="submitted").count() == 1


def test_submitted_testimony_is_no_longer_editable_by_the_officer(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, status="submitted")
    with pytest.raises(PermissionDenied):
        services.testimony_draft_update(testimony=testimony, user=field_calais, narrative="x")


class TestReview:
    def test_full_cycle_submitted_in_review_approved(self, coordinator):
        testimony = TestimonyFactory(status="submitted")
        ConsentFactory(testimony=testimony)
        services.review_start(testimony=testimony, user=coordinator)
        assert testimony.status == "in_review"
        services.review_approve(testimony=testimony, user=coordinator)
        testimony.refresh_from_db()
        assert testimony.status == "approved"
        assert testimony.reviewed_by == coordinator
        kinds = list(testimony.events.order_by("id").values_list("kind", flat=True))
        assert kinds == ["review_started", "approved"]

    def test_rejection_needs_a_reason_and_returns_to_the_officer(self, coordinator, field_calais):
        testimony = TestimonyFactory(status="in_review", collected_by=field_calais)
        with pytest.raises(ValidationError):
            services.review_reject(testimony=testimony, user=coordinator, reason="  ")
        services.review_reject(
            testimony=testimony, user=coordinator, reason="Retirer le prénom du frère."
        )
        testimony.refresh_from_db()
        assert testimony.status == "rejected"
        assert testimony.is_editable
        # the officer corrects and sends it again
        ConsentFactory(testimony=testimony)
        services.testimony_draft_update(testimony=testimony, user=field_calais, narrative="Corrigé")
        services.testimony_submit(testimony=testimony, user=field_calais)
        testimony.refresh_from_db()
        assert testimony.status == "submitted"
        assert testimony.rejection_reason == ""

    def test_only_coordinators_review(self, field_calais, advocacy_fr):
        testimony = TestimonyFactory(status="submitted")
        for user in (field_calais, advocacy_fr):
            with pytest.raises(PermissionDenied):
                services.review_start(testimony=testimony, user=user)

    def test_cannot_approve_a_draft(self, coordinator):
        testimony = TestimonyFactory(status="draft")
        ConsentFactory(testimony=testimony)
        with pytest.raises(ValidationError):
            services.review_approve(testimony=testimony, user=coordinator)

    def test_cannot_approve_without_consent(self, coordinator):
        testimony = TestimonyFactory(status="submitted")
        with pytest.raises(ValidationError, match="consentement"):
            services.review_approve(testimony=testimony, user=coordinator)

    def test_external_version_and_extract_wording(self, coordinator):
        testimony = TestimonyFactory(status="in_review")
        extract = UsableExtractFactory(testimony=testimony)
        services.external_version_update(
            testimony=testimony,
            user=coordinator,
            external_text="  Un jeune homme, arrivé en 2025, raconte…  ",
            extracts={extract.pk: "« On nous a dit que nous étions majeurs. »"},
        )
        testimony.refresh_from_db()
        extract.refresh_from_db()
        assert testimony.external_text == "Un jeune homme, arrivé en 2025, raconte…"
        assert extract.external_text.startswith("« On nous")
        event = testimony.events.get(kind="external_edited")
        assert event.changed_fields == ["external_text", "extracts.external_text"]

    def test_reject_view_keeps_the_reason_on_error(self, client_for, coordinator):
        testimony = TestimonyFactory(status="withdrawn")
        response = client_for(coordinator).post(
            reverse("temoignages:review_reject", args=[testimony.pk]),
            {"reason": "Préciser la date"},
        )
        assert response.status_code == 200
        assert "Préciser la date" in response.content.decode()

    def test_approve_view_explains_a_refusal(self, client_for, coordinator):
        testimony = TestimonyFactory(status="submitted")
        response = client_for(coordinator).post(
            reverse("temoignages:review_approve", args=[testimony.pk]), follow=True
        )
        assert "Approbation impossible" in response.content.decode()

    def test_external_version_view_saves(self, client_for, coordinator):
        testimony = TestimonyFactory(status="in_review")
        response = client_for(coordinator).post(
            reverse("temoignages:external_edit", args=[testimony.pk]),
            {"external_text": "Version caviardée."},
        )
        assert response.status_code == 302
        testimony.refresh_from_db()
        assert testimony.external_text == "Version caviardée."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_drafts_get_distinct_references(field_calais):
    """Eight drafts started at the same moment: eight distinct consecutive numbers."""
    errors, references = [], []
    barrier = threading.Barrier(8)

    def start():
        try:
            barrier.wait()
            testimony = services.testimony_draft_create(user=field_calais, site=site("calais"))
            references.append(testimony.reference)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references)
    assert numbers == list(range(numbers[0], numbers[0] + 8))
