"""Key messages: versions, approval (four eyes), the coherence matrix and its flags,
lines to take as a one-page tagged PDF."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.files import private_path
from core.models import Country, PdfJob, Theme
from core.tasks import render_pdf_job
from influence.models import KeyMessage, LinesToTake, Strategy
from influence.selectors.messages import Flag, coherence_matrix, word_diff
from influence.services.messages import message_approve, message_update
from tests.core.factories import UserFactory

from .factories import country_strategy, message, unit_strategy

pytestmark = pytest.mark.django_db


def test_the_author_cannot_approve_their_own_message_when_four_eyes_apply(
    client_for, coordinator, settings
):
    settings.INFLUENCE_MESSAGES_FOUR_EYES = True
    draft = message(coordinator, status="draft")

    response = client_for(coordinator).post(
        reverse("influence:message_approve", args=[draft.pk]), follow=True
    )

    assert "une autre personne doit l&#x27;approuver" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == KeyMessage.Status.DRAFT
    assert draft.text == "Message cadre"  # nothing lost


def test_another_coordinator_approves_and_the_previous_master_is_retired(coordinator):
    author = UserFactory()
    old = message(author, text="Ancien message")
    new = message(author, text="Nouveau message", status="draft")

    message_approve(message=new, user=coordinator)

    old.refresh_from_db()
    new.refresh_from_db()
    assert new.status == "approved"
    assert new.approved_by == coordinator
    assert new.approved_at is not None
    assert old.status == "retired"


def test_a_validity_ending_before_it_starts_is_refused(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("influence:message_create"),
        {
            "theme": Theme.objects.get(slug="detention").pk,
            "audience": "media",
            "language": "fr",
            "sensitivity": "public",
            "text": "La détention rend malade.",
            "valid_from": "2027-03-01",
            "valid_until": "2027-01-01",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "La fin de validité doit être postérieure à son début." in html
    assert "La détention rend malade." in html
    assert not KeyMessage.objects.exists()


def test_editing_the_text_makes_a_new_version_and_asks_for_approval_again(coordinator):
    approved = message(coordinator, text="La détention rend malade.")
    approved.versions.create(
        number=1, text=approved.text, language="fr", status="approved", change="created"
    )

    changed = message_update(
        message=approved, user=coordinator, data={"text": "La détention rend gravement malade."}
    )

    approved.refresh_from_db()
    assert "text" in changed
    assert "status" in changed
    assert approved.version == 2
    assert approved.status == "draft"
    assert [v.number for v in approved.versions.all()] == [2, 1]


def test_word_diff_marks_removed_and_added_words():
    html = str(
        word_diff("aucun enfant ne doit être enfermé", "aucun enfant ne doit jamais être détenu")
    )
    assert "<ins>jamais </ins>" in html
    assert "<del>enfermé</del><ins>détenu</ins>" in html
    assert str(word_diff("<b>x</b>", "<b>y</b>")).count("<b>") == 0  # escaped


def _matrix_fixture(author):
    unit = unit_strategy()
    for code in ("FR", "LY", "TN"):
        country_strategy(unit, code, status=Strategy.Status.VALIDATED)
    today = timezone.localdate()
    master = message(author, text="Master détention")
    fresh = message(author, text="Variante FR", master=master, country_code="FR")
    outdated = message(author, text="Variante LY", master=master, country_code="LY")
    KeyMessage.objects.filter(pk=master.pk).update(version=2)
    KeyMessage.objects.filter(pk=fresh.pk).update(master_version=2)
    care = message(author, theme_slug="acces-soins", audience="government", text="Master soins")
    expired = message(
        author,
        theme_slug="acces-soins",
        audience="government",
        text="Soins FR",
        master=care,
        country_code="FR",
        valid_until=today - datetime.timedelta(days=1),
    )
    draft = message(
        author,
        theme_slug="acces-soins",
        audience="government",
        text="Soins LY",
        master=care,
        country_code="LY",
        status="draft",
    )
    retired = message(
        author,
        theme_slug="violences-frontieres",
        audience="public",
        text="Master retiré",
        status="retired",
    )
    contradicting = message(
        author,
        theme_slug="violences-frontieres",
        audience="public",
        text="Variante FR encore approuvée",
        master=retired,
        country_code="FR",
    )
    return {
        "fresh": fresh,
        "outdated": outdated,
        "expired": expired,
        "draft": draft,
        "contradicting": contradicting,
    }


def _flags_by_text(matrix) -> dict[str, list[str]]:
    found = {}
    for _theme, cells in matrix.rows:
        for column, cell in zip(matrix.columns, cells, strict=True):
            for entry in cell.entries:
                label = (
                    entry.message.text if entry.message else f"missing:{column.code}:{_theme.slug}"
                )
                found[label] = entry.flags
    return found


def test_the_coherence_matrix_flags_every_kind_of_problem(coordinator):
    _matrix_fixture(coordinator)

    flags = _flags_by_text(coherence_matrix(coordinator))

    assert flags["Variante FR"] == []
    assert flags["Variante LY"] == [Flag.OUTDATED]
    assert flags["Soins FR"] == [Flag.EXPIRED]
    assert flags["Soins LY"] == [Flag.UNAPPROVED]
    assert flags["Variante FR encore approuvée"] == [Flag.RETIRED_MASTER]
    assert flags["missing:TN:detention"] == [Flag.MISSING]
    assert flags["missing:TN:acces-soins"] == [Flag.MISSING]


def test_only_cells_to_review(coordinator):
    _matrix_fixture(coordinator)
    flags = _flags_by_text(coherence_matrix(coordinator, review_only=True))
    assert "Variante FR" not in flags
    assert "Variante LY" in flags


def test_the_matrix_page_shows_flags_as_words(client_for, coordinator):
    _matrix_fixture(coordinator)
    html = client_for(coordinator).get(reverse("influence:coherence_matrix")).content.decode()
    for words in (
        "plus ancien que le message-cadre",
        "expiré",
        "non approuvé",
        "manquant",
        "contredit un message-cadre retiré",
    ):
        assert words in html


def test_the_matrix_runs_a_constant_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    _matrix_fixture(coordinator)
    client = client_for(coordinator)
    client.get(reverse("influence:coherence_matrix"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("influence:coherence_matrix"))
    author = UserFactory()
    for code in ("IT", "MT", "ES"):
        country = Country.objects.get(code=code)
        for theme in Theme.objects.all()[:6]:
            master = KeyMessage.objects.create(
                theme=theme,
                audience="media",
                text=f"M {theme.slug}",
                status="approved",
                author=author,
            )
            KeyMessage.objects.create(
                theme=theme,
                audience="media",
                text=f"V {code}",
                master=master,
                country=country,
                status="approved",
                author=author,
                master_version=1,
            )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("influence:coherence_matrix"))
    assert len(response.context["matrix"].columns) == 7  # unit + FR, LY, TN, IT, MT, ES


def test_the_review_list_equals_the_dashboard_card(client_for, coordinator):
    _matrix_fixture(coordinator)
    client = client_for(coordinator)
    response = client.get(reverse("influence:messages") + "?revoir=on")
    listed = {m.text for m, _flags in response.context["rows"]}
    assert listed == {"Variante LY", "Soins FR", "Variante FR encore approuvée"}


def test_lines_to_take_become_a_one_page_tagged_pdf(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    author = UserFactory()
    picked = [
        message(author, text="La détention rend malade : aucun enfant ne doit être enfermé."),
        message(
            author,
            theme_slug="acces-soins",
            audience="government",
            text="L'accès aux soins ne se négocie pas.",
            sensitivity="reactive",
        ),
    ]
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("influence:lines_create"),
            {
                "title": "Rendez-vous au ministère",
                "meeting_on": "2026-12-10",
                "language": "fr",
                "meeting_with": "Cabinet du ministre",
                "messages": [m.pk for m in picked],
            },
        )
    assert response.status_code == 302
    lines = LinesToTake.objects.get()
    job = PdfJob.objects.get(kind="influence.lines_to_take", object_id=str(lines.pk))

    assert render_pdf_job.apply(args=(job.pk,)).get() == PdfJob.Status.READY

    job.refresh_from_db()
    assert job.page_count == 1
    reader = PdfReader(io.BytesIO(private_path(job.file_name).read_bytes()))
    text = reader.pages[0].extract_text()
    assert "Rendez-vous au ministère" in text
    assert "aucun enfant" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    detail = client.get(reverse("influence:lines_detail", args=[lines.pk])).content.decode()
    assert reverse("core:pdf_job_download", args=[job.pk]) in detail
    download = client.get(reverse("core:pdf_job_download", args=[job.pk]))
    assert download.status_code == 200


def test_only_approved_messages_can_be_picked(client_for, coordinator):
    draft = message(coordinator, status="draft")
    response = client_for(coordinator).post(
        reverse("influence:lines_create"),
        {"title": "Réunion", "language": "fr", "messages": [draft.pk]},
    )
    assert response.status_code == 400
    assert not LinesToTake.objects.exists()


def test_deleting_lines_to_take_asks_first_and_removes_their_pdf(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    from core.files import private_exists

    picked = message(UserFactory(), text="La détention rend malade.")
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("influence:lines_create"),
            {"title": "Réunion", "language": "fr", "messages": [picked.pk]},
        )
    lines = LinesToTake.objects.get()
    job = PdfJob.objects.get(object_id=str(lines.pk))
    render_pdf_job.apply(args=(job.pk,)).get()
    job.refresh_from_db()
    url = reverse("influence:lines_delete", args=[lines.pk])

    assert "Confirmer la suppression" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    assert not LinesToTake.objects.exists()
    assert not PdfJob.objects.filter(pk=job.pk).exists()
    assert not private_exists(job.file_name)
    assert KeyMessage.objects.filter(pk=picked.pk).exists()
