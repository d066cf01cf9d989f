"""The identity register: encrypted at rest, revealed only by coordinators, always audited."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core.crypto import _fernet
from core.models import AuditEvent
from temoignages import services
from temoignages.models import Person
from tests.core.factories import UserFactory
from tests.temoignages.factories import PersonFactory, TestimonyFactory

pytestmark = pytest.mark.django_db

NAME = "Mamadou Diallo"
CONTACT = "+33 6 12 34 56 78"


def raw_row(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, contact FROM temoignages_person WHERE id = %s", [person.pk]
        )
        return cursor.fetchone()


def test_identity_columns_are_unreadable_in_the_database(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    person = services.testimony_identity_set(
        testimony=testimony, user=field_calais, full_name=NAME, contact=CONTACT
    )
    full_name, contact = raw_row(person)
    assert NAME not in full_name
    assert "Diallo" not in full_name
    assert "12 34" not in contact
    assert full_name.startswith("gAAAA")  # a Fernet token
    assert Person.objects.get(pk=person.pk).full_name == NAME


def test_media_original_name_is_encrypted_too():
    from tests.temoignages.factories import MediaAttachmentFactory

    media = MediaAttachmentFactory(original_name="Diallo_passeport.jpg")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT original_name FROM temoignages_mediaattachment WHERE id = %s", [media.pk]
        )
        assert "Diallo" not in cursor.fetchone()[0]


def test_pseudonym_links_several_testimonies_of_the_same_person(field_calais):
    first = TestimonyFactory(collected_by=field_calais)
    second = TestimonyFactory(collected_by=field_calais)
    person = services.testimony_identity_set(testimony=first, user=field_calais, full_name=NAME)
    assert person.pseudonym.startswith("P-")
    services.testimony_identity_set(
        testimony=second, user=field_calais, pseudonym=person.pseudonym.lower()
    )
    second.refresh_from_db()
    assert second.person == person
    with pytest.raises(ValidationError):
        services.testimony_identity_set(testimony=second, user=field_calais, pseudonym="P-NOPE00")


def test_reveal_is_for_coordinators_and_every_reveal_is_audited(coordinator, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    services.testimony_identity_set(
        testimony=testimony, user=field_calais, full_name=NAME, contact=CONTACT
    )
    with pytest.raises(PermissionDenied):
        services.identity_reveal(testimony=testimony, user=field_calais)
    for _ in range(2):
        identity = services.identity_reveal(testimony=testimony, user=coordinator)
        assert identity.full_name == NAME
    events = AuditEvent.objects.filter(action="reveal", object_id=str(testimony.pk))
    assert events.count() == 2
    assert NAME not in str(list(events.values_list("detail", flat=True)))


def test_reveal_page_asks_first_then_shows_once_uncached(client_for, coordinator, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    services.testimony_identity_set(testimony=testimony, user=field_calais, full_name=NAME)
    client = client_for(coordinator)
    url = reverse("temoignages:identity_reveal", args=[testimony.pk])
    confirm = client.get(url)
    assert NAME not in confirm.content.decode()
    assert "journal d'audit" in confirm.content.decode()
    assert not AuditEvent.objects.filter(action="reveal").exists()
    revealed = client.post(url)
    assert NAME in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    assert AuditEvent.objects.filter(action="reveal", actor=coordinator).count() == 1


def test_detail_page_shows_the_pseudonym_never_the_name(client_for, coordinator, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    person = services.testimony_identity_set(testimony=testimony, user=field_calais, full_name=NAME)
    content = client_for(coordinator).get(reverse("temoignages:detail", args=[testimony.pk]))
    assert person.pseudonym in content.content.decode()
    assert NAME not in content.content.decode()


def test_identity_form_refuses_pseudonym_and_new_identity_together(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    response = client_for(field_calais).post(
        reverse("temoignages:identity_edit", args=[testimony.pk]),
        {"pseudonym": "P-ABCDEF", "full_name": NAME, "contact": ""},
    )
    assert response.status_code == 200
    assert "pas les deux" in response.content.decode()
    assert NAME in response.content.decode()  # kept in the form for correction


def test_admin_never_lists_identity(client, coordinator):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    person = PersonFactory(full_name=NAME, contact=CONTACT)
    client.force_login(admin)
    listing = client.get(reverse("admin:temoignages_person_changelist")).content.decode()
    page = client.get(reverse("admin:temoignages_person_change", args=[person.pk])).content.decode()
    assert person.pseudonym in listing
    assert NAME not in listing
    assert NAME not in page
    assert CONTACT not in page


def test_key_rotation_reencrypts_with_the_newest_key(settings):
    person = PersonFactory(full_name=NAME, contact=CONTACT)
    old_token = raw_row(person)[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    _fernet.cache_clear()
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    new_token = raw_row(person)[0]
    assert new_token != old_token
    # the old key can now go: everything still reads with the new key alone
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    _fernet.cache_clear()
    assert Person.objects.get(pk=person.pk).full_name == NAME
    assert Fernet(new_key.encode()).decrypt(new_token.encode()).decode() == NAME
    _fernet.cache_clear()
