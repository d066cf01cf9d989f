"""The inbox filter (django-filter): shared by the inbox, watch rules, the CSV export and
the private RSS feeds, so a saved search means exactly what the inbox showed.

Every condition is on the article (``Item``); the inbox then groups the matching
articles by story. Relations that could multiply rows (themes, countries) are tested
with ``EXISTS`` subqueries, never joins, so no ``DISTINCT`` is needed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import cached_property

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Country, Theme

from .models import Importance, Item, Source, TriageStatus

STATUS_ALL = "all"
# The inbox opens on the stories nobody has triaged yet.
DEFAULT_STATUS = TriageStatus.NEW

SORT_RELEVANCE = "relevance"
SORT_DATE = "date"
SORT_CHOICES = [(SORT_RELEVANCE, _("pertinence")), (SORT_DATE, _("date"))]

PERIOD_CHOICES = [
    ("1d", _("24 heures")),
    ("7d", _("7 jours")),
    ("30d", _("30 jours")),
    ("90d", _("3 mois")),
    ("365d", _("12 mois")),
]

# The query-string keys a watch rule keeps: everything but the page, the sort, the query
# (stored apart) and the triage status (a rule looks at every new article, whatever
# happens to it later).
FILTER_KEYS = (
    "source",
    "kind",
    "country",
    "theme",
    "language",
    "importance",
    "period",
    "date_from",
    "date_to",
    "annotated",
)
MULTI_KEYS = frozenset({"kind", "country", "theme", "language"})


def language_choices():
    return [*settings.CONTENT_LANGUAGES, (OTHER_LANGUAGES, _("Autres"))]


class InboxFilterForm(forms.Form):
    """The inbox filter's form: a period must end after it starts."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(
                _("La période se termine avant de commencer : corrigez les dates."),
                code="period_reversed",
            )
        return cleaned


class InboxFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="filter_query",
        widget=forms.SearchInput(
            attrs={
                "placeholder": _('mineurs "reconnaissance de minorité" -Mayotte'),
                "autocomplete": "off",
                "dir": "auto",
            }
        ),
        help_text=_(
            "Guillemets pour une expression exacte, OR pour l'un ou l'autre, "
            "un tiret pour exclure un mot."
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=[*TriageStatus.choices, (STATUS_ALL, _("Tous"))],
        method="filter_status",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"),
        queryset=Source.objects.only("id", "name").order_by("name"),
        empty_label=_("Toutes les sources"),
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type de source"),
        choices=Source.Kind.choices,
        method="filter_kind",
        widget=forms.CheckboxSelectMultiple,
    )
    country = django_filters.ModelMultipleChoiceFilter(
        label=_("Pays"),
        queryset=Country.objects.order_by("name_fr"),
        method="filter_country",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pays attribués à l'article, ou pays de la source."),
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Thème"),
        queryset=Theme.objects.all(),
        method="filter_theme",
        widget=forms.CheckboxSelectMultiple,
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Langue"),
        choices=language_choices,
        method="filter_language",
        widget=forms.CheckboxSelectMultiple,
    )
    importance = django_filters.ChoiceFilter(
        label=_("Importance minimale"),
        choices=[(str(v), label) for v, label in Importance.choices if v > 0],
        method="filter_importance",
        empty_label=_("Toutes"),
    )
    period = django_filters.ChoiceFilter(
        label=_("Période"),
        choices=PERIOD_CHOICES,
        method="filter_period",
        empty_label=_("Toute période"),
    )
    date_from = django_filters.DateFilter(
        label=_("Publié depuis le"),
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        label=_("Publié jusqu'au"),
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    annotated = django_filters.BooleanFilter(
        label=_("Avec annotation"),
        method="filter_annotated",
        widget=forms.CheckboxInput,
    )

    # One `sort` parameter like every list. The inbox orders stories itself (relevance
    # needs the ranks of the candidates, see veille.selectors.items.inbox_stories): the
    # filter validates and carries the choice, the selector applies it.
    sort = django_filters.ChoiceFilter(
        label=_("Trier par"), choices=SORT_CHOICES, method="keep_order", empty_label=None
    )

    class Meta:
        model = Item
        fields: list[str] = []
        form = InboxFilterForm

    # --- filters ---------------------------------------------------------------------

    def keep_order(self, queryset, name, value):
        return queryset

    @property
    def chosen_sort(self) -> str:
        """The order asked for: relevance or date ("" when none was chosen)."""
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("sort") or ""
        return ""

    def filter_query(self, queryset, name, value):
        if getattr(self, "_without_query", False):
            return queryset
        compiled = self.compiled_query
        if compiled is not None:
            return queryset.filter(compiled.match())
        query = normalise_query(value)
        if not query:
            return queryset
        return queryset.filter(text_match(query, languages=self.selected_languages()))

    def filter_status(self, queryset, name, value):
        if not value or value == STATUS_ALL:
            return queryset
        return queryset.filter(status=value)

    # Conditions on the source become a list of source ids (one small query: a few hundred
    # sources at most). With a join, the planner sometimes loops over the sources and
    # repeats the full-text index scan for each of them.

    def filter_kind(self, queryset, name, value):
        if not value:
            return queryset
        ids = list(Source.objects.filter(kind__in=list(value)).values_list("pk", flat=True))
        return queryset.filter(source_id__in=ids)

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        tagged = Item.countries.through.objects.filter(
            item_id=OuterRef("pk"), country__in=list(value)
        )
        from_source = list(
            Source.objects.filter(country__in=list(value)).values_list("pk", flat=True)
        )
        return queryset.filter(Q(Exists(tagged)) | Q(source_id__in=from_source))

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        tagged = Item.themes.through.objects.filter(item_id=OuterRef("pk"), theme__in=list(value))
        return queryset.filter(Exists(tagged))

    def filter_language(self, queryset, name, value):
        if not value:
            return queryset
        known = [code for code, _label in settings.CONTENT_LANGUAGES]
        condition = Q(language__in=[v for v in value if v != OTHER_LANGUAGES])
        if OTHER_LANGUAGES in value:
            condition |= ~Q(language__in=known)
        return queryset.filter(condition)

    def filter_importance(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(importance__gte=int(value))

    def filter_period(self, queryset, name, value):
        days = int(value.rstrip("d")) if value else 0
        if not days:
            return queryset
        return queryset.filter(published_at__gte=timezone.now() - timedelta(days=days))

    def filter_date_from(self, queryset, name, value):
        start = timezone.make_aware(datetime.combine(value, time.min))
        return queryset.filter(published_at__gte=start)

    def filter_date_to(self, queryset, name, value):
        end = timezone.make_aware(datetime.combine(value + timedelta(days=1), time.min))
        return queryset.filter(published_at__lt=end)

    def filter_annotated(self, queryset, name, value):
        if value:
            return queryset.filter(annotation_count__gt=0)
        return queryset

    # --- helpers ---------------------------------------------------------------------

    def selected_languages(self) -> list[str]:
        """The language filter as validated (the search parses the query per language)."""
        if not self.form.is_bound or not self.form.is_valid():
            return []
        return list(self.form.cleaned_data.get("language") or [])

    def published_bounds(self) -> tuple[datetime | None, datetime | None]:
        """(lower, upper) limits on the publication date set by the period/date filters."""
        if not self.form.is_bound or not self.form.is_valid():
            return None, None
        data = self.form.cleaned_data
        lower = upper = None
        if data.get("period"):
            lower = timezone.now() - timedelta(days=int(data["period"].rstrip("d")))
        if data.get("date_from"):
            start = timezone.make_aware(datetime.combine(data["date_from"], time.min))
            lower = max(lower, start) if lower else start
        if data.get("date_to"):
            upper = timezone.make_aware(
                datetime.combine(data["date_to"] + timedelta(days=1), time.min)
            )
        return lower, upper

    @cached_property
    def qs_without_query(self):
        """The articles matching every filter but the text query (the search adds its
        own conditions, one per index: see ``veille.selectors.items.newest_matches``)."""
        self._without_query = True
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self._without_query = False

    @cached_property
    def compiled_query(self) -> CompiledQuery | None:
        """The query parsed per language (PostgreSQL), computed once per request."""
        return compile_query(self.query, languages=self.selected_languages())

    @property
    def query(self) -> str:
        if not self.form.is_bound or not self.form.is_valid():
            return ""
        return normalise_query(self.form.cleaned_data.get("q"))


def default_status(params) -> str:
    """The status looked at when none is chosen: the new stories, or every status while
    searching (a search finds what was already triaged too)."""
    return STATUS_ALL if (params.get("q") or "").strip() else DEFAULT_STATUS


def inbox_data(params) -> QueryDict:
    """The inbox parameters with the default status filled in (`default_status`)."""
    data = params.copy() if isinstance(params, QueryDict) else _as_querydict(params)
    if not data.get("status"):
        data["status"] = default_status(data)
    if data.get("sort") and data["sort"] not in dict(SORT_CHOICES):
        data.pop("sort")  # an unknown order is the default one, never an empty inbox
    return data


def _as_querydict(params: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        if isinstance(value, (list, tuple)):
            data.setlist(key, [str(v) for v in value])
        elif value not in (None, ""):
            data[key] = str(value)
    return data


def rule_filters_from_params(params) -> dict:
    """The filters a watch rule stores, from an inbox query string (known keys only)."""
    stored: dict = {}
    for key in FILTER_KEYS:
        values = [v for v in params.getlist(key) if v not in ("", None)]
        if not values:
            continue
        stored[key] = values if key in MULTI_KEYS else values[0]
    return stored


def rule_querydict(filters: dict, query: str = "") -> QueryDict:
    """A watch rule (filters + query) as inbox parameters."""
    data = _as_querydict({k: v for k, v in (filters or {}).items() if k in FILTER_KEYS})
    if query:
        data["q"] = query
    if not data.get("status"):
        data["status"] = STATUS_ALL
    return data


# Last, once the module is complete: importing ``selectors.search`` initialises the
# ``selectors`` package, whose ``items`` and ``rules`` modules read this module's FilterSet.
# This way either side can be imported first.
from .selectors.search import (  # noqa: E402
    OTHER_LANGUAGES,
    CompiledQuery,
    compile_query,
    normalise_query,
    text_match,
)
