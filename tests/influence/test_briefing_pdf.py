"""The briefing PDF itself: a real document with every section, consent-safe testimony
extracts, Arabic that reads as Arabic, failures that name their section, retry."""

from __future__ import annotations

import datetime
import re
from io import BytesIO

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from core.extensions import BriefingPart, BriefingSection, registry
from core.models import PdfJob
from core.pdf_jobs import pdf_job_latest
from core.tasks import render_pdf_job
from influence.selectors.briefings import BRIEFING_PDF
from influence.services.briefings import briefing_render_now, briefing_render_request
from temoignages import models as testimonies
from temoignages.services import consent_withdraw
from tests.influence.briefing_data import (
    ARABIC_EXTRACT,
    EVENT_TITLE,
    EXTRACT_TEXT,
    ITEM_TITLE,
    NOTE_TITLE,
    OBJECTIVE_TITLE,
    briefing,
    last_month,
    month_content,
    pdf_bytes,
    pdf_text,
    pdftotext,
    quoted_testimony,
)

pytestmark = pytest.mark.django_db


def render(edition, user):
    _briefing, job = briefing_render_now(
        start=edition.period_start,
        end=edition.period_end,
        audience=edition.audience,
        language=edition.language,
        user=user,
    )
    return job


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_briefing_is_a_real_pdf_with_every_section_and_its_items(coordinator):
    month_content(coordinator)
    edition = briefing(introduction="Un mois marqué par les **interceptions**.")

    job = render(edition, coordinator)

    data = pdf_bytes(job)
    assert data.startswith(b"%PDF")
    assert job.page_count > 1
    assert job.size_bytes == len(data)
    text = flat(pdf_text(data))
    with translation.override("fr"):
        for section in registry.briefing():
            assert str(section.title) in text, section.key
    for heading in ("Sommaire", "Éditorial", "Chiffres clés", "À propos de ce document"):
        assert heading in text
    for title in (ITEM_TITLE, NOTE_TITLE, EVENT_TITLE, OBJECTIVE_TITLE, EXTRACT_TEXT):
        assert title in text
    assert "Agence de presse A, Quotidien B" in text  # one entry per story, its sources
    assert "Un article écarté" not in text
    assert "Un article jamais trié" not in text
    assert "Interne — ne pas diffuser" in text  # running header and cover
    assert f"Page 2 sur {job.page_count}" in text  # running footer
    assert "Briefing mensuel — " in text
    catalog = PdfReader(BytesIO(data)).trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/MarkInfo"]["/Marked"])  # tagged


def test_the_contents_give_the_page_of_each_section(coordinator):
    month_content(coordinator)
    job = render(briefing(), coordinator)

    reader = PdfReader(BytesIO(pdf_bytes(job)))
    pages = [flat(page.extract_text()) for page in reader.pages]
    contents = pages[1]  # after the cover
    assert "Sommaire" in contents
    for section in registry.briefing():
        with translation.override("fr"):
            title = str(section.title)
        listed = re.search(re.escape(title) + r"[ .]*?(\d+)", contents)
        assert listed, title
        page = int(listed.group(1))
        assert title in pages[page - 1]  # the section really starts on that page


def test_the_english_edition_is_written_in_english(coordinator):
    month_content(coordinator)
    job = render(briefing(language="en"), coordinator)

    data = pdf_bytes(job)
    text = flat(pdf_text(data))
    with translation.override("en"):
        for section in registry.briefing():
            assert str(section.title) in text, section.key
    for words in ("Monthly briefing", "Contents", "Key figures", "Internal — do not distribute"):
        assert words in text
    assert f"Page 2 of {job.page_count}" in text
    assert "Sommaire" not in text
    assert "Chiffres clés" not in text
    assert PdfReader(BytesIO(data)).trailer["/Root"]["/Lang"] == "en"


def test_a_partners_briefing_leaves_out_every_testimony_the_gate_refuses(coordinator):
    today = timezone.localdate()
    allowed = quoted_testimony("Extrait autorisé pour les partenaires.")
    withdrawn = quoted_testimony("Extrait dont le consentement a été retiré.")
    consent_withdraw(testimony=withdrawn, user=coordinator, reason="Demande de la personne")
    quoted_testimony(
        "Extrait réservé à l'analyse interne.", consent={"scope_external_anonymised": False}
    )
    quoted_testimony(
        "Extrait dont le consentement a expiré hier.",
        consent={"expires_on": today - datetime.timedelta(days=1)},
    )
    edition = briefing(audience="partners")

    job = render(edition, coordinator)

    text = flat(pdf_text(pdf_bytes(job)))
    assert "Extrait autorisé pour les partenaires." in text
    assert "Extrait dont le consentement a été retiré." not in text
    assert "Extrait réservé à l'analyse interne." not in text
    assert "Extrait dont le consentement a expiré hier." not in text
    assert "Diffusion partenaires" in text
    uses = testimonies.TestimonyUse.objects.filter(target_id=str(edition.pk))
    assert [(u.testimony_id, u.audience) for u in uses] == [(allowed.pk, "partners")]


def test_an_internal_briefing_quotes_internal_only_consent_but_never_unredacted_text(
    coordinator,
):
    internal_only = quoted_testimony(
        "Extrait réservé à l'analyse interne.", consent={"scope_external_anonymised": False}
    )
    internal_only.extracts.update(text="Texte original avec le nom de la personne")
    job = render(briefing(), coordinator)

    text = flat(pdf_text(pdf_bytes(job)))
    assert "Extrait réservé à l'analyse interne." in text
    assert "Texte original avec le nom" not in text


def test_each_quote_is_recorded_once_as_a_use_of_its_testimony(coordinator):
    testimony = quoted_testimony()
    edition = briefing()

    render(edition, coordinator)
    render(edition, coordinator)  # a regeneration is the same use

    use = testimonies.TestimonyUse.objects.get(testimony=testimony)
    assert use.target == edition
    assert use.extract == testimony.extracts.get()
    assert use.audience == "internal"
    assert use.used_by == coordinator
    assert use.used_on == timezone.localdate()


def test_arabic_extracts_read_as_arabic_in_logical_order(coordinator):
    quoted_testimony(ARABIC_EXTRACT, language="ar")

    job = render(briefing(), coordinator)

    data = pdf_bytes(job)
    words = ARABIC_EXTRACT.split()
    extracted = pdftotext(data).split()
    start = extracted.index(words[0])
    assert extracted[start : start + len(words)] == words
    # The PDF embeds the vendored Arabic face, not a system fallback.
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in PdfReader(BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "Amiri" in fonts
    assert any(name.startswith("Noto-Sans") for name in fonts)


def _failing_section(settings_flag: dict):
    def build(period):
        if settings_flag["fail"]:
            raise RuntimeError("the source of this section is down")
        return BriefingPart(template="influence/briefing/calendar.html", context={"months": []})

    return BriefingSection(key="tests.fragile", title="Section fragile", build=build, order=5)


@pytest.fixture
def fragile():
    flag = {"fail": True}
    section = _failing_section(flag)
    registry.briefing_sections[section.key] = section
    yield flag
    registry.briefing_sections.pop(section.key)


def test_a_section_that_raises_fails_the_briefing_naming_it_and_a_retry_renders_it(
    coordinator, fragile, client_for, django_capture_on_commit_callbacks
):
    edition = briefing()
    with django_capture_on_commit_callbacks(execute=False):
        job = briefing_render_request(briefing=edition, user=coordinator)

    assert render_pdf_job.apply(args=(job.pk,)).get() == PdfJob.Status.FAILED
    job.refresh_from_db()
    assert job.status == PdfJob.Status.FAILED
    assert "Section fragile" in job.error
    assert "RuntimeError" in job.error
    assert not job.file_name
    page = client_for(coordinator).get(edition.get_absolute_url())
    assert "Section fragile" in page.content.decode()  # the reason is shown…
    assert "Réessayer" in page.content.decode()  # …with the retry button

    fragile["fail"] = False
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(coordinator).post(f"/briefings/{edition.pk}/generer/")
    assert response.status_code == 302
    retry = pdf_job_latest(kind=BRIEFING_PDF, object_id=edition.pk)
    assert retry.pk != job.pk
    assert render_pdf_job.apply(args=(retry.pk,)).get() == PdfJob.Status.READY
    assert "Section fragile" in flat(pdf_text(pdf_bytes(PdfJob.objects.get(pk=retry.pk))))
    assert not PdfJob.objects.filter(pk=job.pk).exists()  # the failed attempt is superseded


def test_a_section_switched_off_is_left_out_of_the_edition(coordinator):
    month_content(coordinator)
    job = render(briefing(disabled_sections=["veille.highlights"]), coordinator)

    text = flat(pdf_text(pdf_bytes(job)))
    assert ITEM_TITLE not in text
    assert "Sections retirées de cette édition : Veille : faits marquants." in text
    assert NOTE_TITLE in text


def test_a_section_another_app_registers_appears_with_no_change_to_the_briefing(
    coordinator, settings, tmp_path
):
    (tmp_path / "actions.html").write_text(
        "<h2>Actions terminées</h2><ul>{% for a in actions %}<li>{{ a }}</li>{% endfor %}</ul>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    section = BriefingSection(
        key="tests.actions",
        title="Actions de plaidoyer",
        build=lambda period: BriefingPart(
            template="actions.html",
            context={"actions": ["Lettre conjointe aux députés européens"]},
            figures=[("Actions terminées", 3, 1)],
        ),
        order=30,
    )
    registry.briefing_sections[section.key] = section
    try:
        edition = briefing()
        job = render(edition, coordinator)
    finally:
        registry.briefing_sections.pop(section.key)

    text = flat(pdf_text(pdf_bytes(job)))
    assert "Actions de plaidoyer" in text
    assert "Lettre conjointe aux députés européens" in text
    assert "Actions terminées" in text
    assert "+2 (+200 %)" in text


def test_the_briefing_renders_within_its_own_time_limit(settings, monkeypatch, coordinator):
    sent = []
    monkeypatch.setattr(render_pdf_job, "apply_async", lambda args, **options: sent.append(options))
    edition = briefing()
    from core.pdf_jobs import pdf_job_enqueue, pdf_job_request

    job = pdf_job_request(kind=BRIEFING_PDF, object_id=edition.pk, user=coordinator)
    pdf_job_enqueue(job_id=job.pk)

    limit = settings.INFLUENCE_BRIEFING_TIME_LIMIT
    assert sent[-1] == {"soft_time_limit": limit, "time_limit": limit + 30}  # queue: the route


def test_a_scheduled_render_is_answered_for_by_the_coordinator_in_charge(coordinator, settings):
    quoted_testimony()
    edition = briefing()
    _b, job = briefing_render_now(
        start=edition.period_start,
        end=edition.period_end,
        audience="internal",
        language="fr",
        user=None,
    )

    assert job.status == PdfJob.Status.READY
    assert job.requested_by is None
    assert testimonies.TestimonyUse.objects.get().used_by == coordinator
    assert last_month()[0] == edition.period_start
