"""Interactions, their follow-ups, and the positions stakeholders take."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.updates import model_update

from .. import permissions
from ..models import FollowUp, Interaction, Position, Stakeholder
from ._common import Action, audit, changed_detail, require_country, require_edit
from .stakeholders import stakeholders_contact_refresh

INTERACTION_FIELDS = (
    "kind",
    "occurred_on",
    "title",
    "country",
    "coalition",
    "summary",
    "asks",
    "answers",
    "sensitivity",
)
RELATIONS = ("stakeholders", "organisations", "participants")
FOLLOW_UP_FIELDS = ("description", "owner", "due_on")
POSITION_FIELDS = (
    "theme",
    "support",
    "stated_on",
    "source",
    "interaction",
    "item",
    "source_detail",
)


def _check_interaction(interaction: Interaction) -> None:
    if (
        interaction.occurred_on
        and interaction.occurred_on > timezone.localdate() + datetime.timedelta(days=366)
    ):
        raise ValidationError(
            {"occurred_on": _("Cette date est à plus d'un an : vérifiez l'année.")}
        )


def _set_relations(interaction: Interaction, relations: dict[str, Any]) -> list[str]:
    changed = []
    stakeholders = relations.get("stakeholders")
    organisations = relations.get("organisations")
    if stakeholders is not None:
        stakeholders = list(stakeholders)
        if organisations is None:
            organisations = interaction.organisations.all()
        organisations = list(organisations)
        known = {o.pk for o in organisations}
        for person in stakeholders:
            if person.organisation_id not in known:
                organisations.append(person.organisation)
                known.add(person.organisation_id)
    for name, values in (
        ("stakeholders", stakeholders),
        ("organisations", organisations),
        ("participants", relations.get("participants")),
    ):
        if values is None:
            continue
        manager = getattr(interaction, name)
        before = set(manager.values_list("pk", flat=True))
        after = {v.pk for v in values}
        if before != after:
            manager.set(values)
            changed.append(name)
    return changed


def _validate_follow_up(follow_up: FollowUp, interaction: Interaction) -> None:
    if follow_up.due_on and interaction.occurred_on and follow_up.due_on < interaction.occurred_on:
        raise ValidationError(
            {
                "due_on": _(
                    "L'échéance ne peut pas précéder l'échange (le %(date)s) : une suite se "
                    "donne après."
                )
                % {"date": interaction.occurred_on.strftime("%d/%m/%Y")}
            }
        )
    follow_up.full_clean(exclude=["interaction"])


@transaction.atomic
def interaction_create(
    *, user, data: dict[str, Any], follow_ups: list[dict[str, Any]] = (), request=None
) -> Interaction:
    """Record an exchange (its stakeholders' organisations are added to it), with its first
    follow-ups; the stakeholders' "last contact" moves with it."""
    data = dict(data)
    relations = {name: data.pop(name) for name in RELATIONS if name in data}
    interaction = Interaction(author=user)
    model_update(instance=interaction, fields=INTERACTION_FIELDS, data=data, save=False)
    require_country(user, interaction.country_id and interaction.country)
    _check_interaction(interaction)
    interaction.full_clean()
    interaction.save()
    _set_relations(interaction, relations)
    for values in follow_ups:
        follow_up = FollowUp(interaction=interaction, **values)
        _validate_follow_up(follow_up, interaction)
        follow_up.save()
    stakeholders_contact_refresh(s.pk for s in relations.get("stakeholders") or [])
    audit(
        user=user,
        action=Action.CREATE,
        obj=interaction,
        request=request,
        sensitivity=interaction.sensitivity,
        follow_ups=len(follow_ups),
    )
    return interaction


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, user, data: dict[str, Any], request=None
) -> list[str]:
    require_edit(user, interaction)
    if not permissions.can_see_interaction(user, interaction):
        raise PermissionDenied
    data = dict(data)
    relations = {name: data.pop(name) for name in RELATIONS if name in data}
    before = set(interaction.stakeholders.values_list("pk", flat=True))
    changed = model_update(instance=interaction, fields=INTERACTION_FIELDS, data=data, save=False)
    require_country(user, interaction.country)
    _check_interaction(interaction)
    interaction.full_clean()
    interaction.save()
    changed += _set_relations(interaction, relations)
    if (
        "occurred_on" in changed
        and interaction.follow_ups.filter(due_on__lt=interaction.occurred_on).exists()
    ):
        raise ValidationError(
            {
                "occurred_on": _(
                    "Des suites à donner sont dues avant cette date : changez-les d'abord."
                )
            }
        )
    after = set(interaction.stakeholders.values_list("pk", flat=True))
    stakeholders_contact_refresh(before | after)
    if changed:
        audit(
            user=user,
            action=Action.CHANGE,
            obj=interaction,
            request=request,
            **changed_detail(changed),
        )
    return changed


@transaction.atomic
def interaction_delete(*, interaction: Interaction, user, request=None) -> None:
    require_edit(user, interaction)
    if not permissions.can_see_interaction(user, interaction):
        raise PermissionDenied
    people = list(interaction.stakeholders.values_list("pk", flat=True))
    audit(user=user, action=Action.DELETE, obj=interaction, request=request)
    interaction.delete()
    stakeholders_contact_refresh(people)


# --- Follow-ups ---------------------------------------------------------------------------


@transaction.atomic
def follow_up_create(
    *, interaction: Interaction, user, data: dict[str, Any], request=None
) -> FollowUp:
    require_edit(user, interaction)
    follow_up = FollowUp(interaction=interaction)
    model_update(instance=follow_up, fields=FOLLOW_UP_FIELDS, data=data, save=False)
    _validate_follow_up(follow_up, interaction)
    follow_up.save()
    audit(user=user, action=Action.CREATE, obj=follow_up, request=request)
    return follow_up


@transaction.atomic
def follow_up_mark(*, follow_up: FollowUp, user, done: bool = True, request=None) -> FollowUp:
    """Tick a follow-up done (or open it again): its owner or the exchange's editors."""
    if not permissions.can_edit_follow_up(user, follow_up):
        raise PermissionDenied
    follow_up.done_at = timezone.now() if done else None
    follow_up.done_by = user if done else None
    follow_up.save(update_fields=["done_at", "done_by"])
    audit(user=user, action=Action.CHANGE, obj=follow_up, request=request, done=done)
    return follow_up


@transaction.atomic
def follow_up_delete(*, follow_up: FollowUp, user, request=None) -> None:
    require_edit(user, follow_up.interaction)
    audit(user=user, action=Action.DELETE, obj=follow_up, request=request)
    follow_up.delete()


# --- Positions ----------------------------------------------------------------------------


def _check_position(position: Position) -> None:
    errors = {}
    if position.stated_on and position.stated_on > timezone.localdate():
        errors["stated_on"] = _("Cette date est dans le futur.")
    if position.source == Position.Source.INTERACTION:
        if position.interaction_id is None:
            errors["interaction"] = _("Choisissez l'échange où cette position a été exprimée.")
        elif not position.interaction.stakeholders.filter(pk=position.stakeholder_id).exists():
            errors["interaction"] = _(
                "Cette personne ne figure pas parmi les participants de cet échange."
            )
    if position.source == Position.Source.VEILLE_ITEM and position.item_id is None:
        errors["item"] = _("Indiquez l'article de veille (son adresse ou son numéro).")
    if position.source == Position.Source.PUBLIC_STATEMENT and not position.source_detail.strip():
        errors["source_detail"] = _(
            "Indiquez où cette déclaration a été faite (lien, date, média)."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def position_create(
    *, stakeholder: Stakeholder, user, data: dict[str, Any], request=None
) -> Position:
    require_edit(user, stakeholder)
    position = Position(stakeholder=stakeholder, recorded_by=user)
    model_update(instance=position, fields=POSITION_FIELDS, data=data, save=False)
    _check_position(position)
    position.full_clean()
    position.save()
    audit(user=user, action=Action.CREATE, obj=position, request=request)
    return position


@transaction.atomic
def position_delete(*, position: Position, user, request=None) -> None:
    if not permissions.can_edit_position(user, position):
        raise PermissionDenied
    audit(user=user, action=Action.DELETE, obj=position, request=request)
    position.delete()
