"""The demo data that `make run` loads: complete, idempotent, and every main page renders."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.models import Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "influence", "veille", "plaidoyer", "temoignages"}
        and model._meta.label != "core.AuditEvent"
    }


def test_seed_demo_creates_one_user_per_role_and_is_idempotent():
    call_command("seed_demo", quiet_logins=True)
    first = _row_counts()
    call_command("seed_demo", quiet_logins=True)

    assert _row_counts() == first
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert roles == set(Role.values)
    assert len(DEMO_USERS) == User.objects.count()
    assert User.objects.get(username="coordination").check_password(DEMO_PASSWORD)


@pytest.mark.parametrize(
    "url_name",
    ["influence:dashboard", "veille:inbox", "temoignages:home", "plaidoyer:index", "core:team"],
)
def test_main_pages_render_for_the_demo_coordinator(demo_data, client, url_name):
    client.force_login(User.objects.get(username="coordination"))

    response = client.get(reverse(url_name))

    assert response.status_code == 200


def test_field_officer_home_renders_with_demo_data(demo_data, client):
    client.force_login(User.objects.get(username="terrain.calais"))

    response = client.get(reverse("core:home"), follow=True)

    assert response.status_code == 200
