"""Reads of articles: what a user may read, the inbox (stories matching a filter, one page
at a time), one story, one article, and the rows of the CSV export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from core.exports import Column

from ..filters import SORT_DATE, SORT_RELEVANCE, InboxFilterSet
from ..models import Annotation, Importance, Item
from ..permissions import can_read
from .search import safe_headline, uses_postgres_search

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


def newest_matches(filterset: InboxFilterSet, limit: int) -> list[tuple]:
    """(pk, cluster_id, published_at) of the newest `limit` matching articles, newest first."""
    qs = filterset.qs.order_by("-published_at", "-id")
    columns = ("pk", "cluster_id", "published_at")
    if not uses_postgres_search():
        return list(qs.values_list(*columns)[:limit])
    lower, upper = filterset.published_bounds()
    parts = []
    for start, end in _windows(lower, upper, timezone.now()):
        part = qs
        if start is not None:
            part = part.filter(published_at__gte=start)
        if end is not None:
            part = part.filter(published_at__lt=end)
        parts.append(part.values_list(*columns)[:limit])
    if len(parts) == 1:
        return list(parts[0])
    rows = list(parts[0].union(*parts[1:], all=True)[:limit])
    rows.sort(key=lambda r: (r[2], r[0]), reverse=True)
    return rows


def _ranks(ids: list[int], compiled) -> dict[int, float]:
    if not ids:
        return {}
    return dict(
        Item.objects.filter(pk__in=ids).annotate(rank=compiled.rank()).values_list("pk", "rank")
    )


def _page_items(ids, *, compiled) -> dict[int, Item]:
    qs = (
        Item.objects.filter(pk__in=ids)
        .select_related("source", "cluster")
        .prefetch_related("themes", "countries")
        .defer("content", "summary", "search_vector", "title_tokens")
    )
    if compiled is not None:
        qs = qs.annotate(
            title_hl=compiled.headline("title", whole=True),
            snippet_hl=compiled.headline("excerpt"),
        )
    return {item.pk: item for item in qs}


def inbox_stories(
    *, filterset: InboxFilterSet, sort: str = "", page_number=1, per_page: int | None = None
) -> InboxResult:
    """The stories matching the inbox filter, one page of them, in a constant number of
    queries whatever the size of the corpus.

    The newest ``VEILLE_SEARCH_CANDIDATES`` matching articles are read (one bounded query,
    see ``newest_matches``), ranked against the text query if there is one (one query on
    those rows only), then grouped by story: a story appears once, through its best (or
    newest) matching article. Only the rows of the displayed page are loaded in full,
    with their highlighted snippets.
    """
    per_page = per_page or settings.PAGINATE_BY
    query = filterset.query
    if sort not in (SORT_RELEVANCE, SORT_DATE):
        sort = SORT_RELEVANCE if query else SORT_DATE
    if not query:
        sort = SORT_DATE
    limit = candidate_limit()
    compiled = filterset.compiled_query if query else None
    matches = newest_matches(filterset, limit) if filterset.is_valid() else []
    ranked = compiled is not None and sort == SORT_RELEVANCE
    ranks = _ranks([m[0] for m in matches], compiled) if ranked else {}
    rows = [(pk, cluster_id, published, ranks.get(pk)) for pk, cluster_id, published in matches]
    truncated = len(rows) >= limit
    stories = _group_by_story(rows, ranked=ranked)
    paginator = Paginator(stories, per_page)
    page = paginator.get_page(page_number)
    page_rows = list(page.object_list)
    items = _page_items([r[0] for r in page_rows], compiled=compiled) if page_rows else {}
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
