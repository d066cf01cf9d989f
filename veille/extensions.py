"""What veille contributes to the other apps: its navigation section and badge, dashboard
cards (inbox, alerts, failing sources, recent notes, articles per theme over 12 weeks),
header-search results (articles, notes), demo content, the analysis-note PDF and two
sections of the monthly briefing (highlights, published notes: `veille/briefing.py`).

Every card's number is the count of the list it links to, computed by that list's own
selector (the inbox card runs the inbox's query), so the two never disagree.
"""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.charts import Series, stacked_bar_chart
from core.extensions import (
    Card,
    Citation,
    NavSection,
    PdfDocument,
    SearchResult,
    Seeder,
    card_rows,
    citations,
    dashboard_cards,
    register,
    search_results,
)
from core.memo import remember
from core.permissions import is_reader

from . import briefing, demo, selectors, services
from .filters import inbox_data
from .models import NOTE_PDF, Item, Source
from .permissions import can_manage_sources, can_read, can_write_notes
from .selectors.search import text_match

CARD_ROWS = 5
CHART_THEMES = 6


def _note_for(user, job):
    return selectors.notes_visible_to(user).filter(pk=job.object_id).first()


def _note_pdf_filename(job) -> str:
    stamp = timezone.localtime(job.finished_at or timezone.now()).strftime("%Y%m%d")
    return f"note-analyse-{job.object_id}-{stamp}.pdf"


register(
    NavSection(
        key="veille",
        label=gettext_lazy("Veille"),
        url_name="veille:inbox",
        visible=is_reader,
        order=30,
        badge=selectors.nav_badge,
        badge_label=gettext_lazy("nouvelles alertes"),
    ),
    Seeder(key="veille", seed=demo.seed, order=20),
    PdfDocument(
        kind=NOTE_PDF,
        render=services.note_pdf_render,
        target=_note_for,
        filename=_note_pdf_filename,
        request_url=lambda job: reverse("veille:note_pdf", args=[job.object_id]),
        outdated=lambda job, note: bool(job.finished_at and note.updated_at > job.finished_at),
    ),
    briefing.HIGHLIGHTS,
    briefing.NOTES,
)


# --- Dashboard cards ------------------------------------------------------------------------


@dashboard_cards
def cards(request) -> list[Card]:
    user = request.user
    if not can_read(user):
        return []
    return [
        _inbox_card(user),
        _alerts_card(user),
        _failing_sources_card(user),
        _notes_card(user),
        _themes_chart_card(),
    ]


def _inbox_card(user) -> Card:
    """The inbox's own first page (new stories, newest first), five rows long."""
    result = selectors.inbox_stories(
        filterset=selectors.inbox_filterset(user=user, data=inbox_data({})),
        page_number=1,
        per_page=CARD_ROWS,
        with_tags=False,  # the card shows titles and sources only
    )
    return Card(
        key="veille.inbox",
        title=_("Veille : sujets à trier"),
        template="veille/cards/inbox.html",
        context={
            "count": result.total,
            "items": [row.item for row in result.rows],
            "truncated": result.truncated,
        },
        order=10,
        width=6,
        link_url=reverse("veille:inbox"),
        link_label=_("Ouvrir la boîte de réception"),
        count=result.total,
    )


def _alerts_card(user) -> Card:
    unread, count = card_rows(selectors.alerts_of(user).filter(read_at__isnull=True), CARD_ROWS)
    remember(user, selectors.UNREAD_ALERTS, count)  # the navigation badge shows it too
    return Card(
        key="veille.alerts",
        title=_("Alertes de veille"),
        template="veille/cards/alerts.html",
        context={"count": count, "alerts": unread},
        order=20,
        width=6,
        link_url=reverse("veille:alerts") + "?unread=true",
        link_label=_("Voir les alertes non lues"),
        count=count,
    )


def _failing_sources_card(user) -> Card:
    """The failing sources (the list's own filter), worst first, and how many sources are
    active at all, so that "all answer" is never said when none is fetched (one query)."""
    failing = Source.objects.failing_condition()
    rows = list(
        selectors.sources_for(user)
        .annotate(
            failing_total=Window(Count("pk", filter=failing)),
            active_total=Window(Count("pk", filter=Q(active=True))),
            failing_now=ExpressionWrapper(failing, output_field=BooleanField()),
        )
        .order_by(F("failing_now").desc(), "-consecutive_failures", "name")[:CARD_ROWS]
    )
    count = rows[0].failing_total if rows else 0
    return Card(
        key="veille.failing_sources",
        title=_("Sources en échec"),
        template="veille/cards/failing_sources.html",
        context={
            "count": count,
            "sources": [source for source in rows if source.failing_now],
            "active": rows[0].active_total if rows else 0,
            "known": bool(rows),
            "can_manage": can_manage_sources(user),
        },
        order=60,
        width=6,
        link_url=reverse("veille:sources") + "?state=failing",
        link_label=_("Voir les sources en échec"),
        count=count,
    )


def _notes_card(user) -> Card:
    notes = list(
        selectors.notes_visible_to(user)
        .select_related("author")
        .only("pk", "title", "status", "updated_at", "author__username", "author__first_name",
              "author__last_name")
        .order_by("-updated_at", "-id")[:CARD_ROWS]
    )  # fmt: skip
    return Card(
        key="veille.notes",
        title=_("Notes d'analyse récentes"),
        template="veille/cards/notes.html",
        context={"notes": notes, "can_write": can_write_notes(user)},
        order=70,
        width=6,
        link_url=reverse("veille:notes"),
        link_label=_("Toutes les notes"),
    )


def _themes_chart_card() -> Card:
    weeks, data = selectors.theme_weeks()
    counts, names = data["counts"], data["names"]
    english = (get_language() or "fr").startswith("en")
    top = sorted(counts, key=lambda t: (-sum(counts[t]), t))[:CHART_THEMES]
    series = [Series(names[t][1 if english else 0], counts[t]) for t in top]
    others = [sum(counts[t][i] for t in counts if t not in top) for i in range(len(weeks))]
    if any(others):
        series.append(Series(_("Autres thèmes"), others))
    chart = stacked_bar_chart(
        title=_("Articles par thème, 12 semaines"),
        description=_(
            "Nombre d'articles de veille (hors écartés) par semaine, empilés par thème : les "
            "six thèmes les plus présents, puis les autres."
        ),
        categories=[w.strftime("%d/%m") for w in weeks],
        series=series,
        category_header=_("Semaine du"),
    )
    return Card(
        key="veille.themes_chart",
        title=_("Articles par thème, 12 semaines"),
        template="veille/cards/themes_chart.html",
        context={"chart": chart, "empty": not series},
        order=80,
        width=6,
        link_url=reverse("veille:inbox") + "?status=relevant",
        link_label=_("Articles pertinents"),
    )


# --- What cites an article ---------------------------------------------------------------


@citations(Item)
def notes_citing_item(item, user) -> list[Citation]:
    """The analysis notes citing an article that this user may read."""
    return [
        Citation(
            kind=_("Note d'analyse"),
            title=note.title,
            url=reverse("veille:note_detail", args=[note.pk]),
            when=note.updated_at,
            status=note.get_status_display(),
        )
        for note in selectors.notes_citing(item, user)[:20]
    ]


# --- Header search --------------------------------------------------------------------------


@search_results
def search(user, query: str, limit: int) -> list[SearchResult]:
    """Articles (the inbox's own text match) and notes, for the readers who see them."""
    query = (query or "").strip()
    if not query or not can_read(user):
        return []
    items = (
        selectors.items_visible_to(user)
        .filter(text_match(query))
        .select_related("source")
        .only("pk", "title", "published_at", "source__name")
        .order_by("-published_at", "-id")[:limit]
    )
    results = [
        SearchResult(
            kind=_("Articles de veille"),
            title=item.title,
            url=reverse("veille:item_detail", args=[item.pk]),
            snippet=item.source.name,
            when=item.published_at,
            ref=f"veille.item:{item.pk}",
        )
        for item in items
    ]
    notes = selectors.notes_visible_to(user).filter(
        Q(title__icontains=query) | Q(body__icontains=query)
    )
    results += [
        SearchResult(
            kind=_("Notes d'analyse"),
            title=note.title,
            url=reverse("veille:note_detail", args=[note.pk]),
            snippet=note.get_status_display(),
            when=note.updated_at,
            ref=f"veille.analysisnote:{note.pk}",
        )
        for note in notes.only("pk", "title", "status", "updated_at").order_by("-updated_at")[
            :limit
        ]
    ]
    return results
