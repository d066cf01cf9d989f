"""Advocacy actions: create, update, the status workflow, delete; their evidence (veille
items; testimonies through the publication gate, recorded as a use) and deliverables."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import private_delete, private_name, private_write
from core.updates import model_update

from ..models import ActionItem, ActionTestimony, AdvocacyAction, Deliverable
from ._common import Action, audit, changed_detail, require_country, require_edit

ACTION_FIELDS = (
    "title",
    "kind",
    "description",
    "objective",
    "country",
    "audience",
    "start_on",
    "due_on",
    "owner",
    "budget_line",
    "budget_planned",
    "budget_spent",
)
ACTION_RELATIONS = ("key_messages", "target_stakeholders", "target_organisations", "themes")
STATUS_DATES = {
    "planned": "planned_on",
    "in_progress": "started_on",
    "done": "done_on",
    "cancelled": "cancelled_on",
}
DELIVERABLE_MAX_BYTES = 25 * 1024 * 1024


def _check_action(action: AdvocacyAction) -> None:
    errors = {}
    if action.start_on and action.due_on and action.due_on < action.start_on:
        errors["due_on"] = _("L'échéance ne peut pas précéder le début.")
    line = action.budget_line
    if line is not None and line.country_id and line.country_id != action.country_id:
        errors["budget_line"] = _("Cette ligne budgétaire est celle d'un autre pays.")
    if errors:
        raise ValidationError(errors)


def budget_warning(action: AdvocacyAction) -> str:
    """Spending past the planned budget is allowed (it happens) but said out loud."""
    if action.budget_spent > action.budget_planned:
        return _(
            "Attention : la dépense (%(spent)s €) dépasse le budget prévu (%(planned)s €)."
        ) % {"spent": action.budget_spent, "planned": action.budget_planned}
    return ""


def _set_relations(action: AdvocacyAction, relations: dict[str, Any]) -> list[str]:
    changed = []
    for name, values in relations.items():
        manager = getattr(action, name)
        before = set(manager.values_list("pk", flat=True))
        if before != {v.pk for v in values}:
            manager.set(values)
            changed.append(name)
    return changed


@transaction.atomic
def action_create(*, user, data: dict[str, Any], request=None) -> AdvocacyAction:
    data = dict(data)
    relations = {name: data.pop(name) for name in ACTION_RELATIONS if name in data}
    status = data.pop("status", AdvocacyAction.Status.IDEA)
    if status not in ("idea", "planned"):
        raise ValidationError({"status": _("Une action commence comme idée ou planifiée.")})
    action = AdvocacyAction(created_by=user, status=status)
    if status == "planned":
        action.planned_on = timezone.localdate()
    model_update(instance=action, fields=ACTION_FIELDS, data=data, save=False)
    require_country(user, action.country_id and action.country)
    _check_action(action)
    action.full_clean()
    action.save()
    _set_relations(action, relations)
    audit(user=user, action=Action.CREATE, obj=action, request=request)
    return action


@transaction.atomic
def action_update(*, action: AdvocacyAction, user, data: dict[str, Any], request=None) -> list[str]:
    require_edit(user, action)
    data = dict(data)
    relations = {name: data.pop(name) for name in ACTION_RELATIONS if name in data}
    audience_before = action.audience
    changed = model_update(instance=action, fields=ACTION_FIELDS, data=data, save=False)
    require_country(user, action.country)
    if "audience" in changed and action.testimonies.exists():
        raise ValidationError(
            {
                "audience": _(
                    "Des témoignages sont joints pour le public « %(audience)s » : retirez-les "
                    "avant de changer de public, puis joignez-les à nouveau (le filtre de "
                    "publication décidera pour le nouveau public)."
                )
                % {"audience": AdvocacyAction.Audience(audience_before).label}
            }
        )
    _check_action(action)
    action.full_clean()
    action.save()
    changed += _set_relations(action, relations)
    if changed:
        audit(
            user=user, action=Action.CHANGE, obj=action, request=request, **changed_detail(changed)
        )
    return changed


@transaction.atomic
def action_transition(*, action: AdvocacyAction, user, status: str, request=None) -> AdvocacyAction:
    """Move along the workflow (idea → planned → in progress → done; cancel; reopen), dating
    each step."""
    require_edit(user, action)
    action = AdvocacyAction.objects.select_for_update().get(pk=action.pk)
    if status == action.status:
        return action
    if status not in AdvocacyAction.TRANSITIONS.get(action.status, ()):
        raise ValidationError(
            _("Une action « %(from)s » ne peut pas passer à « %(to)s ».")
            % {
                "from": action.get_status_display(),
                "to": dict(AdvocacyAction.Status.choices).get(status, status),
            }
        )
    previous = action.status
    action.status = status
    field = STATUS_DATES.get(status)
    if field:
        setattr(action, field, timezone.localdate())
    if status in AdvocacyAction.OPEN_STATUSES:
        action.done_on = None
        action.cancelled_on = None
    action.save()
    audit(
        user=user,
        action=Action.CHANGE,
        obj=action,
        request=request,
        status=status,
        previous=previous,
    )
    return action


@transaction.atomic
def action_delete(*, action: AdvocacyAction, user, request=None) -> None:
    require_edit(user, action)
    if action.testimonies.exists():
        raise ValidationError(
            _(
                "Des témoignages sont joints à cette action et leur utilisation est enregistrée : "
                "annulez l'action plutôt que de la supprimer."
            )
        )
    names = list(action.deliverables.values_list("file_name", flat=True))
    audit(user=user, action=Action.DELETE, obj=action, request=request)
    action.delete()
    # The files go once the rows are gone for good: a rolled-back delete keeps both.
    transaction.on_commit(lambda: [private_delete(name) for name in names])


# --- Evidence -----------------------------------------------------------------------------


@transaction.atomic
def action_item_add(
    *, action: AdvocacyAction, item, user, note: str = "", request=None
) -> ActionItem:
    require_edit(user, action)
    evidence, created = ActionItem.objects.get_or_create(
        action=action, item=item, defaults={"note": (note or "").strip()[:300], "added_by": user}
    )
    if created:
        audit(
            user=user,
            action=Action.CHANGE,
            obj=action,
            request=request,
            evidence="item",
            added=item.pk,
        )
    return evidence


@transaction.atomic
def action_item_remove(*, evidence: ActionItem, user, request=None) -> None:
    require_edit(user, evidence.action)
    audit(
        user=user,
        action=Action.CHANGE,
        obj=evidence.action,
        request=request,
        evidence="item",
        removed=evidence.item_id,
    )
    evidence.delete()


@transaction.atomic
def action_testimony_attach(
    *, action: AdvocacyAction, testimony, user, extract=None, request=None
) -> ActionTestimony:
    """Attach a testimony (or one extract) for the action's audience: the publication gate
    decides today (`testimony_use_record` raises its refusal, with the reasons, and writes
    nothing); the use it records points at the action, so a later withdrawal lists it on
    the takedown checklist."""
    from temoignages.services import testimony_use_record

    require_edit(user, action)
    already = ActionTestimony.objects.filter(action=action, testimony=testimony, extract=extract)
    if already.exists():
        raise ValidationError(_("Ce témoignage est déjà joint à cette action."))
    use = testimony_use_record(
        testimony=testimony,
        audience=action.audience,
        where=_("Action de plaidoyer : %(title)s") % {"title": action.title},
        used_by=user,
        extract=extract,
        target=action,
    )
    try:
        with transaction.atomic():
            evidence = ActionTestimony.objects.create(
                action=action,
                testimony=testimony,
                extract=extract,
                audience=action.audience,
                use=use,
                added_by=user,
            )
    except IntegrityError:
        raise ValidationError(_("Ce témoignage est déjà joint à cette action.")) from None
    audit(
        user=user,
        action=Action.CHANGE,
        obj=action,
        request=request,
        evidence="testimony",
        audience=action.audience,
        extract=bool(extract),
    )
    return evidence


@transaction.atomic
def action_testimony_remove(*, evidence: ActionTestimony, user, request=None) -> None:
    """Detach a testimony: the recorded use stays (it happened), with its takedown status."""
    require_edit(user, evidence.action)
    audit(
        user=user,
        action=Action.CHANGE,
        obj=evidence.action,
        request=request,
        evidence="testimony",
        removed=True,
    )
    evidence.delete()


# --- Deliverables -------------------------------------------------------------------------

_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def _sniff(head: bytes, name: str) -> tuple[str, str] | None:
    """(content type, extension) judged from the content, never from the name alone."""
    for magic, content_type, suffix in _SIGNATURES:
        if head.startswith(magic):
            return content_type, suffix
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"PK\x03\x04") and suffix in _OFFICE:
        return _OFFICE[suffix], suffix
    if suffix in (".txt", ".md", ".csv") and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain; charset=utf-8", suffix
    return None


@transaction.atomic
def deliverable_upload(
    *, action: AdvocacyAction, upload, title: str, user, request=None
) -> Deliverable:
    require_edit(user, action)
    if upload.size > DELIVERABLE_MAX_BYTES:
        raise ValidationError({"file": _("Ce fichier dépasse 25 Mo.")})
    head = upload.read(4096)
    upload.seek(0)
    kind = _sniff(head, upload.name)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "Format non accepté : PDF, Word, Excel, PowerPoint, OpenDocument, "
                    "image ou texte."
                )
            }
        )
    content_type, suffix = kind
    name = private_name("plaidoyer/deliverables", suffix)
    private_write(name, b"".join(upload.chunks()))
    deliverable = Deliverable(
        action=action,
        title=(title or upload.name).strip()[:200],
        file_name=name,
        original_name=upload.name[:200],
        content_type=content_type,
        size_bytes=upload.size,
        uploaded_by=user,
    )
    try:
        deliverable.full_clean()
        deliverable.save()
    except Exception:
        private_delete(name)
        raise
    audit(
        user=user, action=Action.CREATE, obj=deliverable, request=request, format=suffix.lstrip(".")
    )
    return deliverable


@transaction.atomic
def deliverable_delete(*, deliverable: Deliverable, user, request=None) -> None:
    require_edit(user, deliverable.action)
    audit(user=user, action=Action.DELETE, obj=deliverable, request=request)
    name = deliverable.file_name
    deliverable.delete()
    transaction.on_commit(lambda: private_delete(name))
