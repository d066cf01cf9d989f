"""Choosing the collection form in the wizard: a deliberate step, never preselected; a free
narrative is always possible; a young draft may change form and keeps what was typed;
step 2 folds its parts and says what each holds."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from temoignages.forms.submission import NO_FORM
from temoignages.models import FormQuestion, Testimony
from temoignages.services import testimony_draft_update, testimony_submit
from tests.core.factories import site, theme
from tests.temoignages.factories import (
    ConsentFactory,
    FormQuestionFactory,
    TestimonyFactory,
)
from tests.temoignages.helpers import context_data, narrative_data, published_form, step_url

pytestmark = pytest.mark.django_db

START = "temoignages:submit_start"


def _radios(content: str) -> list[str]:
    return re.findall(r'<input[^>]*name="collection_form"[^>]*>', content)


def _health_form():
    """A second form used at Calais, sharing one question key with `published_form`."""
    form, version = published_form(sites=[site("calais")], name="Accès aux soins")
    version.questions.exclude(key="hebergement").delete()
    FormQuestionFactory(
        version=version,
        position=5,
        key="soins",
        kind=FormQuestion.Kind.SHORT_TEXT,
        label_fr="Soins demandés",
        required=True,
    )
    return form, version


def test_new_testimony_preselects_no_form_and_always_offers_free_narrative(
    client_for, field_calais
):
    published_form(sites=[site("calais")], name="Recueil harmonisé — mineurs")
    content = client_for(field_calais).get(reverse(START)).content.decode()
    radios = _radios(content)
    assert len(radios) == 2
    assert not any("checked" in radio for radio in radios)
    assert f'value="{NO_FORM}"' in content
    assert "Récit libre, sans formulaire" in content


def test_each_offered_form_says_at_which_sites_it_is_used(client_for, coordinator):
    form, _ = published_form(sites=[site("marseille"), site("idf")])
    everywhere, _ = published_form(name="Partout")
    content = client_for(coordinator).get(reverse(START)).content.decode()
    by_value = {re.search(r'value="([^"]+)"', r).group(1): r for r in _radios(content)}
    sites = re.search(r'data-sites="([^"]*)"', by_value[str(form.pk)]).group(1).split()
    assert sorted(sites) == sorted([str(site("marseille").pk), str(site("idf").pk)])
    assert 'data-sites=""' in by_value[str(everywhere.pk)]
    assert "data-sites" not in by_value[NO_FORM]


def test_next_without_choosing_a_form_asks_for_the_choice(client_for, field_calais):
    published_form(sites=[site("calais")])
    response = client_for(field_calais).post(
        reverse(START), context_data(site("calais"), client_uuid=uuid.uuid4(), collection_form="")
    )
    assert response.status_code == 200
    assert "Choisissez un formulaire, ou « Récit libre, sans formulaire »" in (
        response.content.decode()
    )
    assert not Testimony.objects.exists()


def test_free_narrative_can_be_chosen_where_a_form_exists(client_for, field_calais):
    published_form(sites=[site("calais")])
    client_uuid = uuid.uuid4()
    response = client_for(field_calais).post(
        reverse(START),
        context_data(site("calais"), client_uuid=client_uuid, collection_form=NO_FORM),
    )
    testimony = Testimony.objects.get(client_uuid=client_uuid)
    assert response["Location"] == step_url(testimony, 2)
    assert testimony.form_version is None


def test_without_any_form_offered_no_choice_is_asked(client_for, field_calais):
    client_uuid = uuid.uuid4()
    content = client_for(field_calais).get(reverse(START)).content.decode()
    assert not _radios(content)
    client_for(field_calais).post(
        reverse(START), context_data(site("calais"), client_uuid=client_uuid, collection_form="")
    )
    assert Testimony.objects.get(client_uuid=client_uuid).form_version is None


def test_autosave_without_a_choice_leaves_the_form_as_it_is(client_for, field_calais):
    _, version = published_form(sites=[site("calais")])
    testimony = TestimonyFactory(collected_by=field_calais, form_version=version)
    response = client_for(field_calais).post(
        step_url(testimony, 1),
        context_data(site("calais"), client_uuid=testimony.client_uuid, collection_form=""),
        headers={"X-Autosave": "1"},
    )
    assert response.json()["ok"]
    testimony.refresh_from_db()
    assert testimony.form_version == version


def test_changing_the_form_of_a_young_draft_keeps_what_was_typed(client_for, field_calais):
    """The Marseille story: put in the wrong form, the officer changes it and loses
    nothing — not the narrative, not the themes, not the answers."""
    minors, _ = published_form(sites=[site("calais")])
    health, _ = _health_form()
    client = client_for(field_calais)
    client_uuid = uuid.uuid4()
    client.post(reverse(START), context_data(site("calais"), client_uuid=client_uuid, form=minors))
    testimony = Testimony.objects.get(client_uuid=client_uuid)
    data = narrative_data(nav="prev", themes=[theme("acces-soins").pk])
    client.post(step_url(testimony, 2), data)

    step1 = client.get(step_url(testimony, 1)).content.decode()
    assert "tant que le témoignage n'a pas été envoyé" in step1
    response = client.post(
        step_url(testimony, 1),
        context_data(site("calais"), client_uuid=client_uuid, form=health),
    )
    assert response["Location"] == step_url(testimony, 2)
    testimony.refresh_from_db()
    assert testimony.form_version.form == health
    assert testimony.narrative == data["narrative"]
    assert [t.slug for t in testimony.themes.all()] == ["acces-soins"]
    step2 = client.get(step_url(testimony, 2)).content.decode()
    assert "Soins demandés" in step2
    # The shared question keeps its answer in the new form.
    assert re.search(r'name="q_hebergement" value="rue"[^>]*checked', step2)

    client.post(step_url(testimony, 2), narrative_data(q_soins="Pansements", nav="next"))
    testimony.refresh_from_db()
    assert testimony.answers["soins"] == "Pansements"
    # The other answers wait aside while the draft may go back to the first form...
    assert testimony.answers["recours"] == "yes"

    client.post(
        step_url(testimony, 1), context_data(site("calais"), client_uuid=client_uuid, form=minors)
    )
    step2 = client.get(step_url(testimony, 2)).content.decode()
    assert re.search(r'name="q_recours" value="yes"[^>]*checked', step2)


def test_submission_keeps_only_the_chosen_forms_answers(field_calais):
    published_form(sites=[site("calais")])
    _, health_v1 = _health_form()
    testimony = TestimonyFactory(
        collected_by=field_calais,
        form_version=health_v1,
        answers={"hebergement": "rue", "recours": "yes", "soins": "Pansements"},
    )
    ConsentFactory(testimony=testimony)
    testimony.refresh_from_db()
    testimony = testimony_submit(testimony=testimony, user=field_calais)
    testimony.refresh_from_db()
    assert testimony.answers == {"hebergement": "rue", "soins": "Pansements"}


def test_a_testimony_sent_to_review_keeps_its_form(client_for, field_calais):
    _, version = published_form(sites=[site("calais")])
    health, _ = _health_form()
    testimony = TestimonyFactory(
        collected_by=field_calais, form_version=version, status=Testimony.Status.REJECTED
    )
    Testimony.objects.filter(pk=testimony.pk).update(submitted_at=testimony.created_at)
    testimony.refresh_from_db()
    client = client_for(field_calais)
    step1 = client.get(step_url(testimony, 1)).content.decode()
    assert all("disabled" in radio for radio in _radios(step1))
    assert "il le garde" in step1
    client.post(
        step_url(testimony, 1),
        context_data(
            site("calais"), client_uuid=testimony.client_uuid, form=health, title="Corrigé"
        ),
    )
    testimony.refresh_from_db()
    assert testimony.title == "Corrigé"
    assert testimony.form_version == version
    with pytest.raises(ValidationError):
        testimony_draft_update(testimony=testimony, user=field_calais, form_version=None)


# --- Step 2 on a phone: folded parts that say what they hold -------------------------------


def _fold(content: str, name: str) -> str:
    return re.search(rf'<details[^>]*data-fold="{name}"[^>]*>.*?</summary>', content, re.S).group(0)


def test_step_two_folds_its_parts_and_says_what_each_holds(client_for, field_calais):
    _, version = published_form(sites=[site("calais")])
    testimony = TestimonyFactory(collected_by=field_calais, form_version=version)
    testimony.themes.set([theme("detention"), theme("acces-soins")])
    client = client_for(field_calais)

    content = client.get(step_url(testimony, 2)).content.decode()
    questions = _fold(content, "questions")
    assert " open" in questions  # a required question waits for its answer
    assert "Répondu : 0 sur 4" in questions
    themes = _fold(content, "themes")
    assert " open" not in themes
    assert "2 thèmes choisis" in themes
    assert "Aucun extrait" in _fold(content, "extracts")
    assert "Aucune" in _fold(content, "translation")

    testimony.answers = {"hebergement": "rue"}
    testimony.save()
    content = client.get(step_url(testimony, 2)).content.decode()
    assert " open" not in _fold(content, "questions")
    assert "Répondu : 1 sur 4" in _fold(content, "questions")


def test_a_refused_part_of_step_two_opens_with_its_error(client_for, field_calais):
    _, version = published_form(sites=[site("calais")])
    testimony = TestimonyFactory(collected_by=field_calais, form_version=version)
    extracts = ["x" * 1001]
    response = client_for(field_calais).post(
        step_url(testimony, 2), narrative_data(extracts=extracts)
    )
    assert response.status_code == 200
    assert " open" in _fold(response.content.decode(), "extracts")
