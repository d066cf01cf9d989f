"""Password-reset emails are limited per address and per IP, without telling anything."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Role
from tests.core.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _ask(client, email, ip="203.0.113.9"):
    return client.post(reverse("core:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_twelve_requests_in_a_second_send_at_most_the_limit(client, settings, mailoutbox):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    user_with_role(Role.VIEWER, username="lea", email="lea@example.org")

    answers = [_ask(client, "lea@example.org") for _ in range(12)]

    assert len(mailoutbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("core:password_reset_done"))
    }


def test_one_ip_cannot_send_to_every_address(client, settings, mailoutbox):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 5
    for i in range(12):
        user_with_role(Role.VIEWER, username=f"u{i}", email=f"u{i}@example.org")

    for i in range(12):
        _ask(client, f"u{i}@example.org")
    assert len(mailoutbox) == 5

    # Another address of the network is not blocked by the first one.
    _ask(client, "u11@example.org", ip="203.0.113.10")
    assert len(mailoutbox) == 6


def test_the_answer_does_not_tell_whether_the_account_exists_or_is_limited(
    client, settings, mailoutbox
):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    user_with_role(Role.VIEWER, username="sam", email="sam@example.org")

    sent = _ask(client, "sam@example.org", ip="198.51.100.1")
    limited = _ask(client, "sam@example.org", ip="198.51.100.2")
    unknown = _ask(client, "personne@example.org", ip="198.51.100.3")

    assert len(mailoutbox) == 1
    assert sent.status_code == limited.status_code == unknown.status_code == 302
    assert sent["Location"] == limited["Location"] == unknown["Location"]
    assert sent.content == limited.content == unknown.content
