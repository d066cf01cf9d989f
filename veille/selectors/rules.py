"""Reads of watch rules and alerts: a user's rules, the articles a rule matches, a user's
alerts and the navigation badge (unread alerts)."""

from __future__ import annotations

from django.db.models import QuerySet

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


def nav_badge(user) -> int | None:
    """Unread alerts of the user, shown next to "Veille" in the navigation (one query)."""
    if not can_read(user):
        return None
    return Alert.objects.filter(user=user, read_at__isnull=True).count() or None
