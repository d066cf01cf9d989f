"""Political events and the private iCalendar feeds."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.services import audit_record
from core.updates import model_update

from ..models import CalendarFeed, PoliticalEvent

EVENT_FIELDS = (
    "title",
    "kind",
    "start",
    "end",
    "country",
    "themes",
    "objectives",
    "description",
    "link",
)


def _check_range(event: PoliticalEvent) -> None:
    if event.start and event.end and event.end < event.start:
        raise ValidationError({"end": _("La fin de l'événement doit être après son début.")})


@transaction.atomic
def event_create(*, user, data: dict[str, Any]) -> PoliticalEvent:
    data = dict(data)
    m2m = {name: data.pop(name) for name in ("themes", "objectives") if name in data}
    event = PoliticalEvent(created_by=user)
    model_update(instance=event, fields=EVENT_FIELDS, data=data, save=False)
    _check_range(event)
    event.full_clean()
    event.save()
    for name, values in m2m.items():
        getattr(event, name).set(values)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=event)
    return event


@transaction.atomic
def event_update(*, event: PoliticalEvent, user, data: dict[str, Any]) -> list[str]:
    data = dict(data)
    m2m = {name: data.pop(name) for name in ("themes", "objectives") if name in data}
    changed = model_update(instance=event, fields=EVENT_FIELDS, data=data, save=False)
    _check_range(event)
    event.full_clean()
    event.save()
    for name, values in m2m.items():
        manager = getattr(event, name)
        if set(manager.values_list("pk", flat=True)) != {v.pk for v in values}:
            manager.set(values)
            changed.append(name)
    if changed:
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=event,
            detail={"fields": ",".join(sorted(changed))},
        )
    return changed


@transaction.atomic
def event_delete(*, event: PoliticalEvent, user) -> None:
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=event)
    event.delete()


@transaction.atomic
def calendar_feed_enable(*, user) -> CalendarFeed:
    """A new private address; the previous one (if any) stops answering."""
    calendar_feed_revoke(user=user, reason="replaced")
    feed = CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=feed)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user, reason: str = "revoked") -> int:
    feeds = list(
        CalendarFeed.objects.select_for_update()
        .filter(user=user, revoked_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    for feed in feeds:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        audit_record(
            actor=user, action=AuditEvent.Action.CHANGE, obj=feed, detail={"revoked": reason}
        )
    return len(feeds)


def calendar_feed_touch(*, feed: CalendarFeed) -> None:
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
