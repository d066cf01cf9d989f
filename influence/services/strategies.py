"""Strategies and their operational risks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.services import audit_record
from core.updates import model_update

from ..models import OperationalRisk, Strategy

STRATEGY_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "under_study",
    "common_thread",
    "context",
)
RISK_FIELDS = ("title", "description", "likelihood", "impact", "mitigation")


def _check_period(strategy: Strategy) -> None:
    if (
        strategy.period_start
        and strategy.period_end
        and strategy.period_end < strategy.period_start
    ):
        raise ValidationError(
            {"period_end": _("La fin de la période doit être postérieure à son début.")}
        )


@transaction.atomic
def strategy_create(
    *, user, data: dict[str, Any], country=None, parent: Strategy | None = None
) -> Strategy:
    """A unit strategy (no country, no parent) or a country strategy under `parent`."""
    if (country is None) != (parent is None):
        raise ValidationError(
            _(
                "Une stratégie pays a un pays et une stratégie de l'unité ; celle de l'unité "
                "n'a ni l'un ni l'autre."
            )
        )
    if parent is not None and parent.scope != Strategy.Scope.UNIT:
        raise ValidationError({"parent": _("Choisissez une stratégie de l'unité.")})
    strategy = Strategy(
        scope=Strategy.Scope.COUNTRY if country else Strategy.Scope.UNIT,
        country=country,
        parent=parent,
    )
    model_update(instance=strategy, fields=STRATEGY_FIELDS, data=data, save=False)
    _check_period(strategy)
    strategy.full_clean()
    strategy.save()
    audit_record(
        actor=user, action=AuditEvent.Action.CREATE, obj=strategy, detail={"scope": strategy.scope}
    )
    return strategy


@transaction.atomic
def strategy_update(*, strategy: Strategy, user, data: dict[str, Any]) -> list[str]:
    changed = model_update(instance=strategy, fields=STRATEGY_FIELDS, data=data, save=False)
    _check_period(strategy)
    strategy.full_clean()
    strategy.save()
    if changed:
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=strategy,
            detail={"fields": ",".join(changed)},
        )
    return changed


@transaction.atomic
def strategy_validate(*, strategy: Strategy, user) -> Strategy:
    """draft → validated, dated and signed by the coordinator."""
    if strategy.status != Strategy.Status.DRAFT:
        raise ValidationError(_("Seule une stratégie en brouillon peut être validée."))
    strategy.status = Strategy.Status.VALIDATED
    strategy.validated_at = timezone.now()
    strategy.validated_by = user
    strategy.full_clean()
    strategy.save(update_fields=["status", "validated_at", "validated_by", "updated_at"])
    audit_record(
        actor=user, action=AuditEvent.Action.CHANGE, obj=strategy, detail={"status": "validated"}
    )
    return strategy


@transaction.atomic
def strategy_archive(*, strategy: Strategy, user) -> Strategy:
    if strategy.status == Strategy.Status.ARCHIVED:
        return strategy
    strategy.status = Strategy.Status.ARCHIVED
    strategy.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=user, action=AuditEvent.Action.CHANGE, obj=strategy, detail={"status": "archived"}
    )
    return strategy


@transaction.atomic
def risk_create(*, strategy: Strategy, user, data: dict[str, Any]) -> OperationalRisk:
    risk = OperationalRisk(strategy=strategy)
    model_update(instance=risk, fields=RISK_FIELDS, data=data)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=risk)
    return risk


@transaction.atomic
def risk_update(*, risk: OperationalRisk, user, data: dict[str, Any]) -> list[str]:
    changed = model_update(instance=risk, fields=RISK_FIELDS, data=data)
    if changed:
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=risk,
            detail={"fields": ",".join(changed)},
        )
    return changed


@transaction.atomic
def risk_delete(*, risk: OperationalRisk, user) -> None:
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=risk)
    risk.delete()
