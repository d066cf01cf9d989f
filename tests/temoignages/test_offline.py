"""The field app offline, server side: what may be cached (only the blank shell), the
installable app (manifest, service worker under the CSP), and the queue sent back step by
step — idempotent: the same queued testimony sent twice is stored once."""

import re
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern, reverse

from temoignages import urls as temoignages_urls
from temoignages.models import Consent, MediaAttachment, Testimony, TestimonyEvent
from temoignages.services import media_attach
from tests.core.factories import site, theme
from tests.temoignages.factories import (
    ConsentFactory,
    MediaAttachmentFactory,
    TestimonyFactory,
)
from tests.temoignages.helpers import (
    consent_data,
    context_data,
    narrative_data,
    photo_upload,
    profile_data,
    published_form,
)

pytestmark = pytest.mark.django_db

SHELL = {"service_worker", "manifest", "offline_home", "offline_wizard"}


def send_url(client_uuid, step: int) -> str:
    return reverse("temoignages:offline_send_step", args=[client_uuid, step])


# --- Nothing sensitive may be cached --------------------------------------------------------


def _sample_url(pattern: URLPattern, ids: dict) -> str:
    kwargs = {name: ids[name] for name in pattern.pattern.converters}
    return reverse(f"temoignages:{pattern.name}", kwargs=kwargs)


def test_every_testimony_page_answers_no_store(client_for, coordinator):
    testimony = TestimonyFactory(collected_by=coordinator)
    media = MediaAttachmentFactory(testimony=testimony)
    consent = ConsentFactory(testimony=testimony)
    ids = {
        "pk": testimony.pk,
        "step": 2,
        "media_pk": media.pk,
        "consent_pk": consent.pk,
        "use_pk": 1,
        "vpk": 1,
        "qpk": 1,
        "client_uuid": testimony.client_uuid,
    }
    client = client_for(coordinator)
    checked = 0
    for pattern in temoignages_urls.urlpatterns:
        if pattern.name in SHELL:
            continue
        url = _sample_url(pattern, ids)
        response = client.get(url)
        if response.status_code == 404:
            continue  # a sample id that leads nowhere: the error page shows nothing
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control, (url, response.status_code, cache_control)
        checked += 1
    assert checked >= 30


def test_the_shell_pages_hold_no_testimony_and_may_be_kept(client_for, field_calais):
    draft = TestimonyFactory(
        collected_by=field_calais, title="Expulsion du campement", narrative="Ils sont venus."
    )
    client = client_for(field_calais)
    for name in ("offline_home", "offline_wizard"):
        response = client.get(reverse(f"temoignages:{name}"))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache"
        content = response.content.decode()
        for secret in (draft.reference, draft.title, draft.narrative, str(draft.client_uuid)):
            assert secret not in content


def test_the_blank_wizard_holds_the_forms_of_the_officers_sites_only(client_for, field_calais):
    _, calais_version = published_form(sites=[site("calais")], name="Campements — Calais")
    published_form(sites=[site("marseille")], name="Évaluation de l'âge — Marseille")
    content = client_for(field_calais).get(reverse("temoignages:offline_wizard")).content.decode()
    assert "Campements — Calais" in content
    assert "Marseille" not in content
    form_pk = calais_version.form.pk
    assert f'data-form-questions="{form_pk}"' in content
    assert f'name="f{form_pk}-q_hebergement"' in content
    # Every step is there, blank; the camera opens from the photo field.
    for step in range(1, 7):
        assert f'data-step="{step}"' in content
    camera = re.search(r'<input[^>]*name="media-photo"[^>]*>', content).group(0)
    assert 'capture="environment"' in camera
    assert 'accept="image/*"' in camera
    # The consent step keeps both the minor's and the adult's fields for the script.
    assert 'name="guardian_consent"' in content
    assert 'name="scope_public_named"' in content
    assert 'name="signed_form"' not in content


def test_only_collectors_get_the_shell_and_the_sending_endpoints(client_for, viewer):
    client = client_for(viewer)
    assert client.get(reverse("temoignages:offline_wizard")).status_code == 403
    assert client.get(reverse("temoignages:offline_send_state")).status_code == 403
    assert client.post(send_url(uuid.uuid4(), 1), {}).status_code == 403


# --- Installable app ------------------------------------------------------------------------


def test_the_service_worker_is_served_at_the_scope_it_controls(client):
    response = client.get(reverse("temoignages:service_worker"))  # no login needed
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    scope = reverse("temoignages:home")
    assert reverse("temoignages:service_worker").startswith(scope)
    # The worker's paths are relative to its scope and must match the URLs.
    for name, relative in (
        ("offline_home", 'SCOPE + "hors-ligne/"'),
        ("offline_wizard", 'SCOPE + "hors-ligne/nouveau/"'),
        ("submit_start", 'SCOPE + "nouveau/"'),
    ):
        assert relative in script
        assert reverse(f"temoignages:{name}") == scope + relative.split('"')[1]
    # It never touches a POST and keeps nothing marked no-store.
    assert 'request.method !== "GET"' in script
    assert "noStore(response)" in script


def test_the_manifest_makes_the_field_part_installable(client):
    response = client.get(reverse("temoignages:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == manifest["scope"] == reverse("temoignages:home")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_the_manifest_is_translated(client, settings):
    response = client.get(reverse("temoignages:manifest"), headers={"Accept-Language": "en"})
    assert response.json()["short_name"] == "Testimonies"


def test_the_csp_allows_the_service_worker_and_the_manifest(client_for, field_calais):
    response = client_for(field_calais).get(reverse("temoignages:home"))
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    content = response.content.decode()
    assert f'rel="manifest" href="{reverse("temoignages:manifest")}"' in content


# --- Sending the queue ----------------------------------------------------------------------


def test_the_send_state_says_who_is_logged_in_with_a_fresh_token(client_for, field_calais):
    response = client_for(field_calais).get(reverse("temoignages:offline_send_state"))
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["user"] == field_calais.pk
    assert len(data["csrf"]) == 64


def _queued_testimony(form):
    """What the offline wizard keeps for one testimony, step by step, as it sends it."""
    steps = {
        1: context_data(site("calais"), client_uuid="ignored", form=form),
        2: {**narrative_data(), "themes": [theme("logement-squats").pk]},
        3: profile_data(),
        4: consent_data(),
    }
    for data in steps.values():
        data.pop("nav", None)
    return steps


def _send(client, client_uuid, steps, media_uuid):
    answers = [client.post(send_url(client_uuid, n), data) for n, data in steps.items()]
    answers.append(
        client.post(
            send_url(client_uuid, 5),
            {"file": photo_upload(), "caption": "Le campement", "media_uuid": str(media_uuid)},
        )
    )
    answers.append(client.post(send_url(client_uuid, 6), {}))
    return answers


def test_a_queued_testimony_is_sent_step_by_step_and_submitted(client_for, field_calais):
    form, version = published_form(sites=[site("calais")])
    client = client_for(field_calais)
    client_uuid, media_uuid = uuid.uuid4(), uuid.uuid4()

    answers = _send(client, client_uuid, _queued_testimony(form), media_uuid)

    assert [a.status_code for a in answers] == [200] * 6
    bodies = [a.json() for a in answers]
    assert all(body["ok"] for body in bodies)
    testimony = Testimony.objects.get(client_uuid=client_uuid)
    assert [body["done"] for body in bodies] == [False] * 5 + [True]
    assert bodies[-1]["reference"] == testimony.reference
    assert bodies[-1]["url"] == reverse("temoignages:submit_done", args=[testimony.pk])
    assert testimony.status == Testimony.Status.SUBMITTED
    assert testimony.form_version == version
    assert testimony.answers["hebergement"] == "rue"
    assert testimony.current_consent.scope_internal
    media = testimony.media.get()
    assert media.client_uuid == media_uuid
    assert media.metadata_stripped
    # What each step said is in the answer, not left for the officer's next page.
    assert "Consentement enregistré." in bodies[3]["notes"]
    assert not list(client.get(reverse("temoignages:home")).context["messages"])


def test_sending_the_same_queued_testimony_twice_stores_it_once(client_for, field_calais):
    """A phone that lost the server's answer sends everything again."""
    form, _ = published_form(sites=[site("calais")])
    client = client_for(field_calais)
    client_uuid, media_uuid = uuid.uuid4(), uuid.uuid4()
    steps = _queued_testimony(form)
    # The first sending stops after the photo (connection lost before the submission).
    for n, data in steps.items():
        client.post(send_url(client_uuid, n), data)
    client.post(
        send_url(client_uuid, 5),
        {"file": photo_upload(), "caption": "Le campement", "media_uuid": str(media_uuid)},
    )

    answers = _send(client, client_uuid, steps, media_uuid)
    assert all(a.json()["ok"] for a in answers)
    again = _send(client, client_uuid, steps, media_uuid)
    assert all(a.json()["ok"] and a.json()["done"] for a in again)

    testimony = Testimony.objects.get()
    assert testimony.status == Testimony.Status.SUBMITTED
    assert MediaAttachment.objects.count() == 1
    assert Consent.objects.count() == 1
    assert testimony.events.filter(kind=TestimonyEvent.Kind.SUBMITTED).count() == 1
    assert testimony.events.filter(kind=TestimonyEvent.Kind.MEDIA_ADDED).count() == 1


def test_a_refused_step_answers_what_to_correct_and_saves_nothing_of_it(client_for, field_calais):
    form, _ = published_form(sites=[site("calais")])
    client = client_for(field_calais)
    client_uuid = uuid.uuid4()
    steps = _queued_testimony(form)
    client.post(send_url(client_uuid, 1), steps[1])
    response = client.post(send_url(client_uuid, 2), {**steps[2], "q_hebergement": ""})
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "errors": [{"step": 2, "field": "q_hebergement", "message": "Ce champ est obligatoire."}],
    }
    response = client.post(send_url(client_uuid, 6), {})
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert "Le récit est vide." in messages
    assert {e["step"] for e in response.json()["errors"]} == {2, 4}
    assert Testimony.objects.get().status == Testimony.Status.DRAFT


def test_a_later_step_before_the_first_one_is_a_conflict(client_for, field_calais):
    response = client_for(field_calais).post(send_url(uuid.uuid4(), 2), narrative_data())
    assert response.status_code == 409
    assert response.json() == {"ok": False, "reason": "no_draft"}
    assert not Testimony.objects.exists()


def test_another_sites_testimony_cannot_be_sent_into(client_for, field_calais, field_marseille):
    testimony = TestimonyFactory(collected_by=field_marseille, site=site("marseille"))
    response = client_for(field_calais).post(
        send_url(testimony.client_uuid, 2), narrative_data(narrative="Écrasé")
    )
    assert response.status_code == 404
    testimony.refresh_from_db()
    assert testimony.narrative != "Écrasé"


def test_the_queue_cannot_skip_the_csrf_check(client_for, field_calais, client):
    from django.test import Client

    form, _ = published_form(sites=[site("calais")])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(field_calais)
    response = strict.post(send_url(uuid.uuid4(), 1), _queued_testimony(form)[1])
    assert response.status_code == 403
    token = strict.get(reverse("temoignages:offline_send_state")).json()["csrf"]
    response = strict.post(
        send_url(uuid.uuid4(), 1), {**_queued_testimony(form)[1], "csrfmiddlewaretoken": token}
    )
    assert response.json()["ok"]


def test_the_same_file_from_the_phone_is_stored_once(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    media_uuid = uuid.uuid4()
    first = media_attach(
        testimony=testimony, upload=photo_upload(), uploaded_by=field_calais, client_uuid=media_uuid
    )
    second = media_attach(
        testimony=testimony, upload=photo_upload(), uploaded_by=field_calais, client_uuid=media_uuid
    )
    assert first.pk == second.pk
    assert testimony.media.count() == 1
    other = media_attach(testimony=testimony, upload=photo_upload(), uploaded_by=field_calais)
    assert other.pk != first.pk
