import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD
from core.models import Role
from tests.core.factories import TEST_PASSWORD, user_with_role
from tests.e2e.conftest import assert_clean, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_demo_coordinator_logs_in_and_sees_the_dashboard_in_french_and_english(page):
    call_command("seed_demo", quiet_logins=True)

    login(page, "coordination", DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    nav = page.get_by_role("navigation", name="Navigation principale")
    for section in ("Tableau de bord", "Stratégies", "Veille", "Plaidoyer", "Témoignages"):
        expect(nav.get_by_role("link", name=section).first).to_be_visible()

    page.get_by_role("button", name="EN").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert_clean(page)


def test_skip_link_moves_focus_to_main_content(page):
    user_with_role(Role.COORDINATOR, username="coord")
    login(page, "coord", TEST_PASSWORD)

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#main")).to_be_focused()
    assert_clean(page)


def test_navigation_collapses_into_a_menu_on_a_phone(phone_page):
    user_with_role(Role.FIELD_COMMS, site_codes=["calais"], username="terrain")
    login(phone_page, "terrain", TEST_PASSWORD)
    phone_page.goto(phone_page.base_url + "/compte/securite/")

    menu = phone_page.get_by_role("button", name="Ouvrir le menu")
    expect(menu).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    menu.click()
    nav = phone_page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Témoignages")).to_be_visible()
    expect(nav.get_by_role("link", name="Veille")).to_have_count(0)
    assert_clean(phone_page)


def test_coordinator_enrols_two_factor_in_the_browser_when_required(page, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.REQUIRE_2FA = True
    user_with_role(Role.COORDINATOR, username="coord")

    login(page, "coord", TEST_PASSWORD)

    expect(page).to_have_url(re.compile("/compte/2fa/activer/"))
    expect(page.locator(".qr-code svg")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="coord")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code de vérification").fill(f"{code:06d}")
    page.get_by_role("button", name="Vérifier et activer").click()

    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    assert_clean(page)


def test_logging_out_clears_drafts_kept_on_the_device(page):
    user_with_role(
        Role.FIELD_COMMS,
        site_codes=["calais"],
        username="terrain",
        first_name="Amina",
        last_name="Diallo",
    )
    login(page, "terrain", TEST_PASSWORD)
    page.evaluate(
        "localStorage.setItem('influence:temoignages:draft-1', 'récit'); "
        "localStorage.setItem('other-site-key', 'kept')"
    )

    page.get_by_role("button", name="Amina Diallo").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/compte/connexion/**")

    assert page.evaluate("localStorage.getItem('influence:temoignages:draft-1')") is None
    assert page.evaluate("localStorage.getItem('other-site-key')") == "kept"
    assert_clean(page)
