"""Filters of the testimony list (and of its CSV/XLSX export: same filter, same rows)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Site, Theme

from . import conf
from .gate import usable_q
from .models import Audience, Testimony


class TestimonyFilter(django_filters.FilterSet):
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
    sort = django_filters.OrderingFilter(
        label=_("Trier par"),
        fields=(
            ("collected_on", "collected_on"),
            ("reference", "reference"),
            ("submitted_at", "submitted_at"),
            ("retention_date", "retention_date"),
        ),
        field_labels={
            "collected_on": _("Date de recueil"),
            "reference": _("Référence"),
            "submitted_at": _("Date d'envoi"),
            "retention_date": _("Fin de conservation"),
        },
        empty_label=_("Plus récents d'abord"),
    )

    class Meta:
        model = Testimony
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.filters["language"].extra["choices"] = settings.CONTENT_LANGUAGES

    @property
    def qs(self):
        queryset = super().qs
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("sort"):
            return queryset
        return queryset.order_by("-collected_on", "-id")

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
