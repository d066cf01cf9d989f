"""Reads of consent: a testimony's consent history and the consents to renew soon."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .. import conf
from ..models import Consent, Testimony
from .testimonies import testimonies_visible_to


def testimony_consents(testimony: Testimony) -> QuerySet[Consent]:
    return testimony.consents.select_related(
        "obtained_by", "recorded_by", "withdrawal_recorded_by", "safeguarding_reviewed_by"
    ).order_by("-created_at", "-id")


def consents_expiring(
    user, *, on: datetime.date | None = None, within_days: int | None = None
) -> QuerySet[Testimony]:
    """Testimonies whose current consent expires within `within_days` (30), to renew.

    Already-expired consents are included (they need renewal even more); withdrawn and
    archived testimonies are not.
    """
    on = on or timezone.localdate()
    within = conf.consent_expiring_days() if within_days is None else within_days
    return (
        testimonies_visible_to(user, on=on)
        .filter(
            current_consent__isnull=False,
            current_consent__withdrawn_at__isnull=True,
            current_consent__expires_on__lte=on + datetime.timedelta(days=within),
        )
        .exclude(status__in=[Testimony.Status.WITHDRAWN, Testimony.Status.ARCHIVED])
        .select_related("site", "current_consent")
        .order_by("current_consent__expires_on", "id")
    )
