"""The coordinator clears the inbox with the keyboard in a real browser; filters live in the
URL (the back button works); bulk selection; the note PDF panel polls by itself."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_clean, axe_violations, sign_in
from tests.veille.factories import ItemFactory
from tests.veille.helpers import make_story
from veille.models import Item, TriageStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _seed():
    now = timezone.now()
    make_story(size=3, title="Naufrage au large de Zouara", published_at=now)
    titles = [
        "Le Conseil d'État suspend la circulaire",
        "Évacuation d'un campement à Calais",
        "غرق قارب قبالة زوارة",
        "Frontex publie son rapport annuel",
    ]
    return [
        ItemFactory(
            title=title,
            language="ar" if title.startswith("غرق") else "fr",
            published_at=now - timedelta(hours=n + 1),
        )
        for n, title in enumerate(titles)
    ]


def _focused_title(page):
    """The title of the story the keyboard is on."""
    return page.locator(".row-focused [data-open]")


def test_keyboard_triage_moves_the_focus_to_the_next_story(page, coordinator):
    items = _seed()
    sign_in(page, coordinator.username, reverse("veille:inbox"))
    expect(page.locator("[data-story]")).to_have_count(5)

    page.keyboard.press("j")
    expect(_focused_title(page)).to_have_text("Naufrage au large de Zouara")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(_focused_title(page)).to_have_text(items[0].title)

    # r: relevant, then the next story takes the focus.
    page.keyboard.press("r")
    page.wait_for_function(
        f"() => document.querySelector('#story-{items[0].pk} [data-shortcut=r]')"
        ".getAttribute('aria-pressed') === 'true'"
    )
    page.wait_for_function(
        f"() => document.querySelector('.row-focused')?.id === 'story-{items[1].pk}'"
    )
    # d: discard that one, focus goes on.
    page.keyboard.press("d")
    page.wait_for_function(
        f"() => document.querySelector('.row-focused')?.id === 'story-{items[2].pk}'"
    )
    assert Item.objects.get(pk=items[0].pk).status == TriageStatus.RELEVANT
    assert Item.objects.get(pk=items[1].pk).status == TriageStatus.DISCARDED
    # The Arabic title reads right to left.
    direction = page.evaluate(
        f"getComputedStyle(document.querySelector('#story-{items[2].pk} [data-open]')).direction"
    )
    assert direction == "rtl"

    # x selects for a bulk action; the bar says how many.
    page.keyboard.press("x")
    expect(page.locator("[data-bulk-count]")).to_have_text("1 sujet sélectionné")
    # The bulk action posts the form; the shortcuts below need the new page's script.
    with page.expect_navigation():
        page.get_by_role("button", name="Archiver", exact=True).first.click()
    expect(page.locator(".messages")).to_contain_text("1 sujet passé en « Archivé ».")
    assert Item.objects.get(pk=items[2].pk).status == TriageStatus.ARCHIVED

    # ? opens the help, Escape closes it; o reads the focused story in the pane.
    page.keyboard.press("?")
    page.get_by_role("heading", name="Raccourcis clavier").wait_for()
    page.wait_for_function("() => document.activeElement.id === 'shortcuts-help'")
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Raccourcis clavier").wait_for(state="hidden")
    page.keyboard.press("j")
    expect(_focused_title(page)).to_have_count(1)
    focused = _focused_title(page).inner_text()
    page.keyboard.press("o")
    expect(page.locator("#reader-title")).to_have_text(focused)
    assert_clean(page)


def test_filters_update_the_results_and_the_url_and_back_restores_them(page, coordinator):
    _seed()
    sign_in(page, coordinator.username, reverse("veille:inbox"))
    page.locator("[data-story]").first.wait_for()

    search = page.get_by_role("searchbox", name="Recherche")
    search.fill("Frontex")
    search.press("Enter")
    page.wait_for_url("**q=Frontex**")
    expect(page.locator("[data-story]")).to_have_count(1)
    expect(page.locator(".story-title mark")).to_have_text("Frontex")

    page.locator("summary", has_text="Langue").click()
    page.get_by_label("Arabe").check()
    page.wait_for_url("**language=ar**")
    expect(page.locator("[data-story]")).to_have_count(0)
    expect(page.get_by_text("Aucun sujet ne correspond à ces filtres.")).to_be_visible()

    page.go_back()
    expect(page.locator("[data-story]")).to_have_count(1)
    expect(page).not_to_have_url(re.compile("language=ar"))
    assert_clean(page)


def test_on_a_phone_the_first_story_shows_on_the_first_screen(phone_page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(phone_page, "coordination", "/veille/")

    first = phone_page.locator("[data-story]").first
    first.wait_for()
    search = phone_page.locator(".inbox-search").bounding_box()
    assert search["x"] + search["width"] <= 360
    # Nothing selected: the bulk bar is one line, its actions come with a selection.
    expect(phone_page.locator(".bulk-actions")).to_be_hidden()
    assert first.bounding_box()["y"] < 740
    first.locator("[data-select]").check()
    expect(phone_page.locator(".bulk-actions")).to_be_visible()
    assert_clean(phone_page)


def test_a_row_menu_closes_with_escape_and_gives_the_focus_back(page, coordinator):
    items = _seed()
    sign_in(page, coordinator.username, reverse("veille:inbox"))
    row = page.locator(f"#story-{items[0].pk}")
    summary = row.locator("details.menu-details summary", has_text="Thèmes")

    summary.focus()
    page.keyboard.press("Enter")
    row.locator(".tag-menu button").first.wait_for()
    row.locator(".tag-menu button").first.focus()
    page.keyboard.press("Escape")

    expect(row.locator("details.menu-details[open]")).to_have_count(0)
    expect(summary).to_be_focused()
    assert_clean(page)


def _pane_item(page):
    return page.evaluate("document.querySelector('#reader-pane .reader')?.dataset.readerItem")


def test_o_reads_a_story_beside_the_list_j_follows_and_escape_closes(page, coordinator):
    items = _seed()
    sign_in(page, coordinator.username, reverse("veille:inbox"))
    page.locator("[data-story]").first.wait_for()

    page.keyboard.press("j")
    page.keyboard.press("o")
    pane = page.locator("#reader-pane .reader")
    pane.wait_for()
    first = page.evaluate("document.querySelector('.row-focused').id")
    assert _pane_item(page) == first.removeprefix("story-")
    expect(page.locator("[data-reading].is-reading [data-reader-side] #reader-pane")).to_have_count(
        1
    )
    expect(pane.get_by_text("Aussi chez")).to_be_visible()
    assert axe_violations(page, serious_only=True) == []

    # j: the next story, and the pane follows it.
    page.keyboard.press("j")
    page.wait_for_function(
        "() => document.querySelector('#reader-pane .reader')?.dataset.readerItem === "
        "document.querySelector('.row-focused').id.replace('story-', '')"
    )
    shown = int(_pane_item(page))
    assert shown == items[0].pk

    # The pane's own button triages the story it shows; the next one comes in.
    page.locator("#reader-pane [data-reader-action=r]").click()
    page.wait_for_function(
        f"() => document.querySelector('#reader-pane .reader')?.dataset.readerItem === "
        f"'{items[1].pk}'"
    )
    assert Item.objects.get(pk=items[0].pk).status == TriageStatus.RELEVANT

    page.keyboard.press("Escape")
    expect(page.locator("#reader-pane")).to_be_hidden()
    expect(page.locator(f"#story-{items[1].pk}")).to_be_focused()
    assert_clean(page)


# Records, from each DOM change on, whether the pane said it was loading and whether the
# list's own "Chargement…" (the filters' indicator) was shown.
_WATCH_LOADING = """() => {
  window.seenWhileLoading = {pane: false, list: false};
  const pane = document.getElementById("reader-pane");
  new MutationObserver(() => {
    if (pane.textContent.trim() === "Chargement…") { seenWhileLoading.pane = true; }
    if (document.querySelector(".htmx-request #inbox-loading")) { seenWhileLoading.list = true; }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ["class"]});
}"""


def test_while_a_story_loads_the_pane_says_so_and_the_list_stays_as_it_is(page, coordinator):
    _seed()
    sign_in(page, coordinator.username, reverse("veille:inbox"))
    page.locator("[data-story]").first.wait_for()
    page.evaluate(_WATCH_LOADING)

    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("#reader-pane .reader")).to_be_visible()
    expect(page.locator("#reader-pane")).not_to_have_attribute("aria-busy", "true")

    assert page.evaluate("seenWhileLoading") == {"pane": True, "list": False}
    assert_clean(page)


def test_on_a_phone_the_story_opens_under_its_row(phone_page, coordinator):
    _seed()
    sign_in(phone_page, coordinator.username, reverse("veille:inbox"))
    row = phone_page.locator("[data-story]").first
    row.wait_for()

    phone_page.keyboard.press("j")
    phone_page.keyboard.press("Enter")
    phone_page.locator("#reader-pane .reader").wait_for()

    following = phone_page.evaluate("document.querySelector('.row-focused').nextElementSibling.id")
    assert following == "reader-row"
    sizes = phone_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1]
    phone_page.keyboard.press("Escape")
    expect(phone_page.locator("#reader-row")).to_have_count(0)
    assert_clean(phone_page)


def test_the_compact_density_is_kept_for_the_next_visit(page, coordinator):
    _seed()
    sign_in(page, coordinator.username, reverse("veille:inbox"))
    toggle = page.get_by_role("button", name="Affichage compact")

    toggle.click()
    expect(page.locator("[data-story-list].is-compact")).to_have_count(1)
    expect(page.locator(".story-snippet").first).to_be_hidden()
    page.reload()

    expect(page.locator("[data-story-list].is-compact")).to_have_count(1)
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert_clean(page)
