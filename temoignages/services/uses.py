"""Recording where a testimony is used — only when the publication gate agrees."""

# ruff: noqa: PT028 — `testimony_*` functions are services, not pytest tests.

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..gate import Usability, testimony_usability
from ..models import Element, Testimony, TestimonyEvent, TestimonyUse, UsableExtract
from ..permissions import is_reviewer
from ..selectors import testimonies_visible_to
from ._common import record_event


class UsageDenied(ValidationError):
    """The gate said no; `usability.reasons` says why."""

    def __init__(self, usability: Usability):
        self.usability = usability
        super().__init__(
            _("Utilisation refusée : %(reasons)s") % {"reasons": usability.summary},
            code="gate_denied",
        )


@transaction.atomic
def testimony_use_record(
    *,
    testimony: Testimony,
    audience: str,
    where: str,
    used_by,
    used_on: datetime.date | None = None,
    extract: UsableExtract | None = None,
    element: str = Element.TEXT,
    named: bool = False,
    target: models.Model | None = None,
    notes: str = "",
) -> TestimonyUse:
    """Record one use (advocacy evidence, note, briefing, interview…), gate first.

    Every consumer calls this: if the gate denies, UsageDenied is raised and nothing is
    written. The user must be able to see the testimony.
    """
    if not testimonies_visible_to(used_by).filter(pk=testimony.pk).exists():
        raise PermissionDenied
    locked = (
        Testimony.objects.select_for_update(of=("self",))
        .select_related("site", "current_consent")
        .get(pk=testimony.pk)
    )
    used_on = used_on or timezone.localdate()
    if used_on > timezone.localdate():
        raise ValidationError({"used_on": _("Cette date est dans le futur.")})
    usability = testimony_usability(
        locked, audience, on=used_on, element=element, named=named, extract=extract
    )
    if not usability.allowed:
        raise UsageDenied(usability)
    use = TestimonyUse(
        testimony=locked,
        extract=extract,
        audience=audience,
        element=element,
        named=named,
        where=(where or "").strip(),
        used_by=used_by,
        used_on=used_on,
        notes=(notes or "").strip(),
    )
    if target is not None:
        use.target_type = ContentType.objects.get_for_model(target)
        use.target_id = str(target.pk)
    use.full_clean()
    use.save(force_insert=True)
    record_event(testimony=locked, kind=TestimonyEvent.Kind.USED, actor=used_by, fields=["uses"])
    return use


@transaction.atomic
def use_takedown_mark(*, use: TestimonyUse, user, done: bool = True) -> TestimonyUse:
    """Tick (or untick) a use on the takedown checklist of a withdrawn testimony."""
    if not is_reviewer(user):
        raise PermissionDenied
    use.takedown_done_at = timezone.now() if done else None
    use.takedown_done_by = user if done else None
    use.save(update_fields=["takedown_done_at", "takedown_done_by"])
    record_event(
        testimony=use.testimony,
        kind=TestimonyEvent.Kind.TAKEDOWN_DONE,
        actor=user,
        fields=["uses.takedown_done_at"],
    )
    return use


@transaction.atomic
def testimonies_export_record(
    *, user, testimonies: list[Testimony], audience: str, export_format: str, request=None
) -> None:
    """An export is audited; for partners or the public it is also a use of every
    testimony in it, so a later withdrawal lists the export on its takedown checklist.

    `testimonies` were already filtered through the gate (`usable_q(audience)`).
    """
    from core.models import AuditEvent
    from core.services import audit_record

    from ..models import Audience

    if audience in (Audience.PARTNERS, Audience.PUBLIC) and testimonies:
        today = timezone.localdate()
        where = _("Export %(format)s (%(audience)s) du %(date)s") % {
            "format": export_format.upper(),
            "audience": Audience(audience).label,
            "date": today.strftime("%d/%m/%Y"),
        }
        TestimonyUse.objects.bulk_create(
            [
                TestimonyUse(
                    testimony=t, audience=audience, where=where, used_by=user, used_on=today
                )
                for t in testimonies
            ]
        )
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type=Testimony._meta.label_lower,
        request=request,
        detail={"format": export_format, "mode": audience, "rows": len(testimonies)},
    )
