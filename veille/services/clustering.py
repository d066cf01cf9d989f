"""Story clustering: the same story published by several sources becomes one inbox row.

Each new article is signed once (``veille.signatures``: title and excerpt stems, band
keys without its source's common words). The candidates of a whole feed come from one
indexed query on the band keys (other sources, within the time window). Each entry then
examines at most ``MAX_COMPARISONS`` of them — those sharing the most band keys, then
the closest in time — and a late article joins the story of the one it matches best; a
match with an article that has no story yet creates the story.

A story stops growing at ``MAX_STORY_ITEMS`` articles, or when its articles would span
more than ``MAX_STORY_SPAN``. The demo's stories (28 real sources) are told by 2 to 4
sources within two hours; replayed day by day through this pipeline, repeats of the
same titles used to chain into "stories" spanning up to 11 days. A major story (a deadly
shipwreck, a court decision) is told by most of the unit's sources within three days,
with an update or two each: 60 articles and 7 days leave room for that, and past them a
match says "another issue of a series", not "the same story".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .. import signatures
from ..models import LSH_BANDS, Cluster, Importance, Item, Source, TriageStatus

WINDOW = timedelta(hours=72)
MAX_STORY_ITEMS = 60
MAX_STORY_SPAN = timedelta(days=7)
# Candidates examined per new entry (each one a `same_story` comparison), and how many
# items per band key are looked at to choose them.
MAX_COMPARISONS = 24
PER_BAND = 48
MAX_CANDIDATES = 2000
SOURCE_NAMES_KEPT = 5


# Slim candidate rows: title signature, dates, cluster state; the excerpts' stored
# tokens are read afterwards, for the few pairs whose titles need them.
CANDIDATE_FIELDS = (
    "id", "cluster_id", "title_tokens", "published_at", "status",
    "importance", "source_id", *(f"lsh{b}" for b in range(LSH_BANDS)), "cluster__status",
    "cluster__item_count", "cluster__first_published_at", "cluster__latest_published_at",
)  # fmt: skip
_ID, _CLUSTER, _TITLE, _PUBLISHED, _STATUS, _IMPORTANCE, _SOURCE = range(7)
_BANDS = 7  # lsh0 … lsh5, then the cluster's fields
_CLUSTER_STATUS, _CLUSTER_SIZE, _CLUSTER_FIRST, _CLUSTER_LATEST = range(
    _BANDS + LSH_BANDS, _BANDS + LSH_BANDS + 4
)


def _candidates(source_id: int, per_band: list[set[int]], low, high) -> list[tuple]:
    """Items of other sources, published between `low` and `high`, sharing a band key
    with the feed's new entries (at most MAX_CANDIDATES, newest first)."""
    if connection.vendor != "postgresql":
        condition = Q()
        for band, keys in enumerate(per_band):
            condition |= Q(**{f"lsh{band}__in": list(keys)})
        query = (
            Item.objects.filter(condition, published_at__range=(low, high))
            .exclude(source_id=source_id)
            .order_by("-published_at")
        )
        return list(query.values_list(*CANDIDATE_FIELDS)[:MAX_CANDIDATES])
    # One array parameter per band (`= ANY`): a short statement whatever the number of
    # keys, so neither Django nor psycopg has hundreds of placeholders to build and parse
    # for every feed; each band is one bitmap scan of its index. The date range is
    # applied to the rows those scans found (`+ interval '0'` keeps the planner from
    # walking the date index instead: with stale statistics it would).
    item, cluster = Item._meta.db_table, Cluster._meta.db_table
    bands = " OR ".join(f"i.lsh{b} = ANY(%s::bigint[])" for b in range(LSH_BANDS))
    lsh = ", ".join(f"i.lsh{b}" for b in range(LSH_BANDS))
    sql = (
        "SELECT i.id, i.cluster_id, i.title_tokens, i.published_at, "  # noqa: S608
        f"i.status, i.importance, i.source_id, {lsh}, c.status, c.item_count, "
        f"c.first_published_at, c.latest_published_at FROM {item} i "
        f"LEFT OUTER JOIN {cluster} c ON c.id = i.cluster_id "
        f"WHERE ({bands}) AND i.source_id <> %s "
        "AND i.published_at + interval '0 seconds' BETWEEN %s AND %s "
        "ORDER BY i.published_at DESC LIMIT %s"
    )
    params = [sorted(keys) for keys in per_band] + [source_id, low, high, MAX_CANDIDATES]
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
    """Where each new entry of a feed goes: (cluster id, status, importance), and how
    many candidates each entry was compared with."""

    def __init__(self):
        self.by_key: dict[str, tuple[int, str, int]] = {}
        self.touched: set[int] = set()
        self.comparisons: dict[str, int] = {}


def learn_common_tokens(source: Source, entries: list) -> frozenset[str]:
    """The source's common words, relearnt from these new entries when there are enough
    of them (COMMON_MIN_SAMPLE); until the source has had that many, its latest stored
    articles complete the sample. Kept on `source`: the pipeline stores them with the
    rest of the fetch's outcome."""
    samples = [set(e.title_tokens.split()) | set(e.text_tokens.split()) for e in entries]
    if len(samples) < signatures.COMMON_MIN_SAMPLE:
        if source.common_tokens is not None:
            return signatures.split(source.common_tokens)
        recent = (
            Item.objects.filter(source_id=source.pk)
            .order_by("-published_at")
            .values_list("title_tokens", "text_tokens")[: signatures.COMMON_SAMPLE - len(samples)]
        )
        samples += [set(title.split()) | set(text.split()) for title, text in recent]
    learnt = signatures.common_tokens(samples)
    if learnt is None:
        return frozenset()
    source.common_tokens = " ".join(sorted(learnt))
    return learnt


def _tokenise_titles(entries: list) -> None:
    for entry in entries:
        entry.title_tokens = " ".join(signatures.title_tokens(entry.title))[:1000]


def _tokenise_texts(entries: list) -> None:
    for entry in entries:
        entry.text_tokens = " ".join(signatures.text_tokens(entry.excerpt))


def _band(entries: list, common: frozenset[str]) -> None:
    for entry in entries:
        title = entry.title_tokens.split()
        entry.bands = signatures.band_keys([t for t in title if t not in common], title)


def sign_changed(*, source: Source, entries: list) -> None:
    """Sign again entries whose content changed (their stored signature is rewritten)."""
    _tokenise_titles(entries)
    _tokenise_texts(entries)
    _band(entries, signatures.split(source.common_tokens))


def _story_is_open(cand: tuple, published_at) -> bool:
    """Whether the candidate's story may still take an article published then."""
    if cand[_CLUSTER] is None or cand[_CLUSTER_SIZE] is None:
        return True
    if cand[_CLUSTER_SIZE] >= MAX_STORY_ITEMS:
        return False
    first = min(cand[_CLUSTER_FIRST] or published_at, published_at)
    latest = max(cand[_CLUSTER_LATEST] or published_at, published_at)
    return latest - first <= MAX_STORY_SPAN


def assign(*, source: Source, entries: list) -> Assignment:
    """Sign the feed's new entries and find the story of each (call inside the feed's
    transaction, before the entries are inserted). One query for all candidates."""
    result = Assignment()
    if not entries:
        return result
    # Titles first, and the texts of a sample: the source's common words are learnt
    # from them. An excerpt is only compared when its title has band keys of its own
    # words (a title that is a template and a number is only looked up by its exact
    # title): the other texts are not tokenised at all.
    sample = entries[: signatures.COMMON_SAMPLE]
    _tokenise_titles(entries)
    _tokenise_texts(sample)
    common = learn_common_tokens(source, sample)
    _band(entries, common)
    _tokenise_texts([e for e in entries[len(sample) :] if len(e.bands) == LSH_BANDS])
    with_bands = [e for e in entries if e.bands]
    if not with_bands:
        return result
    per_band: list[set[int]] = [set() for _ in range(LSH_BANDS)]
    for entry in with_bands:
        for band, key in enumerate(entry.bands):
            per_band[band].add(key)
    low = min(e.published_at for e in with_bands) - WINDOW
    high = max(e.published_at for e in with_bands) + WINDOW
    candidates = _candidates(source.pk, per_band, low, high)
    if not candidates:
        return result
    # Newest first: each band key keeps its PER_BAND newest items.
    index: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for cand in candidates:
        for band in range(LSH_BANDS):
            key = cand[_BANDS + band]
            if key is not None:
                bucket = index[(band, key)]
                if len(bucket) < PER_BAND:
                    bucket.append(cand)
    commons = {
        pk: signatures.split(tokens)
        for pk, tokens in Source.objects.filter(
            pk__in={c[_SOURCE] for c in candidates}
        ).values_list("pk", "common_tokens")
    }
    signed: dict[int, signatures.Signature] = {}  # candidate id -> signature, once per feed

    # Every confirmed match of each entry; the best one decides where the entry goes.
    matches: dict[str, list[tuple[float, tuple]]] = defaultdict(list)
    pending = []  # pairs whose titles leave it to the excerpts
    for entry in with_bands:
        shared: dict[int, int] = defaultdict(int)
        rows: dict[int, tuple] = {}
        for band, key in enumerate(entry.bands):
            for cand in index.get((band, key), ()):
                shared[cand[_ID]] += 1
                rows[cand[_ID]] = cand
        when = entry.published_at
        eligible = [
            cand
            for cand in rows.values()
            if abs(cand[_PUBLISHED] - when) <= WINDOW and _story_is_open(cand, when)
        ]
        eligible.sort(key=lambda c: (-shared[c[_ID]], abs(c[_PUBLISHED] - when)))
        mine = signatures.Signature.of(
            entry.title_tokens.split(), entry.text_tokens.split(), common
        )
        examined = eligible[:MAX_COMPARISONS]
        result.comparisons[entry.dedup_key] = len(examined)
        for cand in examined:
            theirs = signed.get(cand[_ID])
            if theirs is None:
                theirs = signed[cand[_ID]] = signatures.Signature.of(
                    cand[_TITLE].split(), (), commons.get(cand[_SOURCE], frozenset())
                )
            score, threshold = signatures.title_verdict(mine, theirs)
            if score and not threshold:
                matches[entry.dedup_key].append((score, cand))
            elif score:
                pending.append((entry, mine, cand, score, threshold))
    if pending:
        texts = dict(
            Item.objects.filter(pk__in={c[_ID] for _e, _m, c, _s, _t in pending}).values_list(
                "id", "text_tokens"
            )
        )
        for cand_id, text in texts.items():
            signed[cand_id].with_text(text.split())
        for entry, mine, cand, score, threshold in pending:
            combined = signatures.text_verdict(mine, signed[cand[_ID]], score, threshold)
            if combined:
                matches[entry.dedup_key].append((combined, cand))

    new_cluster_for: dict[int, list] = defaultdict(list)  # candidate id -> entries
    extras: dict[int, set[int]] = defaultdict(set)  # candidate id -> other loose matches
    joined: dict[int, int] = defaultdict(int)  # cluster id -> entries of this feed joining
    for entry in with_bands:
        found = matches.get(entry.dedup_key)
        if not found:
            continue
        # An existing story wins over a loose article (so a story does not split in
        # two when two workers stored its first articles at the same time), then the
        # best score, then the earliest article; a story this feed has filled is skipped.
        found.sort(
            key=lambda m: (m[1][_CLUSTER] is not None, m[0], -m[1][_PUBLISHED].timestamp()),
            reverse=True,
        )
        for _score, cand in found:
            cluster_id = cand[_CLUSTER]
            if cluster_id is None:
                new_cluster_for[cand[_ID]].append((entry, cand))
                # Other loose articles telling the same story join the new cluster too.
                extras[cand[_ID]].update(m[1][_ID] for m in found if m[1][_CLUSTER] is None)
                break
            if cand[_CLUSTER_SIZE] + joined[cluster_id] < MAX_STORY_ITEMS:
                # A late article takes the status of the story it joins.
                joined[cluster_id] += 1
                result.by_key[entry.dedup_key] = (cluster_id, cand[_CLUSTER_STATUS], None)
                result.touched.add(cluster_id)
                break

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
                status=pairs[0][1][_STATUS],
                importance=pairs[0][1][_IMPORTANCE],
                latest_published_at=pairs[0][1][_PUBLISHED],
                first_published_at=pairs[0][1][_PUBLISHED],
            )
            for cand_id, pairs in new_cluster_for.items()
        ]
    )
    mine = {cand_id: cluster.pk for cand_id, cluster in zip(cand_ids, clusters, strict=True)}
    status_of = {cand_id: pairs[0][1][_STATUS] for cand_id, pairs in new_cluster_for.items()}
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
