"""Writes of the monthly briefing: editions, their renders, the schedule, the emails.

Rendering is the generic PDF job's (`core.pdf_jobs`): `briefing_render_request` asks for
one (a retry or a regeneration is the same call), the worker renders it
(`influence.briefing.document`), and `briefing_notify` emails the subscribers once.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.core.mail.message import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.extensions import registry
from core.models import AuditEvent, PdfJob
from core.pdf_jobs import pdf_job_latest, pdf_job_request, pdf_job_run_now, pdf_jobs_delete
from core.services import audit_record
from core.updates import model_update

from ..briefing.edition import briefing_title
from ..models import Briefing, BriefingSubscription
from ..permissions import can_manage_briefings
from ..selectors.briefings import BRIEFING_PDF, briefing_for, briefing_recipients

BRIEFING_FIELDS = (
    "period_start",
    "period_end",
    "audience",
    "language",
    "introduction",
    "disabled_sections",
)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return month_bounds(end.year, end.month)


def _check(briefing: Briefing) -> None:
    known = {s.key for s in registry.briefing()}
    off = [key for key in briefing.disabled_sections or [] if key in known]
    briefing.disabled_sections = sorted(set(off))
    if briefing.period_start and briefing.period_end:
        if briefing.period_end < briefing.period_start:
            raise ValidationError({"period_end": _("La fin de la période précède son début.")})
        if (briefing.period_end - briefing.period_start).days > 366:
            raise ValidationError({"period_end": _("Une période ne dépasse pas un an.")})
    clash = Briefing.objects.filter(
        period_start=briefing.period_start,
        period_end=briefing.period_end,
        audience=briefing.audience,
        language=briefing.language,
    ).exclude(pk=briefing.pk)
    if clash.exists():
        raise ValidationError(
            _("Un briefing existe déjà pour cette période, ce public et cette langue.")
        )


def _save(briefing: Briefing) -> None:
    _check(briefing)
    briefing.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            briefing.save()
    except IntegrityError:  # created meanwhile by someone else (or by beat)
        raise ValidationError(
            _("Un briefing existe déjà pour cette période, ce public et cette langue.")
        ) from None


@transaction.atomic
def briefing_create(*, user, data: dict[str, Any], request=None) -> Briefing:
    if not can_manage_briefings(user):
        raise PermissionDenied
    briefing = Briefing(created_by=user)
    model_update(instance=briefing, fields=BRIEFING_FIELDS, data=data, save=False)
    _save(briefing)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=briefing, request=request)
    return briefing


@transaction.atomic
def briefing_update(*, briefing: Briefing, user, data: dict[str, Any], request=None) -> list[str]:
    if not can_manage_briefings(user):
        raise PermissionDenied
    changed = model_update(instance=briefing, fields=BRIEFING_FIELDS, data=data, save=False)
    if changed:
        _save(briefing)
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=briefing,
            request=request,
            detail={"fields": ",".join(sorted(changed))},
        )
    return changed


@transaction.atomic
def briefing_delete(*, briefing: Briefing, user, request=None) -> None:
    if not can_manage_briefings(user):
        raise PermissionDenied
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=briefing, request=request)
    pdf_jobs_delete(kind=BRIEFING_PDF, object_id=briefing.pk)
    briefing.delete()


def briefing_render_request(*, briefing: Briefing, user, request=None) -> PdfJob:
    """Queue a render (first one, retry or regeneration): the generic PDF job reuses a
    queued or rendering job and sends again one that is stuck."""
    if not can_manage_briefings(user):
        raise PermissionDenied
    return pdf_job_request(
        kind=BRIEFING_PDF, object_id=briefing.pk, user=user, request=request, audit_obj=briefing
    )


@transaction.atomic
def briefing_schedule_month(
    *, today: datetime.date | None = None, regenerate: bool = False
) -> tuple[Briefing, PdfJob | None]:
    """The previous month's internal briefing (beat, on the 1st): the edition is created
    unless coordinators prepared it (with its introduction), and rendered unless a render
    is already ready or under way. Running it twice makes one briefing and one render;
    `regenerate` asks for a new render anyway. Returns the briefing and the job asked
    for (None when nothing was asked)."""
    from django.conf import settings

    today = today or timezone.localdate()
    start, end = previous_month(today)
    language = settings.INFLUENCE_BRIEFING_LANGUAGE
    audience = Briefing.Audience.INTERNAL
    briefing = briefing_for(start=start, end=end, audience=audience, language=language)
    if briefing is None:
        briefing, _created = Briefing.objects.get_or_create(
            period_start=start,
            period_end=end,
            audience=audience,
            language=language,
            defaults={"scheduled": True},
        )
    latest = pdf_job_latest(kind=BRIEFING_PDF, object_id=briefing.pk)
    if latest is not None and latest.status != PdfJob.Status.FAILED and not regenerate:
        return briefing, None
    job = pdf_job_request(kind=BRIEFING_PDF, object_id=briefing.pk, user=None, audit_obj=briefing)
    return briefing, job


def briefing_render_now(
    *,
    start: datetime.date,
    end: datetime.date,
    audience: str,
    language: str,
    user=None,
) -> tuple[Briefing, PdfJob]:
    """Render an edition in this process, through the same PDF job as the workers (the
    `briefing_render` command). The edition is created when it does not exist yet."""
    briefing = briefing_for(start=start, end=end, audience=audience, language=language)
    if briefing is None:
        briefing = Briefing(
            period_start=start, period_end=end, audience=audience, language=language
        )
        _save(briefing)
    job = pdf_job_run_now(kind=BRIEFING_PDF, object_id=briefing.pk, user=user)
    return briefing, job


def briefing_notify(*, briefing_id: int, job_id: int) -> int:
    """Email the subscribers who may read it that the briefing is ready: a link to its
    page (never the file). Sent once per render: the briefing remembers the render it
    announced, claimed under a row lock. Returns the number of emails sent."""
    from django.conf import settings

    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().filter(pk=briefing_id).first()
        if briefing is None or briefing.notified_job_id == job_id:
            return 0
        job = PdfJob.objects.filter(
            pk=job_id, kind=BRIEFING_PDF, object_id=str(briefing_id), status=PdfJob.Status.READY
        ).first()
        if job is None:
            return 0
        recipients = briefing_recipients(briefing)
        url = settings.SITE_URL.rstrip("/") + briefing.get_absolute_url()
        messages = []
        for user in recipients:
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                context = {
                    "user": user,
                    "title": briefing_title(briefing),
                    "audience": Briefing.Audience(briefing.audience).label,
                    "language": Briefing.Language(briefing.language).label,
                    "pages": job.page_count,
                    "url": url,
                }
                subject = render_to_string(
                    "influence/email/briefing_ready_subject.txt", context
                ).strip()
                text = render_to_string("influence/email/briefing_ready.txt", context)
                html = render_to_string("influence/email/briefing_ready.html", context)
            message = EmailMultiAlternatives(subject, text, to=[user.email])
            message.attach_alternative(html, "text/html")
            messages.append(message)
        if messages:
            get_connection().send_messages(messages)
        Briefing.objects.filter(pk=briefing_id).update(notified_job_id=job_id)
    return len(messages)


@transaction.atomic
def briefing_subscription_set(*, user, subscribed: bool) -> bool:
    """Receive (or stop receiving) an email when a briefing is ready."""
    from ..permissions import can_read_briefings

    if not can_read_briefings(user):
        raise PermissionDenied
    if subscribed:
        _sub, created = BriefingSubscription.objects.get_or_create(user=user)
        changed = created
    else:
        changed = BriefingSubscription.objects.filter(user=user).delete()[0] > 0
    if changed:
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            object_type="influence.briefingsubscription",
            object_id=str(user.pk),
            detail={"subscribed": subscribed},
        )
    return subscribed
