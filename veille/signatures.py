"""What an article looks like to story clustering, computed once per article.

Words are normalised (case, accents and Arabic diacritics folded, stop words dropped,
cut to a 6-letter stem). Each item stores the stems of its title (``title_tokens``) and
of its excerpt (``text_tokens``), and six locality-sensitive band keys (minhash, three
rows per band, ``lsh0``…``lsh5``) that find the candidates of a whole feed with one
indexed query. Nothing is tokenised again when two articles are compared.

A source's **common words** (``Source.common_tokens``) are the stems found in more than
half of its recent articles: the template of numbered titles ("Décision n° … QPC du …",
"Revue de presse du …") and the boilerplate repeated in every summary. They carry no
weight: the band keys are computed without them and, when two articles are compared,
the common words of *both* sources are set aside.

Two articles tell the same story (``same_story``) when, on what is left:

- their titles share at least 3 words that are not numbers, dates or edition words,
  and their title similarity (Jaccard) is at least 0.7 — or at least 0.4 with excerpts
  that agree too (Jaccard ≥ 0.25 on at least 5 words each);
- but titles that differ by a number, a date or an edition ("… n° 481", "… n° 482";
  "… du 12 mai", "… du 13 mai") belong to a series: different stories unless the
  excerpts agree strongly (≥ 0.5) and give a figure in common;
- and the very same numbered or dated title (common words included) is the same issue
  of a series wherever it is published.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections import Counter
from collections.abc import Iterable

from .models import LSH_BANDS

STEM = 6
MIN_SHARED = 3
TITLE_STRONG = 0.7
TITLE_WEAK = 0.4
TEXT_WEAK = 0.25
TEXT_SERIES = 0.5
MIN_TEXT_WORDS = 5
TITLE_WORDS = 40
TEXT_WORDS = 40
TEXT_CHARS = 400  # the start of the excerpt is enough for TEXT_WORDS stems
# Common words: in more than COMMON_SHARE of at least COMMON_MIN_SAMPLE articles (the
# new ones of a feed, completed with the source's latest up to COMMON_SAMPLE).
COMMON_SHARE = 0.6
COMMON_MIN_SAMPLE = 8
COMMON_SAMPLE = 20

_STOPWORD_TEXT = """
a à au aux avec ce ces cet cette d dans de des du elle en et eux il ils je l la le les
leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu
que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y été être est sont
ont après avant selon contre entre sans sous vers plus moins très aussi comme lors
the of and to in on for with at by from as is are was were be been it its this that
these those an or not but into over after before about than has have had will would
can could new says said
el los las del al y una por con para es lo su sus
gli di da della dei delle nel nella per tra fra che è uno
في من على إلى عن مع أن إن ما لا هذا هذه التي الذي التى ذلك كان قد بعد قبل حول عند ثم او أو
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_ARABIC_VARIANTS = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ة", "ه"),
    ("ى", "ي"),
    ("ـ", ""),
)
_ARABIC_LETTER = re.compile(r"^[\u0600-\u06ff]")
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ف")
_AR_SUFFIXES = ("ين", "ون", "ات", "ان", "ها", "ه", "ا", "ي")
# ROWS minhashes per band: a band matches only when all of them agree, so titles that
# merely share a common word ("migrants", "Libye") rarely become candidates.
ROWS = 3
_HASHES = ROWS * LSH_BANDS
_UNPACK = struct.Struct(f"<{_HASHES}I").unpack


# Combining marks (accents, Arabic diacritics) of the Basic Multilingual Plane; the
# Latin and Arabic ones, which are nearly all there is in feeds, also as one pattern.
_MARKS = frozenset(chr(cp) for cp in range(0x10000) if unicodedata.combining(chr(cp)))
_COMMON_MARKS = re.compile("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")


def fold(text: str) -> str:
    """Lower case without accents or Arabic diacritics, Arabic letter variants unified.

    Also what the SQLite fallback of the search compares (see ``veille.apps``).
    """
    text = text.lower()
    if text.isascii():
        return text
    text = _COMMON_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not _MARKS.isdisjoint(text) or max(text) > "\uffff":
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for variant, letter in _ARABIC_VARIANTS:
        if variant in text:
            text = text.replace(variant, letter)
    return text


def _arabic_stem(word: str) -> str:
    """A light Arabic stemmer: conjunction/article prefixes and plural/case suffixes."""
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


def tokens(text: str, *, limit: int = 0) -> list[str]:
    """Normalised word stems of `text`, in order, without repeats or stop words."""
    seen: dict[str, None] = {}
    for word in _NON_WORD.split(fold(text)):
        if not word or word in STOPWORDS or word == "_":
            continue
        if _ARABIC_LETTER.match(word):
            word = _arabic_stem(word)
            if word in STOPWORDS:
                continue
        if len(word) < 2 and not word.isdigit():
            continue
        stem = word[:STEM]
        if stem not in seen:
            seen[stem] = None
            if limit and len(seen) >= limit:
                break
    return list(seen)


def title_tokens(title: str) -> list[str]:
    return tokens(title, limit=TITLE_WORDS)


def text_tokens(text: str) -> list[str]:
    return tokens(text[:TEXT_CHARS], limit=TEXT_WORDS)


# Numbers, dates and edition words: what changes from one issue of a series to the next.
VARIABLE_WORDS = frozenset(
    tokens(
        "janvier février mars avril mai juin juillet août septembre octobre novembre "
        "décembre january february march april may june july august september october "
        "november december jan feb mar apr jun jul aug sep sept oct nov dec "
        "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday "
        "thursday friday saturday sunday hier aujourd demain yesterday today tomorrow "
        "édition numéro no nº issue edition number episode épisode vol volume tome "
        "matin soir midi morning evening weekly daily hebdo quotidien mensuel monthly "
        "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
        "رقم عدد العدد"
    )
)


def is_variable(token: str) -> bool:
    """A number (any token that is not all letters), a date or an edition word."""
    return token in VARIABLE_WORDS or not token.isalpha()


def band_keys(distinctive: Iterable[str], title: Iterable[str] = ()) -> list[int]:
    """Band keys (non-negative 63-bit ints) of a title: LSH_BANDS minhash keys of its
    distinctive words (without the source's common words).

    A title with fewer than MIN_SHARED real words of its own tells no story of its own:
    a template and a number ("JORF n° 281 du 29 novembre"). It gets one key only, the
    whole normalised `title` when that holds a number or a date: the very same issue
    elsewhere (another feed of the publisher, a copy) is found, and nothing else.
    """
    words = sorted(set(distinctive))
    if sum(1 for t in words if not is_variable(t)) < MIN_SHARED:
        whole = sorted(set(title))
        if len(whole) >= MIN_SHARED and any(is_variable(t) for t in whole):
            digest = hashlib.blake2b(" ".join(whole).encode("utf-8"), digest_size=8).digest()
            return [int.from_bytes(digest, "little") & ((1 << 59) - 1)]
        return []
    # One SHAKE-128 digest per token gives ROWS × LSH_BANDS independent 32-bit hashes.
    per_token = [_UNPACK(hashlib.shake_128(t.encode("utf-8")).digest(4 * _HASHES)) for t in words]
    mins = [min(column) for column in zip(*per_token, strict=True)]
    keys = []
    low = (1 << 59) - 1
    for band in range(LSH_BANDS):
        m1, m2, m3 = mins[ROWS * band : ROWS * band + ROWS]
        mixed = (m1 * 0x9E3779B97F4A7C15) ^ (m2 * 0xC2B2AE3D27D4EB4F) ^ m3
        keys.append((band << 59) | (mixed & low))
    return keys


def common_tokens(samples: list[set[str]]) -> frozenset[str] | None:
    """The words found in more than half of these articles (None: too few to tell)."""
    if len(samples) < COMMON_MIN_SAMPLE:
        return None
    counts = Counter(token for sample in samples for token in sample)
    threshold = COMMON_SHARE * len(samples)
    return frozenset(token for token, n in counts.items() if n > threshold)


def split(stored: str | None) -> frozenset[str]:
    """Stored tokens (space-separated) as a set."""
    return frozenset(stored.split()) if stored else frozenset()


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


class Signature:
    """An article as clustering compares it, built once per article and per feed.

    `title` and `text` are without the source's own common words; `common` is that set,
    removed from the other side of every comparison. The text is only looked at when
    the titles alone cannot decide, so it is prepared on first use.
    """

    __slots__ = ("_text", "_text_numbers", "_text_tokens", "common", "title", "variables", "whole")

    def __init__(self, title: Iterable[str], text: Iterable[str], common: frozenset[str]):
        self.whole = frozenset(title)
        self.title = self.whole - common if common else self.whole
        self.variables = frozenset(t for t in self.title if is_variable(t))
        self.common = common
        self._text_tokens = text
        self._text: frozenset[str] | None = None
        self._text_numbers: frozenset[str] = frozenset()

    @classmethod
    def of(cls, title: Iterable[str], text: Iterable[str], common: frozenset[str]) -> Signature:
        return cls(title, text, common)

    def with_text(self, text: Iterable[str]) -> Signature:
        """The text, when it was not known at first (read only for the pairs that need
        it); returns self."""
        self._text_tokens = text
        self._text = None
        return self

    @property
    def text(self) -> frozenset[str]:
        """Words of the excerpt, without common words, numbers and dates."""
        if self._text is None:
            words = frozenset(self._text_tokens) - self.common
            variables = frozenset(t for t in words if is_variable(t))
            self._text = words - variables
            self._text_numbers = frozenset(t for t in variables if _DIGIT.search(t))
        return self._text

    @property
    def text_numbers(self) -> frozenset[str]:
        self.text  # noqa: B018 - prepares both
        return self._text_numbers


def _text_score(a: Signature, b: Signature) -> float:
    a_text = a.text - b.common if b.common else a.text
    b_text = b.text - a.common if a.common else b.text
    if len(a_text) < MIN_TEXT_WORDS or len(b_text) < MIN_TEXT_WORDS:
        return 0.0
    return jaccard(a_text, b_text)


def title_verdict(a: Signature, b: Signature) -> tuple[float, float]:
    """What the titles say: (score, text threshold). A score of 0 is no match; a text
    threshold of 0 means the titles decide alone, otherwise the excerpts must agree at
    least that much (see ``text_verdict``)."""
    if a.whole == b.whole and len(a.whole) >= MIN_SHARED and any(map(is_variable, a.whole)):
        # The very same title, number or date included: the same issue of a series.
        return 1.0, 0.0
    a_title = a.title - b.common if b.common else a.title
    b_title = b.title - a.common if a.common else b.title
    la, lb = len(a_title), len(b_title)
    # Fast exits: too short, or sizes too different for the Jaccard to reach TITLE_WEAK.
    if la < MIN_SHARED or lb < MIN_SHARED or min(la, lb) < TITLE_WEAK * max(la, lb):
        return 0.0, 0.0
    shared = a_title & b_title
    n = len(shared)
    if n < MIN_SHARED:
        return 0.0, 0.0
    score = n / (la + lb - n)
    if score < TITLE_WEAK:
        return 0.0, 0.0
    a_vars, b_vars = a.variables & a_title, b.variables & b_title
    if n - len(shared & a_vars) < MIN_SHARED:
        return 0.0, 0.0  # what they share is mostly numbers and dates
    if (a_vars - b_vars) and (b_vars - a_vars):
        # A series (another number, date or edition): only excerpts that agree strongly
        # and give a figure in common make it the same story (an updated toll).
        return score, TEXT_SERIES
    if score >= TITLE_STRONG:
        return score, 0.0
    return score, TEXT_WEAK


def text_verdict(a: Signature, b: Signature, score: float, threshold: float) -> float:
    """The combined score when the excerpts agree enough after `title_verdict`, else 0."""
    if threshold >= TEXT_SERIES and not (a.text_numbers & b.text_numbers):
        return 0.0
    text = _text_score(a, b)
    return (score + text) / 2 if text >= threshold else 0.0


def same_story(a: Signature, b: Signature) -> float:
    """A similarity score > 0 when the two articles tell the same story, else 0."""
    score, threshold = title_verdict(a, b)
    if not score or not threshold:
        return score
    return text_verdict(a, b, score, threshold)
