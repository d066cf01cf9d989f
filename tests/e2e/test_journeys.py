"""Whole journeys across apps and roles, in Chromium, as people live them.

1. The coordinator signs in with a TOTP code, clears five stories of the inbox with the
   keyboard, opens a story, creates an advocacy action citing that story's article and an
   approved testimony (through the publication gate, which records the use), and sees the
   dashboard's numbers change: five fewer stories to triage, one more action due.
2. A field officer on a 360×740 phone types a testimony offline (consent, an extract, a
   photo), sends it when the network is back, and cannot open another site's testimony;
   the coordinator writes the extract's external wording, approves the testimony,
   generates the month's briefing on a real worker, and the PDF's text holds the extract.

Screenshots of the key steps are kept under test-results/journeys/ (git-ignored), for
the person who reads a failure. Every wait is on a state, never on time.
"""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import PdfJob, Role
from plaidoyer.models import AdvocacyAction
from temoignages import models as tem
from tests.core.factories import TEST_PASSWORD, site, user_with_role
from tests.e2e.conftest import assert_clean, go_offline, go_online, login
from tests.influence.briefing_data import pdf_bytes, pdftotext
from tests.temoignages import factories as tem_factories
from tests.temoignages.factories import usable_testimony
from tests.temoignages.helpers import jpeg_with_gps, published_form
from tests.veille.factories import ItemFactory
from tests.veille.helpers import make_story
from veille.models import Item, TriageStatus

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.exhaustive,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "journeys"
# Steps that wait on several requests (the service worker, a photo to re-encode, a PDF
# rendered by the worker) may take long on a loaded machine; they are states, not sleeps.
SLOW_MS = 60_000

EXTRACT = "Ils ont lacéré les tentes à l'aube, même celles des enfants."
EXTERNAL_EXTRACT = "Ils ont lacéré les tentes à l'aube, même celles des enfants. (extrait)"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _dashboard_count(page, key: str) -> int:
    page.goto(page.base_url + reverse("influence:dashboard"))
    badge = page.locator(f"[data-card='{key}'] h2 .badge")
    badge.wait_for()
    return int(badge.inner_text())


def _totp_code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_coordinator_triages_builds_an_action_on_evidence_and_the_dashboard_follows(
    page, coordinator, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="téléphone", confirmed=True)
    now = timezone.now()
    make_story(size=3, title="Naufrage au large de Zouara", published_at=now)
    items = [
        ItemFactory(
            title=f"Centre de rétention : rapport n° {n}",
            published_at=now - datetime.timedelta(hours=n + 1),
        )
        for n in range(6)
    ]

    testimony = usable_testimony(reference="TEM-2026-0777")

    login(page, coordinator.username, TEST_PASSWORD)
    page.get_by_label("Code de vérification").fill(_totp_code(device))
    page.get_by_role("button", name="Vérifier", exact=True).click()
    page.get_by_role("heading", name="Tableau de bord", level=1).wait_for()
    before = _dashboard_count(page, "veille.inbox")
    actions_due = _dashboard_count(page, "plaidoyer.actions_due")
    _shot(page, "coordinator-1-dashboard")

    page.goto(page.base_url + reverse("veille:inbox"))
    page.locator("[data-story]").first.wait_for()
    page.keyboard.press("j")  # the shipwreck told by three sources
    page.keyboard.press("j")  # the first single article
    for n in range(5):
        page.keyboard.press("r")  # relevant; the focus moves on by itself
        page.wait_for_function(
            f"() => document.querySelector('.row-focused')?.id === 'story-{items[n + 1].pk}'"
        )
    _shot(page, "coordinator-2-triaged")
    assert [Item.objects.get(pk=i.pk).status for i in items[:5]] == [TriageStatus.RELEVANT] * 5
    assert Item.objects.get(pk=items[5].pk).status == TriageStatus.NEW

    page.goto(page.base_url + reverse("veille:inbox"))
    page.get_by_role("link", name="Naufrage au large de Zouara").first.click()
    page.get_by_role("heading", name="Naufrage au large de Zouara", level=1).wait_for()
    _shot(page, "coordinator-3-story")

    # An advocacy action due this week, with the story's article and the testimony.
    page.goto(page.base_url + reverse("plaidoyer:action_create"))
    page.locator("#id_title").fill("Lettre au préfet sur les expulsions de campements")
    page.locator("#id_kind").select_option("joint_letter")
    page.locator("#id_country").select_option(label="France")
    page.locator("#id_audience").select_option("internal")
    page.locator("#id_due_on").fill((timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Action créée.").wait_for()
    action = AdvocacyAction.objects.get(title__startswith="Lettre au préfet")

    page.goto(page.base_url + reverse("plaidoyer:action_items", args=[action.pk]))
    page.get_by_label("Chercher dans la veille", exact=True).fill("Zouara")
    page.get_by_role("button", name="Chercher", exact=True).click()
    page.get_by_role("button", name="Citer", exact=True).first.click()
    page.get_by_text("Article ajouté aux preuves.").wait_for()

    page.goto(page.base_url + reverse("plaidoyer:action_testimonies", args=[action.pk]))
    page.get_by_label("Référence", exact=True).fill(testimony.reference)
    page.get_by_role("button", name="Chercher", exact=True).click()
    page.get_by_role("button", name="Joindre", exact=True).click()
    page.get_by_text(f"Témoignage {testimony.reference} joint").wait_for()
    _shot(page, "coordinator-4-action")
    assert tem.TestimonyUse.objects.filter(testimony=testimony).count() == 1
    assert action.items.count() == 1

    assert _dashboard_count(page, "veille.inbox") == before - 5
    assert _dashboard_count(page, "plaidoyer.actions_due") == actions_due + 1
    _shot(page, "coordinator-5-dashboard-after")
    assert_clean(page)


def _fill_testimony_offline(page, form_name: str) -> None:
    """The six steps of the offline wizard, as the officer types them."""

    def step(number):
        section = page.locator(f"section[data-step='{number}']")
        section.wait_for(state="visible")
        return section

    def next_step():
        page.get_by_role("button", name="Suivant").click()

    first = step(1)
    first.get_by_label("Date du recueil").fill(
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    )
    first.get_by_label(form_name).check()
    next_step()
    second = step(2)
    second.get_by_role("textbox", name="Récit").fill(
        "Les gendarmes sont venus à l'aube. " + EXTRACT + " Personne ne nous a parlé."
    )
    second.get_by_label("À la rue").check()
    second.locator("summary", has_text="Extraits utilisables").click()
    second.get_by_label("Nouvel extrait").fill(EXTRACT)
    next_step()
    third = step(3)
    third.get_by_label("Tranche d'âge").select_option("25_34")
    next_step()
    fourth = step(4)
    fourth.get_by_label("Analyse interne").check()
    fourth.get_by_label("Le texte du récit").check()
    fourth.get_by_label("Son image (photos, vidéos)").check()
    fourth.get_by_label("Forme du consentement").select_option("oral_recorded")
    next_step()
    fifth = step(5)
    fifth.locator("input[name=media-photo]").set_input_files(
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((320, 240))}
    )
    fifth.get_by_role("button", name="Ajouter ce fichier").click()
    fifth.locator("[data-media-list] img.media-thumb").wait_for()
    next_step()
    step(6)
    page.get_by_role("button", name="Envoyer à la relecture").click()


def test_a_testimony_typed_offline_reaches_the_monthly_briefing_once_approved(
    browser, phone_page, page, coordinator, celery_worker
):
    from django.contrib.contenttypes.models import ContentType

    from config.celery import app

    ContentType.objects.clear_cache()  # the transactional flush renumbered content types
    with app.connection_for_write() as connection:
        for queue in ("celery", "pdf"):
            connection.default_channel.queue_purge(queue)
    assert app.control.add_consumer("pdf", reply=True, destination=[celery_worker.hostname])

    officer = user_with_role(Role.FIELD_COMMS, site_codes=["calais"], username="terrain-calais")
    published_form(sites=[site("calais")], name="Campements — Calais")
    elsewhere = tem_factories.TestimonyFactory(site=site("marseille"), submitted=True)

    # The officer, on a phone: online once, then no network.
    phone = phone_page
    login(phone, officer.username, TEST_PASSWORD)
    phone.goto(phone.base_url + "/temoignages/")
    phone.locator("html[data-offline-ready]").wait_for(state="attached", timeout=SLOW_MS)
    go_offline(phone.context)
    phone.reload()
    phone.get_by_role("link", name="Nouveau témoignage").click()
    phone.locator("[data-offline-wizard][data-ready]").wait_for(state="attached")
    _fill_testimony_offline(phone, "Campements — Calais")
    phone.locator("[data-queue-item][data-state=queued]").wait_for()
    _shot(phone, "field-1-queued-offline")
    assert not tem.Testimony.objects.filter(collected_by=officer).exists()

    go_online(phone.context)
    phone.locator("[data-offline-wizard] [data-queue-item][data-state=sent]").wait_for(
        timeout=SLOW_MS
    )
    _shot(phone, "field-2-sent")
    testimony = tem.Testimony.objects.get(collected_by=officer)
    assert testimony.status == tem.Testimony.Status.SUBMITTED
    assert [e.text for e in testimony.extracts.all()] == [EXTRACT]
    assert testimony.media.get().metadata_stripped

    # Another site's testimony: not found for this officer (and the attempt is audited).
    response = phone.goto(phone.base_url + reverse("temoignages:detail", args=[elsewhere.pk]))
    assert response.status == 404
    assert elsewhere.reference not in phone.content()
    assert_clean(phone)

    # The coordinator, at the desk: external wording of the extract, then approval.
    login(page, coordinator.username, TEST_PASSWORD)
    page.goto(page.base_url + reverse("temoignages:external_edit", args=[testimony.pk]))
    page.get_by_label("Extrait 1 pour l'externe").fill(EXTERNAL_EXTRACT)
    page.get_by_role("button", name="Enregistrer la version externe").click()
    page.get_by_text("Version externe enregistrée.").wait_for()
    page.get_by_role("button", name="Commencer la relecture").click()
    page.get_by_role("button", name="Approuver").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())  # the form's confirm()
    page.get_by_role("button", name="Approuver").click()
    page.get_by_text("Témoignage approuvé pour utilisation.").wait_for()
    testimony.refresh_from_db()
    assert testimony.status == tem.Testimony.Status.APPROVED
    _shot(page, "desk-1-approved")

    # The month's briefing, generated by the worker; its text holds the extract.
    page.goto(page.base_url + "/briefings/")
    page.get_by_role("link", name="Nouveau briefing").first.click()
    page.get_by_label("Mois", exact=True).fill(timezone.localdate().strftime("%Y-%m"))
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Briefing créé.").wait_for()
    page.get_by_role("button", name="Générer le PDF").click()
    page.get_by_role("link", name="Télécharger le PDF").or_(
        page.get_by_text("Échec")
    ).first.wait_for(timeout=SLOW_MS * 2)
    _shot(page, "desk-2-briefing-ready")
    job = PdfJob.objects.get(kind="influence.briefing")
    assert job.status == PdfJob.Status.READY, job.error
    text = " ".join(pdftotext(pdf_bytes(job)).split())
    assert EXTERNAL_EXTRACT in text
    assert testimony.narrative not in text  # the redacted wording only
    assert tem.TestimonyUse.objects.filter(testimony=testimony).count() == 1
    assert_clean(page)
