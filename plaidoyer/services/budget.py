"""Budget lines of the unit's influence work (coordinators)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.updates import model_update

from .. import permissions
from ..models import BudgetLine
from ._common import Action, audit, changed_detail

LINE_FIELDS = ("year", "name", "country", "allocation", "notes")


@transaction.atomic
def budget_line_create(*, user, data: dict[str, Any], request=None) -> BudgetLine:
    if not permissions.can_manage_budget(user):
        raise PermissionDenied
    line = BudgetLine()
    model_update(instance=line, fields=LINE_FIELDS, data=data)
    audit(user=user, action=Action.CREATE, obj=line, request=request)
    return line


@transaction.atomic
def budget_line_update(*, line: BudgetLine, user, data: dict[str, Any], request=None) -> list[str]:
    if not permissions.can_manage_budget(user):
        raise PermissionDenied
    changed = model_update(instance=line, fields=LINE_FIELDS, data=data)
    if changed:
        audit(user=user, action=Action.CHANGE, obj=line, request=request, **changed_detail(changed))
    return changed
