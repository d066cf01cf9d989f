"""Reads of articles: what a user may read, the inbox (stories matching a filter, one page
at a time), one story, one article, and the rows of the CSV export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from core.exports import Column

from ..filters import SORT_DATE, SORT_RELEVANCE, InboxFilterSet
from ..models import Annotation, Importance, Item
from ..permissions import can_read
from .search import RECHECK_BUDGET, safe_headline, uses_postgres_search

STATUS_TONES = Item.STATUS_TONES

# --- items -----------------------------------------------------------------------------


def items_visible_to(user) -> QuerySet[Item]:
    """Every article for the reader roles (unit-wide public information), none otherwise."""
    if not can_read(user):
        return Item.objects.none()
    return Item.objects.all()


def inbox_filterset(*, user, data) -> InboxFilterSet:
    return InboxFilterSet(data=data, queryset=items_visible_to(user))


@dataclass
class StoryRow:
    """One inbox row: a story (or a lone article), shown through one of its articles."""

    item: Item
    rank: float | None = None
    title_html: SafeString | None = None
    snippet_html: SafeString | None = None

    @cached_property
    def urls(self) -> dict[str, str]:
        pk = self.item.pk
        return {
            "detail": reverse("veille:item_detail", args=[pk]),
            "triage": reverse("veille:triage", args=[pk]),
            "tags": reverse("veille:tag_menu", args=[pk]),
            "story": reverse("veille:story", args=[pk]),
        }

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.item.status, "neutral")

    @property
    def cluster(self):
        return self.item.cluster

    @property
    def source_count(self) -> int:
        cluster = self.item.cluster
        return cluster.source_count if cluster else 1

    @property
    def item_count(self) -> int:
        cluster = self.item.cluster
        return cluster.item_count if cluster else 1

    @property
    def source_names(self) -> list[str]:
        cluster = self.item.cluster
        if cluster and cluster.source_names:
            return list(cluster.source_names)
        return [self.item.source.name]

    @property
    def status(self) -> str:
        return self.item.status

    @property
    def importance(self) -> int:
        cluster = self.item.cluster
        return max(self.item.importance, cluster.importance if cluster else 0)

    @property
    def importance_label(self) -> str:
        return Importance(self.importance).label


@dataclass
class InboxResult:
    rows: list[StoryRow]
    page: Page
    total: int
    truncated: bool
    query: str
    sort: str
    candidates: int = 0
    # Set when phrases or exclusions were only checked among the newest articles
    # holding the query's words (how many were checked).
    examined: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        return [row.item.pk for row in self.rows]


def candidate_limit() -> int:
    return settings.VEILLE_SEARCH_CANDIDATES


# The newest matching articles are looked for in these successive windows (days back
# from now). One UNION ALL query: PostgreSQL stops as soon as the first windows have
# given enough rows, so a common word only touches the last days, and a rare one is
# found through the GIN index in every window.
SEARCH_WINDOWS_DAYS = (7, 30, 120, 365)


def _windows(lower, upper, now) -> list[tuple[datetime | None, datetime | None]]:
    edges = [now - timedelta(days=d) for d in SEARCH_WINDOWS_DAYS]
    windows, newer = [], None
    for edge in [*edges, None]:
        start, end = edge, newer
        newer = edge
        if lower is not None and end is not None and end <= lower:
            break
        if upper is not None and start is not None and start >= upper:
            continue
        windows.append((start, end))
    return windows


# Bounds of the oldest and the newest window (the windows always have both).
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass
class Matches:
    """The newest matching articles: (pk, cluster_id, published_at), newest first."""

    rows: list[tuple]
    # Phrases and exclusions: the number of articles holding the query's words that
    # were checked, when older ones were left unchecked (fewer than `limit` matched).
    examined: int = 0


def _stream(qs, branches: list[Q | None], limit: int, lower, upper, columns) -> tuple[str, list]:
    """SQL of the rows of `qs` matching one of `branches` (None: no further condition),
    newest first: a UNION ALL over the date windows (newest first), each window the
    newest `limit` rows of the UNION of the branches in it.

    Every branch is a plain AND (one GIN index, the date range, the filters), which
    PostgreSQL answers by AND-ing the index bitmaps: only the matching rows of a window
    are read, and the windows after the first ones that give enough rows never run.
    """
    # Each branch is compiled once, its date range as two parameters: the windows only
    # change their values (compiling 5 windows × 4 branches through the ORM cost more
    # than running them).
    compiled = []
    for branch in branches:
        part = qs if branch is None else qs.filter(branch)
        part = part.filter(published_at__gte=_EARLIEST, published_at__lt=_LATEST)
        part = part.order_by("-published_at", "-id").values_list(*columns)[:limit]
        sql, part_params = part.query.sql_with_params()
        part_params = list(part_params)
        compiled.append(
            (sql, part_params, part_params.index(_EARLIEST), part_params.index(_LATEST))
        )
    windows, params = [], []
    for start, end in _windows(lower, upper, timezone.now()):
        parts = []
        for sql, part_params, low, high in compiled:
            window_params = list(part_params)
            window_params[low] = start or _EARLIEST
            window_params[high] = end or _LATEST
            parts.append(f"({sql})")
            params.extend(window_params)
        if len(parts) == 1:
            windows.append(parts[0])
        else:
            # Columns by position: 3 = published_at, 1 = id. The parts are SQL compiled
            # by Django (values bound as parameters); only integers are formatted in.
            union = " UNION ALL ".join(parts)
            windows.append(
                f"(SELECT * FROM ({union}) w ORDER BY 3 DESC, 1 DESC LIMIT {limit:d})"  # noqa: S608
            )
    return " UNION ALL ".join(windows), params


def _newest(qs, branches: list[Q | None], limit: int, lower, upper) -> list[tuple]:
    """(pk, cluster_id, published_at) of the newest `limit` rows of `qs` matching one of
    `branches` (None: no further condition), newest first (see ``_stream``)."""
    columns = ("pk", "cluster_id", "published_at")
    if not branches:
        return []
    if not uses_postgres_search():
        if None not in branches:
            condition = Q(pk__in=[])
            for branch in branches:
                condition |= branch
            qs = qs.filter(condition)
        return list(qs.order_by("-published_at", "-id").values_list(*columns)[:limit])
    stream, params = _stream(qs, branches, limit, lower, upper, columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({stream}) newest LIMIT {limit:d}", params)  # noqa: S608
        rows = cursor.fetchall()
    rows.sort(key=lambda r: (r[2], r[0]), reverse=True)
    return rows


def _newest_checked(qs, compiled, limit: int, budget: int, lower, upper) -> Matches:
    """The newest `limit` rows among the newest `budget` found by the indexes (words of
    the phrases, no exclusions) that pass the whole query, checked row by row in the
    order they come: the check stops as soon as `limit` rows passed."""
    columns = ("pk", "cluster_id", "published_at", "language", "search_vector")
    branches = compiled.branches(index=True)
    if not branches:
        return Matches(rows=[])
    stream, stream_params = _stream(qs, branches, budget, lower, upper, columns)
    # The check, compiled against the stream's columns (named as the table's).
    check = Item.objects.filter(compiled.recheck_condition()).query
    check_sql, check_params = check.get_compiler(connection=connection).compile(check.where)
    # `pos` numbers the candidates as they come; the last one of the budget is returned
    # even when it fails, to tell that the budget was used up.
    sql = (
        "SELECT pk, cluster_id, published_at, ok, pos FROM ("  # noqa: S608 - compiled by Django
        f"SELECT pk, cluster_id, published_at, pos, ({check_sql}) AS ok FROM ("
        f"SELECT s.*, row_number() OVER () AS pos FROM ("
        f"SELECT * FROM ({stream}) w LIMIT {budget:d}) s) AS {Item._meta.db_table}"
        f") checked WHERE ok OR pos = {budget:d} LIMIT {limit + 1:d}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*check_params, *stream_params])
        fetched = cursor.fetchall()
    rows = sorted(((r[0], r[1], r[2]) for r in fetched if r[3]), key=lambda r: (r[2], r[0]))
    rows = rows[::-1][:limit]
    exhausted = len(rows) < limit and any(r[4] == budget for r in fetched)
    return Matches(rows=rows, examined=budget if exhausted else 0)


def newest_matches(filterset: InboxFilterSet, limit: int) -> Matches:
    """The newest `limit` matching articles, in a bounded amount of work.

    One windowed statement (see ``_stream``) on what the full-text indexes can decide.
    Phrases and exclusions cannot be decided by an index: for the languages whose parse
    has them, the indexes look for the query's words only, and the phrases and
    exclusions are checked on the rows found, newest first, until `limit` passed or
    ``RECHECK_BUDGET`` were checked — never on every article holding the words.
    """
    lower, upper = filterset.published_bounds()
    compiled = filterset.compiled_query if filterset.query else None
    if compiled is None:
        return Matches(rows=_newest(filterset.qs, [None], limit, lower, upper))
    base = filterset.qs_without_query
    if not compiled.needs_recheck:
        return Matches(rows=_newest(base, compiled.branches(index=True), limit, lower, upper))
    budget = max(limit, RECHECK_BUDGET)
    return _newest_checked(base, compiled, limit, budget, lower, upper)


def _ranks(ids: list[int], compiled) -> dict[int, float]:
    if not ids:
        return {}
    return dict(
        Item.objects.filter(pk__in=ids).annotate(rank=compiled.rank()).values_list("pk", "rank")
    )


def _page_items(ids, *, compiled, with_tags: bool = True) -> dict[int, Item]:
    qs = (
        Item.objects.filter(pk__in=ids)
        .select_related("source", "cluster")
        .defer("content", "summary", "search_vector", "title_tokens")
    )
    if with_tags:
        qs = qs.prefetch_related("themes", "countries")
    if compiled is not None:
        qs = qs.annotate(
            title_hl=compiled.headline("title", whole=True),
            snippet_hl=compiled.headline("excerpt"),
        )
    return {item.pk: item for item in qs}


def inbox_stories(
    *,
    filterset: InboxFilterSet,
    sort: str = "",
    page_number=1,
    per_page: int | None = None,
    with_tags: bool = True,
) -> InboxResult:
    """The stories matching the inbox filter, one page of them, in a constant number of
    queries whatever the size of the corpus.

    The newest ``VEILLE_SEARCH_CANDIDATES`` matching articles are read (one bounded query,
    see ``newest_matches``), ranked against the text query if there is one (one query on
    those rows only), then grouped by story: a story appears once, through its best (or
    newest) matching article. Only the rows of the displayed page are loaded in full,
    with their highlighted snippets, and (`with_tags`) their themes and countries.
    """
    per_page = per_page or settings.PAGINATE_BY
    query = filterset.query
    if sort not in (SORT_RELEVANCE, SORT_DATE):
        sort = SORT_RELEVANCE if query else SORT_DATE
    if not query:
        sort = SORT_DATE
    limit = candidate_limit()
    compiled = filterset.compiled_query if query else None
    found = newest_matches(filterset, limit) if filterset.is_valid() else Matches(rows=[])
    matches = found.rows
    ranked = compiled is not None and sort == SORT_RELEVANCE
    ranks = _ranks([m[0] for m in matches], compiled) if ranked else {}
    rows = [(pk, cluster_id, published, ranks.get(pk)) for pk, cluster_id, published in matches]
    truncated = len(rows) >= limit
    stories = _group_by_story(rows, ranked=ranked)
    paginator = Paginator(stories, per_page)
    page = paginator.get_page(page_number)
    page_rows = list(page.object_list)
    ids = [r[0] for r in page_rows]
    items = _page_items(ids, compiled=compiled, with_tags=with_tags) if page_rows else {}
    result_rows = []
    for pk, _cluster_id, _published, rank in page_rows:
        item = items.get(pk)
        if item is None:  # deleted between the two queries
            continue
        row = StoryRow(item=item, rank=rank)
        if hasattr(item, "title_hl"):
            row.title_html = safe_headline(item.title_hl)
            row.snippet_html = safe_headline(item.snippet_hl, source=item.excerpt)
        result_rows.append(row)
    return InboxResult(
        rows=result_rows,
        page=page,
        total=paginator.count,
        truncated=truncated,
        query=query,
        sort=sort,
        candidates=len(rows),
        examined=found.examined,
    )


def _group_by_story(rows, *, ranked: bool) -> list[tuple]:
    """One entry per story: its best-ranked (or newest) article, in display order."""
    best: dict[tuple, tuple] = {}
    for row in rows:  # newest first
        pk, cluster_id = row[0], row[1]
        key = ("c", cluster_id) if cluster_id else ("i", pk)
        current = best.get(key)
        if current is None or (ranked and (row[3] or 0) > (current[3] or 0)):
            best[key] = row
    stories = list(best.values())
    if ranked:
        stories.sort(key=lambda r: (-(r[3] or 0.0), -_ts(r[2]), -r[0]))
    else:
        stories.sort(key=lambda r: (-_ts(r[2]), -r[0]))
    return stories


def _ts(value: datetime | None) -> float:
    return value.timestamp() if value else 0.0


def story_members(item: Item) -> QuerySet[Item]:
    """Every article of the item's story (the item alone when it has none), oldest first."""
    if item.cluster_id:
        qs = Item.objects.filter(cluster_id=item.cluster_id)
    else:
        qs = Item.objects.filter(pk=item.pk)
    return qs.select_related("source").defer("content", "summary", "search_vector")


def inbox_row(*, user, pk: int) -> StoryRow:
    """One row re-rendered after an action (404 outside what the user may read)."""
    item = (
        items_visible_to(user)
        .select_related("source", "cluster")
        .prefetch_related("themes", "countries")
        .defer("content", "summary", "search_vector", "title_tokens")
        .get(pk=pk)
    )
    return StoryRow(item=item)


def item_detail(*, user, pk: int) -> Item:
    return (
        items_visible_to(user)
        .select_related("source", "source__country", "cluster", "triaged_by")
        .prefetch_related(
            "themes",
            "countries",
            Prefetch(
                "annotations",
                queryset=Annotation.objects.select_related("author").order_by("created_at", "id"),
            ),
        )
        .get(pk=pk)
    )


# --- Export ---------------------------------------------------------------------------


def export_columns() -> list[Column]:
    """The columns of the inbox export (cells are made formula-safe by core.exports)."""
    from django.utils.translation import gettext as _

    def local(dt):
        return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")

    return [
        Column(_("identifiant"), lambda i: i.pk),
        Column(_("titre"), lambda i: i.title),
        Column(_("source"), lambda i: i.source.name),
        Column(_("type de source"), lambda i: i.source.get_kind_display()),
        Column(_("pays de la source"), lambda i: i.source.country.name if i.source.country else ""),
        Column(_("langue"), lambda i: i.language),
        Column(_("publié le"), lambda i: local(i.published_at)),
        Column(_("statut"), lambda i: i.get_status_display()),
        Column(_("importance"), lambda i: i.get_importance_display()),
        Column(_("thèmes"), lambda i: ", ".join(t.name for t in i.themes.all())),
        Column(_("pays"), lambda i: ", ".join(c.name for c in i.countries.all())),
        Column(_("sujet"), lambda i: i.cluster_id or ""),
        Column(_("sources du sujet"), lambda i: i.cluster.source_count if i.cluster else 1),
        Column(_("annotations"), lambda i: i.annotation_count),
        Column(_("adresse"), lambda i: i.url),
    ]


def export_items(filterset: InboxFilterSet, *, chunk_size: int = 2000):
    """Every article matching the inbox filter (not just one page), read in chunks."""
    if not filterset.is_valid():
        return
    qs = (
        filterset.qs.select_related("source", "source__country", "cluster")
        .prefetch_related("themes", "countries")
        .defer("content", "summary", "search_vector", "title_tokens", "excerpt")
        .order_by("-published_at", "-id")
    )
    yield from qs.iterator(chunk_size=chunk_size)
