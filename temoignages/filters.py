"""Filters of the app's lists: testimonies (and their CSV/XLSX export: same filter, same
rows), collection forms and collection objectives.

The selectors build them (`selectors.testimony_filterset`, `collection_forms_filterset`,
`objectives_filterset`); query parameters are English, one `sort` parameter per list.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, SortFilter
from core.models import Country, Site, Theme

from . import conf
from .gate import usable_q
from .models import Audience, CollectionForm, CollectionObjective, Testimony

# --- Testimonies --------------------------------------------------------------------------


class TestimonyFilter(ListFilterSet):
    """The testimony list. Drafts are listed only when asked for (a status filter) or to
    field officers, whose drafts are their daily work (`shows_drafts`)."""

    q = django_filters.CharFilter(
        label=_("Référence ou titre"), method="filter_q", help_text=_("Par ex. TEM-2026-0042")
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Statut"),
        choices=Testimony.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    site = django_filters.ModelMultipleChoiceFilter(
        label=_("Site"), queryset=Site.objects.select_related("country")
    )
    themes = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        queryset=Theme.objects.all(),
        field_name="themes",
        empty_label=_("Tous les thèmes"),
    )
    sensitivity = django_filters.ChoiceFilter(
        label=_("Sensibilité"), choices=Testimony.Sensitivity.choices, empty_label=_("Toutes")
    )
    is_minor = django_filters.BooleanFilter(
        label=_("Mineur"),
        widget=forms.Select(choices=[("", _("Tous")), ("true", _("Oui")), ("false", _("Non"))]),
    )
    language = django_filters.ChoiceFilter(label=_("Langue"), choices=(), empty_label=_("Toutes"))
    collected_after = django_filters.DateFilter(
        label=_("Recueilli depuis le"),
        field_name="collected_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    collected_before = django_filters.DateFilter(
        label=_("Recueilli jusqu'au"),
        field_name="collected_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    usable_for = django_filters.ChoiceFilter(
        label=_("Utilisable pour"),
        choices=Audience.choices,
        method="filter_usable_for",
        empty_label=_("Indifférent"),
        help_text=_("Selon le filtre de publication, aujourd'hui."),
    )
    consent = django_filters.ChoiceFilter(
        label=_("Consentement"),
        method="filter_consent",
        empty_label=_("Tous"),
        choices=[
            ("missing", _("Aucun consentement")),
            ("expiring", _("Expire dans les 30 jours")),
            ("expired", _("Expiré")),
            ("withdrawn", _("Retiré")),
        ],
    )
    sort = SortFilter(
        fields={
            "collected_on": "collected_on",
            "reference": "reference",
            "site": "site__name_fr",
            "submitted_at": "submitted_at",
            "retention_date": "retention_date",
        },
        field_labels={
            "collected_on": _("Date de recueil"),
            "reference": _("Référence"),
            "site": _("Site"),
            "submitted_at": _("Date d'envoi"),
            "retention_date": _("Fin de conservation"),
        },
        default="-collected_on",
        tiebreak=("-id",),
        empty_label=_("Plus récents d'abord"),
    )

    class Meta:
        model = Testimony
        fields: list[str] = []

    def __init__(self, *args, shows_drafts: bool = False, sites=None, **kwargs):
        """`sites`: the sites the site filter offers (those whose testimonies the user
        may see); all of them when not given."""
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.filters["language"].extra["choices"] = settings.CONTENT_LANGUAGES
        if sites is not None:
            self.filters["site"].queryset = sites
        data = self.data
        statuses = data.getlist("status") if hasattr(data, "getlist") else data.get("status")
        self.shows_drafts = shows_drafts or bool(statuses)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.shows_drafts:
            queryset = queryset.exclude(status=Testimony.Status.DRAFT)
        return queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_usable_for(self, queryset, name, value):
        return queryset.filter(usable_q(value)) if value else queryset

    def filter_consent(self, queryset, name, value):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=conf.consent_expiring_days())
        active = Q(current_consent__isnull=False, current_consent__withdrawn_at__isnull=True)
        if value == "missing":
            return queryset.filter(current_consent__isnull=True)
        if value == "expiring":
            return queryset.filter(
                active,
                current_consent__expires_on__gte=today,
                current_consent__expires_on__lte=soon,
            )
        if value == "expired":
            return queryset.filter(active, current_consent__expires_on__lt=today)
        if value == "withdrawn":
            return queryset.filter(
                Q(status=Testimony.Status.WITHDRAWN)
                | Q(current_consent__withdrawn_at__isnull=False)
            )
        return queryset


# --- Collection forms ---------------------------------------------------------------------


class CollectionFormFilter(ListFilterSet):
    """The forms builder's list: active forms by default, archived ones or all on demand."""

    STATES = [
        ("active", _("Actifs")),
        ("archived", _("Archivés")),
        ("all", _("Tous")),
    ]

    state = django_filters.ChoiceFilter(
        label=_("Afficher"), choices=STATES, method="filter_state", empty_label=None
    )
    sort = SortFilter(
        fields={"name": "name", "updated": "updated_at", "uses": "testimony_count"},
        field_labels={
            "name": _("Nom"),
            "updated": _("Modifié"),
            "uses": _("Témoignages"),
        },
        default="name",
        tiebreak=("name", "pk"),
    )

    class Meta:
        model = CollectionForm
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if data.get("state") not in dict(self.STATES):
            data["state"] = "active"
        super().__init__(data, *args, **kwargs)

    @property
    def state_value(self) -> str:
        return self.data["state"]

    def filter_state(self, queryset, name, value):
        if value == "archived":
            return queryset.filter(is_active=False)
        if value == "all":
            return queryset
        return queryset.filter(is_active=True)


# --- Collection objectives ----------------------------------------------------------------


class ObjectiveFilter(ListFilterSet):
    """Collection objectives: the period (running ones by default), a theme, a place."""

    PERIODS = [
        ("current", _("En cours")),
        ("upcoming", _("À venir")),
        ("past", _("Terminés")),
        ("all", _("Tous")),
    ]

    period = django_filters.ChoiceFilter(
        label=_("Période"), choices=PERIODS, method="filter_period", empty_label=None
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    site = django_filters.ModelChoiceFilter(
        label=_("Site"),
        queryset=Site.objects.select_related("country"),
        to_field_name="code",
        empty_label=_("Tous les sites"),
        method="filter_site",
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Pays"),
        queryset=Country.objects.filter(is_pseudo=False),
        to_field_name="code",
        empty_label=_("Tous les pays"),
        method="filter_country",
    )
    sort = SortFilter(
        fields={
            "end": F("period_end").asc(),
            "progress": (F("ratio").asc(), F("period_end").asc()),
            "theme": ("theme__position", "theme__name_fr"),
            "place": (
                F("site__country__name_fr").asc(nulls_last=True),
                F("site__name_fr").asc(nulls_first=True),
                F("country__name_fr").asc(nulls_last=True),
            ),
        },
        field_labels={
            "end": _("Fin de période"),
            "progress": _("Avancement"),
            "theme": _("Thème"),
            "place": _("Lieu"),
        },
        default="end",
        empty_label=None,
    )

    class Meta:
        model = CollectionObjective
        fields: list[str] = []

    def __init__(self, data=None, *args, sites=None, countries=None, **kwargs):
        """`sites` and `countries`: what the place filters offer (the user's reach); all
        of them when not given."""
        data = data.copy() if data is not None else {}
        if data.get("period") not in dict(self.PERIODS):
            data["period"] = "current"
        super().__init__(data, *args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites
        if countries is not None:
            self.filters["country"].queryset = countries

    def filter_period(self, queryset, name, value):
        from .selectors.objectives import objectives_period_filter

        return objectives_period_filter(queryset, value)

    def filter_site(self, queryset, name, value):
        return queryset.filter(Q(site=value) | Q(country_id=value.country_id))

    def filter_country(self, queryset, name, value):
        return queryset.filter(Q(country=value) | Q(site__country=value))
