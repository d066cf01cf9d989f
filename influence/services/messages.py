"""Key messages (masters and country variants, versions, approval) and lines to take."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.services import audit_record
from core.updates import model_update

from ..models import KeyMessage, KeyMessageVersion, LinesToTake

MESSAGE_FIELDS = (
    "theme",
    "audience",
    "language",
    "sensitivity",
    "text",
    "valid_from",
    "valid_until",
)
# What a variant inherits from its master and cannot change on its own.
VARIANT_LOCKED = ("theme", "audience")
LINES_FIELDS = ("title", "meeting_on", "meeting_with", "language")


def _check_validity(message: KeyMessage) -> None:
    if message.valid_from and message.valid_until and message.valid_until < message.valid_from:
        raise ValidationError(
            {"valid_until": _("La fin de validité doit être postérieure à son début.")}
        )


def _snapshot(message: KeyMessage, *, user, change: str) -> None:
    KeyMessageVersion.objects.create(
        message=message,
        number=message.version,
        text=message.text,
        language=message.language,
        status=message.status,
        changed_by=user,
        change=change,
    )


@transaction.atomic
def message_create(
    *, user, data: dict[str, Any], master: KeyMessage | None = None, country=None
) -> KeyMessage:
    """A master (no `master`, no `country`) or a country variant of `master`."""
    if (master is None) != (country is None):
        raise ValidationError(_("Une variante a un pays et un message-cadre."))
    data = dict(data)
    message = KeyMessage(author=user, master=master, country=country)
    if master is not None:
        if master.status == KeyMessage.Status.RETIRED:
            raise ValidationError(_("Ce message-cadre est retiré : on ne le décline plus."))
        for name in VARIANT_LOCKED:
            data[name] = getattr(master, name)
        message.master_version = master.version
    model_update(instance=message, fields=MESSAGE_FIELDS, data=data, save=False)
    _check_validity(message)
    message.full_clean()
    message.save()
    _snapshot(message, user=user, change="created")
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        obj=message,
        detail={"variant": master is not None},
    )
    return message


@transaction.atomic
def message_update(*, message: KeyMessage, user, data: dict[str, Any]) -> list[str]:
    """Edit the text or settings. A change of text makes a new version; an approved
    message goes back to draft (it must be approved again). Editing a variant re-reads
    its master: it is aligned on the master's current version."""
    if message.status == KeyMessage.Status.RETIRED:
        raise ValidationError(_("Un message retiré ne se modifie plus."))
    data = dict(data)
    if message.master_id:
        for name in VARIANT_LOCKED:
            data.pop(name, None)
    changed = model_update(instance=message, fields=MESSAGE_FIELDS, data=data, save=False)
    if message.master_id and message.master_version != message.master.version:
        message.master_version = message.master.version
        changed.append("master_version")
    _check_validity(message)
    if not changed:
        return []
    text_changed = "text" in changed or "language" in changed
    if text_changed:
        message.version += 1
        if message.status == KeyMessage.Status.APPROVED:
            message.status = KeyMessage.Status.DRAFT
            message.approved_by = None
            message.approved_at = None
            changed.append("status")
    message.full_clean()
    message.save()
    if text_changed:
        _snapshot(message, user=user, change="edited")
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=message,
        detail={"fields": ",".join(sorted(changed))},
    )
    return changed


@transaction.atomic
def message_approve(*, message: KeyMessage, user) -> KeyMessage:
    """draft → approved, with approver and date. With `INFLUENCE_MESSAGES_FOUR_EYES` the
    author cannot approve their own message. Approving a master retires the master it
    replaces (same theme and audience)."""
    if message.status != KeyMessage.Status.DRAFT:
        raise ValidationError(_("Seul un message en brouillon peut être approuvé."))
    if settings.INFLUENCE_MESSAGES_FOUR_EYES and message.author_id == user.pk:
        raise ValidationError(
            _(
                "Vous avez rédigé ce message : une autre personne doit l'approuver "
                "(règle des quatre yeux)."
            )
        )
    if message.master_id and message.master.status == KeyMessage.Status.RETIRED:
        raise ValidationError(
            _("Son message-cadre est retiré : rattachez la variante à un message-cadre en vigueur.")
        )
    if message.valid_until and message.valid_until < timezone.localdate():
        raise ValidationError(
            {"valid_until": _("Ce message a expiré : prolongez sa validité avant de l'approuver.")}
        )
    if message.master_id is None:
        previous = (
            KeyMessage.objects.select_for_update()
            .filter(
                master__isnull=True,
                theme_id=message.theme_id,
                audience=message.audience,
                status=KeyMessage.Status.APPROVED,
            )
            .exclude(pk=message.pk)
            .order_by("pk")
        )
        for old in previous:
            _retire(old, user=user, reason="replaced")
    else:
        KeyMessage.objects.filter(
            master_id=message.master_id,
            country_id=message.country_id,
            status=KeyMessage.Status.APPROVED,
        ).exclude(pk=message.pk).update(status=KeyMessage.Status.RETIRED)
    message.status = KeyMessage.Status.APPROVED
    message.approved_by = user
    message.approved_at = timezone.now()
    message.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _snapshot(message, user=user, change="approved")
    audit_record(
        actor=user, action=AuditEvent.Action.CHANGE, obj=message, detail={"status": "approved"}
    )
    return message


def _retire(message: KeyMessage, *, user, reason: str) -> None:
    message.status = KeyMessage.Status.RETIRED
    message.save(update_fields=["status", "updated_at"])
    _snapshot(message, user=user, change="retired")
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=message,
        detail={"status": "retired", "reason": reason},
    )


@transaction.atomic
def message_retire(*, message: KeyMessage, user) -> KeyMessage:
    """Retire a message. Its variants stay as they are and show as contradicting a
    retired master until someone re-writes or retires them."""
    if message.status != KeyMessage.Status.RETIRED:
        _retire(message, user=user, reason="manual")
    return message


@transaction.atomic
def lines_to_take_create(*, user, data: dict[str, Any], messages) -> LinesToTake:
    lines = LinesToTake(created_by=user)
    model_update(instance=lines, fields=LINES_FIELDS, data=data)
    _set_messages(lines, messages)
    audit_record(
        actor=user, action=AuditEvent.Action.CREATE, obj=lines, detail={"messages": len(messages)}
    )
    return lines


@transaction.atomic
def lines_to_take_update(*, lines: LinesToTake, user, data: dict[str, Any], messages) -> list[str]:
    changed = model_update(instance=lines, fields=LINES_FIELDS, data=data)
    before = set(lines.messages.values_list("pk", flat=True))
    if before != {m.pk for m in messages}:
        _set_messages(lines, messages)
        changed.append("messages")
    if changed:
        LinesToTake.objects.filter(pk=lines.pk).update(updated_at=timezone.now())
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=lines,
            detail={"fields": ",".join(sorted(changed))},
        )
    return changed


def _set_messages(lines: LinesToTake, messages) -> None:
    if not messages:
        raise ValidationError({"messages": _("Choisissez au moins un message.")})
    if any(m.status != KeyMessage.Status.APPROVED for m in messages):
        raise ValidationError({"messages": _("Seuls des messages approuvés peuvent être repris.")})
    lines.messages.set(messages)


@transaction.atomic
def lines_to_take_delete(*, lines: LinesToTake, user) -> None:
    """Delete the selection and its PDFs (rows now, files once the transaction commits)."""
    from core.files import private_delete
    from core.models import PdfJob

    from ..documents import LINES_TO_TAKE

    jobs = PdfJob.objects.filter(kind=LINES_TO_TAKE, object_id=str(lines.pk))
    names = [name for name in jobs.values_list("file_name", flat=True) if name]
    jobs.delete()
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=lines)
    lines.delete()
    if names:
        transaction.on_commit(lambda: [private_delete(name) for name in names])
