"""Reads of watch rules and alerts: a user's rules, the articles a rule matches, a user's
alerts and the navigation badge (unread alerts)."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, SortFilter
from core.memo import memo

from ..filters import InboxFilterSet, rule_querydict
from ..models import Alert, Item, WatchRule
from ..permissions import can_read


def rules_of(user) -> QuerySet[WatchRule]:
    return WatchRule.objects.filter(owner=user)


def alerts_of(user) -> QuerySet[Alert]:
    return (
        Alert.objects.filter(user=user)
        .select_related("rule", "item", "item__source", "cluster")
        .defer("item__content", "item__summary", "item__search_vector")
        .order_by("-created_at", "-id")
    )


def rule_items(rule: WatchRule, queryset=None):
    """The articles matching a rule (same FilterSet, hence same meaning, as the inbox)."""
    queryset = Item.objects.all() if queryset is None else queryset
    filterset = InboxFilterSet(data=rule_querydict(rule.filters, rule.query), queryset=queryset)
    if not filterset.form.is_valid():
        return queryset.none()
    return filterset.qs


UNREAD_ALERTS = "veille.unread_alerts"


def nav_badge(user) -> int | None:
    """Unread alerts of the user, shown next to "Veille" in the navigation (one query)."""
    if not can_read(user):
        return None
    count = memo(
        user, UNREAD_ALERTS, lambda: Alert.objects.filter(user=user, read_at__isnull=True).count()
    )
    return count or None


class AlertFilterSet(ListFilterSet):
    """A user's alerts: `?rule=<id>`, `?unread=1`, `?sort=` (newest first by default)."""

    rule = django_filters.ModelChoiceFilter(
        label=_("Règle"), queryset=WatchRule.objects.none(), empty_label=_("Toutes mes règles")
    )
    unread = django_filters.BooleanFilter(
        label=_("Non lues seulement"),
        field_name="read_at",
        lookup_expr="isnull",
        widget=django_filters.widgets.BooleanWidget,
    )
    sort = SortFilter(fields={"created": "created_at", "rule": "rule__name"}, default="-created")

    class Meta:
        model = Alert
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["rule"].queryset = rules_of(user).only("pk", "name").order_by("name", "pk")


def alert_list(user, data) -> AlertFilterSet:
    return AlertFilterSet(data, queryset=alerts_of(user), user=user)


class RuleFilterSet(ListFilterSet):
    """A user's watch rules: `?active=`, `?sort=` (by name by default)."""

    active = django_filters.BooleanFilter(
        label=_("Actives seulement"), widget=django_filters.widgets.BooleanWidget
    )
    sort = SortFilter(
        fields={"name": "name", "unread": "unread", "created": "created_at"}, default="name"
    )

    class Meta:
        model = WatchRule
        fields: list[str] = []


def rule_list(user, data) -> RuleFilterSet:
    rules = rules_of(user).annotate(unread=Count("alerts", filter=Q(alerts__read_at__isnull=True)))
    return RuleFilterSet(data, queryset=rules)
