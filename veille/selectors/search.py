"""Full-text search for the veille: inbox, watch rules, CSV export and private feeds.

PostgreSQL
----------
Each item stores a ``tsvector`` built with the text search configuration of its own
language (``veille.services.ingest.SEARCH_CONFIGS``: French, English and the unknown languages
through ``unaccent`` first, so accents never matter; Arabic, Italian, Spanish, German,
Portuguese with PostgreSQL's own). A query typed in the inbox is parsed once per
configuration with ``websearch_to_tsquery`` (quotes, ``OR``, ``-exclusion``: one SQL
round trip, see ``compile_query``) — the same normalisation as the documents, so
``evaluation de l'age`` finds "évaluation de l'âge" — and each item is matched with the
query of *its* language only: a French stem never pulls English articles.

The GIN index is split by language (one partial index for French, English, Arabic, and
one for the others: every row is in exactly one), and every branch of the condition
names its index's language, so a word is only looked up among the articles of the
languages whose parse it is::

    (language = 'fr' AND search_vector @@ 'migr'::tsquery)
    OR (language = 'en' AND search_vector @@ 'migrant'::tsquery)
    OR (language NOT IN ('fr', 'en', 'ar') AND language IN ('it', 'es', 'de')
        AND search_vector @@ 'migrant'::tsquery) ...

Ranking is bounded: the inbox only ranks the ``CANDIDATES`` most recent matching
articles (see ``veille.selectors.items``), so a word found in half of the corpus never
ranks 100,000 rows per request. Phrases and exclusions cannot be decided by the index
alone (each row found must be read again): the inbox checks them on the newest
``RECHECK_BUDGET`` articles holding all the query's words, never on more. An unquoted
hyphenated word ("garde-côtes") is looked up as the whole word, which the index decides.
Snippets (``ts_headline``) are computed for the rows of the displayed page only.

SQLite (the embedded default)
-----------------------------
A simple fallback: every word (or "quoted phrase") must appear in the title or the
excerpt, compared without case or accents (``veille_fold``, registered in
``veille.apps``), ``-word`` excludes, ``OR`` between two terms accepts either. No
stemming, no ranking (newest first), no snippet highlighting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..services.ingest import SEARCH_CONFIGS, SEARCH_FALLBACK_CONFIG
from ..signatures import fold

# Item language → PostgreSQL text search configuration (anything else: the fallback):
# the pipeline builds each vector with this same mapping.
LANGUAGE_CONFIGS = SEARCH_CONFIGS
FALLBACK_CONFIG = SEARCH_FALLBACK_CONFIG
# Key used in language filters for articles whose language is unknown or not listed.
OTHER_LANGUAGES = "other"
# Languages with a GIN index of their own (migration 0008); the others share one.
INDEXED_LANGUAGES = ("fr", "en", "ar")
# Phrases and exclusions are looked for among at most this many newest articles.
RECHECK_BUDGET = 2000

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


def _partition(code: str) -> str:
    """The GIN index holding the articles of this language key."""
    return code if code in INDEXED_LANGUAGES else OTHER_LANGUAGES


def _partition_codes(partition: str) -> set[str]:
    if partition != OTHER_LANGUAGES:
        return {partition}
    return {c for c in [*LANGUAGE_CONFIGS, OTHER_LANGUAGES] if c not in INDEXED_LANGUAGES}


def _partition_q(partition: str, codes: list[str], prefix: str) -> Q:
    """The language condition of a branch: exactly its index's predicate (so PostgreSQL
    uses that partial index), narrowed to `codes` when they are not all of it."""
    if partition != OTHER_LANGUAGES:
        return Q(**{f"{prefix}language": partition})
    condition = ~Q(**{f"{prefix}language__in": list(INDEXED_LANGUAGES)})
    if set(codes) != _partition_codes(partition):
        condition &= _language_q(codes, prefix)
    return condition


@dataclass
class CompiledQuery:
    """A query parsed once per language configuration, grouped by identical result.

    "Frontex" parses to the same ``'frontex'`` in every configuration; "migrants" gives
    ``'migr'`` (French, Portuguese), ``'migrant'`` (English, Italian, Spanish, German)
    and ``'migrants'`` (Arabic, others). Each group becomes one branch per GIN index it
    touches, limited to its languages.
    """

    text: str
    # (language keys, tsquery text) — an empty tsquery text matches nothing.
    groups: list[tuple[list[str], str]]
    # What the GIN indexes can look up: the same, except that a parse with phrases or
    # exclusions (which only a second reading of each row can check) keeps its words
    # only — see ``veille.selectors.items.newest_matches``.
    index_groups: list[tuple[list[str], str]] = field(default_factory=list)
    # Language keys whose articles found through `index_groups` must be checked again.
    recheck: frozenset[str] = frozenset()

    @property
    def needs_recheck(self) -> bool:
        return bool(self.recheck)

    def branches(self, prefix: str = "", *, index: bool = False) -> list[Q]:
        """One condition per GIN index the query touches, each limited to the languages
        whose parse it is (several parses share the index of the other languages).
        `index`: the conditions of `index_groups`."""
        groups = self.index_groups if index else self.groups
        by_parse: dict[tuple[str, str], list[str]] = {}
        for codes, tsquery in groups:
            if not tsquery:
                continue
            for code in codes:
                by_parse.setdefault((_partition(code), tsquery), []).append(code)
        by_index: dict[str, Q] = {}
        for (partition, tsquery), codes in by_parse.items():
            branch = _partition_q(partition, codes, prefix) & Q(
                **{f"{prefix}search_vector": _tsquery_literal(tsquery)}
            )
            by_index[partition] = by_index[partition] | branch if partition in by_index else branch
        return list(by_index.values())

    def recheck_condition(self) -> Q:
        """Which of the articles found through `index_groups` match: those of the
        languages whose parse the index decided, and the others that pass the query."""
        others = [code for codes, _tsq in self.groups for code in codes if code not in self.recheck]
        decided = _language_q(others) if others else None
        return self.match() if decided is None else (decided | self.match())

    def match(self, prefix: str = "") -> Q:
        """The match condition: the branches OR-ed."""
        condition = Q(pk__in=[])
        for branch in self.branches(prefix):
            condition |= branch
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


_PHRASE_OPERATOR = re.compile(r"<(?:-|\d+)>")
# A hyphenated word as websearch_to_tsquery gives it: the whole word, then its parts,
# each at the next position ('garde-cot' <-> 'gard' <-> 'cot'), not inside a phrase.
_HYPHENATED = re.compile(r"(?<!> )'([^' ]+-[^' ]+)'((?: <(?:-|\d+)> '[^' ]+')+)(?! <)")
# French stop words with accents, as people type them without ("a" for "à"): given to
# the French configuration with their accent, so they are dropped as stop words (and
# still count as a position inside a phrase).
_FRENCH_ACCENTED_STOPWORDS = {
    fold(word): word
    for word in [
        "même", "à", "été", "étée", "étées", "étés", "étant", "étante", "étants",
        "étantes", "êtes", "étais", "était", "étions", "étiez", "étaient", "fûmes",
        "fûtes", "fût", "eûmes", "eûtes", "eût",
    ]
}  # fmt: skip
_BARE = "|".join(sorted(_FRENCH_ACCENTED_STOPWORDS, key=len, reverse=True))
_FRENCH_BARE_STOPWORD = re.compile(rf"(?<![\w-])({_BARE})(?![\w-])", re.IGNORECASE)


def _whole_hyphenated_words(tsquery: str) -> str:
    """``'garde-cot' <-> 'gard' <-> 'cot'`` → ``'garde-cot'``: the whole hyphenated word
    is in a vector exactly where its parts follow it, so the lexeme alone says the same
    and needs no second reading. Left alone when the phrase goes on past its parts."""

    def whole(match: re.Match) -> str:
        parts = re.findall(r"'([^' ]+)'", match.group(2))
        if len(parts) > match.group(1).count("-") + 1:
            return match.group(0)
        return f"'{match.group(1)}'"

    return _HYPHENATED.sub(whole, tsquery)


def _needs_recheck(tsquery: str) -> bool:
    return "!" in tsquery or bool(_PHRASE_OPERATOR.search(tsquery))


def relaxed_text(query: str) -> str:
    """The query's words, without quotes or excluded words: what every match holds."""
    kept = []
    for minus, phrase, word in _TOKEN.findall(query):
        if phrase:
            if not minus:
                kept.append(phrase)
        elif not (word.startswith("-") and len(word) > 1):
            kept.append(word)
    return " ".join(kept).replace('"', " ")


def _text_for(config: str, text: str) -> str:
    if config == LANGUAGE_CONFIGS["fr"]:
        return _FRENCH_BARE_STOPWORD.sub(
            lambda m: _FRENCH_ACCENTED_STOPWORDS[m.group(1).lower()], text
        )
    return text


def compile_query(query: str, *, languages=None) -> CompiledQuery | None:
    """Parse `query` with every configuration needed (one SQL round trip)."""
    query = normalise_query(query)
    if not query or not uses_postgres_search():
        return None
    codes = _language_codes(languages)
    configs = sorted({_config(code) for code in codes})
    texts = (query, relaxed_text(query))
    columns = ", ".join(
        "websearch_to_tsquery(%s::regconfig, %s)::text" for _ in range(2 * len(configs))
    )
    params = [v for text in texts for c in configs for v in (c, _text_for(c, text))]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", params)
        row = cursor.fetchone()
    exact = {
        c: _whole_hyphenated_words(t) for c, t in zip(configs, row[: len(configs)], strict=True)
    }
    words = {
        # The words of a phrase only need to be present for the index: "&".
        c: _PHRASE_OPERATOR.sub("&", _whole_hyphenated_words(t))
        for c, t in zip(configs, row[len(configs) :], strict=True)
    }
    groups: dict[str, list[str]] = {}
    index_groups: dict[str, list[str]] = {}
    recheck = set()
    for code in codes:
        config = _config(code)
        tsquery = exact[config]
        groups.setdefault(tsquery, []).append(code)
        # "a OR -b": the words alone ("a") would miss articles; such a parse is left to
        # the index as it is.
        if _needs_recheck(tsquery) and words[config] and not ("|" in tsquery and "!" in tsquery):
            recheck.add(code)
            index_groups.setdefault(words[config], []).append(code)
        else:
            index_groups.setdefault(tsquery, []).append(code)
    return CompiledQuery(
        text=query,
        groups=[(c, tsq) for tsq, c in groups.items()],
        index_groups=[(c, tsq) for tsq, c in index_groups.items()],
        recheck=frozenset(recheck),
    )


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


def _folded(field: str) -> Func:
    return Func(F(field), function="veille_fold", output_field=TextField())


def _fallback_match(query: str, *, prefix: str = "") -> Q:
    """Every term in the title or the excerpt, without case or accents (SQLite)."""
    condition = Q()
    for group in parse_simple_query(query):
        alternatives = Q(pk__in=[])
        for term in group:
            text = fold(term.text)
            found = Q(Contains(_folded(f"{prefix}title"), text)) | Q(
                Contains(_folded(f"{prefix}excerpt"), text)
            )
            alternatives |= ~found if term.negated else found
        condition &= alternatives
    return condition
