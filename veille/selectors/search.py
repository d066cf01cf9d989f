"""Full-text search for the veille: inbox, watch rules, CSV export and private feeds.

PostgreSQL
----------
Each item stores a ``tsvector`` built with the text search configuration of its own
language (french, english, arabic, italian, spanish…, else simple; filled by the fetch
pipeline with ``veille.services.ingest.SEARCH_CONFIGS``). A query typed in the inbox is
therefore parsed once per configuration with ``websearch_to_tsquery`` (quotes, ``OR``,
``-exclusion``: one SQL round trip, see ``compile_query``) and each item is matched with
the query of *its* language; languages whose parse is identical share one branch::

    (language IN ('fr', 'pt') AND search_vector @@ 'migr'::tsquery)
    OR (language IN ('en', 'it', 'es', 'de') AND search_vector @@ 'migrant'::tsquery) ...

Matching every item with one big ``OR`` of all the configurations would be wrong for
exclusions ("mer -libye" parsed with ``simple`` keeps a French article whose vector holds
the stem ``liby``). Every branch is a ``@@`` on the GIN index (a BitmapOr), and the
queries are constants, so the planner also sees how frequent the words are.

Ranking is bounded: the inbox only ranks the ``CANDIDATES`` most recent matching
articles (see ``veille.selectors.items``), so a word found in half of the corpus never
ranks 100,000 rows per request. Snippets (``ts_headline``) are computed for the rows of
the displayed page only.

SQLite (the embedded default)
-----------------------------
A simple fallback: every word (or "quoted phrase") must appear in the title or the
excerpt (``icontains``), ``-word`` excludes, ``OR`` between two terms accepts either. No
ranking (newest first), no snippet highlighting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, TextField, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..services.ingest import SEARCH_CONFIGS

# Item language → PostgreSQL text search configuration (anything else: "simple"): the
# pipeline builds each vector with this same mapping.
LANGUAGE_CONFIGS = SEARCH_CONFIGS
FALLBACK_CONFIG = "simple"
# Key used in language filters for articles whose language is unknown or not listed.
OTHER_LANGUAGES = "other"

MAX_QUERY_LENGTH = 300

# Sentinels around highlighted words: the headline is escaped, then they become <mark>.
_START, _STOP = "\x02", "\x03"


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def normalise_query(raw: str | None) -> str:
    """The query as searched: trimmed, bounded, without control characters."""
    if not raw:
        return ""
    cleaned = "".join(ch for ch in str(raw) if ch.isprintable())
    return " ".join(cleaned.split())[:MAX_QUERY_LENGTH]


def _language_codes(languages) -> list[str]:
    """The language keys searched: the selected ones, or all of them."""
    every = [*LANGUAGE_CONFIGS, OTHER_LANGUAGES]
    wanted = set(languages or ())
    return [code for code in every if code in wanted] or every


def _language_q(codes: list[str], prefix: str = "") -> Q | None:
    """The condition on the item's language for these keys (None: any language)."""
    every = {*LANGUAGE_CONFIGS, OTHER_LANGUAGES}
    if set(codes) == every:
        return None
    known = [c for c in codes if c != OTHER_LANGUAGES]
    condition = Q(**{f"{prefix}language__in": known}) if known else Q(pk__in=[])
    if OTHER_LANGUAGES in codes:
        condition |= ~Q(**{f"{prefix}language__in": list(LANGUAGE_CONFIGS)})
    return condition


def _config(code: str) -> str:
    return LANGUAGE_CONFIGS.get(code, FALLBACK_CONFIG)


@dataclass
class CompiledQuery:
    """A query parsed once per language configuration, grouped by identical result.

    "Frontex" parses to the same ``'frontex'`` in every configuration: one ``@@`` on the
    GIN index, no language condition. "migrants" gives ``'migr'`` (french, portuguese),
    ``'migrant'`` (english, italian, spanish, german) and ``'migrants'`` (arabic, simple):
    three branches, each limited to its languages.
    """

    text: str
    # (language keys, tsquery text) — an empty tsquery text matches nothing.
    groups: list[tuple[list[str], str]]

    @property
    def has_exclusion(self) -> bool:
        return any("!" in tsquery for _codes, tsquery in self.groups)

    def match(self, prefix: str = "") -> Q:
        """The match condition: per-language branches only when the query excludes words.

        Without an exclusion, matching an article with another language's parse only
        widens the match to the same word family (the French vector never holds the
        English stem of an unrelated word), so the parses are OR-ed into a single
        tsquery: one GIN scan, nothing to recheck per row. With an exclusion that would
        be wrong ("mer -libye" parsed with ``simple`` keeps a French article holding
        ``liby``), so each language gets its own parse.
        """
        parsed = [tsquery for _codes, tsquery in self.groups if tsquery]
        if not parsed:
            return Q(pk__in=[])
        if not self.has_exclusion:
            combined = " | ".join(f"( {tsquery} )" for tsquery in parsed)
            condition = Q(**{f"{prefix}search_vector": _tsquery_literal(combined)})
            every = [code for codes, _tsq in self.groups for code in codes]
            language_q = _language_q(every, prefix)
            return condition if language_q is None else (language_q & condition)
        condition = Q(pk__in=[])
        for codes, tsquery in self.groups:
            if not tsquery:
                continue
            branch = Q(**{f"{prefix}search_vector": _tsquery_literal(tsquery)})
            language_q = _language_q(codes, prefix)
            condition |= branch if language_q is None else (language_q & branch)
        return condition

    def _per_language(self):
        for codes, tsquery in self.groups:
            if not tsquery:
                continue
            for code in codes:
                yield code, tsquery

    def rank(self):
        """ts_rank of each item against the query of its language."""
        whens = []
        default = Value(0.0, output_field=FloatField())
        for codes, tsquery in self.groups:
            if not tsquery:
                continue
            language_q = _language_q(codes)
            rank = SearchRank(F("search_vector"), _tsquery_literal(tsquery))
            if language_q is None:
                default = rank
            else:
                whens.append(When(language_q, then=rank))
        if not whens:
            return default
        return Case(*whens, default=default, output_field=FloatField())

    def headline(self, field: str, *, whole: bool = False):
        """ts_headline on `field` (plain text) with the item's own configuration.

        `whole` highlights the entire text (titles); otherwise a short fragment around
        the matches. The result still needs `safe_headline()` before display.
        """
        options = {"start_sel": _START, "stop_sel": _STOP, "highlight_all": whole}
        if not whole:
            options.update(max_words=32, min_words=12, max_fragments=2, fragment_delimiter=" … ")
        whens = []
        others = None
        for code, tsquery in self._per_language():
            expression = SearchHeadline(
                field, _tsquery_literal(tsquery), config=_config(code), **options
            )
            if code == OTHER_LANGUAGES:
                others = expression
            else:
                whens.append(When(language=code, then=expression))
        return Case(*whens, default=others or F(field), output_field=TextField())


class _TsQueryLiteral(SearchQuery):
    """A tsquery given in its text form (as printed by PostgreSQL): ``'migr' & !'cal'``."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = compiler.compile(self.source_expressions[-1])
        return f"({sql})::tsquery", params


def _tsquery_literal(text: str) -> SearchQuery:
    return _TsQueryLiteral(text)


def compile_query(query: str, *, languages=None) -> CompiledQuery | None:
    """Parse `query` with every configuration needed (one SQL round trip)."""
    query = normalise_query(query)
    if not query or not uses_postgres_search():
        return None
    codes = _language_codes(languages)
    configs = sorted({_config(code) for code in codes})
    columns = ", ".join("websearch_to_tsquery(%s::regconfig, %s)::text" for _ in configs)
    params = [value for config in configs for value in (config, query)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", params)
        parsed = dict(zip(configs, cursor.fetchone(), strict=True))
    groups: dict[str, list[str]] = {}
    for code in codes:
        groups.setdefault(parsed[_config(code)], []).append(code)
    return CompiledQuery(text=query, groups=[(c, tsq) for tsq, c in groups.items()])


def text_match(query: str, *, languages=None, prefix: str = "") -> Q:
    """The condition keeping items that match `query` (in `languages` only, if given).

    `prefix` lets other models filter through a relation ("item__").
    """
    query = normalise_query(query)
    if not query:
        return Q()
    if not uses_postgres_search():
        return _fallback_match(query, prefix=prefix)
    return compile_query(query, languages=languages).match(prefix)


def safe_headline(text: str | None, *, source: str = "") -> SafeString:
    """Escape a ts_headline result (feed text is untrusted) and mark the matches.

    With `source` (the full text the fragment was cut from), an ellipsis shows where the
    fragment starts or ends inside the text.
    """
    if not text:
        return mark_safe("")
    if source:
        plain = " ".join(text.replace(_START, "").replace(_STOP, "").split())
        whole = " ".join(source.split())
        if plain and not whole.startswith(plain[:30]):
            text = "… " + text
        if plain and not whole.endswith(plain[-30:]) and not plain.endswith("…"):
            text = text + " …"
    escaped = escape(text)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


# --- SQLite fallback ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    text: str
    negated: bool = False


_TOKEN = re.compile(r'(-?)"([^"]+)"|(\S+)')


def parse_simple_query(query: str) -> list[list[_Term]]:
    """websearch-like parsing: a list of AND groups, each a list of OR alternatives."""
    groups: list[list[_Term]] = []
    pending_or = False
    for match in _TOKEN.finditer(query):
        minus, phrase, word = match.groups()
        if word is not None and word.upper() == "OR" and groups:
            pending_or = True
            continue
        if phrase is not None:
            term = _Term(phrase.strip(), negated=bool(minus))
        else:
            negated = word.startswith("-") and len(word) > 1
            term = _Term(word[1:] if negated else word, negated=negated)
        term = _Term(term.text.strip("\"'.,;:!?()"), term.negated)
        if not term.text:
            continue
        if pending_or and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return groups


def _fallback_match(query: str, *, prefix: str = "") -> Q:
    condition = Q()
    for group in parse_simple_query(query):
        alternatives = Q(pk__in=[])
        for term in group:
            found = Q(**{f"{prefix}title__icontains": term.text}) | Q(
                **{f"{prefix}excerpt__icontains": term.text}
            )
            alternatives |= ~found if term.negated else found
        condition &= alternatives
    return condition
