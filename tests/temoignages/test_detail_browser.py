"""The coordinator's journey on the records pages, in a real browser under the CSP."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from temoignages import services
from tests.browser import assert_clean, sign_in
from tests.core.factories import site, user_with_role
from tests.temoignages.factories import TestimonyFactory, usable_testimony

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_filters_opens_a_testimony_reviews_and_reveals(page):
    coordinator = user_with_role(Role.COORDINATOR, username="coord-e2e")
    usable_testimony(site=site("marseille"), title="Recours devant le juge des enfants")
    submitted = TestimonyFactory(
        status="submitted",
        site=site("tripoli"),
        language="ar",
        title="احتجاز في طرابلس",
        narrative="احتجزونا في طرابلس لثلاثة أشهر",
        is_minor=True,
    )
    services.testimony_identity_set(testimony=submitted, user=coordinator, full_name="Awad K.")
    sign_in(page, coordinator.username, "/temoignages/liste/")
    page.get_by_label("Soumis").check()  # htmx swaps the results and pushes the URL
    page.wait_for_url("**status=submitted**")
    rows = page.locator("#testimony-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name=submitted.reference).click()

    expect(page.get_by_role("heading", name=submitted.reference, level=1)).to_be_visible()
    expect(page.locator(".prose[dir=rtl]")).to_be_visible()
    expect(page.locator("#usability-panel")).to_contain_text("en attente de relecture")

    page.get_by_role("link", name="Consentement").click()
    expect(page.get_by_text("Aucun consentement enregistré.")).to_be_visible()

    page.get_by_role("link", name="Révéler l'identité…").click()
    expect(page.get_by_role("button", name="Révéler l'identité")).to_be_visible()
    assert "journal d'audit" in page.content()
    assert "Awad K." not in page.content()
    page.get_by_role("button", name="Révéler l'identité").click()
    expect(page.locator("#revealed-identity").get_by_text("Awad K.")).to_be_visible()
    assert_clean(page)
