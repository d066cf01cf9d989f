"""Writes of watch rules: saved searches, their evaluation into alerts, the private feed
tokens and the daily digest email."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.services import audit_record
from core.updates import model_update

from ..models import Alert, Item, WatchRule
from ..permissions import can_read

# --- watch rules -------------------------------------------------------------------------


def _validate_rule_filters(filters: dict, query: str) -> None:
    from ..filters import InboxFilterSet, rule_querydict

    filterset = InboxFilterSet(data=rule_querydict(filters, query), queryset=Item.objects.none())
    if not filterset.form.is_valid():
        reasons = filterset.form.non_field_errors()
        raise ValidationError(
            reasons[0] if reasons else _("Les filtres de la règle ne sont pas valides.")
        )


def _newest_item_id() -> int:
    return Item.objects.aggregate(m=Max("pk"))["m"] or 0


@transaction.atomic
def rule_create(
    *,
    owner,
    name: str,
    query: str = "",
    filters: dict | None = None,
    alert_in_app: bool = True,
    digest_email: bool = False,
    active: bool = True,
    request=None,
) -> WatchRule:
    """A saved search. It looks at articles fetched from now on (no alert on the backlog)."""
    if not can_read(owner):
        raise PermissionDenied
    filters = filters or {}
    _validate_rule_filters(filters, query)
    rule = WatchRule(
        owner=owner,
        name=name.strip(),
        query=query.strip(),
        filters=filters,
        alert_in_app=alert_in_app,
        digest_email=digest_email,
        active=active,
        last_evaluated_item_id=_newest_item_id(),
        last_evaluated_at=timezone.now(),
    )
    rule.full_clean()
    rule.save()
    audit_record(actor=owner, action=AuditEvent.Action.CREATE, obj=rule, request=request)
    return rule


RULE_FIELDS = ("name", "query", "filters", "alert_in_app", "digest_email", "active")


@transaction.atomic
def rule_update(*, rule: WatchRule, user, request=None, **fields) -> WatchRule:
    if rule.owner_id != user.pk:
        raise PermissionDenied
    changed = model_update(instance=rule, fields=RULE_FIELDS, data=fields, save=False)
    _validate_rule_filters(rule.filters, rule.query)
    rule.full_clean()
    rule.save()
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=rule,
        request=request,
        detail={"fields": ",".join(changed)},
    )
    return rule


@transaction.atomic
def rule_delete(*, rule: WatchRule, user, request=None) -> None:
    if rule.owner_id != user.pk:
        raise PermissionDenied
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=rule, request=request)
    rule.delete()


def rule_feed_enable(*, rule: WatchRule, user) -> str:
    """A new private-feed token (the previous address stops working)."""
    if rule.owner_id != user.pk:
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    WatchRule.objects.filter(pk=rule.pk).update(
        feed_token=token, feed_token_created_at=timezone.now()
    )
    rule.feed_token = token
    return token


def rule_feed_revoke(*, rule: WatchRule, user) -> None:
    if rule.owner_id != user.pk:
        raise PermissionDenied
    WatchRule.objects.filter(pk=rule.pk).update(feed_token="", feed_token_created_at=None)
    rule.feed_token = ""


# --- alerts ------------------------------------------------------------------------------

# At most this many alerts per rule and run (a rule matching everything must not flood).
MAX_ALERTS_PER_RUN = 200


def watch_rules_evaluate(*, now=None) -> int:
    """Evaluate every active rule against the articles fetched since its last run.

    Idempotent: an alert is unique per (rule, article) and a story gives one alert per
    rule. Each rule keeps a marker (the newest article id it has seen *for sure*); the
    articles fetched during the last ``VEILLE_RULES_SETTLE_SECONDS`` are looked at again
    by the next run, so an article whose fetch transaction was still open is not missed.
    """
    now = now or timezone.now()
    settle = now - timedelta(seconds=settings.VEILLE_RULES_SETTLE_SECONDS)
    newest = _newest_item_id()
    settled = (
        Item.objects.filter(fetched_at__lte=settle)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    ) or 0
    created = 0
    rule_ids = list(
        WatchRule.objects.filter(active=True, last_evaluated_item_id__lt=newest)
        .filter(Q(alert_in_app=True) | Q(digest_email=True))
        .values_list("pk", flat=True)
    )
    for rule_id in rule_ids:
        created += watch_rule_evaluate(
            rule_id=rule_id, newest=newest, settled=min(settled, newest), now=now
        )
    return created


@transaction.atomic
def watch_rule_evaluate(*, rule_id: int, newest: int, settled: int, now=None) -> int:
    from ..selectors.rules import rule_items

    now = now or timezone.now()
    rule = (
        WatchRule.objects.select_for_update(skip_locked=True)
        .filter(pk=rule_id, active=True)
        .first()
    )
    if rule is None:
        return 0  # another worker has it, or it was switched off
    owner = rule.owner
    created = 0
    if owner.is_active and can_read(owner):
        window = Item.objects.filter(pk__gt=rule.last_evaluated_item_id, pk__lte=newest)
        matches = list(
            rule_items(rule, window)
            .order_by("-pk")
            .values_list("pk", "cluster_id")[: MAX_ALERTS_PER_RUN * 3]
        )
        created = _alerts_create(rule, matches, now)
    marker = max(rule.last_evaluated_item_id, settled)
    WatchRule.objects.filter(pk=rule.pk).update(
        last_evaluated_item_id=marker, last_evaluated_at=now
    )
    return created


def _alerts_create(rule: WatchRule, matches: list[tuple[int, int | None]], now) -> int:
    if not matches:
        return 0
    cluster_ids = {c for _pk, c in matches if c}
    seen_clusters = set(
        Alert.objects.filter(rule=rule, cluster_id__in=cluster_ids).values_list(
            "cluster_id", flat=True
        )
    )
    seen_items = set(
        Alert.objects.filter(rule=rule, item_id__in=[pk for pk, _c in matches]).values_list(
            "item_id", flat=True
        )
    )
    alerts = []
    for pk, cluster_id in matches:
        if pk in seen_items or (cluster_id and cluster_id in seen_clusters):
            continue
        if cluster_id:
            seen_clusters.add(cluster_id)
        alerts.append(
            Alert(
                rule=rule,
                user_id=rule.owner_id,
                item_id=pk,
                cluster_id=cluster_id,
                # Digest-only rules keep their alerts out of the unread count.
                read_at=None if rule.alert_in_app else now,
            )
        )
        if len(alerts) >= MAX_ALERTS_PER_RUN:
            break
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)


def alerts_mark_read(*, user, alert_ids: Iterable[int] | None = None) -> int:
    """Mark the user's alerts read (all of them when no ids are given)."""
    alerts = Alert.objects.filter(user=user, read_at__isnull=True)
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=[int(i) for i in alert_ids])
    return alerts.update(read_at=timezone.now())


def alerts_read_for_item(*, user, item: Item) -> int:
    """The user opened this article: its alerts (and its story's) are read."""
    condition = Q(item_id=item.pk)
    if item.cluster_id:
        condition |= Q(cluster_id=item.cluster_id)
    return Alert.objects.filter(condition, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- daily digest ------------------------------------------------------------------------

DIGEST_MAX_ITEMS = 100
DIGEST_LOOKBACK = timedelta(days=7)


def digest_recipients() -> list[int]:
    """Users with alerts waiting for their digest email."""
    since = timezone.now() - DIGEST_LOOKBACK
    return list(
        Alert.objects.filter(
            emailed_at__isnull=True,
            rule__digest_email=True,
            created_at__gte=since,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user_id", flat=True)
        .distinct()
    )


def digest_send(*, user_id: int, now=None) -> int:
    """Send one email listing the user's new matches, grouped by rule (none if nothing).

    The alerts are locked while the email is sent and marked as emailed in the same
    transaction, so two workers never send the same digest and a failed send is retried.
    Returns the number of alerts in the email.
    """
    from core.models import User

    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    with transaction.atomic():
        locked = list(
            Alert.objects.select_for_update(skip_locked=True)
            .filter(
                user_id=user_id,
                emailed_at__isnull=True,
                rule__digest_email=True,
                created_at__gte=now - DIGEST_LOOKBACK,
            )
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)
        )
        if not locked:
            return 0
        alerts = list(
            Alert.objects.filter(pk__in=locked[:DIGEST_MAX_ITEMS])
            .select_related("rule", "item", "item__source", "cluster")
            .order_by("rule__name", "-created_at")
        )
        groups: dict[int, dict] = {}
        for alert in alerts:
            group = groups.setdefault(alert.rule_id, {"rule": alert.rule, "alerts": []})
            group["alerts"].append(alert)
        context = {
            "user": user,
            "groups": list(groups.values()),
            "count": len(locked),
            "shown": len(alerts),
            "more": len(locked) - len(alerts),
            "base_url": settings.VEILLE_SITE_URL.rstrip("/"),
            "date": timezone.localtime(now),
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("veille/email/digest_subject.txt", context).strip()
            text = render_to_string("veille/email/digest.txt", context)
            html = render_to_string("veille/email/digest.html", context)
        message = EmailMultiAlternatives(subject, text, to=[user.email])
        message.attach_alternative(html, "text/html")
        message.send()
        Alert.objects.filter(pk__in=locked).update(emailed_at=now)
        WatchRule.objects.filter(pk__in=list(groups)).update(last_digest_at=now)
    return len(locked)
