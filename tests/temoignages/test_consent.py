"""Consent as a record: what is refused, minors, history, expiry, withdrawal cascade."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from temoignages import services
from temoignages.gate import testimony_usability
from temoignages.models import Audience, Consent, Testimony
from temoignages.selectors import consents_expiring
from tests.temoignages.factories import (
    ConsentFactory,
    TestimonyFactory,
    TestimonyUseFactory,
    usable_testimony,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def record(testimony, user, **overrides):
    kwargs = {
        "given_on": TODAY(),
        "method": Consent.Method.ORAL_RECORDED,
        "explained_in": "arabe",
        "scope_internal": True,
        "scope_external_anonymised": True,
        "element_text": True,
    }
    kwargs.update(overrides)
    return services.consent_record(testimony=testimony, recorded_by=user, **kwargs)


def errors_of(excinfo):
    return excinfo.value.message_dict


def test_consent_becomes_current_with_a_default_expiry(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    consent = record(testimony, field_calais, given_on=datetime.date(2026, 1, 31))
    testimony.refresh_from_db()
    assert testimony.current_consent == consent
    assert consent.expires_on == datetime.date(2028, 1, 31)  # 24 months
    assert consent.obtained_by == field_calais


def test_a_renewal_keeps_the_previous_consent_in_the_history(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    first = record(testimony, field_calais)
    second = record(testimony, field_calais, scope_external_anonymised=False)
    testimony.refresh_from_db()
    assert testimony.current_consent == second
    assert set(testimony.consents.all()) == {first, second}
    assert "consent_recorded" in testimony.events.values_list("kind", flat=True)


def test_date_in_the_future_is_refused(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    with pytest.raises(ValidationError) as excinfo:
        record(testimony, field_calais, given_on=TODAY() + datetime.timedelta(days=1))
    assert "futur" in errors_of(excinfo)["given_on"][0]
    assert not testimony.consents.exists()


def test_expiry_before_the_consent_is_refused(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    with pytest.raises(ValidationError) as excinfo:
        record(testimony, field_calais, expires_on=TODAY() - datetime.timedelta(days=3))
    assert "expires_on" in errors_of(excinfo)


def test_at_least_one_use_and_one_element(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    with pytest.raises(ValidationError) as excinfo:
        record(
            testimony,
            field_calais,
            scope_internal=False,
            scope_external_anonymised=False,
            element_text=False,
        )
    assert {"scope_internal", "element_text"} <= set(errors_of(excinfo))


def test_named_public_use_needs_the_name_element(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    with pytest.raises(ValidationError) as excinfo:
        record(testimony, field_calais, scope_public_named=True)
    assert "element_name" in errors_of(excinfo)


def test_interpreter_must_be_named(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    with pytest.raises(ValidationError) as excinfo:
        record(testimony, field_calais, interpreter_used=True)
    assert "interpreter" in errors_of(excinfo)


class TestMinors:
    def test_minor_needs_guardian_and_own_agreement(self, field_calais):
        testimony = TestimonyFactory(collected_by=field_calais, is_minor=True)
        with pytest.raises(ValidationError) as excinfo:
            record(testimony, field_calais)
        assert {"guardian_consent", "minor_agreement"} <= set(errors_of(excinfo))

    def test_minor_can_never_be_named_in_public(self, field_calais):
        testimony = TestimonyFactory(collected_by=field_calais, is_minor=True)
        with pytest.raises(ValidationError) as excinfo:
            record(
                testimony,
                field_calais,
                guardian_consent=True,
                guardian_relationship="Tuteur",
                minor_agreement=True,
                scope_public_named=True,
                element_name=True,
            )
        assert "scope_public_named" in errors_of(excinfo)
        assert "element_name" in errors_of(excinfo)

    def test_minor_with_both_agreements_is_recorded(self, field_calais):
        testimony = TestimonyFactory(collected_by=field_calais, is_minor=True)
        consent = record(
            testimony,
            field_calais,
            guardian_consent=True,
            guardian_relationship="Référent ASE",
            minor_agreement=True,
        )
        assert consent.pk

    def test_minor_cannot_be_approved_without_safeguarding_review(self, field_calais, coordinator):
        testimony = TestimonyFactory(collected_by=field_calais, is_minor=True, status="submitted")
        ConsentFactory(
            testimony=testimony,
            guardian_consent=True,
            guardian_relationship="Tuteur",
            minor_agreement=True,
        )
        with pytest.raises(ValidationError, match="revue de protection"):
            services.review_approve(testimony=testimony, user=coordinator)
        services.consent_safeguarding_review(testimony=testimony, user=coordinator, notes="OK")
        testimony = services.review_approve(testimony=testimony, user=coordinator)
        assert testimony.status == Testimony.Status.APPROVED

    def test_safeguarding_review_is_for_coordinators(self, field_calais):
        testimony = TestimonyFactory(collected_by=field_calais, is_minor=True)
        ConsentFactory(testimony=testimony, minor_ok=True)
        with pytest.raises(PermissionDenied):
            services.consent_safeguarding_review(testimony=testimony, user=field_calais)

    def test_consent_form_for_a_minor_does_not_offer_named_use_and_says_why(
        self, client_for, field_calais
    ):
        testimony = TestimonyFactory(collected_by=field_calais, is_minor=True)
        response = client_for(field_calais).get(
            reverse("temoignages:consent_record", args=[testimony.pk])
        )
        content = response.content.decode()
        assert 'name="scope_public_named"' not in content
        assert 'name="element_name"' not in content
        assert "jamais cité sous son nom" in content
        assert 'name="minor_agreement"' in content


def test_submission_without_consent_is_refused(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    with pytest.raises(ValidationError) as excinfo:
        services.testimony_submit(testimony=testimony, user=field_calais)
    assert "consent" in errors_of(excinfo)
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.DRAFT


def test_consent_view_keeps_what_was_typed_on_error(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    future = (TODAY() + datetime.timedelta(days=5)).isoformat()
    response = client_for(field_calais).post(
        reverse("temoignages:consent_record", args=[testimony.pk]),
        {
            "scope_internal": "on",
            "element_voice": "on",
            "method": "oral_recorded",
            "given_on": future,
            "explained_in": "tigrinya",
            "interpreter_used": "on",
            "interpreter": "Association Traduire",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Cette date est dans le futur." in content
    assert 'value="tigrinya"' in content
    assert 'value="Association Traduire"' in content
    assert f'value="{future}"' in content
    assert not testimony.consents.exists()


def test_consent_view_records_and_redirects(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    response = client_for(field_calais).post(
        reverse("temoignages:consent_record", args=[testimony.pk]),
        {
            "scope_internal": "on",
            "element_text": "on",
            "method": "oral_recorded",
            "given_on": TODAY().isoformat(),
            "explained_in": "français",
        },
    )
    assert response.status_code == 302
    assert Testimony.objects.get(pk=testimony.pk).current_consent is not None


class TestWithdrawal:
    def test_gate_denies_at_once_and_past_uses_are_listed(self, coordinator):
        testimony = usable_testimony()
        uses = [
            TestimonyUseFactory(testimony=testimony, where="Note d'analyse juin"),
            TestimonyUseFactory(testimony=testimony, where="Briefing mensuel", audience="partners"),
        ]
        returned = services.consent_withdraw(
            testimony=testimony, user=coordinator, reason="La personne craint des représailles."
        )
        assert set(returned) == set(uses)
        loaded = Testimony.objects.select_related("site", "current_consent").get(pk=testimony.pk)
        assert loaded.status == Testimony.Status.WITHDRAWN
        assert loaded.current_consent.withdrawn_at is not None
        for audience in Audience.values:
            assert "withdrawn" in testimony_usability(loaded, audience).codes

    def test_withdrawal_is_audited_without_the_reason(self, coordinator):
        testimony = usable_testimony()
        services.consent_withdraw(testimony=testimony, user=coordinator, reason="Représailles")
        event = AuditEvent.objects.get(action="change", object_id=str(testimony.pk))
        assert event.detail == {"change": "consent_withdrawn", "reason_given": True}
        assert "Représailles" not in str(event.detail)

    def test_withdrawal_is_idempotent(self, coordinator):
        testimony = usable_testimony()
        services.consent_withdraw(testimony=testimony, user=coordinator)
        services.consent_withdraw(testimony=testimony, user=coordinator)
        assert testimony.events.filter(kind="consent_withdrawn").count() == 1

    def test_no_new_consent_after_withdrawal(self, coordinator):
        testimony = usable_testimony()
        services.consent_withdraw(testimony=testimony, user=coordinator)
        with pytest.raises(ValidationError):
            record(testimony, coordinator)

    def test_withdrawal_view_confirms_then_shows_the_takedown_checklist(
        self, client_for, field_calais, coordinator
    ):
        testimony = usable_testimony(collected_by=field_calais)
        use = TestimonyUseFactory(testimony=testimony, where="Communiqué de presse 12 mai")
        client = client_for(field_calais)
        url = reverse("temoignages:consent_withdraw", args=[testimony.pk])
        confirm = client.get(url)
        assert "Communiqué de presse 12 mai" in confirm.content.decode()
        assert Testimony.objects.get(pk=testimony.pk).status == "approved"
        response = client.post(url, {"reason": ""}, follow=True)
        content = response.content.decode()
        assert "Liste de retrait" in content
        assert "Communiqué de presse 12 mai" in content
        # the coordinator ticks the use once it has been taken down
        client = client_for(coordinator)
        client.post(reverse("temoignages:use_takedown", args=[testimony.pk, use.pk]))
        use.refresh_from_db()
        assert use.takedown_done_by == coordinator

    def test_withdrawn_testimony_cannot_be_used(self, coordinator):
        testimony = usable_testimony()
        services.consent_withdraw(testimony=testimony, user=coordinator)
        with pytest.raises(services.UsageDenied):
            services.testimony_use_record(
                testimony=testimony, audience="internal", where="Note", used_by=coordinator
            )


class TestExpiry:
    def test_expired_consent_denies_every_use(self):
        testimony = usable_testimony(consent={"expires_on": TODAY() - datetime.timedelta(days=1)})
        loaded = Testimony.objects.select_related("site", "current_consent").get(pk=testimony.pk)
        assert "consent_expired" in testimony_usability(loaded, "internal").codes

    def test_consents_expiring_within_30_days_are_listed(self, coordinator, field_marseille):
        soon = usable_testimony(consent={"expires_on": TODAY() + datetime.timedelta(days=10)})
        expired = usable_testimony(consent={"expires_on": TODAY() - datetime.timedelta(days=2)})
        usable_testimony(consent={"expires_on": TODAY() + datetime.timedelta(days=90)})
        withdrawn = usable_testimony(consent={"expires_on": TODAY() + datetime.timedelta(days=5)})
        services.consent_withdraw(testimony=withdrawn, user=coordinator)
        assert list(consents_expiring(coordinator)) == [expired, soon]
        assert list(consents_expiring(field_marseille)) == []  # other site

    def test_expiring_page_lists_them(self, client_for, coordinator):
        soon = usable_testimony(consent={"expires_on": TODAY() + datetime.timedelta(days=10)})
        response = client_for(coordinator).get(reverse("temoignages:consents_expiring"))
        assert soon.reference in response.content.decode()

    def test_expiring_page_empty_state(self, client_for, coordinator):
        response = client_for(coordinator).get(reverse("temoignages:consents_expiring"))
        assert "Aucun consentement à renouveler." in response.content.decode()
