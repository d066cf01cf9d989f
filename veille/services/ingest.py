"""Fetch one source and write its items: the work of a feed worker.

Per feed, whatever its size: one query for the existing keys, one query for the
clustering candidates, one COPY for new items (ids drawn from the sequence first; the
search vectors are computed by a trigger in the same statement) plus one insert per M2M,
one ``bulk_update`` for changed ones, a few statements for the clusters it touched, one
UPDATE of the source. Everything for a feed is written in one transaction: an error leaves no
half-written item. Failures are recorded on the source in plain words and the source is
rescheduled with an exponential backoff; it is never disabled silently.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext, pgettext

from ..fetcher import FetchResult, fetcher
from ..models import LSH_BANDS, Item, Source
from ..parsing import ParseError, parse_feed
from . import clustering

logger = logging.getLogger(__name__)

MIN_INTERVAL = 15 * 60
MAX_INTERVAL = 24 * 3600
BACKOFF_BASE = 15 * 60
BACKOFF_CAP = 24 * 3600
RETRY_AFTER_CAP = 7 * 24 * 3600
BATCH = 1000
UPDATED_FIELDS = [
    "guid", "url", "title", "summary", "content", "excerpt", "author", "language",
    "content_hash", "changed_at", "title_tokens", "text_tokens", "lsh0", "lsh1", "lsh2",
    "lsh3", "lsh4", "lsh5",
]  # fmt: skip

# PostgreSQL text search configuration per content language. French, English and the
# others go through `unaccent` first (configurations of migration 0007), so accents never
# matter; Arabic, Italian, Spanish, German and Portuguese use PostgreSQL's own. Keep in
# step with the vector function of migration 0007.
SEARCH_CONFIGS = {
    "fr": "veille_french",
    "en": "veille_english",
    "ar": "arabic",
    "it": "italian",
    "es": "spanish",
    "de": "german",
    "pt": "portuguese",
}
SEARCH_FALLBACK_CONFIG = "veille_simple"


@dataclass
class IngestReport:
    url: str
    status: int | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[dict] = field(default_factory=list)
    error_code: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "url": self.url,
            "status": self.status,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error": f"{self.error_code}: {self.error}".strip(": ") if self.error_code else None,
        }


def update_search_vectors(ids: list[int]) -> None:
    """Recompute `search_vector` for these items, one statement per batch (PostgreSQL).

    Rows written normally get their vector from the trigger of migration 0007; this is
    for backfills (the same SQL function).
    """
    if not ids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            cursor.execute(
                "UPDATE veille_item SET search_vector = "
                "veille_item_vector(language, title, excerpt, content) WHERE id = ANY(%s)",
                [ids[start : start + 5000]],
            )


# --- scheduling ---------------------------------------------------------------------------


def _jitter(seconds: float) -> int:
    return int(seconds * random.uniform(0.9, 1.1))  # noqa: S311 - spreading load, not crypto


def adaptive_interval(dates: list[datetime], now: datetime) -> int:
    """Seconds until the next fetch from the publishing rate of the last week."""
    week = [d for d in dates if now - d <= timedelta(days=7)]
    if not week:
        return MAX_INTERVAL
    interval = 7 * 24 * 3600 / len(week)
    return int(min(MAX_INTERVAL, max(MIN_INTERVAL, interval)))


def backoff_seconds(failures: int) -> int:
    return int(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, failures - 1)))


# --- the work ---------------------------------------------------------------------------


def ingest_source(source: Source, *, claim_token: str = "") -> IngestReport:
    """Fetch `source` once, write its items, record the outcome and the next fetch."""
    now = timezone.now()
    report = IngestReport(url=source.feed_url)
    result = fetcher().fetch(source.feed_url, etag=source.etag, last_modified=source.last_modified)
    report.status = result.status
    if not result.ok:
        report.error_code, report.error = result.error_code, result.error_detail
        _record_failure(source, result, now, claim_token)
        return report
    if result.not_modified:
        _record_success(
            source, result, now, claim_token, outcome=Source.Outcome.NOT_MODIFIED, report=report
        )
        return report
    try:
        parsed = parse_feed(
            result.body,
            content_type=result.content_type,
            feed_url=result.final_url or source.feed_url,
            source_language=source.language,
            now=now,
        )
    except ParseError as exc:
        report.error_code, report.error = exc.code, exc.detail
        result.error_code, result.error_detail = exc.code, exc.detail
        _record_failure(source, result, now, claim_token)
        return report
    del result.body
    report.skipped = parsed.skipped
    report.warnings = parsed.warnings
    try:
        with transaction.atomic():
            _write_items(source, parsed.entries, now, report)
            _record_success(
                source,
                result,
                now,
                claim_token,
                outcome=Source.Outcome.OK,
                report=report,
                dates=parsed.entry_dates,
                entry_count=len(parsed.entries),
            )
    except Exception as exc:
        # Nothing of this feed was written (the transaction rolled back).
        logger.exception("veille: writing items of source %s failed", source.pk)
        report.new = report.updated = report.unchanged = 0
        report.error_code, report.error = "internal", type(exc).__name__
        result.error_code, result.error_detail = "internal", type(exc).__name__
        _record_failure(source, result, now, claim_token)
    return report


INSERT_COLUMNS = (
    "source_id", "dedup_key", "guid", "url", "title", "summary", "content", "excerpt",
    "author", "published_at", "published_at_guessed", "fetched_at", "language",
    "content_hash", "status", "importance", "annotation_count", "cluster_id",
    "is_cluster_lead", "title_tokens", "lsh0", "lsh1", "lsh2", "lsh3", "lsh4", "lsh5",
    "text_tokens",
)  # fmt: skip


def insert_items(rows: list[tuple]) -> list[int]:
    """Insert item rows (values in INSERT_COLUMNS order); returns their ids in order.

    PostgreSQL: ids drawn from the sequence in one query, rows streamed with COPY (the
    search-vector trigger fires for each row). Elsewhere: `bulk_create`.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [Item(**dict(zip(INSERT_COLUMNS, row, strict=True))) for row in rows]
        return [o.pk for o in Item.objects.bulk_create(objs, batch_size=BATCH)]
    table = Item._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608
            "FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(("id", *INSERT_COLUMNS))
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row))
    return ids


def existing_keys(source_id: int, keys: list[str]) -> dict[str, tuple[int, str]]:
    """{dedup_key: (id, content_hash)} of the source's items among `keys`."""
    if connection.vendor == "postgresql":
        # One array parameter: a short statement whatever the size of the feed (an IN
        # list costs Django and psycopg more than the index lookup itself).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT dedup_key, id, content_hash FROM {Item._meta.db_table} "  # noqa: S608
                "WHERE source_id = %s AND dedup_key = ANY(%s::varchar[])",
                [source_id, keys],
            )
            return {key: (pk, content_hash) for key, pk, content_hash in cursor.fetchall()}
    existing = {}
    for start in range(0, len(keys), 5000):  # SQLite's limit on query parameters
        rows = Item.objects.filter(
            source_id=source_id, dedup_key__in=keys[start : start + 5000]
        ).values_list("dedup_key", "id", "content_hash")
        for key, pk, content_hash in rows:
            existing[key] = (pk, content_hash)
    return existing


def _padded(bands: list[int]) -> list[int | None]:
    return bands + [None] * (LSH_BANDS - len(bands))


def _write_items(source: Source, entries: list, now: datetime, report: IngestReport) -> None:
    if not entries:
        return
    existing = existing_keys(source.pk, [e.dedup_key for e in entries])
    new_entries = [e for e in entries if e.dedup_key not in existing]
    changed = []
    for entry in entries:
        if entry.dedup_key in existing:
            pk, content_hash = existing[entry.dedup_key]
            if content_hash != entry.content_hash:
                changed.append((pk, entry))
            else:
                report.unchanged += 1

    if new_entries:
        assignment = clustering.assign(source=source, entries=new_entries)
        theme_ids = list(source.themes.values_list("pk", flat=True))
        rows = []
        for entry in new_entries:
            cluster_id, status, _importance = assignment.by_key.get(
                entry.dedup_key, (None, None, None)
            )
            bands = _padded(entry.bands)
            rows.append(
                (
                    source.pk, entry.dedup_key, entry.guid, entry.url, entry.title,
                    entry.summary, entry.content, entry.excerpt, entry.author,
                    entry.published_at, entry.published_at_guessed, now, entry.language,
                    entry.content_hash, status or "new", 0, 0, cluster_id, cluster_id is None,
                    entry.title_tokens, *bands, entry.text_tokens,
                )
            )  # fmt: skip
        new_ids = insert_items(rows)
        report.new = len(new_ids)
        if theme_ids:
            through = Item.themes.through
            through.objects.bulk_create(
                [through(item_id=i, theme_id=t) for i in new_ids for t in theme_ids],
                batch_size=BATCH,
            )
        if source.country_id:
            through = Item.countries.through
            through.objects.bulk_create(
                [through(item_id=i, country_id=source.country_id) for i in new_ids],
                batch_size=BATCH,
            )
        if assignment.touched:
            clustering.refresh(assignment.touched)

    if changed:
        clustering.sign_changed(source=source, entries=[entry for _pk, entry in changed])
        objs = []
        for pk, entry in changed:
            objs.append(
                Item(
                    pk=pk,
                    guid=entry.guid,
                    url=entry.url,
                    title=entry.title,
                    summary=entry.summary,
                    content=entry.content,
                    excerpt=entry.excerpt,
                    author=entry.author,
                    language=entry.language,
                    content_hash=entry.content_hash,
                    changed_at=now,
                    title_tokens=entry.title_tokens,
                    text_tokens=entry.text_tokens,
                    **{f"lsh{b}": key for b, key in enumerate(_padded(entry.bands))},
                )
            )
        Item.objects.bulk_update(objs, UPDATED_FIELDS, batch_size=BATCH)
        report.updated = len(changed)
    # PostgreSQL computes the search vectors in the INSERT/UPDATE itself (trigger of
    # migration 0003): nothing more to write here.


def _record_success(
    source, result: FetchResult, now, claim_token, *, outcome, report, dates=None, entry_count=None
):
    if dates is not None:
        interval = adaptive_interval(dates, now)
    else:
        interval = source.fetch_interval or MIN_INTERVAL
    wait = _jitter(interval)
    if result.retry_after:
        wait = max(wait, min(result.retry_after, RETRY_AFTER_CAP))
    fields = {
        "last_fetched_at": now,
        "last_success_at": now,
        "last_outcome": outcome,
        "last_status": result.status,
        "last_error_code": "",
        "last_error": "; ".join(str(w) for w in report.warnings)[:500],
        "consecutive_failures": 0,
        "fetch_interval": interval,
        "next_fetch_at": now + timedelta(seconds=wait),
        "claim_token": "",
        "claimed_until": None,
    }
    if outcome == Source.Outcome.OK:
        # Learnt by story clustering from the new entries (veille.services.clustering).
        fields["common_tokens"] = source.common_tokens
        fields["etag"] = result.etag
        fields["last_modified"] = result.last_modified
        fields["last_entry_count"] = entry_count or 0
        fields["last_new_count"] = report.new
    elif result.etag:
        fields["etag"] = result.etag
    if report.skipped:
        skipped = pgettext("séparateur de liste", " ; ").join(
            f"{s['title'][:60]} — {s['reason']}" for s in report.skipped[:5]
        )
        note = ngettext(
            "%(n)s article ignoré : %(list)s",
            "%(n)s articles ignorés : %(list)s",
            len(report.skipped),
        ) % {"n": len(report.skipped), "list": skipped}
        fields["last_error"] = (fields["last_error"] + " " + note).strip()[:500]
    _update_source(source, claim_token, fields)


def _record_failure(source, result: FetchResult, now, claim_token):
    failures = source.consecutive_failures + 1
    delay = _jitter(backoff_seconds(failures))
    if result.retry_after:
        # The server said when to come back: never earlier (and never jittered below).
        delay = max(delay, min(result.retry_after, RETRY_AFTER_CAP))
    fields = {
        "last_fetched_at": now,
        "last_outcome": Source.Outcome.ERROR,
        "last_status": result.status,
        "last_error_code": result.error_code[:40],
        "last_error": result.error_detail[:500],
        "consecutive_failures": F("consecutive_failures") + 1,
        "next_fetch_at": now + timedelta(seconds=delay),
        "claim_token": "",
        "claimed_until": None,
    }
    _update_source(source, claim_token, fields)


def _update_source(source, claim_token, fields):
    rows = Source.objects.filter(pk=source.pk)
    if claim_token:
        # Only while the claim is still ours (a worker that overran its lease must not
        # overwrite the state written by the one that took the source over).
        rows = rows.filter(claim_token=claim_token)
    rows.update(**fields)
    for name, value in fields.items():
        if not hasattr(value, "resolve_expression"):
            setattr(source, name, value)
    if "consecutive_failures" in fields and hasattr(
        fields["consecutive_failures"], "resolve_expression"
    ):
        source.consecutive_failures += 1
