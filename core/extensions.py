"""The points where apps contribute to each other, and the one registry that holds them.

`core` names no app. Each app declares what it contributes in `<app>/extensions.py` with
the decorators and functions below; `CoreConfig.ready()` imports every installed app's
`extensions` module (Django's `autodiscover_modules`), so a broken contribution fails at
start-up, never silently. Readers (the dashboard, the navigation, the calendar, the
briefing, the header search, `seed_demo`, the "cited by" panels) ask the registry.

Extension points and their types:

- **home pages** (`HomePage`): where a role lands after login;
- **navigation sections** (`NavSection`): a top-level section, who sees it, its badge;
- **dashboard cards** (`Card` from a `@dashboard_cards` provider);
- **citations** (`Citation` from a `@citations(Model)` provider): "what cites this object";
- **calendar events** (`CalendarEvent` from a `@calendar_events` provider);
- **briefing sections** (`BriefingSection`): each app's part of the monthly briefing;
- **search** (`SearchResult` from a `@search_results` provider): the header search box;
- **demo seeders** (`Seeder`): demo content for `manage.py seed_demo`;
- **PDF documents** (`PdfDocument`): what the generic PDF job renders (`core.pdf_jobs`).

Every provider receives the user (or the request) and returns only what that user may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

from django.db.models import Model
from django.utils.module_loading import module_has_submodule

# --- Types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomePage:
    """Where a user lands: the first page (by `order`) whose `visible(user)` is true."""

    key: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100


@dataclass(frozen=True)
class NavSection:
    """A top-level navigation entry. `visible(user)` must be cheap (no query but the
    user's scope); `badge(user)` costs at most one query and returns a count or None."""

    key: str
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    badge: Callable[[Any], int | None] | None = None
    badge_label: str = ""
    # URL namespaces (or "namespace:url_name" prefixes) that mark this section active.
    active_for: tuple[str, ...] = ()
    # "main": the navigation bar; "account": the menu under the user's name (tools that
    # are not a place of daily work, such as the admin site).
    menu: str = "main"


def card_rows(queryset, n: int = 5) -> tuple[list, int]:
    """A card's first `n` rows and the count of its whole list, in one query (a window
    count on the rows read; for short lists, which is what cards show)."""
    from django.db.models import Count, Window

    rows = list(queryset.annotate(card_total=Window(Count("pk")))[:n])
    return rows, (rows[0].card_total if rows else 0)


@dataclass
class Card:
    """One dashboard card, already scoped to the user, built with a constant number of
    queries. `count`, when set, is the number the card shows and must equal the number of
    rows of the list behind `link_url` (tests check it card by card)."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    # Bootstrap column width on large screens (out of 12).
    width: int = 4
    link_url: str = ""
    link_label: str = ""
    count: int | None = None
    key: str = ""


@dataclass(frozen=True)
class Citation:
    """One object that cites another: "this article is cited by note X / action Y"."""

    kind: str  # translated, e.g. "Note d'analyse"
    title: str
    url: str
    when: date | datetime | None = None
    status: str = ""  # translated status label, optional


@dataclass(frozen=True)
class CalendarEvent:
    """A dated thing for the political calendar, contributed by any app."""

    key: str  # unique across apps, e.g. "event-12", "action-3"
    title: str
    start: date
    end: date | None = None
    kind: str = ""  # translated label
    url: str = ""
    country: str = ""  # display name, optional
    themes: tuple[str, ...] = ()
    # Contributions that are planned work (an advocacy action) count when looking for
    # "missed windows" ahead of political events.
    is_planned_action: bool = False
    source: str = ""  # the contributing extension's key


@dataclass(frozen=True)
class BriefingPeriod:
    """What a briefing section is built for.

    A section shows what its audience may read (`audience`), as it stands on
    `render_date` (consent, review and publication are judged on that day), in
    `language` (the section runs under that translation). `user` is who the edition is
    made for and who answers for it: the person who asked for it, or the coordinator in
    charge of a scheduled render; None only when nobody can answer for it, and then a
    section shows nothing that needs somebody to.
    """

    start: date
    end: date  # inclusive
    audience: str  # "internal" | "partners"
    language: str  # "fr" | "en"
    render_date: date
    user: Any = None

    @property
    def is_month(self) -> bool:
        """The period is one whole calendar month."""
        following = self.end + timedelta(days=1)
        return (
            self.start.day == 1
            and following.day == 1
            and following - self.start <= timedelta(days=31)
        )

    @property
    def previous(self) -> tuple[date, date]:
        """The period to compare with ("change since the previous month"): the previous
        calendar month for a month, else as many days just before `start`."""
        if self.is_month:
            end = self.start - timedelta(days=1)
            return end.replace(day=1), end
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return end - length, end


@dataclass
class BriefingPart:
    """A section's content for one edition: a template and its context. `figures` are the
    key figures shown on the briefing's first pages (label, value, previous value or None):
    the value over the period and over `BriefingPeriod.previous`.

    The template is the section's body: the briefing puts the section's title above it
    (as the section's top heading), so the body starts at `<h2>`. It is the same for the
    HTML preview and the PDF, and it receives `part.context` plus `period` and `section`.
    """

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    figures: list[tuple[str, int, int | None]] = field(default_factory=list)
    # Called with the briefing once its PDF is stored, in the same transaction (e.g. to
    # record the uses of testimony extracts); raising fails the render, nothing is kept.
    on_rendered: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class BriefingSection:
    """One app's part of the monthly briefing. `build(period)` returns its content, or
    None when it has nothing for this period; an exception fails the whole render with
    this section named (never a briefing silently missing a part)."""

    key: str
    title: str  # lazily translated: shown in the briefing's language
    build: Callable[[BriefingPeriod], BriefingPart | None]
    order: int = 100


@dataclass(frozen=True)
class SearchResult:
    kind: str  # translated group label, e.g. "Notes d'analyse"
    title: str
    url: str
    snippet: str = ""
    when: date | datetime | None = None
    # "app_label.model:pk" of the object found, for pickers that link to it (evidence).
    ref: str = ""


@dataclass(frozen=True)
class Seeder:
    """Demo content: `seed(scale=, stdout=)`, idempotent at a given scale."""

    key: str
    seed: Callable[..., Any]
    order: int = 100


@dataclass(frozen=True)
class PdfDocument:
    """A kind of document the generic PDF job renders (see `core.pdf_jobs`).

    - `render(job) -> bytes`: builds the PDF (in a worker);
    - `target(user, job)`: the object the job belongs to if `user` may see it, else None
      (scoping: the status and download views answer 404 otherwise);
    - `filename(job) -> str`: the download name (server-chosen);
    - `request_url(job) -> str`: where a POST asks for a new render (retry, regenerate);
    - `outdated(job, target) -> bool`, optional: the object changed since the render;
    - `time_limit`, optional: seconds a render of this kind may take in a worker (the
      default is `PDF_JOB_SOFT_TIME_LIMIT`); past it the job fails with "timeout".
    """

    kind: str
    render: Callable[[Any], Any]  # -> core.pdf.RenderedPdf
    target: Callable[[Any, Any], Any]
    filename: Callable[[Any], str]
    request_url: Callable[[Any], str]
    outdated: Callable[[Any, Any], bool] | None = None
    time_limit: int | None = None


# --- The registry -----------------------------------------------------------------------


class ExtensionError(RuntimeError):
    """A contribution is malformed (duplicate key, wrong type): fails at start-up."""


class Registry:
    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.home_pages: dict[str, HomePage] = {}
        self.nav_sections: dict[str, NavSection] = {}
        self.card_providers: list[Callable] = []
        self.citation_providers: dict[type[Model], list[Callable]] = {}
        self.calendar_providers: list[Callable] = []
        self.briefing_sections: dict[str, BriefingSection] = {}
        self.search_providers: list[Callable] = []
        self.seeders: dict[str, Seeder] = {}
        self.pdf_documents: dict[str, PdfDocument] = {}

    # Registration ------------------------------------------------------------------

    def _add(self, table: dict, key: str, value, expected: type) -> None:
        if not isinstance(value, expected):
            raise ExtensionError(f"{value!r} is not a {expected.__name__}")
        if key in table and table[key] != value:
            raise ExtensionError(f"Two contributions use the key {key!r}")
        table[key] = value

    def add_home_page(self, page: HomePage) -> None:
        self._add(self.home_pages, page.key, page, HomePage)

    def add_nav_section(self, section: NavSection) -> None:
        self._add(self.nav_sections, section.key, section, NavSection)

    def add_briefing_section(self, section: BriefingSection) -> None:
        self._add(self.briefing_sections, section.key, section, BriefingSection)

    def add_seeder(self, seeder: Seeder) -> None:
        self._add(self.seeders, seeder.key, seeder, Seeder)

    def add_pdf_document(self, document: PdfDocument) -> None:
        self._add(self.pdf_documents, document.kind, document, PdfDocument)

    @staticmethod
    def _append(providers: list, func: Callable) -> Callable:
        if not callable(func):
            raise ExtensionError(f"{func!r} is not callable")
        if func not in providers:
            providers.append(func)
        return func

    def add_card_provider(self, func: Callable) -> Callable:
        return self._append(self.card_providers, func)

    def add_calendar_provider(self, func: Callable) -> Callable:
        return self._append(self.calendar_providers, func)

    def add_search_provider(self, func: Callable) -> Callable:
        return self._append(self.search_providers, func)

    def add_citation_provider(self, model: type[Model], func: Callable) -> Callable:
        return self._append(self.citation_providers.setdefault(model, []), func)

    # Reading -----------------------------------------------------------------------

    def home_url_name(self, user) -> str | None:
        for page in sorted(self.home_pages.values(), key=lambda p: (p.order, p.key)):
            if page.visible(user):
                return page.url_name
        return None

    def sections(self) -> list[NavSection]:
        return sorted(self.nav_sections.values(), key=lambda s: (s.order, s.key))

    def dashboard_cards(self, request) -> list[Card]:
        cards: list[Card] = []
        for provider in self.card_providers:
            cards.extend(provider(request))
        return sorted(cards, key=lambda c: (c.order, c.title))

    def citations(self, obj: Model, user) -> list[Citation]:
        found: list[Citation] = []
        for model, providers in self.citation_providers.items():
            if isinstance(obj, model):
                for provider in providers:
                    found.extend(provider(obj, user))
        return found

    def calendar_events(self, user, start: date, end: date) -> list[CalendarEvent]:
        events: list[CalendarEvent] = []
        for provider in self.calendar_providers:
            events.extend(provider(user, start, end))
        return sorted(events, key=lambda e: (e.start, e.end or e.start, e.title))

    def briefing(self) -> list[BriefingSection]:
        return sorted(self.briefing_sections.values(), key=lambda s: (s.order, s.key))

    def search(self, user, query: str, *, limit: int = 5) -> list[SearchResult]:
        results: list[SearchResult] = []
        for provider in self.search_providers:
            results.extend(provider(user, query, limit))
        return results

    def demo_seeders(self) -> list[Seeder]:
        return sorted(self.seeders.values(), key=lambda s: (s.order, s.key))

    def pdf_document(self, kind: str) -> PdfDocument:
        try:
            return self.pdf_documents[kind]
        except KeyError:
            raise ExtensionError(f"No PDF document of kind {kind!r} is registered") from None

    def describe(self) -> dict[str, list[str]]:
        """What is registered, by extension point (for tests and `manage.py extensions`)."""

        def name(func) -> str:
            return f"{func.__module__}.{func.__qualname__}"

        return {
            "home_pages": sorted(self.home_pages),
            "nav_sections": [s.key for s in self.sections()],
            "dashboard_cards": [name(f) for f in self.card_providers],
            "citations": sorted(
                f"{m._meta.label_lower} <- {name(f)}"
                for m, funcs in self.citation_providers.items()
                for f in funcs
            ),
            "calendar_events": [name(f) for f in self.calendar_providers],
            "briefing_sections": [s.key for s in self.briefing()],
            "search": [name(f) for f in self.search_providers],
            "seeders": [s.key for s in self.demo_seeders()],
            "pdf_documents": sorted(self.pdf_documents),
        }


registry = Registry()


# --- What app modules use ----------------------------------------------------------------


def dashboard_cards(func: Callable) -> Callable:
    """Decorator: `func(request) -> list[Card]` contributes dashboard cards."""
    return registry.add_card_provider(func)


def calendar_events(func: Callable) -> Callable:
    """Decorator: `func(user, start, end) -> list[CalendarEvent]`."""
    return registry.add_calendar_provider(func)


def search_results(func: Callable) -> Callable:
    """Decorator: `func(user, query, limit) -> list[SearchResult]`, scoped like its list."""
    return registry.add_search_provider(func)


def citations(model: type[Model]) -> Callable[[Callable], Callable]:
    """Decorator: `func(obj, user) -> list[Citation]` lists what cites a `model` object."""

    def decorator(func: Callable) -> Callable:
        return registry.add_citation_provider(model, func)

    return decorator


def register(*contributions: Iterable | object) -> None:
    """Register value contributions: home pages, navigation sections, briefing sections,
    seeders and PDF documents."""
    adders = {
        HomePage: registry.add_home_page,
        NavSection: registry.add_nav_section,
        BriefingSection: registry.add_briefing_section,
        Seeder: registry.add_seeder,
        PdfDocument: registry.add_pdf_document,
    }
    for contribution in contributions:
        adder = adders.get(type(contribution))
        if adder is None:
            raise ExtensionError(f"{contribution!r} is not an extension contribution")
        adder(contribution)


def autodiscover() -> None:
    """Register core's own contributions, then import the `extensions` module of every
    project app (an installed app whose package sits at the root of this project;
    third-party packages have modules of that name for other purposes). Errors propagate: a broken
    contribution stops the start-up."""
    _register_core()
    for module in discover_modules():
        import_module(module)


def discover_modules() -> list[str]:
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    found = []
    for app_config in apps.get_app_configs():
        if Path(app_config.path).resolve().parent != base:
            continue
        if module_has_submodule(app_config.module, "extensions"):
            found.append(f"{app_config.name}.extensions")
    return found


def _register_core() -> None:
    """What core itself contributes: the admin section, the sites card, the demo users."""
    from . import demo
    from .navigation import ADMIN_SECTION

    register(ADMIN_SECTION, Seeder(key="core.users", seed=demo.seed, order=0))
    registry.add_card_provider(_sites_card)


def _sites_card(request) -> list[Card]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .selectors import sites_list

    return [
        Card(
            key="core.sites",
            title=_("Sites et statut"),
            template="core/cards/sites.html",
            context={"sites": list(sites_list())},
            order=900,
            width=6,
            link_url=(
                reverse("admin:core_site_changelist")
                if request.user.is_staff and request.user.has_perm("core.view_site")
                else ""
            ),
            link_label=_("Gérer les sites"),
        )
    ]
