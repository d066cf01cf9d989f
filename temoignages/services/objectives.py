"""Collection objectives: how many testimonies on a theme, where, over which period, why.

Writes are for unit-wide coordinators. Progress is read by
`temoignages.selectors.objectives_with_progress` (one query for any number of
objectives).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import AuditEvent, Country, Site, Theme
from core.services import audit_record
from core.updates import model_update

from ..models import CollectionObjective
from ..permissions import is_reviewer

OBJECTIVE_FIELDS = (
    "theme",
    "site",
    "country",
    "period_start",
    "period_end",
    "target_count",
    "reason",
)


def _check(objective: CollectionObjective) -> None:
    errors: dict[str, str] = {}
    if objective.site_id and objective.country_id:
        errors["country"] = _("Choisissez un site ou un pays, pas les deux.")
    elif not objective.site_id and not objective.country_id:
        errors["site"] = _("Choisissez le site ou le pays concerné.")
    if (
        objective.period_start
        and objective.period_end
        and objective.period_end < objective.period_start
    ):
        errors["period_end"] = _("La fin de la période vient avant son début.")
    if not (objective.reason or "").strip():
        errors["reason"] = _("Expliquez pourquoi ces témoignages sont recherchés.")
    if errors:
        raise ValidationError(errors)
    objective.full_clean()


@transaction.atomic
def objective_create(
    *,
    user,
    theme: Theme,
    period_start: datetime.date,
    period_end: datetime.date,
    target_count: int,
    reason: str,
    site: Site | None = None,
    country: Country | None = None,
) -> CollectionObjective:
    if not is_reviewer(user):
        raise PermissionDenied
    objective = CollectionObjective(
        theme=theme,
        site=site,
        country=country,
        period_start=period_start,
        period_end=period_end,
        target_count=target_count,
        reason=(reason or "").strip(),
        created_by=user,
    )
    _check(objective)
    objective.save()
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=objective)
    return objective


@transaction.atomic
def objective_update(*, objective: CollectionObjective, user, **fields) -> CollectionObjective:
    if not is_reviewer(user):
        raise PermissionDenied
    if "reason" in fields:
        fields["reason"] = fields["reason"] or ""
    changed = model_update(instance=objective, fields=OBJECTIVE_FIELDS, data=fields, save=False)
    _check(objective)
    objective.save()
    if changed:
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=objective,
            detail={"fields": ",".join(changed)},
        )
    return objective


@transaction.atomic
def objective_delete(*, objective: CollectionObjective, user) -> None:
    """Remove an objective; testimonies are not touched (it only counted them)."""
    if not is_reviewer(user):
        raise PermissionDenied
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=objective)
    objective.delete()
