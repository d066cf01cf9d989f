"""The field officer's wizard in a real browser at 360×740: a dropped connection loses
nothing, the draft comes back from the device after a reload and is resynced, and the
testimony is submitted with what was typed offline. No horizontal scroll, no CSP
violation."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Role
from temoignages import models
from tests.core.factories import TEST_PASSWORD, site, user_with_role
from tests.e2e.conftest import assert_clean, assert_no_horizontal_scroll, login
from tests.temoignages.helpers import jpeg_with_gps, published_form
from tests.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ONLINE_TEXT = "On nous a gardés trois jours au poste sans interprète."
OFFLINE_TEXT = " Ensuite ils ont pris nos téléphones, et personne ne nous a rien expliqué."


@pytest.fixture(autouse=True)
def _reference_data(phone_page):
    """Countries, sites and themes, whatever ran before.

    Once Playwright runs its event loop in this thread, Django's `connections` hands out
    another connection object, one without the serialized reference data, so
    `serialized_rollback` stops restoring it after the first browser test has flushed
    the database. Loading it is idempotent.
    """
    from core.models import Country, Site, Theme
    from core.reference_data import load

    load(Country, Site, Theme)


def _narrative(reference: str) -> str:
    return models.Testimony.objects.get(reference=reference).narrative


def _device_drafts(page) -> str:
    return page.evaluate(
        """() => Object.keys(localStorage)
            .filter(k => k.includes(":draft:"))
            .map(k => localStorage.getItem(k)).join("\\n")"""
    )


def _ready(page):
    """The wizard's script has started (its listeners are in place)."""
    page.locator("[data-wizard][data-ready]").wait_for(state="attached")


def _next(page):
    button = page.get_by_role("button", name="Suivant")
    box = button.bounding_box()
    assert box["height"] >= 44  # touch target
    with page.expect_navigation(wait_until="domcontentloaded"):
        button.click()


def test_testimony_typed_partly_offline_is_restored_resynced_and_submitted(phone_page):
    page = phone_page
    user_with_role(Role.FIELD_COMMS, site_codes=["calais"], username="terrain-e2e")
    published_form(sites=[site("calais")])
    login(page, "terrain-e2e", TEST_PASSWORD)

    # Home: the officer lands on their testimonies.
    expect(page.get_by_role("heading", name="Témoignages", level=1)).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Nouveau témoignage").first.click()

    # 1 Contexte
    page.get_by_role("heading", name="Contexte").wait_for()
    assert_no_horizontal_scroll(page)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Date du recueil").fill(yesterday.isoformat())
    page.get_by_label("Titre court (facultatif)").fill("Garde à vue à Calais")
    # The form is a deliberate choice: nothing is preselected, "Suivant" asks for it.
    expect(page.locator("input[name=collection_form]:checked")).to_have_count(0)
    _next(page)
    page.locator(".form-error-summary").wait_for()
    page.get_by_label("Recueil harmonisé — mineurs").check()
    _next(page)

    # 2 Récit — typed online, autosaved.
    page.get_by_role("heading", name="Récit").first.wait_for()
    testimony = models.Testimony.objects.get()
    reference = testimony.reference
    expect(page.get_by_text(reference).first).to_be_visible()
    _ready(page)
    narrative = page.locator("textarea[name=narrative]")
    expect(narrative).to_have_attribute("dir", "auto")
    narrative.fill(ONLINE_TEXT)
    status = page.locator("#draft-status")
    expect(status).to_contain_text("Brouillon enregistré")
    wait_until(lambda: _narrative(reference) == ONLINE_TEXT, timeout=10, what="draft saved")

    # The connection drops; the officer keeps typing.
    page.context.set_offline(True)
    narrative.press_sequentially(OFFLINE_TEXT, delay=5)
    expect(status).to_contain_text("hors ligne — enregistré sur cet appareil")
    assert OFFLINE_TEXT.strip() in _device_drafts(page)
    assert _narrative(reference) == ONLINE_TEXT  # the server does not have it yet

    # "Suivant" while offline is held back instead of losing the page.
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("#offline-message")).to_be_visible()
    expect(page).to_have_url(re.compile("/etape/2/"))

    # Back online, but saves still fail (a flaky network): reload the page.
    def fail_saves(route):
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    page.route("**/etape/*/", fail_saves)
    page.context.set_offline(False)
    page.reload()
    expect(page.locator("#draft-restored")).to_be_visible()
    # The page came from the server (without the offline text) and the script put the
    # device's copy back.
    expect(narrative).to_have_value(ONLINE_TEXT + OFFLINE_TEXT)
    assert _narrative(reference) == ONLINE_TEXT

    # The network works again: the next page load resyncs the device's copy.
    page.unroute("**/etape/*/")
    page.reload()
    expect(page.locator("#draft-restored")).to_be_visible()
    expect(narrative).to_have_value(ONLINE_TEXT + OFFLINE_TEXT)
    wait_until(
        lambda: _narrative(reference) == ONLINE_TEXT + OFFLINE_TEXT,
        timeout=10,
        what="the device's copy resynced",
    )
    expect(status).to_contain_text("Brouillon enregistré")

    # An extract from a selection of the narrative, the form's question, a theme.
    narrative.evaluate("(el) => { el.focus(); el.setSelectionRange(0, 38); }")
    page.get_by_role("button", name="Ajouter comme extrait").click()
    extracts = page.locator("textarea[name=extracts]")
    expect(extracts.first).to_have_value(ONLINE_TEXT[:38].strip())
    page.get_by_label("À la rue").check()
    # Themes are folded; the summary says how many are chosen.
    themes = page.locator("details[data-fold=themes]")
    expect(themes.locator("[data-fold-status]")).to_have_text("Aucun thème choisi")
    themes.locator("summary").click()
    page.get_by_label("Détention", exact=True).check()
    expect(themes.locator("[data-fold-status]")).to_have_text("1 thème choisi")
    expect(page.locator("details[data-fold=questions] [data-fold-status]")).to_have_text(
        "Répondu : 1 sur 4"
    )
    assert_no_horizontal_scroll(page)
    _next(page)

    # 3 Profil
    page.get_by_role("heading", name="Profil pseudonymisé").wait_for()
    page.get_by_label("Tranche d'âge").select_option("18_24")
    page.get_by_label("Genre").select_option("male")
    assert_no_horizontal_scroll(page)
    _next(page)

    # 4 Consentement
    page.get_by_role("heading", name="Consentement").first.wait_for()
    page.get_by_label("Analyse interne").check()
    page.get_by_label("Le texte du récit").check()
    page.get_by_label("Forme du consentement").select_option("oral_recorded")
    assert_no_horizontal_scroll(page)
    _next(page)

    # 5 Médias: a photo with GPS in its EXIF, shown as a clean thumbnail.
    page.get_by_role("heading", name="Médias").first.wait_for()
    page.locator("input[name=file]").set_input_files(
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((320, 240))}
    )
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Ajouter ce fichier").click()
    page.locator("img.media-thumb").wait_for()
    page.wait_for_function(
        "() => { const img = document.querySelector('img.media-thumb');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    assert_no_horizontal_scroll(page)
    _next(page)

    # 6 Relire et envoyer
    page.get_by_role("heading", name="Relire et envoyer").first.wait_for()
    expect(page.locator(".review-text").first).to_contain_text(OFFLINE_TEXT.strip())
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Envoyer à la relecture").click()

    expect(page.locator("#reference-code")).to_have_text(reference)
    testimony = models.Testimony.objects.get()
    assert testimony.status == models.Testimony.Status.SUBMITTED
    assert testimony.narrative == ONLINE_TEXT + OFFLINE_TEXT
    assert [e.text for e in testimony.extracts.all()] == [ONLINE_TEXT[:38].strip()]
    assert testimony.answers == {"hebergement": "rue"}
    assert testimony.media.get().metadata_stripped
    assert str(testimony.client_uuid) not in _device_drafts(page)
    assert_no_horizontal_scroll(page)
    assert_clean(page)


def test_a_new_testimony_started_offline_is_offered_again_from_the_home_page(phone_page):
    page = phone_page
    user_with_role(Role.FIELD_COMMS, site_codes=["calais", "idf"], username="terrain-e2e-2")
    login(page, "terrain-e2e-2", TEST_PASSWORD)
    page.get_by_role("link", name="Nouveau témoignage").first.click()
    page.get_by_role("heading", name="Contexte").wait_for()
    _ready(page)
    client_uuid = page.locator("[data-wizard]").get_attribute("data-client-uuid")

    page.context.set_offline(True)
    page.get_by_label("Site").select_option(label="Île-de-France")
    page.get_by_label("Titre court (facultatif)").fill("Mineur à la rue, Paris 19e")
    page.wait_for_function(
        "() => document.querySelector('#draft-status').textContent.includes('hors ligne')"
    )
    stored = json.loads(
        page.evaluate(
            f"() => localStorage.getItem('influence:temoignages:' + "
            f"document.querySelector('[data-wizard]').dataset.user + ':draft:{client_uuid}')"
        )
    )
    assert stored["steps"]["1"]["title"] == "Mineur à la rue, Paris 19e"
    page.context.set_offline(False)

    # Later, from the home page: the draft is only on this device, and can be resumed.
    page.goto(page.base_url + "/temoignages/")
    local = page.locator("[data-local-drafts]")
    expect(local).to_contain_text("Mineur à la rue, Paris 19e")
    assert_no_horizontal_scroll(page)
    local.get_by_role("link", name="Reprendre").click()
    expect(page.locator("#draft-restored")).to_be_visible()
    expect(page.get_by_label("Titre court (facultatif)")).to_have_value(
        "Mineur à la rue, Paris 19e"
    )
    expect(page.get_by_label("Site")).to_have_value(str(site("idf").pk))
    _next(page)

    testimony = models.Testimony.objects.get(client_uuid=client_uuid)
    assert testimony.site.code == "idf"
    assert testimony.title == "Mineur à la rue, Paris 19e"
    assert_clean(page)
