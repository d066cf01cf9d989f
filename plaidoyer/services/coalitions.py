"""Coalitions and working groups, and their joint statements with per-member sign-off."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.updates import model_update

from .. import permissions
from ..models import Coalition, JointStatement, StatementSignature
from ._common import Action, audit, changed_detail, require_country, require_edit

COALITION_FIELDS = ("name", "kind", "level", "country", "representative", "mandate")
COALITION_RELATIONS = ("members", "themes")
STATEMENT_FIELDS = ("title", "text", "deadline", "status", "published_on")


def _set_relations(coalition: Coalition, relations: dict[str, Any]) -> list[str]:
    changed = []
    for name, values in relations.items():
        manager = getattr(coalition, name)
        if set(manager.values_list("pk", flat=True)) != {v.pk for v in values}:
            manager.set(values)
            changed.append(name)
    return changed


@transaction.atomic
def coalition_create(*, user, data: dict[str, Any], request=None) -> Coalition:
    data = dict(data)
    relations = {name: data.pop(name) for name in COALITION_RELATIONS if name in data}
    coalition = Coalition()
    model_update(instance=coalition, fields=COALITION_FIELDS, data=data, save=False)
    require_country(user, coalition.country_id and coalition.country)
    coalition.full_clean()
    coalition.save()
    _set_relations(coalition, relations)
    audit(user=user, action=Action.CREATE, obj=coalition, request=request)
    return coalition


@transaction.atomic
def coalition_update(
    *, coalition: Coalition, user, data: dict[str, Any], request=None
) -> list[str]:
    """Update; members who join are invited to sign the statements still open."""
    require_edit(user, coalition)
    data = dict(data)
    relations = {name: data.pop(name) for name in COALITION_RELATIONS if name in data}
    changed = model_update(instance=coalition, fields=COALITION_FIELDS, data=data, save=False)
    require_country(user, coalition.country)
    coalition.full_clean()
    coalition.save()
    changed += _set_relations(coalition, relations)
    if "members" in changed:
        for statement in coalition.statements.filter(status__in=["draft", "sign_off"]):
            _invite(statement)
    if changed:
        audit(
            user=user,
            action=Action.CHANGE,
            obj=coalition,
            request=request,
            **changed_detail(changed),
        )
    return changed


def _invite(statement: JointStatement) -> int:
    """Every member of the coalition is invited to sign (idempotent)."""
    invited = set(statement.signatures.values_list("organisation_id", flat=True))
    rows = [
        StatementSignature(statement=statement, organisation_id=pk)
        for pk in statement.coalition.members.values_list("pk", flat=True)
        if pk not in invited
    ]
    StatementSignature.objects.bulk_create(rows)
    return len(rows)


def _check_statement(statement: JointStatement) -> None:
    if statement.status == JointStatement.Status.PUBLISHED and statement.published_on is None:
        statement.published_on = timezone.localdate()
    if statement.published_on and statement.published_on > timezone.localdate():
        raise ValidationError({"published_on": _("Cette date est dans le futur.")})
    if statement.published_on and statement.status != JointStatement.Status.PUBLISHED:
        raise ValidationError(
            {"published_on": _("Une date de publication suppose le statut « Publiée ».")}
        )


@transaction.atomic
def statement_create(
    *, coalition: Coalition, user, data: dict[str, Any], request=None
) -> JointStatement:
    require_edit(user, coalition)
    statement = JointStatement(coalition=coalition)
    model_update(instance=statement, fields=STATEMENT_FIELDS, data=data, save=False)
    _check_statement(statement)
    statement.full_clean()
    statement.save()
    invited = _invite(statement)
    audit(user=user, action=Action.CREATE, obj=statement, request=request, invited=invited)
    return statement


@transaction.atomic
def statement_update(
    *, statement: JointStatement, user, data: dict[str, Any], request=None
) -> list[str]:
    if not permissions.can_edit_statement(user, statement):
        raise ValidationError(_("Vous ne gérez pas cette coalition."))
    changed = model_update(instance=statement, fields=STATEMENT_FIELDS, data=data, save=False)
    _check_statement(statement)
    statement.full_clean()
    statement.save()
    if changed:
        audit(
            user=user,
            action=Action.CHANGE,
            obj=statement,
            request=request,
            **changed_detail(changed),
        )
    return changed


@transaction.atomic
def signature_set(
    *, signature: StatementSignature, user, status: str, request=None
) -> StatementSignature:
    """Record a member's answer (signed, declined) or set it back to invited."""
    if not permissions.can_edit_statement(user, signature.statement):
        raise ValidationError(_("Vous ne gérez pas cette coalition."))
    if status not in StatementSignature.Status.values:
        raise ValidationError(_("Réponse inconnue."))
    signature.status = status
    signature.responded_on = (
        None if status == StatementSignature.Status.INVITED else timezone.localdate()
    )
    signature.save(update_fields=["status", "responded_on"])
    audit(
        user=user, action=Action.CHANGE, obj=signature.statement, request=request, signature=status
    )
    return signature
