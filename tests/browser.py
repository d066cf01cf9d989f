"""Real-browser fixtures: Playwright driving Debian's Chromium against the live server.

Loaded for the whole suite by tests/conftest.py (`pytest_plugins`): use the `page` and
`phone_page` fixtures from any folder, never start another Playwright instance.

`page` records every Content-Security-Policy violation and every page error; tests
call `assert_clean(page)` to check that pages actually satisfy the CSP. Tests assert what
a page shows with Playwright's `expect`, which waits (tests/test_browser_waits.py).
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# next to one unless told it is safe (the live server runs in its own thread anyway).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Let tests see and route the requests a service worker makes (the field app offline):
# Chromium's offline mode does not stop them (Playwright issue 2311), so offline tests
# abort them with a route. Read when the driver starts.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

ACTION_TIMEOUT_MS = 10_000
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    # Assertions wait as long as actions do (`expect`'s own default is 5 s).
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, **context_kwargs):
    context = browser.new_context(locale="fr-FR", **context_kwargs)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda msg: (
            page.problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    return context, page


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """A desktop page on the live server (reference data restored after each test)."""
    context, page = _new_page(browser, viewport={"width": 1280, "height": 900})
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, django_db_serialized_rollback):
    """A 360×740 phone viewport with touch; service workers allowed (the field app)."""
    context, page = _new_page(
        browser,
        viewport={"width": 360, "height": 740},
        has_touch=True,
        is_mobile=True,
        service_workers="allow",
    )
    page.base_url = live_server.url
    yield page
    context.close()


def go_offline(context) -> None:
    """No network for the pages nor for their service worker (`set_offline` alone lets
    the worker's own requests through in Chromium)."""
    context.route("**/*", _abort_service_worker_requests)
    context.set_offline(True)


def go_online(context) -> None:
    context.unroute("**/*", _abort_service_worker_requests)
    context.set_offline(False)


def _abort_service_worker_requests(route) -> None:
    if route.request.service_worker is not None:
        route.abort("internetdisconnected")
    else:
        route.fallback()


def login(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/compte/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Se connecter").click()


def sign_in(page, username: str, path: str | None = None) -> None:
    """Sign the browser in as `username` without the login form, then open `path` if given.

    For tests about something other than signing in: the session is made the way the
    test client makes one (`force_login`) and handed to the browser as its cookie, which
    saves the login page, its POST and the dashboard it lands on (about 0.8 s a test).
    Tests of the login form, of where a role lands, of the two-factor step or of what the
    field app does at login use `login()`.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    if path is not None:
        page.goto(page.base_url + path)


def assert_clean(page) -> None:
    assert page.problems == [], page.problems


SERIOUS = ("serious", "critical")
# Moderate for axe, but screen-reader users move by headings: none may skip a level.
ALSO_REQUIRED = ("heading-order",)
# No htmx request or swap under way, no CSS transition running: axe measures colours as
# they are shown, and text fading in or out (htmx's loading indicator) has no contrast.
# (Animations that never end, like a progress bar's stripes, are not waited for.)
_STILL = """() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
    && document.getAnimations().every(a => !(a instanceof CSSTransition)
                                          || a.playState !== 'running')"""


def axe_violations(page, *, serious_only: bool = False) -> list[str]:
    """axe-core's violations once the page is still, one line each (empty when clean);
    `serious_only`: the serious and critical ones, and a skipped heading level."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_function(_STILL)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])}× e.g. "
        f"{v['nodes'][0]['target']}"
        for v in Axe().run(page).response["violations"]
        if not serious_only or v["impact"] in SERIOUS or v["id"] in ALSO_REQUIRED
    ]


def assert_no_horizontal_scroll(page, width: int = 360) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"horizontal scroll at {page.url}: {scroll}px"
