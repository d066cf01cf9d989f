"""Story clustering: the same story published by several sources becomes one inbox row.

Titles are normalised (case, accents and Arabic diacritics folded, stop words dropped,
words cut to a 6-letter stem) into token sets. Each item stores six locality-sensitive
hash band keys (minhash, 3 rows per band) so that the candidates for a whole feed are
found with one indexed query; candidates are then confirmed with the real similarity:
title Jaccard ≥ 0.7, or ≥ 0.4 with the excerpts agreeing too, at least 3 shared words,
from *another* source, published within 72 hours. A late article joins the cluster of
the item it matches; a match with an unclustered item creates the cluster.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import LSH_BANDS, Cluster, Importance, Item, TriageStatus

WINDOW = timedelta(hours=72)
TITLE_STRONG = 0.7
TITLE_WEAK = 0.4
TEXT_WEAK = 0.25
MIN_SHARED = 3
MIN_TEXT_WORDS = 5
NUMBERS_DIFFER = 0.85
STEM = 6
MAX_CANDIDATES = 2000
SOURCE_NAMES_KEPT = 5

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
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": ""})
# ROWS minhashes per band: a band matches only when all of them agree, so titles that
# merely share a common word ("migrants", "Libye") rarely become candidates.
ROWS = 3
_HASHES = ROWS * LSH_BANDS
_UNPACK = struct.Struct(f"<{_HASHES}I").unpack


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_ARABIC_FOLD)


_ARABIC_LETTER = re.compile(r"^[\u0600-\u06ff]")
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ف")
_AR_SUFFIXES = ("ين", "ون", "ات", "ان", "ها", "ه", "ا", "ي")


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
    for word in _NON_WORD.split(_fold(text)):
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
    return tokens(title, limit=40)


def band_keys(title_token_list: list[str]) -> list[int]:
    """LSH_BANDS band keys (non-negative 63-bit ints) for a title's tokens, or []."""
    if len(title_token_list) < MIN_SHARED:
        return []
    # One SHAKE-128 digest per token gives ROWS × LSH_BANDS independent 32-bit hashes.
    per_token = [
        _UNPACK(hashlib.shake_128(t.encode("utf-8")).digest(4 * _HASHES)) for t in title_token_list
    ]
    mins = [min(column) for column in zip(*per_token, strict=True)]
    keys = []
    low = (1 << 59) - 1
    for band in range(LSH_BANDS):
        m1, m2, m3 = mins[ROWS * band : ROWS * band + ROWS]
        mixed = (m1 * 0x9E3779B97F4A7C15) ^ (m2 * 0xC2B2AE3D27D4EB4F) ^ m3
        keys.append((band << 59) | (mixed & low))
    return keys


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def title_match(a_title: set, b_title: set) -> tuple[float, bool]:
    """(title score, whether the texts must confirm it); a score of 0 is no match."""
    shared = len(a_title & b_title)
    if shared < MIN_SHARED:
        return 0.0, False
    score = shared / (len(a_title) + len(b_title) - shared)
    a_numbers = {t for t in a_title if t.isdigit()}
    b_numbers = {t for t in b_title if t.isdigit()}
    if a_numbers and b_numbers and not (a_numbers & b_numbers):
        # "Revue de presse du 12 mai" / "… du 13 mai": a series, not one story.
        return (score if score >= NUMBERS_DIFFER else 0.0), False
    if score >= TITLE_STRONG:
        return score, False
    if score >= TITLE_WEAK:
        return score, True
    return 0.0, False


def text_confirm(title_score: float, a_text: str, b_text: str) -> float:
    """The combined score when the excerpts agree enough, else 0."""
    if not a_text or not b_text:
        return 0.0
    a_words, b_words = set(tokens(a_text, limit=60)), set(tokens(b_text, limit=60))
    if min(len(a_words), len(b_words)) < MIN_TEXT_WORDS:
        return 0.0
    text_score = jaccard(a_words, b_words)
    return (title_score + text_score) / 2 if text_score >= TEXT_WEAK else 0.0


def same_story(a_title: set, b_title: set, a_text: str, b_text: str) -> float:
    """A similarity score > 0 when the two items tell the same story, else 0."""
    score, needs_text = title_match(a_title, b_title)
    return text_confirm(score, a_text, b_text) if needs_text else score


# Slim candidate rows: the excerpts are read later, only for the few pairs that need them.
CANDIDATE_FIELDS = (
    "id", "cluster_id", "title_tokens", "published_at", "status", "importance",
    *(f"lsh{b}" for b in range(LSH_BANDS)), "cluster__status",
)  # fmt: skip


def _candidates(source_id: int, per_band: list[set[int]]) -> list[tuple]:
    """Items of other sources sharing a band key with the feed's new entries.

    Only the band-key indexes can answer this (no date range, no ORDER BY in SQL: with
    stale statistics the planner would rather walk the whole date index); the time
    window is applied by the caller, in Python.
    """
    if connection.vendor != "postgresql":
        condition = Q()
        for band, keys in enumerate(per_band):
            condition |= Q(**{f"lsh{band}__in": list(keys)})
        query = Item.objects.filter(condition).exclude(source_id=source_id).order_by()
        return list(query.values_list(*CANDIDATE_FIELDS)[:MAX_CANDIDATES])
    # One array parameter per band (`= ANY`): a short statement whatever the number of
    # keys, so neither Django nor psycopg has hundreds of placeholders to build and parse
    # for every feed; each band is still one bitmap scan of its index.
    item, cluster = Item._meta.db_table, Cluster._meta.db_table
    bands = " OR ".join(f"i.lsh{b} = ANY(%s::bigint[])" for b in range(LSH_BANDS))
    lsh = ", ".join(f"i.lsh{b}" for b in range(LSH_BANDS))
    sql = (
        "SELECT i.id, i.cluster_id, i.title_tokens, i.published_at, i.status, "  # noqa: S608
        f"i.importance, {lsh}, c.status FROM {item} i "
        f"LEFT OUTER JOIN {cluster} c ON c.id = i.cluster_id "
        f"WHERE ({bands}) AND i.source_id <> %s LIMIT %s"
    )
    params = [sorted(keys) for keys in per_band] + [source_id, MAX_CANDIDATES]
    with connection.cursor() as cursor:
        # The band keys are selective but their statistics are skewed (a story told by
        # 25 outlets shares its keys), so the planner tends to scan the whole table;
        # the index lookups are 5-10× faster. Only for this statement.
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")


class Assignment:
    """Where each new entry of a feed goes: (cluster id, status, importance)."""

    def __init__(self):
        self.by_key: dict[str, tuple[int, str, int]] = {}
        self.touched: set[int] = set()


def assign(*, source_id: int, entries: list) -> Assignment:
    """Find the cluster of each new entry (call inside the feed's transaction, before
    the entries are inserted). One query for all candidates of the feed."""
    result = Assignment()
    with_bands = [e for e in entries if e.bands]
    if not with_bands:
        return result
    per_band: list[set[int]] = [set() for _ in range(LSH_BANDS)]
    for entry in with_bands:
        for band, key in enumerate(entry.bands):
            per_band[band].add(key)
    low = min(e.published_at for e in with_bands) - WINDOW
    high = max(e.published_at for e in with_bands) + WINDOW
    candidates = _candidates(source_id, per_band)
    candidates = [c for c in candidates if low <= c[3] <= high]
    if not candidates:
        return result
    index: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    token_sets: dict[int, set] = {}
    for cand in candidates:
        token_sets[cand[0]] = set(cand[2].split())
        for band in range(LSH_BANDS):
            key = cand[6 + band]
            if key is not None:
                index[(band, key)].append(cand)

    # Every confirmed match of each entry; the best one decides where the entry goes.
    matches: dict[str, list[tuple[float, tuple]]] = defaultdict(list)
    weak: list[tuple] = []
    for entry in with_bands:
        entry_tokens = set(entry.title_tokens.split())
        seen: set[int] = set()
        for band, key in enumerate(entry.bands):
            for cand in index.get((band, key), ()):
                if cand[0] in seen:
                    continue
                seen.add(cand[0])
                if abs(cand[3] - entry.published_at) > WINDOW:
                    continue
                score, needs_text = title_match(entry_tokens, token_sets[cand[0]])
                if needs_text:
                    weak.append((entry, cand, score))
                elif score:
                    matches[entry.dedup_key].append((score, cand))
    if weak:
        excerpts = dict(
            Item.objects.filter(pk__in={c[0] for _, c, _ in weak}).values_list("id", "excerpt")
        )
        for entry, cand, score in weak:
            combined = text_confirm(score, entry.excerpt, excerpts.get(cand[0], ""))
            if combined:
                matches[entry.dedup_key].append((combined, cand))

    new_cluster_for: dict[int, list] = defaultdict(list)  # candidate id -> entries
    extras: dict[int, set[int]] = defaultdict(set)  # candidate id -> other loose matches
    for entry in with_bands:
        found = matches.get(entry.dedup_key)
        if not found:
            continue
        # An existing story wins over a loose article (so a story does not split in
        # two when two workers stored its first articles at the same time), then the
        # best score, then the earliest article.
        _score, cand = max(found, key=lambda m: (m[1][1] is not None, m[0], -m[1][3].timestamp()))
        if cand[1]:
            # A late article takes the status of the story it joins.
            result.by_key[entry.dedup_key] = (cand[1], cand[12], None)
            result.touched.add(cand[1])
        else:
            new_cluster_for[cand[0]].append((entry, cand))
            # Other loose articles telling the same story join the new cluster too.
            extras[cand[0]].update(m[1][0] for m in found if m[1][1] is None)

    if new_cluster_for:
        _create_clusters(new_cluster_for, extras, result)
    return result


def _create_clusters(new_cluster_for: dict, extras: dict, result: Assignment) -> None:
    """One new cluster per unclustered candidate, claimed with one conditional UPDATE.

    A candidate that another worker clustered meanwhile keeps that cluster: our new
    cluster is dropped and the entries join theirs.
    """
    cand_ids = list(new_cluster_for)
    clusters = Cluster.objects.bulk_create(
        [
            Cluster(
                representative_id=cand_id,
                status=pairs[0][1][4],
                importance=pairs[0][1][5],
                latest_published_at=pairs[0][1][3],
                first_published_at=pairs[0][1][3],
            )
            for cand_id, pairs in new_cluster_for.items()
        ]
    )
    mine = {cand_id: cluster.pk for cand_id, cluster in zip(cand_ids, clusters, strict=True)}
    status_of = {cand_id: pairs[0][1][4] for cand_id, pairs in new_cluster_for.items()}
    # Each loose article goes to one new cluster only (its own if it founds one).
    target: dict[int, int] = dict(mine)
    for cand_id in cand_ids:
        for other in sorted(extras.get(cand_id, ())):
            target.setdefault(other, mine[cand_id])
    table = Item._meta.db_table
    whens = " ".join(["WHEN %s THEN %s"] * len(target))
    params: list = [v for pair in target.items() for v in pair]
    placeholders = ", ".join(["%s"] * len(target))
    sql = (
        f"UPDATE {table} SET cluster_id = CASE id {whens} END, is_cluster_lead = %s "  # noqa: S608
        f"WHERE id IN ({placeholders}) AND cluster_id IS NULL RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, True, *target])
        claimed = {row[0] for row in cursor.fetchall()}
    lost = [cand_id for cand_id in cand_ids if cand_id not in claimed]
    final = dict(mine)
    if lost:
        theirs = {
            pk: (cluster_id, status)
            for pk, cluster_id, status in Item.objects.filter(pk__in=lost).values_list(
                "pk", "cluster_id", "cluster__status"
            )
        }
        Cluster.objects.filter(pk__in=[mine[c] for c in lost]).delete()
        for cand_id in lost:
            final[cand_id], status_of[cand_id] = theirs.get(cand_id, (None, None))
    for cand_id, pairs in new_cluster_for.items():
        cluster_id = final.get(cand_id)
        if not cluster_id:
            continue
        for entry, _cand in pairs:
            result.by_key[entry.dedup_key] = (cluster_id, status_of.get(cand_id), None)
        result.touched.add(cluster_id)


def _save_clusters(clusters: list[Cluster]) -> None:
    """Write the denormalised fields with one prepared statement (executemany)."""
    table = Cluster._meta.db_table
    sql = (
        f"UPDATE {table} SET representative_id = %s, title = %s, item_count = %s, "  # noqa: S608
        "source_count = %s, source_names = %s, first_published_at = %s, "
        "latest_published_at = %s, status = %s, importance = %s, updated_at = %s WHERE id = %s"
    )
    names_field = Cluster._meta.get_field("source_names")
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    rows = [
        (
            c.representative_id, c.title, c.item_count, c.source_count,
            names_field.get_db_prep_save(c.source_names, connection),
            adapt(c.first_published_at), adapt(c.latest_published_at), c.status,
            c.importance, adapt(now), c.pk,
        )
        for c in clusters
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def refresh(cluster_ids) -> None:
    """Recompute the denormalised fields of these clusters (inside a transaction).

    The cluster rows are locked first (in id order, so two workers cannot deadlock), and
    the members are read after the lock, so concurrent joins are all counted.
    """
    ids = sorted(set(cluster_ids))
    if not ids:
        return
    # No savepoint of its own: an error here aborts the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        locked = (
            Cluster.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "representative_id")
        )
        # Only the fields written back by _save_clusters (no full model instances).
        clusters = {pk: Cluster(pk=pk, representative_id=rep) for pk, rep in locked}
        members = defaultdict(list)
        rows = (
            Item.objects.filter(cluster_id__in=ids)
            .order_by("published_at", "id")
            .values_list(
                "cluster_id", "id", "source_id", "source__name", "published_at", "title",
                "status", "importance",
            )
        )  # fmt: skip
        for row in rows:
            members[row[0]].append(row)
        lead_ids, empty = [], []
        for pk, cluster in clusters.items():
            items = members.get(pk, [])
            if len(items) < 2:
                empty.append(pk)
                continue
            member_ids = {r[1] for r in items}
            if cluster.representative_id not in member_ids:
                cluster.representative_id = items[0][1]
            rep = next(r for r in items if r[1] == cluster.representative_id)
            names: list[str] = []
            sources: set[int] = set()
            for r in items:
                if r[2] not in sources:
                    sources.add(r[2])
                    if len(names) < SOURCE_NAMES_KEPT:
                        names.append(r[3])
            statuses = {r[6] for r in items}
            if len(statuses) == 1:
                cluster.status = statuses.pop()
            elif TriageStatus.NEW in statuses:
                cluster.status = TriageStatus.NEW
            else:
                cluster.status = rep[6]
            cluster.title = rep[5][:1000]
            cluster.item_count = len(items)
            cluster.source_count = len(sources)
            cluster.source_names = names
            cluster.first_published_at = items[0][4]
            cluster.latest_published_at = items[-1][4]
            cluster.importance = max((r[7] for r in items), default=Importance.NORMAL)
            lead_ids.append(cluster.representative_id)
        keep = [c for pk, c in clusters.items() if pk not in empty]
        if keep:
            _save_clusters(keep)
        if empty:
            # A cluster left with one item is dissolved: the item stands alone again.
            Item.objects.filter(cluster_id__in=empty).update(cluster=None, is_cluster_lead=True)
            Cluster.objects.filter(pk__in=empty).delete()
        live = [pk for pk in ids if pk not in empty]
        if live:
            # One statement; only rows whose flag actually changes are rewritten.
            is_lead = Q(pk__in=lead_ids)
            Item.objects.filter(
                Q(cluster_id__in=live)
                & ((Q(is_cluster_lead=True) & ~is_lead) | (Q(is_cluster_lead=False) & is_lead))
            ).update(is_cluster_lead=is_lead)
