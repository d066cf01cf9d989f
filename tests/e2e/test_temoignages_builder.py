"""The forms builder and the objectives in a real browser, under the CSP: a coordinator
builds a form with the keyboard, reorders its questions, previews it in Arabic and
publishes it; then sets an objective and sees its progress bar."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from tests.core.factories import user_with_role
from tests.e2e.conftest import assert_clean, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _reference_data(page):
    """See tests/e2e/test_temoignages_submission.py: load sites and themes ourselves."""
    from core.models import Country, Site, Theme
    from core.reference_data import load

    load(Country, Site, Theme)


def _wait_focus(page, label):
    page.wait_for_function(
        "(label) => document.activeElement && "
        "document.activeElement.getAttribute('aria-label') === label",
        arg=label,
    )


def _add_question(page, label, *, kind=None, choices=""):
    page.get_by_label("Libellé en français").fill(label)
    if kind:
        page.get_by_label("Type de réponse").select_option(kind)
    if choices:
        page.get_by_label("Choix proposés").fill(choices)
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter la question").click()


def test_coordinator_builds_reorders_previews_and_publishes_a_form(page):
    user_with_role(Role.COORDINATOR, username="coord-e2e")
    sign_in(page, "coord-e2e", "/temoignages/formulaires/")
    expect(page.get_by_text("Aucun formulaire de collecte.")).to_be_visible()
    page.get_by_role("link", name="Nouveau formulaire").first.click()
    page.get_by_label("Nom du formulaire").fill("Détention en Libye")
    page.get_by_label("Tripoli").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Créer et ajouter les questions").click()

    # The choices box only shows for choice questions.
    choices = page.get_by_label("Choix proposés")
    expect(choices).to_be_hidden()
    page.get_by_label("Type de réponse").select_option("single_choice")
    expect(choices).to_be_visible()
    page.get_by_label("Type de réponse").select_option("short_text")

    _add_question(page, "Durée de la détention")
    _add_question(
        page,
        "Type de lieu",
        kind="single_choice",
        choices="Centre officiel | Official centre | مركز رسمي\nLieu informel | Informal place",
    )
    page.get_by_label("Libellé en arabe").fill("هل أمكن الوصول إلى طبيب؟")
    _add_question(page, "Accès à un soignant", kind="yes_no")
    items = page.locator(".question-item .question-main > .fw-semibold")
    expect(items).to_have_text(["Durée de la détention", "Type de lieu", "Accès à un soignant"])

    # Reorder with the keyboard only: the focus comes back to the moved question's button.
    up = page.get_by_role("button", name="Monter « Accès à un soignant »")
    up.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _wait_focus(page, "Monter « Accès à un soignant »")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(items).to_have_text(["Accès à un soignant", "Durée de la détention", "Type de lieu"])
    # At the top, "Monter" is disabled: the focus moves to "Descendre".
    _wait_focus(page, "Descendre « Accès à un soignant »")

    # Preview in Arabic, right to left.
    page.get_by_role("link", name="Aperçu").click()
    page.get_by_role("link", name="العربية").click()
    box = page.locator(".preview-box")
    expect(box).to_have_attribute("dir", "rtl")
    expect(box).to_contain_text("مركز رسمي")
    expect(box).to_contain_text("هل أمكن الوصول إلى طبيب؟")
    page.get_by_role("link", name="Retour aux questions").click()

    # Publish, after a confirmation page.
    page.get_by_role("link", name="Publier cette version").click()
    page.get_by_label("Ce qui change dans cette version (facultatif)").fill("Première version")
    with page.expect_navigation():
        page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text("Version 1 publiée")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    assert_clean(page)


def test_coordinator_sets_an_objective_and_sees_its_progress(page):
    user_with_role(Role.COORDINATOR, username="coord-e2e-2")
    sign_in(page, "coord-e2e-2", "/temoignages/objectifs/")
    page.get_by_role("link", name="Nouvel objectif").first.click()
    page.get_by_label("Thème").select_option(label="Détention")
    page.get_by_label("Site", exact=True).select_option(label="Tripoli")
    page.get_by_label("Pays", exact=True).select_option(label="Libye")
    page.get_by_label("Nombre de témoignages visé").fill("15")
    page.get_by_label("Pourquoi ces témoignages").fill("Note pour le briefing européen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    # Both a site and a country: refused, what was typed is kept.
    expect(page.get_by_text("Choisissez un site ou un pays, pas les deux.").first).to_be_visible()
    expect(page.get_by_label("Pourquoi ces témoignages")).to_have_value(
        "Note pour le briefing européen."
    )
    page.get_by_label("Pays", exact=True).select_option(index=0)
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    row = page.locator("#objectives-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("0 / 15 recueillis")
    expect(page.locator(".objective-bar").first).to_be_visible()
    expect(page.locator("[style]")).to_have_count(0)
    page.get_by_role("link", name="Vue par site").click()
    expect(page.get_by_role("heading", name="Tripoli")).to_be_visible()
    assert_clean(page)
