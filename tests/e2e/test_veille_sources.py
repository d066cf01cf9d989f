"""Sources pages in a real browser: no CSP violation, the OPML import progress updates by
itself (htmx polling) until the worker has finished, the health view's fetch button."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import assert_clean, sign_in
from tests.veille.factories import SourceFactory
from veille.models import Source

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sources_pages_are_clean_and_the_import_progress_polls(
    page, coordinator, celery_worker, tmp_path
):
    failing = SourceFactory(name="Flux en panne")
    Source.objects.filter(pk=failing.pk).update(
        consecutive_failures=7, last_outcome="error", last_error_code="http_error", last_status=404
    )
    SourceFactory(name="Flux en forme", last_outcome="ok")
    sign_in(page, coordinator.username, reverse("veille:source_health"))
    first_row = page.locator("tbody tr").first
    expect(first_row).to_have_text(re.compile(r"^Flux en panne"), use_inner_text=True)
    expect(first_row).to_contain_text("Le serveur a répondu 404")
    assert_clean(page)

    page.goto(page.base_url + reverse("veille:sources"))
    page.get_by_role("link", name="Nom").click()  # sort by name, descending
    page.wait_for_url("**sort=-name**")
    expect(first_row).to_have_text(re.compile(r"^Flux en panne"), use_inner_text=True)
    assert_clean(page)

    opml = tmp_path / "abonnements.opml"
    outlines = "".join(
        f'<outline type="rss" text="Flux {i}" xmlUrl="https://flux{i}.example.org/rss"/>'
        for i in range(150)
    )
    opml.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}'
        '<outline text="Mauvais" xmlUrl="javascript:alert(1)"/></body></opml>'
    )
    page.goto(page.base_url + reverse("veille:opml_import"))
    page.locator("input[type=file]").set_input_files(str(opml))
    page.locator("form[enctype] button[type=submit]").click()
    # The page polls every 2 s on its own: no reload here.
    page.get_by_text("150 sources créées").wait_for(timeout=20_000)
    page.get_by_text("1 entrée refusée").wait_for(timeout=20_000)
    expect(page.locator("table")).to_contain_text("Adresse du flux invalide.")
    assert_clean(page)
    assert Source.objects.count() == 152
