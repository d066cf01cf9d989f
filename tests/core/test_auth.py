import pytest
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.models import AuditEvent, Role, User
from tests.core.factories import TEST_PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="198.51.100.7"):
    return client.post(
        reverse("core:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


@pytest.mark.smoke
def test_login_rotates_the_session_key_and_is_audited(client, coordinator):
    client.get(reverse("core:login"))
    client.session.save()
    before = client.session.session_key

    response = _login(client, "coord", TEST_PASSWORD)

    assert response.status_code == 302
    assert client.session.session_key != before
    event = AuditEvent.objects.get(action="login")
    assert event.actor == coordinator
    assert event.ip_address == "198.51.100.7"


def test_failed_login_is_audited_without_the_password(client, coordinator):
    response = _login(client, "coord", "wrong-password-123")

    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None
    assert event.actor_label == "coord"
    assert "wrong-password-123" not in str(event.detail)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_username_from_that_address_only(client, coordinator):
    for _ in range(3):
        _login(client, "coord", "nope-nope-nope", ip="203.0.113.9")

    locked = _login(client, "coord", TEST_PASSWORD, ip="203.0.113.9")
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    assert AuditEvent.objects.filter(action="locked_out").exists()

    # The real user, from their own address, is not locked out by the attacker.
    elsewhere = _login(client, "coord", TEST_PASSWORD, ip="198.51.100.20")
    assert elsewhere.status_code == 302


def test_logout_needs_a_post_and_ends_the_session(client_for, coordinator):
    client = client_for(coordinator)

    response = client.post(reverse("core:logout"))

    assert response.status_code == 302
    assert client.get(reverse("influence:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=coordinator).exists()


@override_settings(SESSION_IDLE_TIMEOUT_MINUTES=30)
def test_idle_session_expires_with_a_clear_message(client_for, coordinator):
    client = client_for(coordinator)
    client.get(reverse("influence:dashboard"))
    session = client.session
    session["_last_seen"] = int(timezone.now().timestamp()) - 31 * 60
    session.save()

    response = client.get(reverse("influence:dashboard"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("core:login"))
    assert "Votre session a expiré" in response.content.decode()


@override_settings(SESSION_IDLE_TIMEOUT_MINUTES=30)
def test_idle_timeout_login_brings_back_the_whole_url(client_for, coordinator):
    client = client_for(coordinator)
    wanted = reverse("veille:inbox") + "?q=a&status=new&sort=-date"
    client.get(reverse("influence:dashboard"))
    session = client.session
    session["_last_seen"] = int(timezone.now().timestamp()) - 31 * 60
    session.save()

    expired = client.get(wanted)

    assert expired.status_code == 302
    login_url, _, query = expired["Location"].partition("?")
    assert login_url == reverse("core:login")
    assert QueryDict(query)["next"] == wanted
    login_page = client.get(expired["Location"])
    assert f'value="{escape(wanted)}"' in login_page.content.decode()
    logged_in = client.post(
        expired["Location"],
        {"username": "coord", "password": TEST_PASSWORD, "next": QueryDict(query)["next"]},
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == wanted


def test_log_out_other_sessions_keeps_this_one(client, coordinator):
    from django.test import Client

    other = Client()
    other.force_login(coordinator)
    client.force_login(coordinator)
    assert other.get(reverse("influence:dashboard")).status_code == 200

    response = client.post(reverse("core:sessions_revoke"))

    assert response.status_code == 302
    assert client.get(reverse("influence:dashboard")).status_code == 200
    assert other.get(reverse("influence:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action="sessions_revoked").exists()


def test_password_reset_sends_a_link_that_works(client, coordinator, mailoutbox):
    coordinator.email = "camille@example.org"
    coordinator.save()

    client.post(reverse("core:password_reset"), {"email": "camille@example.org"})

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/compte/mot-de-passe/nouveau/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    new_password = "un-nouveau-mot-de-passe-solide"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(new_password)


def test_a_pbkdf2_password_is_rehashed_with_argon2_at_login(client, settings, coordinator):
    from django.contrib.auth.hashers import check_password, make_password

    from config.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the real list, not the test's MD5
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    coordinator.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    coordinator.save(update_fields=["password"])

    response = _login(client, "coord", TEST_PASSWORD)

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.password.startswith("argon2$argon2id$")
    assert check_password(TEST_PASSWORD, coordinator.password)


def test_password_change_is_audited(client_for, viewer):
    client = client_for(viewer)
    new_password = "encore-un-mot-de-passe-long"

    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="password_changed", actor=viewer).exists()


def test_audit_log_refuses_updates_and_deletes_in_postgresql(coordinator):
    from django.db import DatabaseError, transaction

    from core.services import audit_record

    event = audit_record(actor=coordinator, action="view", object_type="x", object_id=1)
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger is PostgreSQL's.")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="export")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_audit_log_refuses_truncate_in_postgresql(coordinator):
    from django.db import DatabaseError, transaction

    from core.services import audit_record

    if connection.vendor != "postgresql":
        pytest.skip("The append-only triggers are PostgreSQL's.")
    with connection.cursor() as cursor:
        # Off in the suite's database so that transactional tests can be emptied; this
        # test's transaction is rolled back, which switches it off again.
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate")
    audit_record(actor=coordinator, action="view", object_type="x", object_id=1)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks

    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.exists()


def test_audit_detail_is_truncated_and_flat(coordinator):
    from core.services import audit_record

    event = audit_record(
        actor=coordinator, action="export", detail={"format": "csv", "note": "x" * 5000}
    )

    assert event.detail["format"] == "csv"
    assert len(event.detail["note"]) == 200


def test_admin_audit_list_is_read_only_for_superusers(client):
    admin = user_with_role(Role.COORDINATOR, username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    from core.services import audit_record

    event = audit_record(actor=admin, action="view", object_type="core.site", object_id=1)

    listing = client.get(reverse("admin:core_auditevent_changelist") + "?action__exact=view")
    assert listing.status_code == 200
    assert "core.site" in listing.content.decode()
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403


def test_permissions_of_user_and_groups_are_read_in_one_query(
    coordinator, django_assert_num_queries
):
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Group, Permission

    from core.authentication import ModelBackend as LeanModelBackend

    group = Group.objects.create(name="Référentiel")
    group.permissions.add(Permission.objects.get(codename="view_site"))
    coordinator.groups.add(group)
    coordinator.user_permissions.add(Permission.objects.get(codename="change_theme"))
    expected = ModelBackend().get_all_permissions(User.objects.get(pk=coordinator.pk))
    assert expected == {"core.view_site", "core.change_theme"}

    user = User.objects.get(pk=coordinator.pk)
    with django_assert_num_queries(1):
        assert LeanModelBackend().get_all_permissions(user) == expected
        assert user.has_perm("core.view_site")
        assert not user.has_perm("core.delete_site")
    coordinator.is_active = False
    assert LeanModelBackend().get_all_permissions(coordinator) == set()


def test_a_signed_in_person_without_staff_rights_is_refused_by_the_admin_and_audited(
    client, coordinator
):
    client.force_login(coordinator)  # a coordinator is not staff
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("admin:login"))
    refusal = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSION_DENIED)
    assert refusal.actor == coordinator
    assert refusal.detail["reason"] == "not_staff"

    staff = user_with_role(Role.COORDINATOR, username="root", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERMISSION_DENIED).count() == 1
