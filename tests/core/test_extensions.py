"""What each app contributes to the others, read from the one registry."""

import pytest

from core import extensions
from core.extensions import (
    Card,
    ExtensionError,
    HomePage,
    NavSection,
    Registry,
    Seeder,
    registry,
)


def _by_app(names):
    found = {}
    for name in names:
        found.setdefault(name.split(".")[0], []).append(name)
    return found


def test_each_app_contributes_through_its_extensions_module():
    described = registry.describe()

    assert described["home_pages"] == ["influence.dashboard", "temoignages.home"]
    assert described["nav_sections"] == [
        "influence.dashboard",
        "influence.strategies",
        "veille",
        "plaidoyer",
        "temoignages",
        "influence.briefings",
        "admin",
    ]
    assert _by_app(described["dashboard_cards"]) == {
        "core": ["core.extensions._sites_card"],
        "influence": ["influence.cards.cards"],
        "veille": ["veille.extensions.cards"],
        "plaidoyer": ["plaidoyer.cards.cards"],
        "temoignages": ["temoignages.extensions.cards"],
    }
    assert described["calendar_events"] == [
        "influence.selectors.calendar.as_calendar_events",
        "plaidoyer.calendar.events",
    ]
    assert described["search"] == [
        "influence.search.search",
        "veille.extensions.search",
        "plaidoyer.search.search",
        "temoignages.extensions.search",
    ]
    assert described["seeders"] == ["core.users", "veille", "temoignages", "influence", "plaidoyer"]
    assert described["pdf_documents"] == [
        "influence.briefing",
        "influence.lines_to_take",
        "veille.note",
    ]
    assert described["citations"] == [
        "temoignages.testimony <- plaidoyer.extensions.actions_citing_testimony",
        "veille.item <- plaidoyer.extensions.actions_citing_item",
        "veille.item <- veille.extensions.notes_citing_item",
    ]
    # In their order in the briefing.
    assert described["briefing_sections"] == [
        "veille.highlights",
        "veille.notes",
        "temoignages.extracts",
        "plaidoyer.actions",
        "plaidoyer.outcomes",
        "plaidoyer.coalitions",
        "influence.calendar",
        "influence.objectives",
    ]


def test_the_registry_is_filled_by_the_apps_own_modules():
    modules = extensions.discover_modules()
    assert modules == [
        "core.extensions",
        "influence.extensions",
        "veille.extensions",
        "plaidoyer.extensions",
        "temoignages.extensions",
    ]


def test_a_broken_contribution_fails_loudly():
    fresh = Registry()
    fresh.add_nav_section(NavSection(key="x", label="X", url_name="x:y", visible=bool))
    with pytest.raises(ExtensionError, match="key 'x'"):
        fresh.add_nav_section(NavSection(key="x", label="Y", url_name="x:z", visible=bool))
    with pytest.raises(ExtensionError, match="not a HomePage"):
        fresh._add(fresh.home_pages, "h", Seeder(key="h", seed=print), HomePage)
    with pytest.raises(ExtensionError, match="not an extension contribution"):
        extensions.register(Card(title="t", template="x.html"))
    with pytest.raises(ExtensionError, match="No PDF document"):
        registry.pdf_document("nobody.document")


def test_a_contribution_that_cannot_be_imported_stops_the_start_up(tmp_path, monkeypatch):
    package = tmp_path / "brokenapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "extensions.py").write_text("import a_module_that_does_not_exist\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(extensions, "discover_modules", lambda: ["brokenapp.extensions"])

    with pytest.raises(ModuleNotFoundError, match="a_module_that_does_not_exist"):
        extensions.autodiscover()
