"""Filters of the app's lists, built by the selectors (`selectors.*_filterset`): query
parameters are English, one `sort` parameter per list, unknown values fall back to the
default order (`core.filters.ListFilterSet`)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, SortFilter
from core.models import Country, Theme, User

from .models import (
    AdvocacyAction,
    Coalition,
    FollowUp,
    Interaction,
    Lesson,
    Organisation,
    Outcome,
    Position,
    Sensitivity,
    Stakeholder,
    normalise,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = forms.Select(choices=[("", _("Indifférent")), ("true", _("Oui")), ("false", _("Non"))])


def _words(value: str) -> list[str]:
    return [word for word in normalise(value).split() if word][:8]


def _countries():
    return Country.objects.order_by("name_fr")


def _themes():
    return Theme.objects.order_by("position", "name_fr")


def _people():
    return (
        User.objects.filter(
            is_active=True, memberships__role__in=["coordinator", "advocacy_officer"]
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Organisations ----------------------------------------------------------------------------


class OrganisationFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Nom ou sigle"), method="filter_q")
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type"), choices=Organisation.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Pays"), queryset=_countries(), empty_label=_("Tous les pays")
    )
    archived = django_filters.BooleanFilter(
        label=_("Archivées"),
        method="filter_archived",
        widget=forms.Select(choices=[("", _("Non")), ("true", _("Oui, seulement elles"))]),
    )
    sort = SortFilter(
        fields={"name": "name", "kind": ("kind", "name"), "country": ("country__name_fr", "name")},
        field_labels={"name": _("Nom"), "kind": _("Type"), "country": _("Pays")},
        default="name",
        empty_label=_("Par nom"),
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset


# --- Stakeholders -----------------------------------------------------------------------------


class StakeholderFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="filter_q",
        help_text=_("Nom, fonction, organisation ou sigle, sans se soucier des accents."),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Pays"), queryset=_countries(), empty_label=_("Tous les pays")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), widget=forms.HiddenInput
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type d'organisation"),
        field_name="organisation__kind",
        choices=Organisation.Kind.choices,
        empty_label=_("Tous les types"),
    )
    restricts = django_filters.BooleanFilter(
        label=_("Peut restreindre nos opérations"),
        field_name="can_restrict_operations",
        widget=YES_NO,
    )
    alignment = django_filters.MultipleChoiceFilter(
        label=_("Alignement"),
        choices=Stakeholder.Alignment.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("A une position sur"),
        queryset=_themes(),
        method="filter_theme",
        empty_label=_("Tous les thèmes"),
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Responsable de la relation"),
        queryset=_people(),
        empty_label=_("Tous"),
    )
    contact = django_filters.ChoiceFilter(
        label=_("Dernier contact"),
        method="filter_contact",
        empty_label=_("Indifférent"),
        choices=[
            ("recent", _("Dans les 30 derniers jours")),
            ("stale", _("Il y a plus de 90 jours")),
            ("never", _("Jamais")),
        ],
    )
    sort = SortFilter(
        fields={
            "name": "full_name",
            "organisation": ("organisation__name", "full_name"),
            "influence": ("influence", "interest"),
            "interest": ("interest", "influence"),
            "contact": F("last_contact_on").asc(nulls_first=True),
        },
        field_labels={
            "name": _("Nom"),
            "organisation": _("Organisation"),
            "influence": _("Influence"),
            "interest": _("Intérêt"),
            "contact": _("Dernier contact"),
        },
        default="name",
        empty_label=_("Par nom"),
    )

    class Meta:
        model = Stakeholder
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(
                Q(search_text__contains=word) | Q(organisation__search_text__contains=word)
            )
        return queryset

    def filter_theme(self, queryset, name, value):
        return queryset.filter(
            Exists(Position.objects.filter(stakeholder=OuterRef("pk"), theme=value))
        )

    def filter_contact(self, queryset, name, value):
        today = timezone.localdate()
        if value == "recent":
            return queryset.filter(last_contact_on__gte=today - datetime.timedelta(days=30))
        if value == "stale":
            return queryset.filter(last_contact_on__lt=today - datetime.timedelta(days=90))
        if value == "never":
            return queryset.filter(last_contact_on__isnull=True)
        return queryset


# --- Interactions and follow-ups ------------------------------------------------------------


class InteractionFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Objet"), field_name="title", lookup_expr="icontains")
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type"), choices=Interaction.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Pays"), queryset=_countries(), empty_label=_("Tous les pays")
    )
    stakeholder = django_filters.ModelChoiceFilter(
        label=_("Interlocuteur"),
        field_name="stakeholders",
        queryset=Stakeholder.objects.all(),
        widget=forms.HiddenInput,
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="organisations",
        queryset=Organisation.objects.all(),
        widget=forms.HiddenInput,
    )
    coalition = django_filters.ModelChoiceFilter(
        label=_("Coalition"), queryset=Coalition.objects.all(), empty_label=_("Toutes")
    )
    sensitivity = django_filters.ChoiceFilter(
        label=_("Sensibilité"), choices=Sensitivity.choices, empty_label=_("Toutes")
    )
    after = django_filters.DateFilter(
        label=_("Depuis le"), field_name="occurred_on", lookup_expr="gte", widget=DATE_WIDGET
    )
    before = django_filters.DateFilter(
        label=_("Jusqu'au"), field_name="occurred_on", lookup_expr="lte", widget=DATE_WIDGET
    )
    sort = SortFilter(
        fields={
            "date": "occurred_on",
            "title": "title",
            "country": ("country__name_fr", "-occurred_on"),
        },
        field_labels={"date": _("Date"), "title": _("Objet"), "country": _("Pays")},
        default="-date",
        tiebreak=("-pk",),
        empty_label=_("Plus récents d'abord"),
    )

    class Meta:
        model = Interaction
        fields: list[str] = []


class FollowUpFilter(ListFilterSet):
    STATES = [
        ("open", _("À faire")),
        ("overdue", _("En retard")),
        ("done", _("Faites")),
        ("all", _("Toutes")),
    ]

    state = django_filters.ChoiceFilter(
        label=_("État"), choices=STATES, method="filter_state", empty_label=None
    )
    mine = django_filters.BooleanFilter(
        label=_("Seulement les miennes"),
        method="filter_mine",
        widget=forms.CheckboxInput,
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Responsable"), queryset=_people(), empty_label=_("Tous")
    )
    sort = SortFilter(
        fields={"due": "due_on", "interaction": ("interaction__occurred_on", "due_on")},
        field_labels={"due": _("Échéance"), "interaction": _("Date de l'échange")},
        default="due",
    )

    class Meta:
        model = FollowUp
        fields: list[str] = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("state") not in dict(self.STATES):
            data["state"] = "open"
        self.user = user
        super().__init__(data, *args, **kwargs)

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.filter(done_at__isnull=True)
        if value == "overdue":
            return queryset.filter(done_at__isnull=True, due_on__lt=today)
        if value == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.user) if value and self.user is not None else queryset


# --- Advocacy actions -------------------------------------------------------------------------


class ActionFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Intitulé"), field_name="title", lookup_expr="icontains")
    status = django_filters.MultipleChoiceFilter(
        label=_("Statut"),
        choices=AdvocacyAction.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type"), choices=AdvocacyAction.Kind.choices, widget=forms.SelectMultiple
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Pays"), queryset=_countries(), empty_label=_("Tous les pays")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"), field_name="themes", queryset=_themes(), empty_label=_("Tous les thèmes")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Responsable"), queryset=_people(), empty_label=_("Tous")
    )
    objective = django_filters.NumberFilter(field_name="objective", widget=forms.HiddenInput)
    due = django_filters.ChoiceFilter(
        label=_("Échéance"),
        method="filter_due",
        empty_label=_("Indifférent"),
        choices=[
            ("overdue", _("En retard")),
            ("week", _("Dans les 7 jours (retards compris)")),
        ],
    )
    consent = django_filters.BooleanFilter(
        label=_("Consentement d'un témoignage retiré ou expiré"),
        method="filter_consent",
        widget=forms.CheckboxInput,
    )
    sort = SortFilter(
        fields={
            "due": F("due_on").asc(nulls_last=True),
            "title": "title",
            "status": ("status", F("due_on").asc(nulls_last=True)),
            "budget": "budget_planned",
            "updated": "updated_at",
        },
        field_labels={
            "due": _("Échéance"),
            "title": _("Intitulé"),
            "status": _("Statut"),
            "budget": _("Budget prévu"),
            "updated": _("Dernière modification"),
        },
        default="due",
        empty_label=_("Échéance la plus proche"),
    )

    class Meta:
        model = AdvocacyAction
        fields: list[str] = []

    def filter_due(self, queryset, name, value):
        from .selectors.actions import due_q

        return queryset.filter(due_q(value))

    def filter_consent(self, queryset, name, value):
        from .models import ActionTestimony
        from .selectors.actions import consent_lapsed_q

        if not value:
            return queryset
        return queryset.filter(
            Exists(ActionTestimony.objects.filter(Q(action=OuterRef("pk")) & consent_lapsed_q()))
        )


# --- Coalitions ---------------------------------------------------------------------------------


class CoalitionFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Nom"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Coalition.Kind.choices, empty_label=_("Tous")
    )
    level = django_filters.ChoiceFilter(
        label=_("Niveau"), choices=Coalition.Level.choices, empty_label=_("Tous")
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Pays"), queryset=_countries(), empty_label=_("Tous les pays")
    )
    sort = SortFilter(
        fields={"name": "name", "level": ("level", "name"), "members": ("member_count", "name")},
        field_labels={"name": _("Nom"), "level": _("Niveau"), "members": _("Membres")},
        default="name",
        empty_label=_("Par nom"),
    )

    class Meta:
        model = Coalition
        fields: list[str] = []


# --- Outcomes and lessons -------------------------------------------------------------------


class OutcomeFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="filter_q")
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type de changement"),
        choices=Outcome.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    contribution = django_filters.ChoiceFilter(
        label=_("Contribution de l'unité"),
        choices=Outcome.Contribution.choices,
        empty_label=_("Toutes"),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Pays"), queryset=_countries(), empty_label=_("Tous les pays")
    )
    after = django_filters.DateFilter(
        label=_("Depuis le"), field_name="occurred_on", lookup_expr="gte", widget=DATE_WIDGET
    )
    before = django_filters.DateFilter(
        label=_("Jusqu'au"), field_name="occurred_on", lookup_expr="lte", widget=DATE_WIDGET
    )
    sort = SortFilter(
        fields={"date": "occurred_on", "title": "title", "kind": ("kind", "-occurred_on")},
        field_labels={"date": _("Date"), "title": _("Changement"), "kind": _("Type")},
        default="-date",
        tiebreak=("-pk",),
        empty_label=_("Plus récents d'abord"),
    )

    class Meta:
        model = Outcome
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(changed_by__icontains=value)
            | Q(description__icontains=value)
        )


class LessonFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="filter_q",
        help_text=_("Dans le titre et le texte, sans se soucier des accents."),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"), field_name="themes", queryset=_themes(), empty_label=_("Tous les thèmes")
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Pays"), queryset=_countries(), empty_label=_("Tous les pays")
    )
    action = django_filters.NumberFilter(field_name="actions", widget=forms.HiddenInput)
    sort = SortFilter(
        fields={"date": "created_at", "title": "title"},
        field_labels={"date": _("Date"), "title": _("Titre")},
        default="-date",
        tiebreak=("-pk",),
        empty_label=_("Plus récentes d'abord"),
    )

    class Meta:
        model = Lesson
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(search_text__contains=word)
        return queryset
