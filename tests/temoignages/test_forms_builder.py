"""Collection forms: versions that never break older testimonies, the builder's pages
(coordinators only), keyboard reordering, validation, preview, archive."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from temoignages.forms.questions import answer_display
from temoignages.models import CollectionForm, CollectionFormVersion, FormQuestion, Testimony
from temoignages.selectors import collection_forms_list
from temoignages.services.forms_builder import (
    collection_form_archive,
    collection_form_create,
    form_question_delete,
    form_question_move,
    form_question_save,
    form_version_discard,
    form_version_draft,
    form_version_publish,
    parse_choice_lines,
)
from tests.core.factories import site
from tests.temoignages.factories import TestimonyFactory
from tests.temoignages.helpers import (
    context_data,
    narrative_data,
    published_form,
    step_url,
)

pytestmark = pytest.mark.django_db

CHOICES = [
    {"value": "rue", "fr": "À la rue", "en": "", "ar": ""},
    {"value": "foyer", "fr": "En foyer", "en": "", "ar": ""},
]


def _form_with_questions(user, *labels):
    form = collection_form_create(user=user, name="Détention en Libye")
    version = form.versions.get()
    questions = [
        form_question_save(version=version, user=user, kind="short_text", label_fr=label)
        for label in labels
    ]
    return form, version, questions


# --- Versioning ---------------------------------------------------------------------------


@pytest.mark.smoke
def test_editing_a_form_creates_a_new_version_and_older_testimonies_keep_theirs(
    client_for, coordinator, field_calais
):
    form, v1 = published_form(sites=[site("calais")])
    client = client_for(field_calais)
    client_uuid = uuid.uuid4()
    client.post(
        reverse("temoignages:submit_start"),
        context_data(site("calais"), client_uuid=client_uuid, form=form),
    )
    old = Testimony.objects.get(client_uuid=client_uuid)
    client.post(step_url(old, 2), narrative_data())
    old.refresh_from_db()
    answers_before = dict(old.answers)
    assert answers_before["hebergement"] == "rue"

    # The coordinator edits the form: a draft v2, a renamed choice, a removed question.
    v2 = form_version_draft(form=form, user=coordinator)
    assert v2.number == 2
    assert [q.key for q in v2.questions.all()] == [q.key for q in v1.questions.all()]
    housing = v2.questions.get(key="hebergement")
    form_question_save(
        version=v2,
        user=coordinator,
        question=housing,
        kind=housing.kind,
        label_fr="Où avez-vous dormi cette nuit ?",
        required=True,
        choices=parse_choice_lines("Dehors\nEn foyer", previous=housing.choices),
    )
    form_question_delete(question=v2.questions.get(key="recours"), user=coordinator)
    form_version_publish(version=v2, user=coordinator, notes="Question sur le recours retirée")

    # The old testimony keeps version 1, its questions and its answers.
    old.refresh_from_db()
    assert old.form_version_id == v1.pk
    assert old.answers == answers_before
    v1_housing = v1.questions.get(key="hebergement")
    assert v1_housing.label_fr == "Où dormez-vous ?"
    assert answer_display(v1_housing, old.answers["hebergement"]) == "À la rue"
    assert v1.questions.filter(key="recours").exists()
    step2 = client.get(step_url(old, 2)).content.decode()
    assert "Où dormez-vous ?" in step2
    assert "Un recours est-il en cours ?" in step2

    # A new testimony gets version 2, with the edited question and the kept value.
    new_uuid = uuid.uuid4()
    client.post(
        reverse("temoignages:submit_start"),
        context_data(site("calais"), client_uuid=new_uuid, form=form),
    )
    new = Testimony.objects.get(client_uuid=new_uuid)
    assert new.form_version_id == v2.pk
    step2 = client.get(step_url(new, 2)).content.decode()
    assert "Où avez-vous dormi cette nuit ?" in step2
    assert "Un recours est-il en cours ?" not in step2
    assert [c["value"] for c in v2.questions.get(key="hebergement").choices] == ["rue", "foyer"]


def test_a_published_version_cannot_be_changed(coordinator):
    _form, version, (question,) = _form_with_questions(coordinator, "Âge déclaré")
    form_version_publish(version=version, user=coordinator)
    with pytest.raises(ValidationError, match="publiée"):
        form_question_save(
            version=version, user=coordinator, question=question, kind="short_text", label_fr="x"
        )
    with pytest.raises(ValidationError):
        form_question_delete(question=question, user=coordinator)
    with pytest.raises(ValidationError):
        form_version_discard(version=version, user=coordinator)
    question.refresh_from_db()
    assert question.label_fr == "Âge déclaré"


def test_only_one_draft_version_at_a_time(coordinator):
    form, version, _ = _form_with_questions(coordinator, "Q")
    form_version_publish(version=version, user=coordinator)
    first = form_version_draft(form=form, user=coordinator)
    assert form_version_draft(form=form, user=coordinator) == first
    assert form.versions.count() == 2


def test_publishing_needs_at_least_one_question(coordinator):
    form = collection_form_create(user=coordinator, name="Vide")
    with pytest.raises(ValidationError, match="au moins une question"):
        form_version_publish(version=form.versions.get(), user=coordinator)


def test_only_coordinators_may_change_forms(field_calais, coordinator):
    with pytest.raises(PermissionDenied):
        collection_form_create(user=field_calais, name="X")
    _form, _version, (question,) = _form_with_questions(coordinator, "Q")
    with pytest.raises(PermissionDenied):
        form_question_move(question=question, user=field_calais, direction="up")


# --- Questions and choices ----------------------------------------------------------------


def test_questions_are_reordered_one_step_at_a_time(coordinator):
    _form, version, (a, _b, c) = _form_with_questions(coordinator, "A", "B", "C")
    form_question_move(question=c, user=coordinator, direction="up")
    assert [q.label_fr for q in version.questions.order_by("position")] == ["A", "C", "B"]
    form_question_move(question=a, user=coordinator, direction="up")  # already first
    form_question_move(question=a, user=coordinator, direction="down")
    assert [q.label_fr for q in version.questions.order_by("position")] == ["C", "A", "B"]
    form_question_delete(question=c, user=coordinator)
    assert list(version.questions.order_by("position").values_list("position", flat=True)) == [
        0,
        1,
    ]


def test_keys_come_from_the_french_label_and_stay_unique(coordinator):
    _form, _version, (a, b) = _form_with_questions(coordinator, "Pays d'origine", "Pays d'origine")
    assert a.key == "pays-dorigine"
    assert b.key == "pays-dorigine-2"


def test_choice_values_survive_a_reorder_and_a_label_corrected_in_place():
    previous = [
        {"value": "rue", "fr": "Rue"},
        {"value": "foyer", "fr": "Foyer"},
        {"value": "hotel", "fr": "Hotel"},
    ]
    choices = parse_choice_lines(
        "Foyer | Shelter | مأوى\nRue\nHôtel social (115)\nSquat", previous=previous
    )
    assert [c["value"] for c in choices] == ["foyer", "rue", "hotel", "squat"]
    assert choices[0] == {"value": "foyer", "fr": "Foyer", "en": "Shelter", "ar": "مأوى"}
    assert choices[2]["fr"] == "Hôtel social (115)"


def test_duplicate_choices_are_refused():
    with pytest.raises(ValidationError, match="même libellé"):
        parse_choice_lines("Oui\noui")


def test_a_choice_question_needs_two_choices(client_for, coordinator):
    form = collection_form_create(user=coordinator, name="F")
    version = form.versions.get()
    url = reverse("temoignages:form_question_add", args=[form.pk, version.pk])
    response = client_for(coordinator).post(
        url,
        {
            "label_fr": "Situation",
            "label_ar": "الوضع",
            "kind": "single_choice",
            "choices_text": "Une seule",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "au moins deux choix" in content
    assert 'value="Situation"' in content
    assert "الوضع" in content
    assert not version.questions.exists()


def test_adding_a_question_through_the_page(client_for, coordinator):
    form = collection_form_create(user=coordinator, name="F")
    version = form.versions.get()
    url = reverse("temoignages:form_question_add", args=[form.pk, version.pk])
    response = client_for(coordinator).post(
        url,
        {
            "label_fr": "Où dormez-vous ?",
            "label_en": "Where do you sleep?",
            "label_ar": "أين تنام؟",
            "help_fr": "Cette nuit",
            "kind": "multiple_choice",
            "required": "on",
            "choices_text": "Rue | Street | الشارع\nFoyer | Shelter",
        },
    )
    question = version.questions.get()
    assert response["Location"].endswith(f"#question-{question.pk}")
    assert question.required
    assert question.label_ar == "أين تنام؟"
    assert question.choices[1] == {"value": "foyer", "fr": "Foyer", "en": "Shelter", "ar": ""}


def test_move_buttons_redirect_back_to_the_moved_question(client_for, coordinator):
    form, version, (_a, b) = _form_with_questions(coordinator, "A", "B")
    url = reverse("temoignages:form_question_move", args=[form.pk, version.pk, b.pk])
    response = client_for(coordinator).post(url, {"direction": "up"})
    assert response["Location"].endswith(f"?moved={b.pk}-up#question-{b.pk}")
    assert [q.label_fr for q in version.questions.order_by("position")] == ["B", "A"]
    page = client_for(coordinator).get(
        reverse("temoignages:form_version", args=[form.pk, version.pk])
    )
    content = page.content.decode()
    assert f'id="move-{b.pk}-up"' in content
    assert "Monter « B »" in content


def test_deleting_a_question_asks_first(client_for, coordinator):
    form, version, (question,) = _form_with_questions(coordinator, "A supprimer")
    url = reverse("temoignages:form_question_delete", args=[form.pk, version.pk, question.pk])
    client = client_for(coordinator)
    page = client.get(url).content.decode()
    assert "Supprimer la question « A supprimer » ?" in page
    assert version.questions.exists()
    client.post(url)
    assert not version.questions.exists()


# --- Pages --------------------------------------------------------------------------------


def test_creating_a_form_opens_its_first_draft_version(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("temoignages:form_create"),
        {"name": "Évaluation de l'âge", "sites": [site("marseille").pk, site("idf").pk]},
    )
    form = CollectionForm.objects.get()
    version = form.versions.get()
    assert response["Location"] == reverse("temoignages:form_version", args=[form.pk, version.pk])
    assert not version.is_published
    assert set(form.sites.values_list("code", flat=True)) == {"marseille", "idf"}
    assert AuditEvent.objects.filter(action="create", object_id=str(form.pk)).exists()


def test_a_form_without_name_is_refused_with_what_was_typed(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("temoignages:form_create"), {"name": "", "description": "Pour Calais"}
    )
    assert response.status_code == 200
    assert "Pour Calais" in response.content.decode()
    assert not CollectionForm.objects.exists()


def test_publish_page_confirms_then_publishes(client_for, coordinator):
    form, version, _ = _form_with_questions(coordinator, "Q")
    url = reverse("temoignages:form_version_publish", args=[form.pk, version.pk])
    client = client_for(coordinator)
    assert "ne peut plus être modifiée" in client.get(url).content.decode()
    version.refresh_from_db()
    assert not version.is_published
    client.post(url, {"notes": "Première version"})
    version.refresh_from_db()
    assert version.is_published
    assert version.notes == "Première version"


def test_discarding_a_draft_version_asks_first(client_for, coordinator):
    form, version, _ = _form_with_questions(coordinator, "Q")
    form_version_publish(version=version, user=coordinator)
    draft = form_version_draft(form=form, user=coordinator)
    url = reverse("temoignages:form_version_discard", args=[form.pk, draft.pk])
    client = client_for(coordinator)
    assert "1 question(s)" in client.get(url).content.decode()
    client.post(url)
    assert not CollectionFormVersion.objects.filter(pk=draft.pk).exists()
    assert CollectionFormVersion.objects.filter(pk=version.pk).exists()


def test_preview_shows_the_arabic_labels_right_to_left(client_for, coordinator):
    form, version = published_form()
    url = reverse("temoignages:form_version_preview", args=[form.pk, version.pk])
    content = client_for(coordinator).get(url, {"lang": "ar"}).content.decode()
    assert "أين تنام؟" in content
    assert 'lang="ar" dir="rtl"' in content
    assert "في الشارع" in content


def test_archived_forms_are_no_longer_offered_but_testimonies_keep_them(
    client_for, coordinator, field_calais
):
    form, version = published_form()
    testimony = TestimonyFactory(collected_by=field_calais, form_version=version)
    client = client_for(coordinator)
    url = reverse("temoignages:form_archive", args=[form.pk])
    assert "gardent leur version" in client.get(url).content.decode()
    client.post(url)
    client.get(reverse("temoignages:forms_list"))  # shows (and consumes) the message
    form.refresh_from_db()
    assert not form.is_active
    start = client_for(field_calais).get(reverse("temoignages:submit_start")).content.decode()
    assert form.name not in start
    testimony.refresh_from_db()
    assert testimony.form_version == version
    collection_form_archive(form=form, user=coordinator, archived=False)
    assert CollectionForm.objects.get(pk=form.pk).is_active


def test_a_never_published_form_is_not_offered(client_for, coordinator, field_calais):
    collection_form_create(user=coordinator, name="Pas encore prêt")
    start = client_for(field_calais).get(reverse("temoignages:submit_start")).content.decode()
    assert "Pas encore prêt" not in start


BUILDER_URLS = [
    ("temoignages:forms_list", lambda f, v, q: []),
    ("temoignages:form_create", lambda f, v, q: []),
    ("temoignages:form_detail", lambda f, v, q: [f.pk]),
    ("temoignages:form_archive", lambda f, v, q: [f.pk]),
    ("temoignages:form_version", lambda f, v, q: [f.pk, v.pk]),
    ("temoignages:form_version_preview", lambda f, v, q: [f.pk, v.pk]),
    ("temoignages:form_version_publish", lambda f, v, q: [f.pk, v.pk]),
    ("temoignages:form_version_discard", lambda f, v, q: [f.pk, v.pk]),
    ("temoignages:form_question_add", lambda f, v, q: [f.pk, v.pk]),
    ("temoignages:form_question_edit", lambda f, v, q: [f.pk, v.pk, q.pk]),
    ("temoignages:form_question_delete", lambda f, v, q: [f.pk, v.pk, q.pk]),
]


@pytest.mark.parametrize(("name", "args"), BUILDER_URLS)
@pytest.mark.parametrize(
    "role_fixture", ["field_calais", "advocacy_fr", "communication", "viewer", "coordinator"]
)
def test_builder_pages_are_for_coordinators_only(
    request, client_for, coordinator, role_fixture, name, args
):
    form, version, (question,) = _form_with_questions(coordinator, "Q")
    user = request.getfixturevalue(role_fixture)
    response = client_for(user).get(reverse(name, args=args(form, version, question)))
    assert response.status_code == (200 if role_fixture == "coordinator" else 403)


@pytest.mark.parametrize(
    "name", ["form_restore", "form_version_new", "form_question_move"], ids=str
)
def test_builder_actions_are_for_coordinators_only(client_for, coordinator, field_calais, name):
    form, version, (question,) = _form_with_questions(coordinator, "Q")
    args = {
        "form_restore": [form.pk],
        "form_version_new": [form.pk],
        "form_question_move": [form.pk, version.pk, question.pk],
    }[name]
    response = client_for(field_calais).post(
        reverse(f"temoignages:{name}", args=args), {"direction": "up"}
    )
    assert response.status_code == 403


def test_forms_list_runs_a_constant_number_of_queries(
    client_for, coordinator, django_assert_num_queries
):
    client = client_for(coordinator)
    url = reverse("temoignages:forms_list")
    published_form(sites=[site("calais")], name="F0")
    client.get(url)  # warm the session and the user's scope

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 8):
        _form, version = published_form(sites=[site("calais"), site("idf")], name=f"F{n}")
        TestimonyFactory.create_batch(2, form_version=version)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    content = response.content.decode()
    assert "F7" in content
    assert "Île-de-France" in content


def test_forms_list_sorts_and_filters(client_for, coordinator):
    a, _ = published_form(name="Alpha")
    _b, version = published_form(name="Bravo")
    TestimonyFactory(form_version=version)
    collection_form_archive(form=a, user=coordinator)
    client = client_for(coordinator)
    url = reverse("temoignages:forms_list")
    content = client.get(url).content.decode()
    assert "Bravo" in content
    assert "Alpha" not in content
    content = client.get(url, {"state": "all", "sort": "-uses"}).content.decode()
    assert content.index("Bravo") < content.index("Alpha")
    assert [f.name for f in collection_forms_list(archived=None).order_by("-testimony_count")] == [
        "Bravo",
        "Alpha",
    ]


def test_empty_list_says_what_forms_are_for(client_for, coordinator):
    content = client_for(coordinator).get(reverse("temoignages:forms_list")).content.decode()
    assert "Aucun formulaire de collecte." in content
    assert reverse("temoignages:form_create") in content


def test_question_kinds_render_as_fields(client_for, coordinator):
    form = collection_form_create(user=coordinator, name="Tous les types")
    version = form.versions.get()
    for kind in FormQuestion.Kind.values:
        form_question_save(
            version=version,
            user=coordinator,
            kind=kind,
            label_fr=f"Question {kind}",
            choices=CHOICES if kind in FormQuestion.CHOICE_KINDS else [],
        )
    url = reverse("temoignages:form_version_preview", args=[form.pk, version.pk])
    content = client_for(coordinator).get(url).content.decode()
    assert 'type="date"' in content
    assert 'type="number"' in content
    assert 'type="radio"' in content
    assert 'type="checkbox"' in content
    assert "<textarea" in content
