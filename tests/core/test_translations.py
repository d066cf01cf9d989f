"""Every user-facing string has its English translation (French is the source), and none
escapes translation.

- the English catalogues are complete, and hold every string the templates, the scripts
  (djangojs) and the code ask for today (a stale catalogue fails, not only a missing
  msgstr);
- English uses English punctuation: no space before ":", ";", "?", "!", no « »;
- templates put no words nor French punctuation outside `{% translate %}` /
  `{% blocktranslate %}`, and the code joins nothing with French punctuation outside
  gettext;
- the sort menus follow the reader's language, whatever language was active when their
  FilterSet was defined.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils import translation
from django.utils.translation.template import templatize

from core.filters import SortFilter

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
SCRIPTS = ROOT / "static"
APPS = ("core", "influence", "veille", "temoignages", "plaidoyer", "config")
# Content, not interface: demo data and reference names are written in French on purpose.
CONTENT_MODULES = ("demo", "reference_data")

# A space (or a no-break space) before a French "high" punctuation mark, or guillemets.
FRENCH_PUNCTUATION = re.compile(r"(^|\S)[ \u00a0\u202f]+[:;?!](\s|$)|[«»]")
PY_STRING = r"""u?(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
JS_STRING = r"""(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
GETTEXT_CALL = re.compile(
    rf"\b(gettext|ngettext|pgettext|npgettext)\(\s*({PY_STRING}(?:\s*,\s*{PY_STRING})*)"
)
JS_GETTEXT_CALL = re.compile(
    rf"\b(gettext|ngettext|pgettext|npgettext)\(\s*({JS_STRING}(?:\s*,\s*{JS_STRING})*)"
)
GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _catalogue(domain: str) -> polib.POFile:
    return polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / f"{domain}.po"))


def _translated(domain: str) -> set[tuple[str | None, str]]:
    return {
        (entry.msgctxt, entry.msgid)
        for entry in _catalogue(domain)
        if not entry.obsolete and entry.translated() and "fuzzy" not in entry.flags
    }


def _message(name: str, strings: list[str]) -> tuple[str | None, str]:
    """(context, msgid) of one gettext call's string arguments."""
    if name.startswith(("pgettext", "npgettext")):
        return strings[0], strings[1]
    return None, strings[0]


def _strings(arguments: str, pattern: str) -> list[str]:
    return [ast.literal_eval(s.lstrip("u")) for s in re.findall(pattern, arguments)]


def _template_messages() -> dict[tuple[str | None, str], str]:
    found = {}
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        code = templatize(path.read_text(), origin=str(path))
        for name, arguments in GETTEXT_CALL.findall(code):
            found.setdefault(_message(name, _strings(arguments, PY_STRING)), str(path))
    return found


def _script_messages() -> dict[tuple[str | None, str], str]:
    found = {}
    for path in sorted(SCRIPTS.rglob("*.js")):
        if "vendor" in path.parts:
            continue
        for name, arguments in JS_GETTEXT_CALL.findall(path.read_text()):
            strings = [
                s[1:-1].encode().decode("unicode_escape").encode("latin-1").decode()
                for s in re.findall(JS_STRING, arguments)
            ]
            found.setdefault(_message(name, strings), str(path))
    return found


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            yield path


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _code_messages() -> dict[tuple[str | None, str], str]:
    found = {}
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and _call_name(node) in GETTEXT_NAMES):
                continue
            strings = [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            if strings and len(strings) >= (2 if "pgettext" in _call_name(node) else 1):
                found.setdefault(_message(_call_name(node), strings), str(path))
    return found


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_english_catalogue_is_complete(domain):
    missing = [
        e.msgid
        for e in _catalogue(domain)
        if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]

    assert missing == [], (
        f"{len(missing)} entries to translate: run `manage.py translate --missing`"
    )


@pytest.mark.parametrize(
    ("domain", "extract"),
    [
        ("django", _template_messages),
        ("django", _code_messages),
        ("djangojs", _script_messages),
    ],
    ids=["templates", "code", "scripts"],
)
def test_every_string_asked_for_has_its_english_translation(domain, extract):
    translated = _translated(domain)

    missing = {
        f"{where}: {msgid!r}"
        for (context, msgid), where in extract().items()
        if (context, msgid) not in translated
    }

    assert missing == set(), "run `make makemessages` and translate the new entries"


def test_the_extraction_finds_the_strings_of_templates_scripts_and_code():
    assert (None, "Raccourcis clavier") in _template_messages()
    assert ("touche du clavier", "Entrée") in _template_messages()
    assert (None, "Copié") in _script_messages()
    assert (None, "Trier par") in _code_messages()


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_english_uses_english_punctuation(domain):
    french = [
        f"{entry.msgid[:50]!r} → {text!r}"
        for entry in _catalogue(domain)
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if FRENCH_PUNCTUATION.search(re.sub(r"<[^>]*>", "", text))
    ]

    assert french == []


# Words a template may show untranslated: the product's name, a protocol.
UNTRANSLATED_WORDS = {"Influence", "HTTP"}


def _template_text(path: Path) -> list[str]:
    """What a template shows outside its translation tags: text between HTML tags and the
    attributes people read (variables and tags become a placeholder)."""
    parts, in_translation, in_comment, in_class_block = [], 0, 0, 0
    for token in Lexer(path.read_text()).tokenize():
        if token.token_type == TokenType.BLOCK:
            name, *rest = token.contents.split() or [""]
            if name in ("blocktranslate", "blocktrans"):
                in_translation += 1
                parts.append("\x01")
            elif name in ("endblocktranslate", "endblocktrans"):
                in_translation -= 1
            elif name == "comment":
                in_comment += 1
            elif name == "endcomment":
                in_comment -= 1
            elif name == "block" and rest and rest[0].endswith("_class"):
                in_class_block += 1
            elif name == "endblock" and in_class_block:
                in_class_block -= 1
            else:
                parts.append("\x01")
        elif token.token_type == TokenType.COMMENT or in_translation or in_comment:
            continue
        elif token.token_type == TokenType.VAR:
            parts.append("\x01")
        elif not in_class_block:
            parts.append(token.contents)
    html = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->", "", "".join(parts), flags=re.S)
    shown = re.findall(r"\b(?:title|aria-label|placeholder|alt)=\"([^\"]*)\"", html)
    shown += re.split(r"<[^>]*>", html)
    return [text for text in shown if text.strip()]


def test_templates_show_nothing_outside_translation():
    leaks = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for text in _template_text(path):
            words = set(re.findall(r"[^\W\d_]{2,}", text.replace("\x01", " "))) - (
                UNTRANSLATED_WORDS
            )
            entity_free = re.sub(r"&\w+;", " ", text)
            if words - {"nbsp"} or FRENCH_PUNCTUATION.search(entity_free):
                leaks.append(f"{path.relative_to(ROOT)}: {' '.join(text.split())!r}")

    assert leaks == []


def test_code_puts_no_french_punctuation_outside_gettext():
    leaks = []
    for path in _python_files():
        if path.stem in CONTENT_MODULES or "demo" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        exempt = set()
        for node in ast.walk(tree):
            translated = isinstance(node, ast.Call) and _call_name(node) in GETTEXT_NAMES
            docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            if translated or docstring:
                exempt.update(id(sub) for sub in ast.walk(node))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in exempt
                and FRENCH_PUNCTUATION.search(node.value)
            ):
                leaks.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")

    assert leaks == []


def test_the_sort_menu_follows_the_readers_language():
    with translation.override("fr"):
        sort = SortFilter(
            fields={"reference": "reference"},
            field_labels={"reference": translation.gettext_lazy("Référence")},
            default="reference",
        )

    with translation.override("en"):
        labels = [str(label) for _value, label in sort.extra["choices"]]

    assert labels == ["Reference", "Reference (descending)"]
