"""Plaidoyer's dated things for the political calendar: advocacy actions (planned and in
progress count as planned work before political events), follow-up due dates, coalition
meetings and joint-statement deadlines — each scoped like the page it links to.

Two queries of plain rows whatever the period: the actions with their themes (a join, one
row per action and theme), then follow-ups, meetings and statement deadlines together (a
union). A busy quarter holds a thousand entries, so no model instance is built and each
detail URL is reversed once."""

from __future__ import annotations

import datetime

from django.db.models import CharField, F, Q, Value
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.extensions import CalendarEvent

from . import selectors
from .models import AdvocacyAction, JointStatement
from .permissions import can_read

SOURCE = "plaidoyer"
PLANNED = ("planned", "in_progress")
# The columns each part of the union gives, in this order.
COLUMNS = ("what", "day", "label", "extra", "target", "country_fr", "country_en")


def _url(name: str):
    """`url(pk)` for a detail page, reversing once."""
    template = reverse(f"plaidoyer:{name}", args=[987654321])
    return lambda pk: template.replace("987654321", str(pk))


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


def events(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    if not can_read(user):
        return []
    return _actions(user, start, end) + _dated_things(user, start, end)


def _actions(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    english = _english()
    kinds = dict(AdvocacyAction.Kind.choices)
    action_url = _url("action_detail")
    rows = (
        selectors.actions_visible_to(user)
        .exclude(status__in=["cancelled", "idea"])
        .filter(
            Q(start_on__isnull=False, start_on__lte=end, due_on__gte=start)
            | Q(start_on__isnull=False, due_on__isnull=True, start_on__gte=start, start_on__lte=end)
            | Q(start_on__isnull=True, due_on__gte=start, due_on__lte=end)
        )
        .order_by("due_on", "pk")
        .values_list(
            "pk",
            "title",
            "kind",
            "status",
            "start_on",
            "due_on",
            "country__name_fr",
            "country__name_en",
            "themes__name_fr",
            "themes__name_en",
        )
    )
    actions: dict[int, tuple] = {}
    themes: dict[int, list[str]] = {}
    for *row, theme_fr, theme_en in rows:
        actions.setdefault(row[0], tuple(row))
        if theme_fr is not None:
            themes.setdefault(row[0], []).append(theme_en if english else theme_fr)
    found = []
    for pk, title, kind, status, start_on, due_on, name_fr, name_en in actions.values():
        first = start_on or due_on
        found.append(
            CalendarEvent(
                key=f"plaidoyer-action-{pk}",
                title=title,
                start=first,
                end=due_on if start_on and due_on and due_on > first else None,
                kind=_("Action de plaidoyer · %(kind)s") % {"kind": kinds.get(kind, kind)},
                url=action_url(pk),
                country=name_en if english else name_fr,
                themes=tuple(themes.get(pk, ())),
                is_planned_action=status in PLANNED,
                source=SOURCE,
            )
        )
    return found


def _dated_things(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    text = CharField()
    follow_ups = (
        selectors.follow_ups_visible_to(user)
        .filter(done_at__isnull=True, due_on__gte=start, due_on__lte=end)
        .annotate(
            what=Value("follow_up", text),
            day=F("due_on"),
            label=F("description"),
            extra=Value("", text),
            target=F("interaction_id"),
            country_fr=F("interaction__country__name_fr"),
            country_en=F("interaction__country__name_en"),
        )
    )
    meetings = (
        selectors.interactions_visible_to(user)
        .filter(coalition__isnull=False, occurred_on__gte=start, occurred_on__lte=end)
        .annotate(
            what=Value("meeting", text),
            day=F("occurred_on"),
            label=F("title"),
            extra=F("coalition__name"),
            target=F("pk"),
            country_fr=F("country__name_fr"),
            country_en=F("country__name_en"),
        )
    )
    statements = (
        selectors.statements_visible_to(user)
        .filter(
            status__in=[JointStatement.Status.DRAFT, JointStatement.Status.SIGN_OFF],
            deadline__gte=start,
            deadline__lte=end,
        )
        .annotate(
            what=Value("statement", text),
            day=F("deadline"),
            label=F("title"),
            extra=Value("", text),
            target=F("pk"),
            country_fr=F("coalition__country__name_fr"),
            country_en=F("coalition__country__name_en"),
        )
    )
    parts = [qs.order_by().values_list("pk", *COLUMNS) for qs in (follow_ups, meetings, statements)]
    rows = sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (row[2], row[1], row[0]))
    english = _english()
    interaction_url, statement_url = _url("interaction_detail"), _url("statement_detail")
    found = []
    for pk, what, day, label, extra, target, name_fr, name_en in rows:
        country = (name_en if english else name_fr) or ""
        if what == "follow_up":
            title = _("Suite à donner : %(what)s") % {"what": label}
            kind, key, url = _("Suite à donner"), "followup", interaction_url(target)
        elif what == "meeting":
            title = _("%(coalition)s : %(meeting)s") % {"coalition": extra, "meeting": label}
            kind, key, url = _("Réunion de coalition"), "meeting", interaction_url(target)
        else:
            title = _("Signatures attendues : %(title)s") % {"title": label}
            kind, key, url = _("Déclaration commune"), "statement", statement_url(target)
        found.append(
            CalendarEvent(
                key=f"plaidoyer-{key}-{pk}",
                title=title,
                start=day,
                kind=kind,
                url=url,
                country=country,
                source=SOURCE,
            )
        )
    return found
