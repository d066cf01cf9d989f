import re

import pytest
from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from tests.core.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _log_in(client, username):
    return client.post(
        reverse("core:login"), {"username": username, "password": TEST_PASSWORD}, follow=True
    )


@override_settings(REQUIRE_2FA=True)
def test_coordinator_must_enrol_before_seeing_anything(client, coordinator):
    response = _log_in(client, "coord")

    assert response.redirect_chain[-1][0].startswith(reverse("core:otp_enrol"))
    assert client.get(reverse("influence:dashboard")).status_code == 302
    assert 'class="qr-code' in response.content.decode()


@override_settings(REQUIRE_2FA=True)
def test_enrolment_confirms_the_device_and_shows_recovery_codes_once(client, coordinator):
    _log_in(client, "coord")
    client.get(reverse("core:otp_enrol"))
    device = TOTPDevice.objects.get(user=coordinator)

    response = client.post(reverse("core:otp_enrol"), {"otp_token": _code(device)})

    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("influence:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="otp_enrolled", actor=coordinator).exists()


@override_settings(REQUIRE_2FA=True)
def test_next_login_asks_for_a_code_and_accepts_a_recovery_code_once(client, coordinator):
    from core import services

    TOTPDevice.objects.create(user=coordinator, name="totp", confirmed=True)
    codes = services.otp_recovery_codes_regenerate(user=coordinator)

    response = _log_in(client, "coord")
    assert response.redirect_chain[-1][0].startswith(reverse("core:otp_verify"))

    ok = client.post(reverse("core:otp_verify"), {"otp_token": codes[0]})
    assert ok.status_code == 302
    assert client.get(reverse("influence:dashboard")).status_code == 200

    client.post(reverse("core:logout"))
    _log_in(client, "coord")
    reused = client.post(reverse("core:otp_verify"), {"otp_token": codes[0]})
    assert "pas valide" in reused.content.decode()


@override_settings(REQUIRE_2FA=True)
def test_the_second_step_brings_back_the_whole_url(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="totp", confirmed=True)
    wanted = reverse("veille:inbox") + "?q=a&status=new"
    client.post(reverse("core:login"), {"username": "coord", "password": TEST_PASSWORD})

    gated = client.get(wanted)

    verify_url, _, query = gated["Location"].partition("?")
    assert verify_url == reverse("core:otp_verify")
    assert QueryDict(query)["next"] == wanted
    verified = client.post(
        gated["Location"], {"otp_token": _code(device), "next": QueryDict(query)["next"]}
    )
    assert verified["Location"] == wanted
    assert client.get(verified["Location"]).status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_a_wrong_code_is_refused_audited_and_throttled(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="totp", confirmed=True)
    _log_in(client, "coord")

    first = client.post(reverse("core:otp_verify"), {"otp_token": "123456"})
    second = client.post(reverse("core:otp_verify"), {"otp_token": "654321"})

    assert "pas valide" in first.content.decode()
    assert "Trop d" in second.content.decode()
    assert AuditEvent.objects.filter(action="otp_failed").count() == 2
    assert client.get(reverse("influence:dashboard")).status_code == 302


@override_settings(REQUIRE_2FA=True)
def test_a_field_officer_is_not_forced_to_enrol(client, field_calais):
    response = _log_in(client, "field-calais")

    assert not response.redirect_chain[-1][0].startswith(reverse("core:otp_enrol"))


def test_a_user_who_enrolled_voluntarily_is_always_asked_for_the_code(client, viewer):
    TOTPDevice.objects.create(user=viewer, name="totp", confirmed=True)

    response = _log_in(client, "viewer")

    assert response.redirect_chain[-1][0].startswith(reverse("core:otp_verify"))


def test_htmx_requests_of_an_unverified_user_are_redirected_not_swapped(client, viewer):
    TOTPDevice.objects.create(user=viewer, name="totp", confirmed=True)
    _log_in(client, "viewer")

    response = client.get(reverse("influence:dashboard"), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("core:otp_verify")


def test_voluntary_2fa_can_be_disabled_with_the_password(client, viewer):
    device = TOTPDevice.objects.create(user=viewer, name="totp", confirmed=True)
    _log_in(client, "viewer")
    client.post(reverse("core:otp_verify"), {"otp_token": _code(device)})

    wrong = client.post(reverse("core:otp_disable"), {"password": "nope"})
    assert wrong.status_code == 400
    response = client.post(reverse("core:otp_disable"), {"password": TEST_PASSWORD})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=viewer).exists()
    assert AuditEvent.objects.filter(action="otp_disabled").exists()
