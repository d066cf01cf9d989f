"""The briefing in Chromium: a coordinator prepares an edition (month, audience, language,
introduction, a section switched off), previews it in HTML, generates it (a real worker
on the `pdf` queue; the panel and the list update by themselves) and downloads the PDF.
No page may break the Content-Security-Policy. Screenshots go to $SCREENSHOT_DIR."""

import os
import re

import pytest
from playwright.sync_api import expect

from core.models import PdfJob
from tests.e2e.conftest import assert_clean, axe_violations, sign_in
from tests.influence.briefing_data import ITEM_TITLE, last_month, month_content

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"briefing-{name}.png"), full_page=True)


def test_prepare_preview_generate_and_download_a_briefing(page, celery_worker, coordinator):
    from django.contrib.contenttypes.models import ContentType

    from config.celery import app

    # Earlier tests cached content type ids that the transactional flush renumbered; the
    # worker thread records testimony uses whose target is a briefing (a content type).
    ContentType.objects.clear_cache()
    # Messages left on the test broker by earlier tests (their rows are gone) would make
    # the worker busy before it reaches this test's render.
    with app.connection_for_write() as connection:
        for queue in ("celery", "pdf"):
            connection.default_channel.queue_purge(queue)
    assert app.control.add_consumer("pdf", reply=True, destination=[celery_worker.hostname])
    month_content(coordinator)
    start, _end = last_month()
    sign_in(page, coordinator.username, "/briefings/")
    page.get_by_role("link", name="Nouveau briefing").first.click()
    page.wait_for_load_state()
    page.get_by_label("Mois", exact=True).fill(start.strftime("%Y-%m"))
    expect(page.get_by_label("Du", exact=True)).to_be_hidden()  # custom dates only when chosen
    page.get_by_label("Partenaires : peut sortir de l'organisation").check()
    page.get_by_label("Introduction éditoriale").fill("Un mois marqué par les **interceptions**.")
    page.get_by_label("Objectifs et progression").uncheck()
    assert axe_violations(page) == []
    _shot(page, "form")
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_text("Briefing créé.").wait_for()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Briefing mensuel"))
    assert axe_violations(page) == []
    page.get_by_role("link", name="Aperçu").click()
    preview = page.locator("article.briefing-preview")
    preview.get_by_text("Diffusion partenaires").first.wait_for()
    expect(preview.get_by_role("heading", name="Veille : faits marquants")).to_have_count(1)
    expect(preview.get_by_text(ITEM_TITLE).first).to_be_visible()
    expect(preview.get_by_role("heading", name="Objectifs et progression")).to_have_count(0)
    expect(preview.get_by_text("interceptions").first).to_be_visible()
    _shot(page, "preview")

    page.get_by_role("button", name="Générer le PDF").click()
    download = page.get_by_role("link", name="Télécharger le PDF")
    # No reload: the panel polls every 2 s until the render is ready (or has failed).
    download.or_(page.get_by_text("Échec")).first.wait_for(timeout=120_000)
    job = PdfJob.objects.get(kind="influence.briefing")
    assert job.status == PdfJob.Status.READY, job.error
    with page.expect_download() as info:
        download.click()
    with open(info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert info.value.suggested_filename.startswith(f"briefing-{start:%Y-%m}-partenaires-fr")

    page.goto(page.base_url + "/briefings/")
    row = page.get_by_role("row").filter(has_text="Briefing mensuel")
    row.get_by_text("Prêt").wait_for()
    expect(row.get_by_role("link", name="Télécharger")).to_have_count(1)
    assert axe_violations(page) == []
    _shot(page, "list")
    assert_clean(page)
