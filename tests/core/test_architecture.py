"""How the apps depend on each other, read from their source: one direction, no cycle.

core  ◄─  veille, temoignages  ◄─  plaidoyer  ─►  influence (models only)
influence reads the others only through core's extension points.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

APPS = ("core", "influence", "veille", "plaidoyer", "temoignages")

# What each app may import from the other project apps: None = the whole app, or a tuple
# of allowed module prefixes.
ALLOWED: dict[str, dict[str, tuple[str, ...] | None]] = {
    "core": {},
    "veille": {"core": None},
    "temoignages": {"core": None},
    "influence": {"core": None},
    "plaidoyer": {
        "core": None,
        "influence": ("influence.models",),
        "veille": ("veille.models", "veille.selectors", "veille.permissions"),
        "temoignages": (
            "temoignages.models",
            "temoignages.selectors",
            "temoignages.permissions",
            "temoignages.gate",
            "temoignages.services",
        ),
    },
}


def _sources(app: str):
    root = Path(settings.BASE_DIR) / app
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path


def _module_name(path: Path) -> str:
    relative = path.relative_to(settings.BASE_DIR).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            else:
                base = node.module or ""
            found.add(base)
            # `from veille import selectors` imports the module veille.selectors.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _project_imports(app: str) -> dict[str, set[str]]:
    """Imported project modules of other apps, per source file of `app`."""
    result = {}
    for path in _sources(app):
        others = {
            name
            for name in _imports(path)
            if name.split(".")[0] in APPS and name.split(".")[0] != app
        }
        if others:
            result[str(path.relative_to(settings.BASE_DIR))] = others
    return result


def _allowed(app: str, name: str) -> bool:
    target = name.split(".")[0]
    rules = ALLOWED[app]
    if target not in rules:
        return False
    prefixes = rules[target]
    if prefixes is None:
        return True
    # `from influence import models` → "influence" then "influence.models": the bare
    # package name is fine only when what is taken from it is allowed.
    return name == target or any(
        name == prefix or name.startswith(prefix + ".") for prefix in prefixes
    )


@pytest.mark.parametrize("app", APPS)
def test_each_app_imports_only_what_the_dependency_direction_allows(app):
    wrong = {
        path: sorted(name for name in names if not _allowed(app, name))
        for path, names in _project_imports(app).items()
    }
    wrong = {path: names for path, names in wrong.items() if names}
    assert wrong == {}


def test_there_is_no_import_cycle_between_apps():
    graph = {app: {n.split(".")[0] for names in _project_imports(app).values() for n in names}
             for app in APPS}  # fmt: skip

    def reaches(start: str, goal: str, seen: frozenset = frozenset()) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in graph[start]
        )

    assert [app for app in APPS if reaches(app, app)] == []


def _string_literals(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _names_an_app(text: str) -> bool:
    for app in APPS[1:]:
        if text.startswith(f"{app}:"):  # a URL name of that app
            return True
        if text.startswith(f"{app}."):
            first = text.split(".")[1]
            if importlib.util.find_spec(f"{app}.{first}") is not None:  # a dotted path
                return True
    return False


def test_core_names_no_app_in_code_or_strings():
    named = {
        str(path.relative_to(settings.BASE_DIR)): text
        for path in _sources("core")
        for text in _string_literals(path)
        if _names_an_app(text)
    }
    assert named == {}
    assert _project_imports("core") == {}
