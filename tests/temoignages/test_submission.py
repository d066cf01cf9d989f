"""The submission wizard: six plain POST steps, validation that keeps what was typed,
idempotent creation and submission, scoping, and the JSON autosave."""

import datetime
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.files import private_path
from core.models import AuditEvent
from temoignages.models import Consent, Testimony, TestimonyEvent
from tests.core.factories import site, theme
from tests.temoignages.factories import (
    CollectionFormVersionFactory,
    ConsentFactory,
    FormQuestionFactory,
    MediaAttachmentFactory,
    TestimonyFactory,
)
from tests.temoignages.helpers import (
    GPS_IFD,
    consent_data,
    context_data,
    narrative_data,
    photo_upload,
    profile_data,
    published_form,
    step_url,
)

pytestmark = pytest.mark.django_db

START = "temoignages:submit_start"


def _ready_draft(user, **kwargs):
    """A draft with a narrative and a valid consent: only step 6 is left."""
    testimony = TestimonyFactory(collected_by=user, site=site("calais"), **kwargs)
    ConsentFactory(testimony=testimony)
    testimony.refresh_from_db()
    return testimony


# --- The whole walk ---------------------------------------------------------------------


@pytest.mark.smoke
def test_field_officer_walks_through_the_six_steps_and_submits(client_for, field_calais):
    form, version = published_form(sites=[site("calais")])
    client = client_for(field_calais)
    client_uuid = uuid.uuid4()

    page = client.get(reverse(START))
    assert page.status_code == 200
    assert "1/6" in page.content.decode()

    response = client.post(
        reverse(START), context_data(site("calais"), client_uuid=client_uuid, form=form)
    )
    testimony = Testimony.objects.get(client_uuid=client_uuid)
    assert response["Location"] == step_url(testimony, 2)
    assert testimony.reference.startswith(f"TEM-{timezone.localdate().year}-")
    assert testimony.form_version == version
    assert testimony.status == Testimony.Status.DRAFT

    step2 = client.get(step_url(testimony, 2)).content.decode()
    assert "Où dormez-vous ?" in step2
    assert testimony.reference in step2

    data = narrative_data()
    data["themes"] = [theme("mineurs-age").pk, theme("logement-squats").pk]
    response = client.post(step_url(testimony, 2), data)
    assert response["Location"] == step_url(testimony, 3)

    response = client.post(step_url(testimony, 3), profile_data())
    assert response["Location"] == step_url(testimony, 4)

    response = client.post(step_url(testimony, 4), consent_data())
    assert response["Location"] == step_url(testimony, 5)

    response = client.post(
        step_url(testimony, 5),
        {"file": photo_upload(), "caption": "Le campement", "nav": "upload"},
    )
    assert response["Location"] == step_url(testimony, 5)
    assert client.post(step_url(testimony, 5), {"nav": "next"})["Location"] == step_url(
        testimony, 6
    )

    summary = client.get(step_url(testimony, 6)).content.decode()
    assert "À la rue" in summary
    assert "Envoyer à la relecture" in summary

    response = client.post(step_url(testimony, 6), {"nav": "next"})
    assert response["Location"] == reverse("temoignages:submit_done", args=[testimony.pk])
    done = client.get(response["Location"]).content.decode()
    assert testimony.reference in done

    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.SUBMITTED
    assert testimony.answers == {
        "hebergement": "rue",
        "recours": "yes",
        "date-evaluation": narrative_data()["q_date-evaluation"],
    }
    assert testimony.narrative.startswith("On m'a dit")
    assert [e.text for e in testimony.extracts.all()] == ["dix minutes d'entretien"]
    assert testimony.translations.get().language == "en"
    assert set(testimony.themes.values_list("slug", flat=True)) == {
        "mineurs-age",
        "logement-squats",
    }
    assert {c.code for c in testimony.route_countries} == {"ML", "DZ", "LY", "IT"}
    assert testimony.nationality.code == "GN"
    consent = testimony.current_consent
    assert consent.scope_internal
    assert consent.scope_external_anonymised
    assert not consent.scope_public_named
    assert consent.obtained_by == field_calais
    media = testimony.media.get()
    assert media.metadata_stripped
    with Image.open(private_path(media.storage_path)) as stored:
        assert not stored.getexif().get_ifd(GPS_IFD)
        assert "exif" not in stored.info


def test_step_one_offers_only_the_officers_sites_and_forms_for_them(client_for, field_calais):
    published_form(sites=[site("calais")], name="Formulaire Calais")
    published_form(sites=[site("marseille")], name="Formulaire Marseille")
    page = client_for(field_calais).get(reverse(START)).content.decode()
    assert "Formulaire Calais" in page
    assert "Formulaire Marseille" not in page
    assert "Calais" in page
    assert 'value="{}"'.format(site("marseille").pk) not in page


def test_form_not_used_at_the_chosen_site_is_refused(client_for, coordinator):
    form, _ = published_form(sites=[site("marseille")])
    response = client_for(coordinator).post(
        reverse(START), context_data(site("calais"), client_uuid=uuid.uuid4(), form=form)
    )
    assert response.status_code == 200
    assert "n&#x27;est pas utilisé sur le site" in response.content.decode()
    assert not Testimony.objects.exists()


# --- Bad input: refused with a clear message, nothing typed lost ----------------------------


def test_a_date_in_the_future_is_refused_and_what_was_typed_is_kept(client_for, field_calais):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = context_data(
        site("calais"),
        client_uuid=uuid.uuid4(),
        collected_on=tomorrow.isoformat(),
        title="Trois mineurs au parc",
    )
    response = client_for(field_calais).post(reverse(START), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cette date est dans le futur." in content
    assert 'value="Trois mineurs au parc"' in content
    assert f'value="{tomorrow.isoformat()}"' in content
    assert not Testimony.objects.exists()


def test_next_without_narrative_is_refused_but_going_back_saves_what_is_there(
    client_for, field_calais
):
    testimony = TestimonyFactory(collected_by=field_calais, narrative="")
    client = client_for(field_calais)
    data = {"narrative": "", "translation_language": "en", "translation_text": "Only English"}

    response = client.post(step_url(testimony, 2), {**data, "nav": "next"})
    assert response.status_code == 200
    assert "Only English" in response.content.decode()

    response = client.post(step_url(testimony, 2), {**data, "nav": "prev"})
    assert response["Location"] == step_url(testimony, 1)
    assert testimony.translations.get().text == "Only English"


def test_required_question_blocks_next_and_keeps_other_answers(client_for, field_calais):
    _form, version = published_form()
    testimony = TestimonyFactory(collected_by=field_calais, form_version=version)
    response = client_for(field_calais).post(
        step_url(testimony, 2), narrative_data(q_hebergement="", q_remarques="Très fatigué")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in content
    assert "Très fatigué" in content
    testimony.refresh_from_db()
    assert testimony.answers == {}


def test_submission_without_consent_is_refused_with_a_clear_message(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    response = client_for(field_calais).post(step_url(testimony, 6), {"nav": "next"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Aucun consentement enregistré : impossible d&#x27;envoyer." in content
    assert "aller à l'étape 4" in content
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.DRAFT


def test_minor_consent_step_does_not_offer_named_public_use_and_says_why(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, is_minor=True)
    content = client_for(field_calais).get(step_url(testimony, 4)).content.decode()
    assert 'name="scope_public_named"' not in content
    assert 'name="element_name"' not in content
    assert "un mineur ne peut jamais être cité nommément" in content
    assert 'name="guardian_consent"' in content
    assert 'name="minor_agreement"' in content


def test_minor_with_named_public_use_is_refused_and_what_was_typed_is_kept(
    client_for, field_calais
):
    testimony = TestimonyFactory(collected_by=field_calais, is_minor=True)
    data = consent_data(
        scope_public_named="on",
        element_name="on",
        guardian_consent="on",
        guardian_relationship="Éducatrice du foyer",
        minor_agreement="on",
        explained_in="dioula, avec interprète",
    )
    response = client_for(field_calais).post(step_url(testimony, 4), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Un mineur ne peut jamais être cité nommément en public" in content
    assert "Éducatrice du foyer" in content
    assert "dioula, avec interprète" in content
    assert not Consent.objects.filter(testimony=testimony).exists()


def test_minor_without_guardian_consent_is_refused(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, is_minor=True)
    response = client_for(field_calais).post(
        step_url(testimony, 4), consent_data(minor_agreement="on")
    )
    assert response.status_code == 200
    assert "représentant légal" in response.content.decode()
    assert not Consent.objects.filter(testimony=testimony).exists()


def test_under_18_age_bracket_needs_the_minor_flag(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    response = client_for(field_calais).post(
        step_url(testimony, 3), profile_data(age_bracket="15_17")
    )
    assert response.status_code == 200
    assert "La tranche d&#x27;âge indique un mineur" in response.content.decode()
    testimony.refresh_from_db()
    assert testimony.age_bracket == Testimony.AgeBracket.AGE_18_24


def test_consent_ticked_before_the_person_was_flagged_minor_blocks_submission(
    client_for, field_calais
):
    testimony = _ready_draft(field_calais)
    Consent.objects.filter(pk=testimony.current_consent_id).update(scope_public_named=True)
    Testimony.objects.filter(pk=testimony.pk).update(is_minor=True)
    response = client_for(field_calais).post(step_url(testimony, 6), {"nav": "next"})
    assert response.status_code == 400
    assert "mineur" in response.content.decode()
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.DRAFT


def test_refused_photo_keeps_the_caption_and_says_why(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    fake = photo_upload(name="photo.jpg", data=b"#!/bin/sh\necho pwned\n" * 10)
    response = client_for(field_calais).post(
        step_url(testimony, 5), {"file": fake, "caption": "Devant la gare", "nav": "upload"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Devant la gare" in content
    assert "invalid-feedback" in content
    assert not testimony.media.exists()


# --- Idempotency --------------------------------------------------------------------------


@pytest.mark.smoke
def test_a_retried_first_step_never_creates_a_second_testimony(client_for, field_calais):
    client = client_for(field_calais)
    data = context_data(site("calais"), client_uuid=uuid.uuid4())
    first = client.post(reverse(START), data)
    second = client.post(reverse(START), data)
    assert Testimony.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_opening_a_new_draft_with_a_known_client_id_resumes_it(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    response = client_for(field_calais).get(reverse(START), {"draft": str(testimony.client_uuid)})
    assert response["Location"] == reverse("temoignages:submit_resume", args=[testimony.pk])


def test_a_retried_submission_returns_the_same_testimony_once_submitted(client_for, field_calais):
    testimony = _ready_draft(field_calais)
    client = client_for(field_calais)
    done = reverse("temoignages:submit_done", args=[testimony.pk])
    assert client.post(step_url(testimony, 6), {"nav": "next"})["Location"] == done
    assert client.post(step_url(testimony, 6), {"nav": "next"})["Location"] == done
    assert Testimony.objects.count() == 1
    assert testimony.events.filter(kind=TestimonyEvent.Kind.SUBMITTED).count() == 1


def test_resending_the_same_consent_does_not_add_a_record(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    client = client_for(field_calais)
    client.post(step_url(testimony, 4), consent_data())
    client.post(step_url(testimony, 4), consent_data())
    assert testimony.consents.count() == 1
    client.post(step_url(testimony, 4), consent_data(element_voice="on"))
    assert testimony.consents.count() == 2
    testimony.refresh_from_db()
    assert testimony.current_consent.element_voice


# --- Versions -----------------------------------------------------------------------------


def test_a_draft_keeps_its_form_version_when_a_newer_one_is_published(client_for, field_calais):
    form, v1 = published_form()
    client = client_for(field_calais)
    client_uuid = uuid.uuid4()
    client.post(reverse(START), context_data(site("calais"), client_uuid=client_uuid, form=form))
    testimony = Testimony.objects.get(client_uuid=client_uuid)
    v2 = CollectionFormVersionFactory(form=form, number=2)
    FormQuestionFactory(version=v2, key="nouvelle", label_fr="Nouvelle question")

    client.post(
        step_url(testimony, 1),
        context_data(site("calais"), client_uuid=client_uuid, form=form, title="Autre"),
    )
    testimony.refresh_from_db()
    assert testimony.form_version == v1
    assert "Nouvelle question" not in client.get(step_url(testimony, 2)).content.decode()


# --- Arabic -------------------------------------------------------------------------------


def _narrative_tag(content: str) -> str:
    return re.search(r'<textarea[^>]*name="narrative"[^>]*>', content).group(0)


def test_arabic_narrative_is_written_right_to_left(client_for, field_calais):
    _form, version = published_form()
    testimony = TestimonyFactory(collected_by=field_calais, language="ar", form_version=version)
    content = client_for(field_calais).get(step_url(testimony, 2)).content.decode()
    tag = _narrative_tag(content)
    assert 'dir="rtl"' in tag
    assert 'lang="ar"' in tag
    assert "أين تنام؟" in content  # the question in the interview's language too


def test_french_narrative_uses_automatic_direction(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, language="fr")
    content = client_for(field_calais).get(step_url(testimony, 2)).content.decode()
    assert 'dir="auto"' in _narrative_tag(content)


# --- Scoping and permissions --------------------------------------------------------------


WIZARD_URLS = [
    ("temoignages:submit_resume", ()),
    ("temoignages:submit_step", (1,)),
    ("temoignages:submit_step", (2,)),
    ("temoignages:submit_step", (4,)),
    ("temoignages:submit_step", (6,)),
    ("temoignages:submit_discard", ()),
    ("temoignages:submit_done", ()),
]


@pytest.mark.parametrize(("name", "extra"), WIZARD_URLS)
def test_calais_officer_gets_404_on_a_marseille_draft(
    client_for, field_calais, field_marseille, name, extra
):
    testimony = TestimonyFactory(collected_by=field_marseille, site=site("marseille"))
    url = reverse(name, args=[testimony.pk, *extra])
    client = client_for(field_calais)
    assert client.get(url).status_code == 404
    assert client.post(url, {"narrative": "x", "nav": "next"}).status_code == 404
    assert AuditEvent.objects.filter(
        actor=field_calais, action="permission_denied", object_id=str(testimony.pk)
    ).exists()
    testimony.refresh_from_db()
    assert testimony.narrative != "x"


def test_media_removal_on_another_sites_draft_is_404(client_for, field_calais, field_marseille):
    testimony = TestimonyFactory(collected_by=field_marseille, site=site("marseille"))
    media = MediaAttachmentFactory(testimony=testimony)
    url = reverse("temoignages:submit_media_remove", args=[testimony.pk, media.pk])
    assert client_for(field_calais).post(url).status_code == 404
    assert testimony.media.exists()


def test_opening_a_step_is_audited_as_a_view(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    client_for(field_calais).get(step_url(testimony, 2))
    event = AuditEvent.objects.get(action="view", object_id=str(testimony.pk))
    assert event.actor == field_calais
    assert event.detail == {"wizard_step": 2}


def test_a_site_colleague_may_continue_a_draft(client_for, field_calais):
    from tests.core.factories import user_with_role

    colleague = user_with_role("field_comms", site_codes=["calais"], username="field-calais-2")
    testimony = TestimonyFactory(collected_by=colleague)
    assert client_for(field_calais).get(step_url(testimony, 2)).status_code == 200


def test_coordinator_may_collect_anywhere(client_for, coordinator):
    testimony = TestimonyFactory(site=site("tripoli"))
    assert client_for(coordinator).get(step_url(testimony, 3)).status_code == 200


@pytest.mark.parametrize("role_fixture", ["advocacy_fr", "communication", "viewer"])
def test_roles_that_do_not_collect_get_403(request, client_for, role_fixture):
    user = request.getfixturevalue(role_fixture)
    testimony = TestimonyFactory()
    client = client_for(user)
    assert client.get(reverse(START)).status_code == 403
    assert client.get(step_url(testimony, 2)).status_code == 403


def test_a_submitted_testimony_is_not_editable_through_the_wizard(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, submitted=True)
    client = client_for(field_calais)
    done = reverse("temoignages:submit_done", args=[testimony.pk])
    assert client.get(step_url(testimony, 2))["Location"] == done
    response = client.post(step_url(testimony, 2), {"narrative": "changé", "nav": "next"})
    assert response["Location"] == done
    testimony.refresh_from_db()
    assert testimony.narrative != "changé"


def test_a_testimony_sent_back_can_be_corrected_and_resubmitted(client_for, field_calais):
    testimony = _ready_draft(field_calais, status=Testimony.Status.REJECTED)
    Testimony.objects.filter(pk=testimony.pk).update(rejection_reason="Retirer le prénom.")
    client = client_for(field_calais)
    assert "Retirer le prénom." in client.get(step_url(testimony, 2)).content.decode()
    client.post(step_url(testimony, 2), {"narrative": "Récit complété.", "nav": "next"})
    client.post(step_url(testimony, 6), {"nav": "next"})
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.SUBMITTED
    assert testimony.narrative == "Récit complété."


# --- Autosave (the browser script) --------------------------------------------------------


def _autosave(client, url, data):
    return client.post(url, data, headers={"X-Autosave": "1"})


def test_autosave_saves_what_is_valid_and_answers_json(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, narrative="Début")
    response = _autosave(
        client_for(field_calais),
        step_url(testimony, 2),
        {"narrative": "Début, puis la suite tapée hors ligne", "translation_text": ""},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["partial"] is False
    assert len(body["saved_at"]) == 5
    testimony.refresh_from_db()
    assert testimony.narrative == "Début, puis la suite tapée hors ligne"
    assert testimony.wizard_step == 1  # autosave never moves the resume point


def test_autosave_keeps_valid_fields_when_another_one_is_wrong(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _autosave(
        client_for(field_calais),
        step_url(testimony, 1),
        {
            "client_uuid": str(testimony.client_uuid),
            "collected_on": tomorrow,
            "title": "Titre sauvé",
        },
    )
    body = response.json()
    assert body["partial"] is True
    assert "collected_on" in body["errors"]
    testimony.refresh_from_db()
    assert testimony.title == "Titre sauvé"
    assert testimony.collected_on < timezone.localdate()


def test_autosave_on_a_sent_testimony_is_a_conflict(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, submitted=True)
    response = _autosave(client_for(field_calais), step_url(testimony, 2), {"narrative": "x"})
    assert response.status_code == 409
    assert response.json()["reason"] == "not_editable"


def test_consent_is_never_autosaved(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    response = _autosave(client_for(field_calais), step_url(testimony, 4), consent_data())
    assert response.status_code == 400
    assert not testimony.consents.exists()


# --- Media removal and discarding a draft ------------------------------------------------


def test_removing_a_medium_asks_first_then_deletes_the_file(
    client_for, field_calais, django_capture_on_commit_callbacks
):
    testimony = TestimonyFactory(collected_by=field_calais)
    client = client_for(field_calais)
    client.post(step_url(testimony, 5), {"file": photo_upload(), "nav": "upload"})
    media = testimony.media.get()
    path = private_path(media.storage_path)
    assert path.exists()
    url = reverse("temoignages:submit_media_remove", args=[testimony.pk, media.pk])
    confirm = client.get(url)
    assert "définitive" in confirm.content.decode()
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert not testimony.media.exists()
    assert not path.exists()


def test_discarding_a_draft_asks_first_then_removes_it_with_its_files(
    client_for, field_calais, django_capture_on_commit_callbacks
):
    testimony = TestimonyFactory(collected_by=field_calais)
    client = client_for(field_calais)
    client.post(step_url(testimony, 5), {"file": photo_upload(), "nav": "upload"})
    path = private_path(testimony.media.get().storage_path)
    url = reverse("temoignages:submit_discard", args=[testimony.pk])
    assert "1 média" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    home = reverse("temoignages:home")
    assert response["Location"] == f"{home}?discarded={testimony.client_uuid}"
    assert not Testimony.objects.filter(pk=testimony.pk).exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(testimony.pk)).exists()


def test_a_submitted_testimony_cannot_be_discarded(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais, submitted=True)
    url = reverse("temoignages:submit_discard", args=[testimony.pk])
    assert client_for(field_calais).post(url).status_code == 404
    assert Testimony.objects.filter(pk=testimony.pk).exists()


def test_photo_sent_in_the_wizard_loses_its_exif_in_the_thumbnail_too(client_for, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    client_for(field_calais).post(step_url(testimony, 5), {"file": photo_upload(), "nav": "upload"})
    media = testimony.media.get()
    thumb = client_for(field_calais).get(
        reverse("temoignages:media_thumbnail", args=[testimony.pk, media.pk])
    )
    data = b"".join(thumb.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()


def test_every_step_renders_in_english(client_for, field_calais, settings):
    _form, version = published_form()
    testimony = TestimonyFactory(collected_by=field_calais, form_version=version, is_minor=True)
    client = client_for(field_calais)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    titles = {1: "Context", 3: "Pseudonymised profile", 6: "Review and send"}
    for step in range(1, 7):
        content = client.get(step_url(testimony, step)).content.decode()
        assert 'lang="en"' in content
        if step in titles:
            assert f'<h1 class="h4 mt-3 mb-3">{titles[step]}' in content
    assert "Draft saved" in content
    assert "Send to review" in content
