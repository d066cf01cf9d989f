"""Reads of advocacy actions: scoping, the list's FilterSet, the board by status, one
action's page (targets, evidence with the gate's answer today, deliverables), what cites
a veille item or a testimony, and the actions whose testimony's consent has lapsed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.http import QueryDict
from django.utils import timezone

from ..models import ActionItem, ActionTestimony, AdvocacyAction, Stakeholder
from ..permissions import can_read, managed_q

BOARD_COLUMNS = ("idea", "planned", "in_progress", "done")
BOARD_CARDS = 12
DUE_SOON_DAYS = 7


def actions_visible_to(user) -> QuerySet[AdvocacyAction]:
    if not can_read(user):
        return AdvocacyAction.objects.none()
    return AdvocacyAction.objects.select_related("country", "owner")


def actions_managed_by(user) -> QuerySet[AdvocacyAction]:
    condition = managed_q(user)
    queryset = actions_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)


# --- Consent of the testimonies used ------------------------------------------------------


def consent_lapsed_q(*, on: datetime.date | None = None, prefix: str = "testimony__") -> Q:
    """Evidence whose testimony's consent was withdrawn or has expired since it was
    attached: the action must stop using it (and the withdrawal's takedown checklist
    lists the action)."""
    on = on or timezone.localdate()
    return (
        Q(**{f"{prefix}status": "withdrawn"})
        | Q(**{f"{prefix}current_consent__withdrawn_at__isnull": False})
        | Q(**{f"{prefix}current_consent__expires_on__lt": on})
    )


def _count(model, **filters) -> Coalesce:
    rows = (
        model.objects.filter(action=OuterRef("pk"), **filters)
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_evidence(queryset: QuerySet[AdvocacyAction]) -> QuerySet[AdvocacyAction]:
    """Annotate item_count, testimony_count and consent_lapsed (correlated subqueries: the
    cost follows the page's rows, not the table)."""
    return queryset.annotate(
        item_count=_count(ActionItem),
        testimony_count=_count(ActionTestimony),
        consent_lapsed=Exists(
            ActionTestimony.objects.filter(Q(action=OuterRef("pk")) & consent_lapsed_q())
        ),
    )


def action_list_queryset(user) -> QuerySet[AdvocacyAction]:
    return with_evidence(actions_visible_to(user).select_related("objective"))


def action_filterset(*, user, data, exclude_status: bool = False, annotate: bool = True):
    """The list's FilterSet; `annotate=False` leaves out the evidence counts (the board
    counts and ranks on the bare rows, then annotates only the cards it shows)."""
    from ..filters import ActionFilter

    data = data if data is not None else QueryDict()
    if exclude_status and "status" in data:
        data = data.copy()
        data.pop("status")
    queryset = action_list_queryset(user) if annotate else actions_visible_to(user)
    return ActionFilter(data=data, queryset=queryset)


# --- The board ----------------------------------------------------------------------------


@dataclass
class BoardColumn:
    status: str
    label: str
    count: int
    cards: list[AdvocacyAction]

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))


def action_board(*, user, data) -> tuple[list[BoardColumn], object, int]:
    """The board: one column per open status and "done", each with its count and its first
    cards (soonest due first, undated last), filtered like the list. Three queries whatever
    the number of actions: the counts, the ranked card ids, the cards with their evidence.
    Returns (columns, filterset, cancelled count)."""
    filterset = action_filterset(user=user, data=data, exclude_status=True, annotate=False)
    base = filterset.qs
    counts = dict(
        base.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    ranked = list(
        base.filter(status__in=BOARD_COLUMNS)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("status")],
                order_by=[F("due_on").asc(nulls_last=True), F("pk").asc()],
            )
        )
        .filter(rank__lte=BOARD_CARDS)
        .values_list("pk", "rank")
    )
    order = dict(ranked)
    by_status: dict[str, list[AdvocacyAction]] = {}
    if order:
        cards = with_evidence(actions_visible_to(user).filter(pk__in=order))
        for action in sorted(cards, key=lambda a: order[a.pk]):
            by_status.setdefault(action.status, []).append(action)
    labels = dict(AdvocacyAction.Status.choices)
    columns = [
        BoardColumn(status, labels[status], counts.get(status, 0), by_status.get(status, []))
        for status in BOARD_COLUMNS
    ]
    return columns, filterset, counts.get("cancelled", 0)


# --- One action ---------------------------------------------------------------------------


def action_detail_queryset(user) -> QuerySet[AdvocacyAction]:
    return (
        actions_visible_to(user)
        .select_related("objective__strategy", "budget_line", "created_by")
        .prefetch_related(
            "key_messages",
            "themes",
            "target_organisations",
            Prefetch(
                "target_stakeholders", queryset=Stakeholder.objects.select_related("organisation")
            ),
            Prefetch(
                "items", queryset=ActionItem.objects.select_related("item__source", "added_by")
            ),
            Prefetch(
                "testimonies",
                queryset=ActionTestimony.objects.select_related(
                    "testimony__site", "testimony__current_consent", "extract", "added_by"
                ),
            ),
            "deliverables",
            "outcomes",
            "lessons",
        )
    )


@dataclass(frozen=True)
class TestimonyEvidence:
    evidence: ActionTestimony
    usability: object  # temoignages.gate.Usability for the action's audience, today
    visible: bool  # the user may open the testimony
    lapsed: bool  # consent withdrawn or expired since it was attached


def testimony_evidence(user, action: AdvocacyAction) -> list[TestimonyEvidence]:
    """Each attached testimony with the publication gate's answer today for the action's
    audience; the reference is shown only to those who may see the testimony."""
    from temoignages.gate import testimony_usability
    from temoignages.selectors import testimonies_visible_to

    rows = list(action.testimonies.all())
    visible = (
        set(
            testimonies_visible_to(user)
            .filter(pk__in=[row.testimony_id for row in rows])
            .values_list("pk", flat=True)
        )
        if rows
        else set()
    )
    today = timezone.localdate()
    found = []
    for row in rows:
        testimony = row.testimony
        consent = testimony.current_consent if testimony.current_consent_id else None
        lapsed = testimony.status == "withdrawn" or (
            consent is not None
            and (
                consent.withdrawn_at is not None
                or (consent.expires_on is not None and consent.expires_on < today)
            )
        )
        found.append(
            TestimonyEvidence(
                evidence=row,
                usability=testimony_usability(
                    testimony, row.audience, on=today, extract=row.extract
                ),
                visible=testimony.pk in visible,
                lapsed=lapsed,
            )
        )
    return found


def actions_citing_item(item, user) -> QuerySet[AdvocacyAction]:
    return actions_visible_to(user).filter(items__item=item).order_by("-updated_at", "-pk")


def actions_citing_testimony(testimony, user) -> QuerySet[AdvocacyAction]:
    return (
        actions_visible_to(user)
        .filter(testimonies__testimony=testimony)
        .distinct()
        .order_by("-updated_at", "-pk")
    )


def actions_with_lapsed_consent(user) -> QuerySet[AdvocacyAction]:
    return actions_visible_to(user).filter(
        Exists(ActionTestimony.objects.filter(Q(action=OuterRef("pk")) & consent_lapsed_q()))
    )


def due_q(value: str, *, on: datetime.date | None = None) -> Q:
    """Open actions overdue (`overdue`) or due within the week, overdue included (`week`)."""
    on = on or timezone.localdate()
    open_q = Q(status__in=AdvocacyAction.OPEN_STATUSES, due_on__isnull=False)
    if value == "overdue":
        return open_q & Q(due_on__lt=on)
    if value == "week":
        return open_q & Q(due_on__lte=on + datetime.timedelta(days=DUE_SOON_DAYS))
    return Q()
