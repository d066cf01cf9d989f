"""An analysis note's PDF: requested in the browser, rendered by a real worker on the `pdf`
queue, and the panel updates by itself (htmx polling) until the download appears."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_clean, sign_in
from tests.veille.factories import ItemFactory
from veille.services import note_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_pdf_panel_polls_until_the_pdf_is_ready(page, celery_worker, coordinator, settings):
    from config.celery import app

    assert app.control.add_consumer(
        settings.TEST_CELERY_QUEUES[1], reply=True, destination=[celery_worker.hostname]
    )
    item = ItemFactory(title="غرق قارب قبالة زوارة", language="ar")
    note = note_create(
        author=coordinator,
        title="Interceptions en Méditerranée centrale",
        body=f"## Constat\n\nLes interceptions augmentent [@{item.pk}].",
        cited_items=[item],
    )
    sign_in(page, coordinator.username, reverse("veille:note_detail", args=[note.pk]))

    page.get_by_role("button", name="Générer le PDF").click()
    page.get_by_text("En file d'attente").or_(page.get_by_text("Mise en page en cours")).or_(
        page.get_by_role("link", name="Télécharger le PDF")
    ).first.wait_for()
    download_link = page.get_by_role("link", name="Télécharger le PDF")
    download_link.wait_for(timeout=60_000)  # no reload: the panel polls every 2 s

    with page.expect_download() as info:
        download_link.click()
    path = info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert_clean(page)
