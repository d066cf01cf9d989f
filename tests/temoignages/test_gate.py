"""The publication gate: one rule set, with reasons, in Python and in SQL alike."""

import datetime
import itertools

import pytest
from django.utils import timezone

from core.models import Site
from temoignages.gate import testimony_usability, usability_panel, usable_q
from temoignages.models import Audience, Element, Testimony
from tests.core.factories import site
from tests.temoignages.factories import (
    ConsentFactory,
    TestimonyFactory,
    UsableExtractFactory,
    usable_testimony,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _codes(testimony, audience, **kwargs):
    testimony = Testimony.objects.select_related("site", "current_consent").get(pk=testimony.pk)
    return testimony_usability(testimony, audience, **kwargs).codes


def test_fully_consented_approved_testimony_is_usable_everywhere():
    testimony = usable_testimony()
    panel = usability_panel(
        Testimony.objects.select_related("site", "current_consent").get(pk=testimony.pk)
    )
    assert [u.allowed for u in panel] == [True, True, True]
    assert [u.audience for u in panel] == ["internal", "partners", "public"]


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "in_review", "rejected", "withdrawn", "archived"]
)
def test_only_approved_testimonies_pass(status):
    testimony = usable_testimony(status=status)
    codes = _codes(testimony, Audience.INTERNAL)
    assert codes & {"not_approved", "withdrawn", "archived"}


def test_no_consent_denies_every_audience():
    testimony = TestimonyFactory(approved=True, sensitivity="standard")
    for audience in Audience.values:
        assert "no_consent" in _codes(testimony, audience)


def test_consent_scope_is_checked_per_audience():
    testimony = usable_testimony(consent={"scope_external_anonymised": False})
    assert _codes(testimony, Audience.INTERNAL) == frozenset()
    assert "scope" in _codes(testimony, Audience.PARTNERS)
    assert "scope" in _codes(testimony, Audience.PUBLIC)


def test_consent_element_is_checked():
    testimony = usable_testimony(consent={"element_voice": False})
    assert "element" in _codes(testimony, Audience.INTERNAL, element=Element.VOICE)
    assert _codes(testimony, Audience.INTERNAL, element=Element.TEXT) == frozenset()


def test_expiry_is_the_last_valid_day():
    expires = TODAY() + datetime.timedelta(days=5)
    testimony = usable_testimony(consent={"expires_on": expires})
    assert _codes(testimony, Audience.INTERNAL, on=expires) == frozenset()
    later = expires + datetime.timedelta(days=1)
    assert "consent_expired" in _codes(testimony, Audience.INTERNAL, on=later)


def test_consent_given_after_the_date_does_not_count():
    testimony = usable_testimony()
    before = testimony.current_consent.given_on - datetime.timedelta(days=1)
    assert "consent_not_yet" in _codes(testimony, Audience.INTERNAL, on=before)


def test_named_use_needs_named_scope_and_name_element():
    testimony = usable_testimony()
    assert "scope" in _codes(testimony, Audience.PUBLIC, named=True)
    named = usable_testimony(consent={"scope_public_named": True, "element_name": True})
    assert _codes(named, Audience.PUBLIC, named=True) == frozenset()


def test_minor_needs_guardian_agreement_and_safeguarding_review():
    testimony = usable_testimony(is_minor=True)
    codes = _codes(testimony, Audience.INTERNAL)
    assert {"minor_consent", "minor_safeguarding"} <= codes
    ok = usable_testimony(is_minor=True, consent={"minor_ok": True})
    assert _codes(ok, Audience.INTERNAL) == frozenset()


def test_minor_is_never_usable_by_name():
    testimony = usable_testimony(
        is_minor=True, consent={"minor_ok": True, "scope_public_named": True, "element_name": True}
    )
    assert "minor_named" in _codes(testimony, Audience.PUBLIC, named=True)


def test_external_use_needs_the_redacted_version():
    testimony = usable_testimony(external_text="")
    assert _codes(testimony, Audience.INTERNAL) == frozenset()
    assert "no_redacted" in _codes(testimony, Audience.PARTNERS)


def test_extract_needs_its_own_external_wording():
    testimony = usable_testimony()
    extract = UsableExtractFactory(testimony=testimony, external_text="")
    loaded = Testimony.objects.select_related("site", "current_consent").get(pk=testimony.pk)
    assert "no_redacted" in testimony_usability(loaded, "partners", extract=extract).codes
    extract.external_text = "« On nous a dit que nous étions majeurs. »"
    assert testimony_usability(loaded, "partners", extract=extract).allowed


def test_suspended_site_allows_internal_use_only():
    Site.objects.filter(code="calais").update(status=Site.Status.SUSPENDED)
    testimony = usable_testimony()
    assert _codes(testimony, Audience.INTERNAL) == frozenset()
    assert "site_suspended" in _codes(testimony, Audience.PARTNERS)
    assert "site_suspended" in _codes(testimony, Audience.PUBLIC)


def test_high_risk_site_allows_no_public_use():
    testimony = usable_testimony(site=site("tripoli"))
    assert _codes(testimony, Audience.PARTNERS) == frozenset()
    assert "site_high_risk" in _codes(testimony, Audience.PUBLIC)


def test_sensitivity_raises_the_bar():
    confidential = usable_testimony(sensitivity=Testimony.Sensitivity.CONFIDENTIAL)
    assert _codes(confidential, Audience.PARTNERS) == frozenset()
    assert "sensitivity" in _codes(confidential, Audience.PUBLIC)
    strict = usable_testimony(sensitivity=Testimony.Sensitivity.STRICT)
    assert _codes(strict, Audience.INTERNAL) == frozenset()
    assert "sensitivity" in _codes(strict, Audience.PARTNERS)


def test_withdrawn_consent_denies_at_once_even_if_status_lags():
    testimony = usable_testimony()
    type(testimony.current_consent).objects.filter(pk=testimony.current_consent_id).update(
        withdrawn_at=timezone.now()
    )
    for audience in Audience.values:
        assert "withdrawn" in _codes(testimony, audience)


def test_reasons_are_all_reported_not_only_the_first():
    testimony = TestimonyFactory(status="submitted", external_text="", sensitivity="strict")
    codes = _codes(testimony, Audience.PUBLIC)
    assert {"not_approved", "no_consent", "no_redacted", "sensitivity"} <= codes


def test_sql_gate_agrees_with_python_gate_on_every_case():
    """Lists, scoping and exports filter with usable_q: it must say exactly what the
    gate says, case by case."""
    today = TODAY()
    cases = [
        usable_testimony(),
        usable_testimony(status="submitted"),
        usable_testimony(status="withdrawn"),
        usable_testimony(external_text=""),
        usable_testimony(sensitivity="confidential"),
        usable_testimony(sensitivity="strict"),
        usable_testimony(site=site("tripoli")),
        usable_testimony(site=site("zuwara"), sensitivity="confidential"),
        usable_testimony(is_minor=True),
        usable_testimony(is_minor=True, consent={"minor_ok": True}),
        usable_testimony(consent={"scope_internal": False}),
        usable_testimony(consent={"scope_external_anonymised": False}),
        usable_testimony(consent={"scope_public_named": True, "element_name": True}),
        usable_testimony(consent={"element_text": False}),
        usable_testimony(consent={"expires_on": today - datetime.timedelta(days=1)}),
        usable_testimony(consent={"expires_on": None}),
        usable_testimony(consent={"given_on": today + datetime.timedelta(days=1)}),
        TestimonyFactory(approved=True, sensitivity="standard"),
    ]
    withdrawn = usable_testimony()
    type(withdrawn.current_consent).objects.filter(pk=withdrawn.current_consent_id).update(
        withdrawn_at=timezone.now()
    )
    cases.append(withdrawn)
    suspended_site = site("marseille")
    Site.objects.filter(pk=suspended_site.pk).update(status=Site.Status.SUSPENDED)
    cases.append(usable_testimony(site=suspended_site))
    ids = [t.pk for t in cases]
    loaded = Testimony.objects.select_related("site", "current_consent").filter(pk__in=ids)
    combos = itertools.product(
        Audience.values, [Element.TEXT, Element.VOICE], [False, True], [today]
    )
    for audience, element, named, on in combos:
        in_sql = set(
            Testimony.objects.filter(pk__in=ids)
            .filter(usable_q(audience, on=on, element=element, named=named))
            .values_list("pk", flat=True)
        )
        in_python = {
            t.pk
            for t in loaded
            if testimony_usability(t, audience, on=on, element=element, named=named).allowed
        }
        assert in_sql == in_python, (audience, element, named)
    assert in_python  # the matrix exercises allowed cases too


def test_extract_from_another_testimony_is_refused():
    testimony = usable_testimony()
    other = UsableExtractFactory()
    with pytest.raises(ValueError, match="another testimony"):
        testimony_usability(testimony, "internal", extract=other)


def test_consent_history_uses_the_current_consent_only():
    testimony = usable_testimony()
    ConsentFactory(testimony=testimony, scope_external_anonymised=False)
    assert "scope" in _codes(testimony, Audience.PARTNERS)
