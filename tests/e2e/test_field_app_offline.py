"""The field app without a connection, in a real browser at 360×740.

The officer opens the field home once online (the service worker keeps the offline
pages), loses the network, reloads, opens "Nouveau témoignage" from the cache, types a
whole testimony with its consent and a photo carrying GPS, sees it wait on the phone,
and sees it sent once when the network is back. The server has it once, its photo
without EXIF/GPS; no cache holds anything of it. Waits on states only."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from core.files import private_path
from core.models import Role
from temoignages import models
from tests.core.factories import TEST_PASSWORD, site, user_with_role
from tests.e2e.conftest import (
    assert_clean,
    assert_no_horizontal_scroll,
    go_offline,
    go_online,
    login,
)
from tests.temoignages.helpers import GPS_IFD, jpeg_with_gps, published_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARRATIVE = "Les gendarmes ont lacéré les tentes à l'aube, puis ils sont repartis sans un mot."
CAPTION = "Tentes lacérées"
# States that need several requests (the worker keeping its pages, the queue sent step
# by step with a photo to re-encode, the logout question asked once the device has read its
# storage) get more time on a loaded machine.
SLOW_STATE_MS = 30_000


@pytest.fixture(autouse=True)
def _reference_data(phone_page):
    """Countries, sites and themes (see test_temoignages_submission: idempotent)."""
    from core.models import Country, Site, Theme
    from core.reference_data import load

    load(Country, Site, Theme)


def _next(page) -> None:
    button = page.get_by_role("button", name="Suivant")
    assert button.bounding_box()["height"] >= 44  # touch target
    button.click()


def _step(page, number):
    """One step of the offline wizard (all six are on the page, one shown)."""
    section = page.locator(f"section[data-step='{number}']")
    section.wait_for(state="visible")
    return section


def _cached_text(page) -> str:
    """Everything the service worker's cache holds, as text."""
    return page.evaluate(
        """async () => {
            const texts = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    const response = await cache.match(request);
                    texts.push(request.url + "\\n" + await response.text());
                }
            }
            return texts.join("\\n");
        }"""
    )


def _cached_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    urls.push(new URL(request.url).pathname);
                }
            }
            return urls;
        }"""
    )


def _kept_on_phone(page) -> dict:
    """The queue in IndexedDB: the testimony record and the kind of each kept file."""
    return page.evaluate(
        """async () => {
            const items = await idbKeyval.values(InfluenceDevice.store("field-queue"));
            const files = await idbKeyval.values(InfluenceDevice.store("field-files"));
            return {items: items, files: files.map(f => ({type: f.type, size: f.size}))};
        }"""
    )


def test_a_testimony_typed_offline_with_consent_and_photo_is_sent_once_back_online(
    phone_page,
):
    page = phone_page
    context = page.context
    user_with_role(Role.FIELD_COMMS, site_codes=["calais"], username="terrain-hors-ligne")
    _, version = published_form(sites=[site("calais")], name="Campements — Calais")
    login(page, "terrain-hors-ligne", TEST_PASSWORD)

    # Online once: the field home; the app says it is ready for offline use.
    page.goto(page.base_url + "/temoignages/")
    page.locator("html[data-offline-ready]").wait_for(state="attached", timeout=SLOW_STATE_MS)
    expect(page.get_by_text("Disponible hors connexion sur cet appareil")).to_be_visible()
    cached = _cached_urls(page)
    assert "/temoignages/hors-ligne/nouveau/" in cached
    assert "/temoignages/" not in cached  # the real home lists testimonies: never cached

    # No network: the home still opens (its offline version), then the wizard.
    go_offline(context)
    page.reload()
    page.get_by_role("heading", name="Témoignages", level=1).wait_for()
    expect(page.get_by_text("Hors connexion. Vous pouvez saisir")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Nouveau témoignage").click()
    page.locator("[data-offline-wizard][data-ready]").wait_for(state="attached")
    expect(page.locator("[data-connection-note]")).to_be_visible()

    # 1 Contexte: choosing a form is deliberate (nothing chosen yet).
    expect(page.locator("input[name=collection_form]:checked")).to_have_count(0)
    _next(page)
    expect(page.locator("[data-step-errors]")).to_contain_text("Formulaire")
    step = _step(page, 1)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    step.get_by_label("Date du recueil").fill(yesterday.isoformat())
    step.get_by_label("Campements — Calais").check()
    step.get_by_label("Titre court (facultatif)").fill("Tentes lacérées à l'aube")
    assert_no_horizontal_scroll(page)
    _next(page)

    # 2 Récit, the form's required question, a theme (folded until opened).
    step = _step(page, 2)
    step.get_by_role("textbox", name="Récit").fill(NARRATIVE)
    step.get_by_label("À la rue").check()
    step.locator("summary", has_text="Thèmes").click()
    step.get_by_label("Logement, squats et campements").check()
    assert_no_horizontal_scroll(page)
    _next(page)

    # 3 Profil
    step = _step(page, 3)
    step.get_by_label("Tranche d'âge").select_option("25_34")
    step.get_by_label("Genre").select_option("male")
    _next(page)

    # 4 Consentement: the explanation language follows the narrative's.
    step = _step(page, 4)
    explained_in = step.get_by_label("Langue dans laquelle le consentement a été expliqué")
    expect(explained_in).not_to_have_value("")
    expect(step.get_by_label("Accord du mineur lui-même")).to_be_hidden()
    step.get_by_label("Analyse interne").check()
    step.get_by_label("Le texte du récit").check()
    step.get_by_label("Son image (photos, vidéos)").check()
    step.get_by_label("Forme du consentement").select_option("oral_recorded")
    assert_no_horizontal_scroll(page)
    _next(page)

    # 5 Médias: the camera input, a photo with GPS kept on the phone.
    step = _step(page, 5)
    camera = step.locator("input[name=media-photo]")
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", "image/*")
    camera.set_input_files(
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((320, 240))}
    )
    step.get_by_label("Légende (facultatif)").fill(CAPTION)
    step.get_by_role("button", name="Ajouter ce fichier").click()
    thumb = step.locator("[data-media-list] img.media-thumb")
    expect(thumb).to_have_attribute("src", re.compile(r"^data:image/jpeg"))
    assert_no_horizontal_scroll(page)
    _next(page)

    # 6 Relire et envoyer: without a network, it waits on the phone.
    step = _step(page, 6)
    expect(step.locator("[data-review]")).to_contain_text(NARRATIVE)
    page.get_by_role("button", name="Envoyer à la relecture").click()
    summary = page.locator("[data-offline-wizard] [data-queue-summary]")
    expect(summary).to_have_text("1 témoignage en attente d'envoi")
    expect(page.locator("[data-queue-item][data-state=queued]")).to_have_count(1)
    assert_no_horizontal_scroll(page)

    kept = _kept_on_phone(page)
    assert [item["state"] for item in kept["items"]] == ["queued"]
    assert kept["files"] == [{"type": "image/jpeg", "size": kept["files"][0]["size"]}]
    client_uuid = kept["items"][0]["uuid"]
    assert not models.Testimony.objects.filter(client_uuid=client_uuid).exists()
    # Nothing typed reaches a cache: only the blank pages and static files are there.
    cached_text = _cached_text(page)
    assert NARRATIVE not in cached_text
    assert CAPTION not in cached_text

    # Back online: the page sends the queue by itself, once.
    go_online(context)
    sent = page.locator("[data-offline-wizard] [data-queue-item][data-state=sent]")
    sent.wait_for(timeout=SLOW_STATE_MS)
    testimony = models.Testimony.objects.get(client_uuid=client_uuid)
    expect(sent).to_contain_text(testimony.reference)
    assert testimony.status == models.Testimony.Status.SUBMITTED
    assert testimony.narrative == NARRATIVE
    assert testimony.form_version == version
    assert testimony.answers == {"hebergement": "rue"}
    assert [t.slug for t in testimony.themes.all()] == ["logement-squats"]
    assert testimony.current_consent.scope_internal
    assert testimony.consents.count() == 1
    media = testimony.media.get()
    assert media.caption == CAPTION
    assert media.metadata_stripped
    with Image.open(private_path(media.storage_path)) as stored:
        exif = stored.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert not exif

    # Sending again (another `online` event) adds nothing; the photo left the phone.
    page.evaluate("InfluenceFieldApp.sendAll()")
    assert models.Testimony.objects.filter(collected_by__username="terrain-hors-ligne").count() == 1
    assert models.MediaAttachment.objects.count() == 1
    kept = _kept_on_phone(page)
    assert kept["files"] == []
    assert [(i["state"], i.get("values")) for i in kept["items"]] == [("sent", None)]
    assert json.dumps(kept).find(NARRATIVE) == -1
    assert_clean(page)


# --- A shared phone: nothing of one person stays for the next ------------------------------

KEEP_ONE = """async (owner) => {
    const item = {uuid: InfluenceFieldApp.newUuid(), owner: String(owner), state: "editing",
                  step: 5, values: {"1": {title: "Saisi hors ligne"}}, media: [],
                  created: new Date().toISOString()};
    const photo = new Blob(["jpeg"], {type: "image/jpeg"});
    item.media.push({uuid: InfluenceFieldApp.newUuid(), type: "image/jpeg", size: 4});
    await InfluenceFieldApp.queue.putFile(item.media[0].uuid, photo);
    await InfluenceFieldApp.queue.save(item);
}"""

ON_DEVICE = """async () => {
    const count = async (name) => (await idbKeyval.keys(
        idbKeyval.createStore("influence-" + name, name))).length;
    return {items: await count("field-queue"), files: await count("field-files"),
            caches: (await caches.keys()).length};
}"""


def _keep_one_testimony(page, user) -> None:
    """A testimony typed offline and not sent, with its photo, as the offline wizard
    leaves it on the phone."""
    page.goto(page.base_url + "/temoignages/")
    page.locator("html[data-offline-ready]").wait_for(state="attached", timeout=SLOW_STATE_MS)
    page.locator("html[data-queue-ready]").wait_for(state="attached")
    page.evaluate(KEEP_ONE, user.pk)
    page.locator("[data-queue-item][data-state=editing]").wait_for()
    assert page.evaluate(ON_DEVICE) == {"items": 1, "files": 1, "caches": 1}


def _open_logout(page) -> None:
    """Open the phone menu, then the account menu, until the logout button shows."""
    page.wait_for_load_state("load")  # Bootstrap's menus listen from then on
    nav = page.locator("#main-nav")
    if not nav.is_visible():
        page.get_by_role("button", name="Ouvrir le menu").click()
        expect(nav).to_be_visible()
    account = page.locator("#main-nav .dropdown-toggle")
    if account.get_attribute("aria-expanded") != "true":
        account.click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_logging_out_wipes_unsent_testimonies_after_asking(phone_page):
    page = phone_page
    officer = user_with_role(Role.FIELD_COMMS, site_codes=["calais"], username="terrain-a")
    login(page, "terrain-a", TEST_PASSWORD)
    _keep_one_testimony(page, officer)

    # Cancelled: still logged in, nothing lost.
    _open_logout(page)
    # (The page asks once the device has counted what it keeps: wait for the question.)
    with page.expect_event("dialog", timeout=SLOW_STATE_MS) as asked:
        page.get_by_role("button", name="Se déconnecter").click(no_wait_after=True)
    assert asked.value.message == (
        "1 témoignage n'a pas encore été envoyé depuis cet appareil : il sera effacé. "
        "Se déconnecter quand même ?"
    )
    asked.value.dismiss()
    expect(page).to_have_url(re.compile("/temoignages/"))
    assert page.evaluate(ON_DEVICE) == {"items": 1, "files": 1, "caches": 1}

    # Confirmed: the text, the photo and the kept pages are gone.
    _open_logout(page)
    # (The page asks once the device has counted what it keeps: wait for the question.)
    with page.expect_event("dialog", timeout=SLOW_STATE_MS) as asked:
        page.get_by_role("button", name="Se déconnecter").click(no_wait_after=True)
    asked.value.accept()
    page.wait_for_url("**/compte/connexion/**")
    assert page.evaluate(ON_DEVICE) == {"items": 0, "files": 0, "caches": 0}
    assert_clean(page)


def test_another_account_on_the_phone_never_gets_the_previous_ones_testimonies(phone_page):
    page = phone_page
    first = user_with_role(Role.FIELD_COMMS, site_codes=["calais"], username="terrain-a")
    second = user_with_role(Role.FIELD_COMMS, site_codes=["calais"], username="terrain-b")
    login(page, "terrain-a", TEST_PASSWORD)
    _keep_one_testimony(page, first)
    page.context.clear_cookies()  # the session ends without logging out (timeout)

    asked = []

    # Another person logs in and cancels: logged out again, the testimony stays for its
    # author, who can log in and send it.
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    login(page, "terrain-b", TEST_PASSWORD)
    page.wait_for_url("**/compte/connexion/**")
    assert len(asked) == 1
    assert "saisi avec un autre compte" in asked[0]
    assert page.evaluate(ON_DEVICE)["items"] == 1

    # They log in again and accept: wiped before any page could read or send it.
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    login(page, "terrain-b", TEST_PASSWORD)
    page.wait_for_function(
        "() => localStorage.getItem('influence-device:owner') === document.body.dataset.userId"
    )
    assert len(asked) == 2
    on_device = page.evaluate(ON_DEVICE)
    assert (on_device["items"], on_device["files"]) == (0, 0)
    # The pages kept for offline use are now the new account's own.
    page.locator("html[data-offline-ready]").wait_for(state="attached", timeout=SLOW_STATE_MS)
    cached = _cached_text(page)
    assert f'data-user="{second.pk}"' in cached
    assert f'data-user="{first.pk}"' not in cached
    assert "Saisi hors ligne" not in cached
    assert_clean(page)
