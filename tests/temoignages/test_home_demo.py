"""The testimonies demo data: made through the services, varied, idempotent, and the
field officer's home shows it."""

from collections import Counter

import pytest
from django.urls import reverse
from PIL import Image

from core.files import private_path
from core.models import User
from temoignages.demo import seed
from temoignages.models import CollectionForm, CollectionObjective, MediaAttachment, Testimony
from temoignages.selectors import consents_expiring

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_demo_has_varied_testimonies_in_french_and_arabic(demo_data):
    statuses = Counter(Testimony.objects.values_list("status", flat=True))
    assert set(statuses) == {
        "draft",
        "submitted",
        "in_review",
        "approved",
        "rejected",
        "withdrawn",
    }
    languages = set(Testimony.objects.values_list("language", flat=True))
    assert {"fr", "ar"} <= languages
    sites = set(Testimony.objects.values_list("site__code", flat=True))
    assert {"marseille", "idf", "calais", "tripoli", "zuwara"} <= sites


def test_demo_consents_cover_withdrawal_expiry_and_minors(demo_data):
    withdrawn = Testimony.objects.get(status="withdrawn")
    assert withdrawn.current_consent.withdrawn_at is not None
    assert withdrawn.uses.exists()  # the takedown checklist has something to show
    coordinator = User.objects.get(username="coordination")
    assert consents_expiring(coordinator).count() == 1
    minor = Testimony.objects.get(is_minor=True, status="approved")
    consent = minor.current_consent
    assert consent.guardian_consent
    assert consent.minor_agreement
    assert consent.safeguarding_reviewed_at is not None
    assert not consent.scope_public_named


def test_demo_forms_have_versions_and_testimonies_keep_theirs(demo_data):
    form = CollectionForm.objects.get(name__startswith="Mineurs non accompagnés")
    assert list(form.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    numbers = set(
        Testimony.objects.filter(form_version__form=form).values_list(
            "form_version__number", flat=True
        )
    )
    assert numbers == {1, 2}
    assert CollectionForm.objects.count() == 3
    assert CollectionObjective.objects.count() == 5


def test_demo_photos_are_generated_and_stripped(demo_data):
    media = MediaAttachment.objects.all()
    assert media.count() == 2
    for item in media:
        assert item.metadata_stripped
        with Image.open(private_path(item.storage_path)) as image:
            assert not image.getexif()


def test_demo_is_idempotent(demo_data):
    before = Testimony.objects.count()
    seed(scale=1)
    assert Testimony.objects.count() == before


def test_demo_field_officer_home_shows_drafts_and_sent_back(demo_data, client):
    client.force_login(User.objects.get(username="terrain.calais"))
    content = client.get(reverse("temoignages:home")).content.decode()
    assert "Renvoyés pour correction" in content
    assert "Retirer le prénom du passeur" in content
    assert "Femme enceinte sans suivi" in content
    assert "Objectifs de collecte de mes sites" in content
