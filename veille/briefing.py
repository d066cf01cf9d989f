"""What the veille contributes to the monthly briefing (registered in `extensions.py`).

- **Highlights** (`veille.highlights`): the articles of the period marked relevant or
  important (importance "Importante" or "Majeure"), never discarded ones, one entry per
  story (a cluster, or a lone article) with every source that told it in the period;
  grouped by theme (each story once, under its first theme), then a table by country,
  and two charts (stories per theme, per country). Feed articles are public information:
  both audiences get them; annotations (internal remarks) are never shown.
- **Analysis notes** (`veille.notes`): notes published in the period; a partners edition
  only lists the notes written for partners.

Each builds with a handful of queries whatever the number of articles.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import bar_chart
from core.extensions import BriefingPart, BriefingPeriod, BriefingSection
from core.markdown import markdown_plain
from core.models import Country, Theme

from .models import AnalysisNote, Importance, Item, TriageStatus
from .selectors import items_visible_to, notes_visible_to

CHART_ROWS = 12
SOURCES_SHOWN = 6
NOTE_EXCERPT = 420


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, end + 1 day 00:00) in the local time zone."""
    tz = timezone.get_current_timezone()
    low = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    high = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz
    )
    return low, high


def highlighted(user, start: datetime.date, end: datetime.date):
    """Articles published in [start, end] marked relevant or important, not discarded."""
    low, high = _bounds(start, end)
    # Feed articles are public information: a scheduled edition nobody answers for
    # (user None) still lists them.
    items = items_visible_to(user) if user is not None else Item.objects.all()
    return (
        items.filter(published_at__gte=low, published_at__lt=high)
        .exclude(status=TriageStatus.DISCARDED)
        .filter(Q(status=TriageStatus.RELEVANT) | Q(importance__gte=Importance.HIGH))
    )


@dataclass
class Story:
    key: str
    lead: Item
    items: list[Item] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)

    @property
    def importance(self) -> int:
        return max(item.importance for item in self.items)

    @property
    def importance_label(self) -> str:
        return str(Importance(self.importance).label) if self.importance else ""

    @property
    def published_at(self) -> datetime.datetime:
        return min(item.published_at for item in self.items)

    @property
    def sources_shown(self) -> str:
        return ", ".join(self.sources[:SOURCES_SHOWN])

    @property
    def sources_more(self) -> int:
        return max(0, len(self.sources) - SOURCES_SHOWN)


def stories_of(user, start: datetime.date, end: datetime.date) -> list[Story]:
    """One entry per story, most important first, then the newest (four queries)."""
    items = list(
        highlighted(user, start, end)
        .select_related("source")
        .prefetch_related("themes", "countries")
        .only(
            "pk", "title", "url", "language", "published_at", "importance", "status",
            "cluster_id", "is_cluster_lead", "source__name",
        )
        .order_by("published_at", "pk")
    )  # fmt: skip
    stories: dict[str, Story] = {}
    for item in items:
        key = f"c{item.cluster_id}" if item.cluster_id else f"i{item.pk}"
        story = stories.get(key)
        if story is None:
            story = stories[key] = Story(key=key, lead=item)
        story.items.append(item)
        if (item.importance, item.is_cluster_lead) > (
            story.lead.importance,
            story.lead.is_cluster_lead,
        ):
            story.lead = item
    # Every source that told each story in the period (one query for all clusters).
    low, high = _bounds(start, end)
    cluster_ids = [s.lead.cluster_id for s in stories.values() if s.lead.cluster_id]
    told: dict[int, list[str]] = {}
    if cluster_ids:
        rows = (
            Item.objects.filter(
                cluster_id__in=cluster_ids, published_at__gte=low, published_at__lt=high
            )
            .exclude(status=TriageStatus.DISCARDED)
            .values_list("cluster_id", "source__name")
            .order_by("cluster_id", "published_at", "pk")
        )
        for cluster_id, name in rows:
            names = told.setdefault(cluster_id, [])
            if name not in names:
                names.append(name)
    for story in stories.values():
        names = told.get(story.lead.cluster_id) if story.lead.cluster_id else None
        if not names:
            names = []
            for item in story.items:
                if item.source.name not in names:
                    names.append(item.source.name)
        story.sources = names
        themes = {t.pk: t for item in story.items for t in item.themes.all()}
        countries = {c.pk: c for item in story.items for c in item.countries.all()}
        story.themes = sorted(themes.values(), key=lambda t: (t.position, t.name_fr))
        story.countries = sorted(countries.values(), key=lambda c: c.name)
    return sorted(stories.values(), key=lambda s: (-s.importance, -s.published_at.timestamp()))


def _highlights(period: BriefingPeriod) -> BriefingPart:
    stories = stories_of(period.user, period.start, period.end)
    by_theme: dict[int | None, list[Story]] = {}
    themes: dict[int, Theme] = {}
    for story in stories:
        main = story.themes[0] if story.themes else None
        if main is not None:
            themes[main.pk] = main
        by_theme.setdefault(main.pk if main else None, []).append(story)
    theme_groups = [
        (themes[pk], by_theme[pk])
        for pk in sorted(
            (pk for pk in by_theme if pk is not None),
            key=lambda pk: (-len(by_theme[pk]), themes[pk].position),
        )
    ]
    without_theme = by_theme.get(None, [])

    by_country: dict[int, dict] = {}
    for story in stories:
        for country in story.countries:
            row = by_country.setdefault(
                country.pk, {"country": country, "stories": 0, "important": 0, "top": story}
            )
            row["stories"] += 1
            row["important"] += story.importance >= Importance.HIGH
    country_rows = sorted(by_country.values(), key=lambda r: (-r["stories"], r["country"].name))

    charts = []
    if theme_groups or without_theme:
        counted = [(t.name, len(group)) for t, group in theme_groups]
        if without_theme:
            counted.append((_("Sans thème"), len(without_theme)))
        counted = counted[:CHART_ROWS]
        charts.append(
            bar_chart(
                title=_("Sujets retenus par thème"),
                description=_(
                    "Nombre de sujets (un sujet regroupe les articles qui racontent la même "
                    "histoire) marqués pertinents ou importants sur la période, par thème "
                    "principal."
                ),
                labels=[label for label, _n in counted],
                values=[n for _label, n in counted],
                value_header=_("Sujets"),
            )
        )
    if country_rows:
        top = country_rows[:CHART_ROWS]
        charts.append(
            bar_chart(
                title=_("Sujets retenus par pays"),
                description=_(
                    "Nombre de sujets pertinents ou importants de la période qui concernent "
                    "chaque pays (un sujet peut concerner plusieurs pays)."
                ),
                labels=[row["country"].name for row in top],
                values=[row["stories"] for row in top],
                value_header=_("Sujets"),
            )
        )

    previous_start, previous_end = period.previous
    previous_items = highlighted(period.user, previous_start, previous_end)
    previous_stories = (
        previous_items.exclude(cluster__isnull=True).values("cluster_id").distinct().count()
        + previous_items.filter(cluster__isnull=True).count()
    )
    items_now = sum(len(s.items) for s in stories)
    return BriefingPart(
        template="veille/briefing/highlights.html",
        context={
            "stories_count": len(stories),
            "items_count": items_now,
            "theme_groups": theme_groups,
            "without_theme": without_theme,
            "country_rows": country_rows,
            "charts": charts,
        },
        figures=[
            (_("Sujets retenus par la veille"), len(stories), previous_stories),
            (_("Articles pertinents ou importants"), items_now, previous_items.count()),
        ],
    )


def published_notes(user, start: datetime.date, end: datetime.date, audience: str):
    low, high = _bounds(start, end)
    visible = notes_visible_to(user) if user is not None else AnalysisNote.objects.all()
    notes = visible.filter(
        status=AnalysisNote.Status.PUBLISHED, published_at__gte=low, published_at__lt=high
    )
    if audience != AnalysisNote.Audience.INTERNAL:
        notes = notes.filter(audience=AnalysisNote.Audience.PARTNERS)
    return notes


HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.MULTILINE)
CITATION = re.compile(r"\s*\[@\d+\]")


def note_excerpt(body: str) -> str:
    """The start of a note's text: no headings, no citation markers, no markup."""
    text = CITATION.sub("", HEADING_LINE.sub("", body or ""))
    return markdown_plain(text, limit=NOTE_EXCERPT)


def _notes(period: BriefingPeriod) -> BriefingPart:
    notes = list(
        published_notes(period.user, period.start, period.end, period.audience)
        .select_related("author")
        .prefetch_related("themes", "countries")
        .order_by("published_at", "pk")
    )
    for note in notes:
        note.excerpt = note_excerpt(note.body)
    previous_start, previous_end = period.previous
    previous = published_notes(period.user, previous_start, previous_end, period.audience).count()
    return BriefingPart(
        template="veille/briefing/notes.html",
        context={"notes": notes},
        figures=[(_("Notes d'analyse publiées"), len(notes), previous)],
    )


HIGHLIGHTS = BriefingSection(
    key="veille.highlights",
    title=gettext_lazy("Veille : faits marquants"),
    build=_highlights,
    order=20,
)
NOTES = BriefingSection(
    key="veille.notes",
    title=gettext_lazy("Notes d'analyse publiées"),
    build=_notes,
    order=25,
)
