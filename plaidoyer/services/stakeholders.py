"""Organisations and stakeholders: create, update, archive or delete, merge duplicates,
and erase a person's data on request."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from core.updates import model_update

from .. import permissions
from ..models import (
    AdvocacyAction,
    Interaction,
    Organisation,
    Outcome,
    Position,
    Stakeholder,
    StatementSignature,
)
from ._common import Action, audit, changed_detail, require_country, require_edit

ORGANISATION_FIELDS = ("name", "acronym", "kind", "country", "website", "notes")
STAKEHOLDER_FIELDS = (
    "full_name",
    "function",
    "organisation",
    "country",
    "email",
    "phone",
    "languages",
    "influence",
    "interest",
    "alignment",
    "owner",
    "can_restrict_operations",
    "notes",
)

# --- Organisations ------------------------------------------------------------------------


def _check_organisation_name(organisation: Organisation) -> None:
    clash = Organisation.objects.filter(
        name__iexact=organisation.name.strip(), country=organisation.country_id
    ).exclude(pk=organisation.pk)
    if clash.exists():
        raise ValidationError({"name": _("Une organisation de ce nom existe déjà dans ce pays.")})


@transaction.atomic
def organisation_create(*, user, data: dict[str, Any], request=None) -> Organisation:
    organisation = Organisation(created_by=user)
    model_update(instance=organisation, fields=ORGANISATION_FIELDS, data=data, save=False)
    require_country(user, organisation.country_id and organisation.country)
    _check_organisation_name(organisation)
    organisation.refresh_search_text()
    organisation.full_clean()
    organisation.save()
    audit(user=user, action=Action.CREATE, obj=organisation, request=request)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, user, data: dict[str, Any], request=None
) -> list[str]:
    require_edit(user, organisation)
    changed = model_update(instance=organisation, fields=ORGANISATION_FIELDS, data=data, save=False)
    require_country(user, organisation.country)
    _check_organisation_name(organisation)
    organisation.refresh_search_text()
    organisation.full_clean()
    organisation.save()
    if changed:
        audit(
            user=user,
            action=Action.CHANGE,
            obj=organisation,
            request=request,
            **changed_detail(changed),
        )
    return changed


def organisation_delete_blockers(organisation: Organisation) -> dict[str, int]:
    """What keeps an organisation from being deleted (people, signed statements)."""
    blockers = {
        "stakeholders": organisation.stakeholders.count(),
        "signatures": StatementSignature.objects.filter(organisation=organisation).count(),
    }
    return {key: n for key, n in blockers.items() if n}


@transaction.atomic
def organisation_delete(*, organisation: Organisation, user, request=None) -> None:
    """Delete an organisation nobody belongs to; otherwise refuse and say why (archive it
    instead: its people and history stay)."""
    require_edit(user, organisation)
    blockers = organisation_delete_blockers(organisation)
    if blockers:
        parts = []
        if "stakeholders" in blockers:
            parts.append(
                _("%(n)s interlocuteur(s) y sont rattachés") % {"n": blockers["stakeholders"]}
            )
        if "signatures" in blockers:
            parts.append(
                _("elle figure parmi les signataires de %(n)s déclaration(s)")
                % {"n": blockers["signatures"]}
            )
        raise ValidationError(
            _(
                "Impossible de supprimer « %(name)s » : %(why)s. Archivez-la plutôt : elle "
                "disparaîtra des listes sans rien perdre de son historique."
            )
            % {"name": organisation.name, "why": _(" ; ").join(parts)}
        )
    audit(user=user, action=Action.DELETE, obj=organisation, request=request)
    organisation.delete()


@transaction.atomic
def organisation_archive(
    *, organisation: Organisation, user, archived: bool = True, request=None
) -> Organisation:
    require_edit(user, organisation)
    organisation.archived_at = timezone.now() if archived else None
    organisation.save(update_fields=["archived_at", "updated_at"])
    audit(user=user, action=Action.CHANGE, obj=organisation, request=request, archived=archived)
    return organisation


# --- Stakeholders -------------------------------------------------------------------------


def _check_stakeholder(stakeholder: Stakeholder) -> None:
    if stakeholder.organisation_id and stakeholder.organisation.archived_at is not None:
        raise ValidationError(
            {"organisation": _("Cette organisation est archivée : choisissez-en une autre.")}
        )


@transaction.atomic
def stakeholder_create(*, user, data: dict[str, Any], request=None) -> Stakeholder:
    stakeholder = Stakeholder(created_by=user)
    model_update(instance=stakeholder, fields=STAKEHOLDER_FIELDS, data=data, save=False)
    require_country(user, stakeholder.country_id and stakeholder.country)
    _check_stakeholder(stakeholder)
    stakeholder.refresh_search_text()
    stakeholder.full_clean()
    stakeholder.save()
    audit(user=user, action=Action.CREATE, obj=stakeholder, request=request)
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *, stakeholder: Stakeholder, user, data: dict[str, Any], request=None
) -> list[str]:
    require_edit(user, stakeholder)
    changed = model_update(instance=stakeholder, fields=STAKEHOLDER_FIELDS, data=data, save=False)
    require_country(user, stakeholder.country)
    if "organisation" in changed:
        _check_stakeholder(stakeholder)
    stakeholder.refresh_search_text()
    stakeholder.full_clean()
    stakeholder.save()
    if changed:
        audit(
            user=user,
            action=Action.CHANGE,
            obj=stakeholder,
            request=request,
            **changed_detail(changed),
        )
    return changed


def stakeholders_contact_refresh(stakeholder_ids) -> None:
    """Recompute "last contact" (the latest exchange, confidential ones included: the date
    is not their content) for these stakeholders."""
    ids = list(set(stakeholder_ids))
    if not ids:
        return
    latest = dict(
        Interaction.stakeholders.through.objects.filter(stakeholder_id__in=ids)
        .values("stakeholder_id")
        .annotate(last=Max("interaction__occurred_on"))
        .values_list("stakeholder_id", "last")
    )
    for stakeholder in Stakeholder.objects.filter(pk__in=ids).only("pk", "last_contact_on"):
        last = latest.get(stakeholder.pk)
        if stakeholder.last_contact_on != last:
            Stakeholder.objects.filter(pk=stakeholder.pk).update(last_contact_on=last)


def _move_m2m(through, field: str, old_id: int, new_id: int, owner_field: str) -> int:
    """Point the `through` rows of `old_id` at `new_id`, dropping those already there."""
    rows = through.objects.filter(**{field: old_id})
    already = set(through.objects.filter(**{field: new_id}).values_list(owner_field, flat=True))
    moved = rows.exclude(**{f"{owner_field}__in": already}).update(**{field: new_id})
    rows.delete()
    return moved


@transaction.atomic
def stakeholder_merge(
    *, kept: Stakeholder, duplicate: Stakeholder, user, request=None
) -> dict[str, int]:
    """Merge `duplicate` into `kept`: its exchanges, positions, action targets and
    outcomes move to the kept record, empty fields of the kept record are filled from the
    duplicate, then the duplicate is deleted. Audited on the kept record."""
    if kept.pk == duplicate.pk:
        raise ValidationError(_("Choisissez deux fiches différentes."))
    require_edit(user, kept)
    require_edit(user, duplicate)
    kept = Stakeholder.objects.select_for_update().get(pk=kept.pk)
    duplicate = Stakeholder.objects.select_for_update().get(pk=duplicate.pk)
    counts = {
        "interactions": _move_m2m(
            Interaction.stakeholders.through,
            "stakeholder_id",
            duplicate.pk,
            kept.pk,
            "interaction_id",
        ),
        "targets": _move_m2m(
            AdvocacyAction.target_stakeholders.through,
            "stakeholder_id",
            duplicate.pk,
            kept.pk,
            "advocacyaction_id",
        ),
        "positions": Position.objects.filter(stakeholder=duplicate).update(stakeholder=kept),
        "outcomes": Outcome.objects.filter(stakeholder=duplicate).update(stakeholder=kept),
    }
    filled = []
    for name in ("function", "email", "phone", "languages"):
        if not getattr(kept, name) and getattr(duplicate, name):
            setattr(kept, name, getattr(duplicate, name))
            filled.append(name)
    if duplicate.notes.strip():
        kept.notes = "\n\n".join(n for n in (kept.notes.strip(), duplicate.notes.strip()) if n)
        filled.append("notes")
    if kept.owner_id is None and duplicate.owner_id:
        kept.owner_id = duplicate.owner_id
        filled.append("owner")
    kept.can_restrict_operations = kept.can_restrict_operations or duplicate.can_restrict_operations
    kept.refresh_search_text()
    kept.save()
    duplicate_id = duplicate.pk
    duplicate.delete()
    stakeholders_contact_refresh([kept.pk])
    audit(
        user=user,
        action=Action.CHANGE,
        obj=kept,
        request=request,
        change="merge",
        merged_id=duplicate_id,
        filled=",".join(filled),
        **counts,
    )
    return counts


@transaction.atomic
def stakeholder_erase(*, stakeholder: Stakeholder, user, request=None) -> Organisation:
    """Erase a person's data on their request: the record and the positions attributed to
    them are deleted; the exchanges, action targets and outcomes that named them keep
    their organisation instead. Audited without any personal data."""
    if not permissions.can_erase(user, stakeholder):
        raise PermissionDenied
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    organisation = stakeholder.organisation
    interactions = list(stakeholder.interactions.values_list("pk", flat=True))
    through = Interaction.organisations.through
    present = set(
        through.objects.filter(
            interaction_id__in=interactions, organisation_id=organisation.pk
        ).values_list("interaction_id", flat=True)
    )
    through.objects.bulk_create(
        [
            through(interaction_id=pk, organisation_id=organisation.pk)
            for pk in interactions
            if pk not in present
        ]
    )
    actions = list(stakeholder.targeted_by.values_list("pk", flat=True))
    targets = AdvocacyAction.target_organisations.through
    targeted = set(
        targets.objects.filter(
            advocacyaction_id__in=actions, organisation_id=organisation.pk
        ).values_list("advocacyaction_id", flat=True)
    )
    targets.objects.bulk_create(
        [
            targets(advocacyaction_id=pk, organisation_id=organisation.pk)
            for pk in actions
            if pk not in targeted
        ]
    )
    outcomes = Outcome.objects.filter(stakeholder=stakeholder)
    outcomes.filter(organisation__isnull=True).update(organisation=organisation)
    outcome_count = outcomes.update(stakeholder=None)
    positions = stakeholder.positions.count()
    stakeholder_id = stakeholder.pk
    stakeholder.delete()
    audit_record(
        actor=user,
        action=Action.DELETE,
        object_type=Stakeholder._meta.label_lower,
        object_id=stakeholder_id,
        request=request,
        detail={
            "change": "erasure",
            "interactions": len(interactions),
            "actions": len(actions),
            "outcomes": outcome_count,
            "positions": positions,
        },
    )
    return organisation
