"""Browser tests check what a page shows through Playwright's `expect`, which waits.

`locator.is_visible()`, `inner_text()`, `count()`, `get_attribute()`… and `page.url` read
the page once, at once. Right after a click that submits a form, the new document may not
be parsed yet; right after an htmx swap, the old rows may still be there. An assertion on
such a read passes on an idle machine and fails on a busy one (CI failed that way on
`test_coordinator_filters_opens_a_testimony_reviews_and_reveals`). `expect(locator)
.to_be_visible()`, `.to_have_text()`, `.to_have_count()`, `.to_have_attribute()` and
`expect(page).to_have_url()` retry until the state holds or the timeout ends.

This test reads every test module and fails on an `assert` that reads a page or a
locator directly. Reads outside `assert` (a loop deciding whether to open a menu, a
bounding box for a layout check) are left to review.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).parent

# Playwright reads that have a waiting `expect` counterpart.
LOCATOR_READS = {
    "all_inner_texts",
    "all_text_contents",
    "get_attribute",
    "inner_html",
    "inner_text",
    "input_value",
    "is_checked",
    "is_disabled",
    "is_editable",
    "is_enabled",
    "is_hidden",
    "is_visible",
    "text_content",
}
# Calls that make a locator out of a page or another locator (`filter`, `first`… are
# left out: querysets have them too; a locator variable is known by its root).
LOCATOR_MAKERS = {"locator"} | {
    "get_by_" + kind
    for kind in ("role", "text", "label", "placeholder", "alt_text", "title", "test_id")
}
PAGE_NAMES = {"page", "phone_page"}


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _makes_locator(node: ast.AST, locators: set[str]) -> bool:
    """Whether `node` is a page, a locator or an expression built from one."""
    root = _root(node)
    if isinstance(root, ast.Name) and (root.id in PAGE_NAMES or root.id in locators):
        return True
    return any(
        isinstance(sub, ast.Attribute) and sub.attr in LOCATOR_MAKERS for sub in ast.walk(node)
    )


def _reads(node: ast.AST, locators: set[str]):
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr in LOCATOR_READS | {"count"}
            and _makes_locator(sub.func.value, locators)
        ):
            yield sub.func.attr + "()"
        elif (
            isinstance(sub, ast.Attribute)
            and sub.attr == "url"
            and isinstance(sub.value, ast.Name)
            and (sub.value.id in PAGE_NAMES or sub.value.id in locators)
        ):
            yield "page.url"


def _locator_names(function: ast.AST) -> set[str]:
    """Names a function binds to a page or a locator (`rows = page.locator(...)`)."""
    names: set[str] = set()
    for _ in range(2):  # a locator made from another one
        for sub in ast.walk(function):
            if isinstance(sub, ast.Assign) and _makes_locator(sub.value, names):
                names |= {t.id for t in sub.targets if isinstance(t, ast.Name)}
    return names


def _direct_reads(source: str) -> list[tuple[int, str]]:
    """(line, read) for each `assert` on a direct read of a page or locator."""
    found = set()  # a set: an assert in a nested function is walked from both functions
    for function in ast.walk(ast.parse(source)):
        if isinstance(function, ast.FunctionDef):
            locators = _locator_names(function)
            for node in ast.walk(function):
                if isinstance(node, ast.Assert):
                    found |= {(node.lineno, read) for read in _reads(node.test, locators)}
    return sorted(found)


def test_browser_tests_assert_through_expect():
    found = [
        f"{path.relative_to(TESTS.parent)}:{line} {read}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__)
        for line, read in _direct_reads(path.read_text())
    ]
    assert found == [], "assert on a direct read; use playwright's expect():\n" + "\n".join(found)


def test_the_check_sees_each_direct_read_and_no_waiting_form():
    source = (
        "def test_x(page, phone_page):\n"
        "    rows = page.locator('tr')\n"
        "    first = rows.first\n"
        "    assert rows.count() == 1\n"
        "    assert first.get_attribute('id')\n"
        "    assert page.get_by_role('heading').is_visible()\n"
        "    phone = phone_page\n"
        "    assert phone.url.endswith('/')\n"
        "    assert Item.objects.filter(pk=1).count() == 1\n"
        "    expect(rows).to_have_count(1)\n"
        "    expect(page).to_have_url('/')\n"
    )
    assert _direct_reads(source) == [
        (4, "count()"),
        (5, "get_attribute()"),
        (6, "is_visible()"),
        (8, "page.url"),
    ]
