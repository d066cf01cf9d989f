"""Writes of the coordinator's desk: triage, annotations, watch rules and alerts, digests,
analysis notes and their PDF. (The pipeline's writes live in ``veille.services``.)

Every function is keyword-only; permission checks that depend on the object (who may edit
which note, who may delete which annotation) are made here too, so a view cannot forget
them. Triage acts on a whole story: every article of the cluster and the cluster itself.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import AuditEvent, Country, Theme
from core.scoping import has_role
from core.services import audit_record

from .desk_selectors import (
    READER_ROLES,
    can_edit_note,
    can_publish_note,
    can_triage,
    can_write_notes,
)
from .filters import InboxFilterSet, rule_querydict
from .models import (
    Alert,
    AnalysisNote,
    Annotation,
    Cluster,
    Importance,
    Item,
    NoteVersion,
    TriageStatus,
    WatchRule,
)

logger = logging.getLogger(__name__)


# --- triage ------------------------------------------------------------------------------


def _story_ids(item_ids: Iterable[int]) -> tuple[list[int], list[int]]:
    """(every article id, every cluster id) of the stories these articles belong to."""
    ids = list({int(i) for i in item_ids})
    if not ids:
        return [], []
    cluster_ids = list(
        Item.objects.filter(pk__in=ids, cluster__isnull=False)
        .values_list("cluster_id", flat=True)
        .distinct()
    )
    members = Item.objects.filter(Q(pk__in=ids) | Q(cluster_id__in=cluster_ids))
    return list(members.values_list("pk", flat=True)), cluster_ids


def _require_triage(user) -> None:
    if not can_triage(user):
        raise PermissionDenied


@transaction.atomic
def stories_triage(
    *,
    item_ids: Iterable[int],
    user,
    status: str | None = None,
    importance: int | None = None,
    only_new: bool = False,
    request=None,
) -> int:
    """Set the status and/or importance of the stories of these articles (all members).

    `only_new` leaves stories that were already triaged alone ("mark visible as read").
    Returns the number of articles changed.
    """
    _require_triage(user)
    if status is not None and status not in TriageStatus.values:
        raise ValidationError(_("Statut inconnu."))
    if importance is not None and importance not in Importance.values:
        raise ValidationError(_("Importance inconnue."))
    selected = list(item_ids)
    ids, cluster_ids = _story_ids(selected)
    if not ids:
        return 0
    items = Item.objects.filter(pk__in=ids)
    clusters = Cluster.objects.filter(pk__in=cluster_ids)
    if only_new:
        items = items.filter(status=TriageStatus.NEW)
        clusters = clusters.filter(status=TriageStatus.NEW)
    changes: dict = {}
    if status is not None:
        changes.update(status=status, triaged_by=user, triaged_at=timezone.now())
    if importance is not None:
        changes["importance"] = importance
    if not changes:
        return 0
    count = items.update(**changes)
    cluster_changes = {k: v for k, v in changes.items() if k in ("status", "importance")}
    if cluster_ids and cluster_changes:
        clusters.update(**cluster_changes, updated_at=timezone.now())
    _audit_triage(
        user,
        ids,
        cluster_ids,
        request,
        selected=len(selected),
        status=status or "",
        importance="" if importance is None else importance,
        count=count,
    )
    return count


def _audit_triage(user, ids, cluster_ids, request, *, selected: int, **detail) -> None:
    """One audit event per triage action: on the story (one row), or on the selection."""
    if selected == 1 and len(cluster_ids) == 1:
        target = {"object_type": "veille.cluster", "object_id": cluster_ids[0]}
    elif selected == 1 and len(ids) == 1:
        target = {"object_type": "veille.item", "object_id": ids[0]}
    else:
        target = {"object_type": "veille.item", "object_id": ""}
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        request=request,
        detail={**detail, "articles": len(ids)},
        **target,
    )


@transaction.atomic
def story_tag(
    *,
    item: Item,
    user,
    theme: Theme | None = None,
    country: Country | None = None,
    present: bool = True,
    request=None,
) -> None:
    """Add (or remove) a theme or a country on every article of the item's story."""
    _require_triage(user)
    ids, clusters = _story_ids([item.pk])
    for related, value, column in (
        (Item.themes, theme, "theme_id"),
        (Item.countries, country, "country_id"),
    ):
        if value is None:
            continue
        through = related.through
        if present:
            through.objects.bulk_create(
                [through(item_id=pk, **{column: value.pk}) for pk in ids],
                ignore_conflicts=True,
            )
        else:
            through.objects.filter(item_id__in=ids, **{column: value.pk}).delete()
        _audit_triage(user, ids, clusters, request, selected=1, **{column: value.pk, "on": present})


@transaction.atomic
def stories_add_tags(
    *, item_ids: Iterable[int], user, themes: Iterable[Theme] = (), countries=(), request=None
) -> int:
    """Bulk action: add themes and countries to every article of these stories."""
    _require_triage(user)
    selected = list(item_ids)
    ids, clusters = _story_ids(selected)
    theme_rows = [Item.themes.through(item_id=pk, theme_id=t.pk) for pk in ids for t in themes]
    country_rows = [
        Item.countries.through(item_id=pk, country_id=c.pk) for pk in ids for c in countries
    ]
    Item.themes.through.objects.bulk_create(theme_rows, ignore_conflicts=True)
    Item.countries.through.objects.bulk_create(country_rows, ignore_conflicts=True)
    _audit_triage(
        user,
        ids,
        clusters,
        request,
        selected=len(selected),
        themes=",".join(str(t.pk) for t in themes),
        countries=",".join(str(c.pk) for c in countries),
    )
    return len(ids)


# --- annotations -------------------------------------------------------------------------


@transaction.atomic
def annotation_add(*, item: Item, author, body: str) -> Annotation:
    _require_triage(author)
    annotation = Annotation(item=item, author=author, body=body.strip())
    annotation.full_clean()
    annotation.save()
    Item.objects.filter(pk=item.pk).update(annotation_count=F("annotation_count") + 1)
    return annotation


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user) -> None:
    """Only the author deletes an annotation."""
    if annotation.author_id != user.pk:
        raise PermissionDenied
    item_id = annotation.item_id
    annotation.delete()
    Item.objects.filter(pk=item_id, annotation_count__gt=0).update(
        annotation_count=F("annotation_count") - 1
    )


# --- watch rules -------------------------------------------------------------------------


def _validate_rule_filters(filters: dict, query: str) -> None:
    filterset = InboxFilterSet(data=rule_querydict(filters, query), queryset=Item.objects.none())
    if not filterset.form.is_valid():
        raise ValidationError(_("Les filtres de la règle ne sont pas valides."))


def _newest_item_id() -> int:
    return Item.objects.aggregate(m=Max("pk"))["m"] or 0


@transaction.atomic
def rule_create(
    *,
    owner,
    name: str,
    query: str = "",
    filters: dict | None = None,
    alert_in_app: bool = True,
    digest_email: bool = False,
    active: bool = True,
) -> WatchRule:
    """A saved search. It looks at articles fetched from now on (no alert on the backlog)."""
    if not has_role(owner, *READER_ROLES):
        raise PermissionDenied
    filters = filters or {}
    _validate_rule_filters(filters, query)
    rule = WatchRule(
        owner=owner,
        name=name.strip(),
        query=query.strip(),
        filters=filters,
        alert_in_app=alert_in_app,
        digest_email=digest_email,
        active=active,
        last_evaluated_item_id=_newest_item_id(),
        last_evaluated_at=timezone.now(),
    )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def rule_update(*, rule: WatchRule, user, **fields) -> WatchRule:
    if rule.owner_id != user.pk:
        raise PermissionDenied
    allowed = {"name", "query", "filters", "alert_in_app", "digest_email", "active"}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(key)
        setattr(rule, key, value.strip() if isinstance(value, str) else value)
    _validate_rule_filters(rule.filters, rule.query)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def rule_delete(*, rule: WatchRule, user) -> None:
    if rule.owner_id != user.pk:
        raise PermissionDenied
    rule.delete()


def rule_feed_enable(*, rule: WatchRule, user) -> str:
    """A new private-feed token (the previous address stops working)."""
    if rule.owner_id != user.pk:
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    WatchRule.objects.filter(pk=rule.pk).update(
        feed_token=token, feed_token_created_at=timezone.now()
    )
    rule.feed_token = token
    return token


def rule_feed_revoke(*, rule: WatchRule, user) -> None:
    if rule.owner_id != user.pk:
        raise PermissionDenied
    WatchRule.objects.filter(pk=rule.pk).update(feed_token="", feed_token_created_at=None)
    rule.feed_token = ""


def rule_items(rule: WatchRule, queryset=None):
    """The articles matching a rule (same FilterSet, hence same meaning, as the inbox)."""
    queryset = Item.objects.all() if queryset is None else queryset
    filterset = InboxFilterSet(data=rule_querydict(rule.filters, rule.query), queryset=queryset)
    if not filterset.form.is_valid():
        return queryset.none()
    return filterset.qs


# --- alerts ------------------------------------------------------------------------------

# At most this many alerts per rule and run (a rule matching everything must not flood).
MAX_ALERTS_PER_RUN = 200


def watch_rules_evaluate(*, now=None) -> int:
    """Evaluate every active rule against the articles fetched since its last run.

    Idempotent: an alert is unique per (rule, article) and a story gives one alert per
    rule. Each rule keeps a marker (the newest article id it has seen *for sure*); the
    articles fetched during the last ``VEILLE_RULES_SETTLE_SECONDS`` are looked at again
    by the next run, so an article whose fetch transaction was still open is not missed.
    """
    now = now or timezone.now()
    settle = now - timedelta(seconds=settings.VEILLE_RULES_SETTLE_SECONDS)
    newest = _newest_item_id()
    settled = (
        Item.objects.filter(fetched_at__lte=settle)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    ) or 0
    created = 0
    rule_ids = list(
        WatchRule.objects.filter(active=True, last_evaluated_item_id__lt=newest)
        .filter(Q(alert_in_app=True) | Q(digest_email=True))
        .values_list("pk", flat=True)
    )
    for rule_id in rule_ids:
        created += watch_rule_evaluate(
            rule_id=rule_id, newest=newest, settled=min(settled, newest), now=now
        )
    return created


@transaction.atomic
def watch_rule_evaluate(*, rule_id: int, newest: int, settled: int, now=None) -> int:
    now = now or timezone.now()
    rule = (
        WatchRule.objects.select_for_update(skip_locked=True)
        .filter(pk=rule_id, active=True)
        .first()
    )
    if rule is None:
        return 0  # another worker has it, or it was switched off
    owner = rule.owner
    created = 0
    if owner.is_active and has_role(owner, *READER_ROLES):
        window = Item.objects.filter(pk__gt=rule.last_evaluated_item_id, pk__lte=newest)
        matches = list(
            rule_items(rule, window)
            .order_by("-pk")
            .values_list("pk", "cluster_id")[: MAX_ALERTS_PER_RUN * 3]
        )
        created = _alerts_create(rule, matches, now)
    marker = max(rule.last_evaluated_item_id, settled)
    WatchRule.objects.filter(pk=rule.pk).update(
        last_evaluated_item_id=marker, last_evaluated_at=now
    )
    return created


def _alerts_create(rule: WatchRule, matches: list[tuple[int, int | None]], now) -> int:
    if not matches:
        return 0
    cluster_ids = {c for _pk, c in matches if c}
    seen_clusters = set(
        Alert.objects.filter(rule=rule, cluster_id__in=cluster_ids).values_list(
            "cluster_id", flat=True
        )
    )
    seen_items = set(
        Alert.objects.filter(rule=rule, item_id__in=[pk for pk, _c in matches]).values_list(
            "item_id", flat=True
        )
    )
    alerts = []
    for pk, cluster_id in matches:
        if pk in seen_items or (cluster_id and cluster_id in seen_clusters):
            continue
        if cluster_id:
            seen_clusters.add(cluster_id)
        alerts.append(
            Alert(
                rule=rule,
                user_id=rule.owner_id,
                item_id=pk,
                cluster_id=cluster_id,
                # Digest-only rules keep their alerts out of the unread count.
                read_at=None if rule.alert_in_app else now,
            )
        )
        if len(alerts) >= MAX_ALERTS_PER_RUN:
            break
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)


def alerts_mark_read(*, user, alert_ids: Iterable[int] | None = None) -> int:
    """Mark the user's alerts read (all of them when no ids are given)."""
    alerts = Alert.objects.filter(user=user, read_at__isnull=True)
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=[int(i) for i in alert_ids])
    return alerts.update(read_at=timezone.now())


def alerts_read_for_item(*, user, item: Item) -> int:
    """The user opened this article: its alerts (and its story's) are read."""
    condition = Q(item_id=item.pk)
    if item.cluster_id:
        condition |= Q(cluster_id=item.cluster_id)
    return Alert.objects.filter(condition, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- daily digest ------------------------------------------------------------------------

DIGEST_MAX_ITEMS = 100
DIGEST_LOOKBACK = timedelta(days=7)


def digest_recipients() -> list[int]:
    """Users with alerts waiting for their digest email."""
    since = timezone.now() - DIGEST_LOOKBACK
    return list(
        Alert.objects.filter(
            emailed_at__isnull=True,
            rule__digest_email=True,
            created_at__gte=since,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user_id", flat=True)
        .distinct()
    )


def digest_send(*, user_id: int, now=None) -> int:
    """Send one email listing the user's new matches, grouped by rule (none if nothing).

    The alerts are locked while the email is sent and marked as emailed in the same
    transaction, so two workers never send the same digest and a failed send is retried.
    Returns the number of alerts in the email.
    """
    from core.models import User

    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    with transaction.atomic():
        locked = list(
            Alert.objects.select_for_update(skip_locked=True)
            .filter(
                user_id=user_id,
                emailed_at__isnull=True,
                rule__digest_email=True,
                created_at__gte=now - DIGEST_LOOKBACK,
            )
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)
        )
        if not locked:
            return 0
        alerts = list(
            Alert.objects.filter(pk__in=locked[:DIGEST_MAX_ITEMS])
            .select_related("rule", "item", "item__source", "cluster")
            .order_by("rule__name", "-created_at")
        )
        groups: dict[int, dict] = {}
        for alert in alerts:
            group = groups.setdefault(alert.rule_id, {"rule": alert.rule, "alerts": []})
            group["alerts"].append(alert)
        context = {
            "user": user,
            "groups": list(groups.values()),
            "count": len(locked),
            "shown": len(alerts),
            "more": len(locked) - len(alerts),
            "base_url": settings.VEILLE_SITE_URL.rstrip("/"),
            "date": timezone.localtime(now),
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("veille/email/digest_subject.txt", context).strip()
            text = render_to_string("veille/email/digest.txt", context)
            html = render_to_string("veille/email/digest.html", context)
        message = EmailMultiAlternatives(subject, text, to=[user.email])
        message.attach_alternative(html, "text/html")
        message.send()
        Alert.objects.filter(pk__in=locked).update(emailed_at=now)
        WatchRule.objects.filter(pk__in=list(groups)).update(last_digest_at=now)
    return len(locked)


# --- analysis notes ----------------------------------------------------------------------

NOTE_FIELDS = ("title", "body", "audience")


def _note_snapshot(note: AnalysisNote, *, author) -> NoteVersion:
    number = (note.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    return NoteVersion.objects.create(
        note=note,
        number=number,
        title=note.title,
        body=note.body,
        status=note.status,
        audience=note.audience,
        cited_item_ids=sorted(note.cited_items.values_list("pk", flat=True)),
        author=author,
    )


@transaction.atomic
def note_create(
    *,
    author,
    title: str,
    body: str = "",
    audience: str = AnalysisNote.Audience.INTERNAL,
    themes: Iterable[Theme] = (),
    countries: Iterable[Country] = (),
    cited_items: Iterable[Item] = (),
    request=None,
) -> AnalysisNote:
    if not can_write_notes(author):
        raise PermissionDenied
    note = AnalysisNote(
        author=author, updated_by=author, title=title.strip(), body=body, audience=audience
    )
    note.full_clean()
    note.save()
    note.themes.set(themes)
    note.countries.set(countries)
    note.cited_items.set(cited_items)
    _note_snapshot(note, author=author)
    audit_record(actor=author, action=AuditEvent.Action.CREATE, obj=note, request=request)
    return note


@transaction.atomic
def note_update(
    *,
    note: AnalysisNote,
    user,
    title: str,
    body: str,
    audience: str,
    themes: Iterable[Theme] = (),
    countries: Iterable[Country] = (),
    request=None,
) -> bool:
    """Save a new version of the note; returns False when nothing changed."""
    note = AnalysisNote.objects.select_for_update().get(pk=note.pk)
    if not can_edit_note(user, note):
        raise PermissionDenied
    themes, countries = list(themes), list(countries)
    changed = (
        note.title != title.strip()
        or note.body != body
        or note.audience != audience
        or {t.pk for t in themes} != set(note.themes.values_list("pk", flat=True))
        or {c.pk for c in countries} != set(note.countries.values_list("pk", flat=True))
    )
    if not changed:
        return False
    note.title, note.body, note.audience = title.strip(), body, audience
    note.updated_by = user
    note.full_clean()
    note.save()
    note.themes.set(themes)
    note.countries.set(countries)
    _note_snapshot(note, author=user)
    audit_record(
        actor=user, action=AuditEvent.Action.CHANGE, obj=note, request=request, detail={"v": 1}
    )
    return True


# Who may move a note from one status to another (besides seeing it).
_TRANSITIONS = {
    (AnalysisNote.Status.DRAFT, AnalysisNote.Status.REVIEW): "editor",
    (AnalysisNote.Status.REVIEW, AnalysisNote.Status.DRAFT): "editor",
    (AnalysisNote.Status.DRAFT, AnalysisNote.Status.PUBLISHED): "publisher",
    (AnalysisNote.Status.REVIEW, AnalysisNote.Status.PUBLISHED): "publisher",
    (AnalysisNote.Status.PUBLISHED, AnalysisNote.Status.DRAFT): "publisher",
}


def note_allowed_transitions(note: AnalysisNote, user) -> list[str]:
    allowed = []
    for (origin, target), who in _TRANSITIONS.items():
        if origin != note.status:
            continue
        if (who == "publisher" and can_publish_note(user)) or (
            who == "editor" and can_edit_note(user, note)
        ):
            allowed.append(target)
    return allowed


@transaction.atomic
def note_set_status(*, note: AnalysisNote, user, status: str, request=None) -> AnalysisNote:
    note = AnalysisNote.objects.select_for_update().get(pk=note.pk)
    if status not in note_allowed_transitions(note, user):
        raise PermissionDenied
    note.status = status
    note.updated_by = user
    if status == AnalysisNote.Status.PUBLISHED:
        note.published_at = timezone.now()
    elif note.published_at and status == AnalysisNote.Status.DRAFT:
        note.published_at = None
    note.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    _note_snapshot(note, author=user)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=note,
        request=request,
        detail={"status": status},
    )
    return note


@transaction.atomic
def note_cite(*, note: AnalysisNote, user, item: Item, cite: bool = True) -> bool:
    """Add (or remove) an article among the note's citations; a version is recorded."""
    note = AnalysisNote.objects.select_for_update().get(pk=note.pk)
    if not can_edit_note(user, note):
        raise PermissionDenied
    already = note.cited_items.filter(pk=item.pk).exists()
    if already == cite:
        return False
    if cite:
        note.cited_items.add(item)
    else:
        note.cited_items.remove(item)
    note.updated_by = user
    note.save(update_fields=["updated_by", "updated_at"])
    _note_snapshot(note, author=user)
    return True


# --- note PDF ----------------------------------------------------------------------------

PDF_DIR = "veille/notes"


def note_pdf_request(*, note: AnalysisNote, user, request=None) -> bool:
    """Queue a PDF render (no-op while one is already queued or rendering)."""
    from .tasks import render_note_pdf

    busy = (AnalysisNote.PdfStatus.QUEUED, AnalysisNote.PdfStatus.RENDERING)
    with transaction.atomic():
        claimed = (
            AnalysisNote.objects.filter(pk=note.pk)
            .exclude(pdf_status__in=busy)
            .update(
                pdf_status=AnalysisNote.PdfStatus.QUEUED,
                pdf_error="",
                pdf_requested_at=timezone.now(),
                pdf_requested_by=user,
            )
        )
        if claimed:
            render_note_pdf.delay_on_commit(note.pk)
            audit_record(
                actor=user,
                action=AuditEvent.Action.EXPORT,
                obj=note,
                request=request,
                detail={"format": "pdf", "step": "requested"},
            )
    note.refresh_from_db()
    return bool(claimed)


def note_pdf_render(*, note_id: int) -> str:
    """Render the note to PDF (called by the worker). Returns the final PDF status.

    Claims the job with a conditional UPDATE (queued → rendering), so a message delivered
    twice renders once. The file is written next to its final name then renamed.
    """
    from core.pdf import render_pdf

    from .desk_selectors import note_citations
    from .markdown import render_markdown

    claimed = AnalysisNote.objects.filter(
        pk=note_id, pdf_status=AnalysisNote.PdfStatus.QUEUED
    ).update(pdf_status=AnalysisNote.PdfStatus.RENDERING)
    if not claimed:
        return "skipped"
    note = (
        AnalysisNote.objects.select_related("author")
        .prefetch_related("themes", "countries")
        .get(pk=note_id)
    )
    citations = note_citations(note)
    version = note.versions.aggregate(m=Max("number"))["m"] or 1
    context = {
        "note": note,
        "body_html": render_markdown(note.body, citations=citations),
        "citations": citations,
        "version": version,
        "generated_at": timezone.now(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(template_name="veille/pdf/note.html", context=context)
    relative = f"{PDF_DIR}/note-{note.pk}-v{version}-{secrets.token_hex(6)}.pdf"
    target = Path(settings.PRIVATE_STORAGE_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(pdf)
    partial.replace(target)
    previous = note.pdf_path
    AnalysisNote.objects.filter(pk=note_id).update(
        pdf_status=AnalysisNote.PdfStatus.READY,
        pdf_path=relative,
        pdf_rendered_at=timezone.now(),
        pdf_error="",
    )
    if previous and previous != relative:
        _remove_private_file(previous)
    return AnalysisNote.PdfStatus.READY


def note_pdf_failed(*, note_id: int, reason: str) -> None:
    AnalysisNote.objects.filter(pk=note_id).exclude(pdf_status=AnalysisNote.PdfStatus.READY).update(
        pdf_status=AnalysisNote.PdfStatus.FAILED, pdf_error=reason[:500]
    )


def note_pdf_file(note: AnalysisNote) -> Path | None:
    """The note's PDF on disk, if it is ready (and really inside the private storage)."""
    if note.pdf_status != AnalysisNote.PdfStatus.READY or not note.pdf_path:
        return None
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = (root / note.pdf_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _remove_private_file(relative: str) -> None:
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = (root / relative).resolve()
    if path.is_relative_to(root):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove an old note PDF")


def note_delete_check(note: AnalysisNote, user) -> None:
    if not can_edit_note(user, note):
        raise PermissionDenied


@transaction.atomic
def note_delete(*, note: AnalysisNote, user, request=None) -> None:
    """Delete a draft note (coordinators may delete any note)."""
    note_delete_check(note, user)
    path = note.pdf_path
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=note, request=request)
    note.delete()
    if path:
        transaction.on_commit(lambda: _remove_private_file(path))
