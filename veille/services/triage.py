"""Writes of triage: the status, importance, themes and countries of stories, and the
annotations on articles.

Triage acts on a whole story: every article of the cluster and the cluster itself. The
permission checks are made here too, so a view cannot forget them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent, Country, Theme
from core.services import audit_record

from ..models import Annotation, Cluster, Importance, Item, TriageStatus
from ..permissions import can_triage
from . import clustering


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


# --- clusters -------------------------------------------------------------------------------


@transaction.atomic
def cluster_triage(
    *,
    cluster: Cluster,
    user,
    status: str | None = None,
    importance: int | None = None,
    request=None,
) -> int:
    """Triage a story: every item of the cluster takes the status (and/or importance).

    Returns the number of items changed. The cluster's denormalised fields follow.
    """
    if status is None and importance is None:
        return 0
    if status is not None and status not in TriageStatus.values:
        raise ValidationError(_("Statut inconnu."))
    now = timezone.now()
    changes: dict = {}
    if status is not None:
        changes.update(status=status, triaged_by=user, triaged_at=now)
    if importance is not None:
        changes["importance"] = int(importance)
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    count = Item.objects.filter(cluster=locked).update(**changes)
    clustering.refresh([locked.pk])
    cluster.refresh_from_db()
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=cluster,
        request=request,
        detail={"status": status or "", "importance": "" if importance is None else importance},
    )
    return count
