"""Who sees which testimony, and the permission matrix of every records URL per role.

Out of scope is a 404 (existence not revealed, attempt audited); in scope but not
allowed is a 403.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import AuditEvent
from temoignages import services
from temoignages.models import Testimony
from temoignages.selectors import nav_badge, testimonies_visible_to
from tests.core.factories import site
from tests.temoignages.factories import (
    ConsentFactory,
    TestimonyFactory,
    TestimonyUseFactory,
    usable_testimony,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "coordinator",
    "field_calais",
    "field_marseille",
    "advocacy_fr",
    "advocacy_ly",
    "communication",
    "viewer",
]


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def world(coordinator, field_calais):
    """A Calais testimony usable everywhere, with a photo, a signed form and a use."""
    testimony = usable_testimony(site=site("calais"), collected_by=field_calais)
    media = services.media_attach(
        testimony=testimony,
        upload=SimpleUploadedFile("p.jpg", _jpeg()),
        uploaded_by=coordinator,
    )
    consent = services.consent_record(
        testimony=testimony,
        recorded_by=coordinator,
        given_on=datetime.date.today(),
        method="written",
        explained_in="français",
        scope_internal=True,
        scope_external_anonymised=True,
        element_text=True,
        element_image=True,
        signed_form=SimpleUploadedFile("f.jpg", _jpeg()),
    )
    use = TestimonyUseFactory(testimony=testimony, used_by=coordinator)
    return {"t": testimony, "m": media, "c": consent, "u": use}


def _url(name, w):
    t = w["t"].pk
    args = {
        "list": [],
        "export": [],
        "consents_expiring": [],
        "detail": [t],
        "consent_record": [t],
        "consent_withdraw": [t],
        "safeguarding_review": [t],
        "consent_form_download": [t, w["c"].pk],
        "use_takedown": [t, w["u"].pk],
        "retention_set": [t],
        "review_start": [t],
        "review_approve": [t],
        "review_reject": [t],
        "external_edit": [t],
        "identity_edit": [t],
        "identity_reveal": [t],
        "media_upload": [t],
        "media_download": [t, w["m"].pk],
        "media_thumbnail": [t, w["m"].pk],
        "media_delete": [t, w["m"].pk],
    }[name]
    url = reverse(f"temoignages:{name}", args=args)
    return url + "?export_format=csv&audience=partners" if name == "export" else url


POSTS = {"safeguarding_review", "use_takedown", "retention_set", "review_start", "review_approve"}
POSTS |= {"media_upload"}

# url name → expected status per role, in ROLES order:
# coordinator, field_calais, field_marseille, advocacy_fr, advocacy_ly, communication, viewer
MATRIX = {
    "list": [200, 200, 200, 200, 200, 200, 403],
    # A GET only shows the export form; what may be exported is decided on POST.
    "export": [200, 200, 200, 200, 200, 200, 403],
    "consents_expiring": [200, 200, 200, 403, 403, 403, 403],
    "detail": [200, 200, 404, 200, 404, 200, 403],
    "consent_record": [200, 200, 404, 403, 404, 403, 404],
    "consent_withdraw": [200, 200, 404, 403, 404, 403, 404],
    "safeguarding_review": [302, 403, 404, 403, 404, 403, 404],
    "consent_form_download": [200, 200, 404, 404, 404, 404, 404],
    "use_takedown": [302, 403, 404, 403, 404, 403, 404],
    "retention_set": [302, 403, 404, 403, 404, 403, 404],
    "review_start": [302, 403, 403, 403, 403, 403, 403],
    "review_approve": [302, 403, 403, 403, 403, 403, 403],
    "review_reject": [200, 403, 403, 403, 403, 403, 403],
    "external_edit": [200, 403, 403, 403, 403, 403, 403],
    "identity_edit": [200, 403, 404, 403, 404, 403, 404],
    "identity_reveal": [200, 403, 403, 403, 403, 403, 403],
    "media_upload": [200, 403, 404, 403, 404, 403, 404],
    "media_download": [200, 200, 404, 200, 404, 200, 404],
    "media_thumbnail": [200, 200, 404, 200, 404, 200, 404],
    "media_delete": [200, 403, 404, 403, 404, 403, 404],
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name, world, request, client):
    for role, expected in zip(ROLES, MATRIX[name], strict=True):
        user = request.getfixturevalue(role)
        client.force_login(user)
        url = _url(name, world)
        response = client.post(url) if name in POSTS else client.get(url)
        assert response.status_code == expected, (name, role, response.status_code)
        client.logout()


def test_other_site_testimony_is_404_and_the_attempt_is_audited(client_for, field_marseille):
    testimony = TestimonyFactory(site=site("calais"))
    response = client_for(field_marseille).get(reverse("temoignages:detail", args=[testimony.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="permission_denied", object_id=str(testimony.pk), actor=field_marseille
    ).exists()


def test_field_officer_sees_every_status_of_their_site_only(field_calais):
    mine = [TestimonyFactory(site=site("calais"), status=s) for s in ("draft", "submitted")]
    TestimonyFactory(site=site("marseille"), status="submitted")
    assert set(testimonies_visible_to(field_calais)) == set(mine)


def test_advocacy_sees_approved_usable_testimonies_of_their_country_only(advocacy_fr):
    usable_fr = usable_testimony(site=site("marseille"))
    usable_testimony(site=site("tripoli"))  # Libya
    usable_testimony(site=site("calais"), status="submitted")  # not approved
    usable_testimony(site=site("calais"), consent={"scope_internal": False})  # no internal scope
    assert list(testimonies_visible_to(advocacy_fr)) == [usable_fr]


def test_communication_sees_what_the_gate_allows_for_partners_or_public(communication):
    external = usable_testimony(site=site("tripoli"))  # partners yes, public no (high risk)
    usable_testimony(sensitivity="strict")  # internal only
    usable_testimony(external_text="")  # no redacted version
    assert list(testimonies_visible_to(communication)) == [external]


def test_viewer_sees_no_testimony(viewer):
    usable_testimony()
    assert not testimonies_visible_to(viewer).exists()


def test_withdrawal_removes_the_testimony_from_advocacy_and_communication_at_once(
    advocacy_fr, communication, coordinator
):
    testimony = usable_testimony()
    assert testimonies_visible_to(advocacy_fr).filter(pk=testimony.pk).exists()
    services.consent_withdraw(testimony=testimony, user=coordinator)
    assert not testimonies_visible_to(advocacy_fr).filter(pk=testimony.pk).exists()
    assert not testimonies_visible_to(communication).filter(pk=testimony.pk).exists()


def test_communication_never_sees_the_original_narrative(client_for, communication):
    testimony = usable_testimony(narrative="Récit original confidentiel avec détails.")
    response = client_for(communication).get(
        reverse("temoignages:detail", args=[testimony.pk]) + "?tab=recit"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Récit original confidentiel" not in content
    assert testimony.external_text in content


def test_nav_badge_counts_what_waits_for_each_role(coordinator, field_calais, viewer):
    TestimonyFactory(status="submitted")
    TestimonyFactory(status="in_review")
    TestimonyFactory(status="approved")
    TestimonyFactory(collected_by=field_calais, status="draft")
    TestimonyFactory(collected_by=field_calais, status="rejected")
    TestimonyFactory(collected_by=field_calais, status="submitted")
    assert nav_badge(coordinator) == 3
    assert nav_badge(field_calais) == 2
    assert nav_badge(viewer) is None


def test_consent_factory_sanity():
    consent = ConsentFactory()
    assert Testimony.objects.get(pk=consent.testimony_id).current_consent_id == consent.pk


def test_usable_testimonies_is_scope_and_gate_together(advocacy_fr, communication):
    from temoignages.selectors import usable_testimonies

    france = usable_testimony(site=site("marseille"))
    libya = usable_testimony(site=site("tripoli"))
    usable_testimony(site=site("calais"), status="submitted")
    assert list(usable_testimonies(advocacy_fr, "internal")) == [france]
    assert set(usable_testimonies(communication, "partners")) == {france, libya}
    assert list(usable_testimonies(communication, "public")) == [france]


def test_every_page_declares_its_access_with_the_core_decorators():
    """`@access_required(predicate)` for whole pages, `@object_access(loader, check)` for
    pages about one object — never a check written in the view's body."""
    import inspect
    from pathlib import Path

    from temoignages import urls, views

    undeclared = [
        pattern.name
        for pattern in urls.urlpatterns
        if getattr(pattern.callback, "login_required", True) is not False  # login_not_required
        and not hasattr(pattern.callback, "access_predicate")
        and not hasattr(pattern.callback, "object_check")
    ]
    assert undeclared == []
    for module in Path(inspect.getfile(views)).parent.glob("*.py"):
        source = module.read_text()
        assert "raise PermissionDenied" not in source, module.name
        assert "role_required" not in source, module.name
        assert "coordinator_required" not in source, module.name
