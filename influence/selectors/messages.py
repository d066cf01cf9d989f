"""Key messages: lists, what needs review, the coherence matrix and word-level diffs."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.models import Country, Theme

from ..models import KeyMessage, LinesToTake, Strategy
from ..permissions import can_read


class Flag:
    OUTDATED = "outdated"
    EXPIRED = "expired"
    EXPIRING = "expiring"
    UNAPPROVED = "unapproved"
    MISSING = "missing"
    RETIRED_MASTER = "retired_master"


FLAG_LABELS = {
    Flag.OUTDATED: _("plus ancien que le message-cadre"),
    Flag.EXPIRED: _("expiré"),
    Flag.EXPIRING: _("expire bientôt"),
    Flag.UNAPPROVED: _("non approuvé"),
    Flag.MISSING: _("manquant"),
    Flag.RETIRED_MASTER: _("contredit un message-cadre retiré"),
}
FLAG_TONES = {
    Flag.OUTDATED: "warning",
    Flag.EXPIRED: "danger",
    Flag.EXPIRING: "warning",
    Flag.UNAPPROVED: "neutral",
    Flag.MISSING: "warning",
    Flag.RETIRED_MASTER: "danger",
}


def messages_visible_to(user) -> QuerySet[KeyMessage]:
    if not can_read(user):
        return KeyMessage.objects.none()
    return KeyMessage.objects.select_related("theme", "country", "master", "author", "approved_by")


def to_review_q(*, on: datetime.date | None = None) -> Q:
    """Messages still in use that need a look: expired or expiring soon, written against
    an older master, or approved while their master is retired."""
    on = on or timezone.localdate()
    soon = on + datetime.timedelta(days=settings.INFLUENCE_MESSAGE_EXPIRING_DAYS)
    return ~Q(status=KeyMessage.Status.RETIRED) & (
        Q(valid_until__isnull=False, valid_until__lte=soon)
        | Q(master__isnull=False, master_version__lt=F("master__version"))
        | Q(status=KeyMessage.Status.APPROVED, master__status=KeyMessage.Status.RETIRED)
    )


def messages_to_review(user) -> QuerySet[KeyMessage]:
    return messages_visible_to(user).filter(to_review_q())


MESSAGE_SORTS = {
    "theme": ["theme__position", "audience", "country__name_fr"],
    "-theme": ["-theme__position", "audience", "country__name_fr"],
    "updated": ["updated_at"],
    "-updated": ["-updated_at"],
    "status": ["status", "theme__position"],
    "-status": ["-status", "theme__position"],
    "until": [F("valid_until").asc(nulls_last=True)],
    "-until": [F("valid_until").desc(nulls_last=True)],
}


def message_list(
    user,
    *,
    theme_id: int | None = None,
    country: str = "",
    status: str = "",
    audience: str = "",
    review: bool = False,
    sort: str = "",
) -> QuerySet[KeyMessage]:
    queryset = messages_visible_to(user)
    if theme_id:
        queryset = queryset.filter(theme_id=theme_id)
    if country == "unit":
        queryset = queryset.filter(country__isnull=True)
    elif country:
        queryset = queryset.filter(country__code=country)
    if status:
        queryset = queryset.filter(status=status)
    if audience:
        queryset = queryset.filter(audience=audience)
    if review:
        queryset = queryset.filter(to_review_q())
    return queryset.order_by(*MESSAGE_SORTS.get(sort, MESSAGE_SORTS["theme"]), "pk")


def message_flags(message: KeyMessage, *, on: datetime.date | None = None) -> list[str]:
    """The flags of one message (its master must be loaded for variants)."""
    on = on or timezone.localdate()
    flags = []
    if message.status == KeyMessage.Status.RETIRED:
        return flags
    if message.valid_until and message.valid_until < on:
        flags.append(Flag.EXPIRED)
    elif message.valid_until and message.valid_until <= on + datetime.timedelta(
        days=settings.INFLUENCE_MESSAGE_EXPIRING_DAYS
    ):
        flags.append(Flag.EXPIRING)
    if message.status == KeyMessage.Status.DRAFT:
        flags.append(Flag.UNAPPROVED)
    master = message.master
    if master is not None:
        if master.status == KeyMessage.Status.RETIRED:
            if message.status == KeyMessage.Status.APPROVED:
                flags.append(Flag.RETIRED_MASTER)
        elif (message.master_version or 0) < master.version:
            flags.append(Flag.OUTDATED)
    return flags


# --- Coherence matrix --------------------------------------------------------------------


@dataclass
class MatrixEntry:
    audience: str
    audience_label: str
    message: KeyMessage | None
    flags: list[str] = field(default_factory=list)
    master: KeyMessage | None = None  # for a missing variant: what to decline
    country_id: int | None = None

    @property
    def flag_items(self) -> list[tuple[str, str, str]]:
        return [(f, FLAG_LABELS[f], FLAG_TONES[f]) for f in self.flags]


@dataclass
class MatrixCell:
    entries: list[MatrixEntry] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return any(entry.flags for entry in self.entries)


@dataclass
class Matrix:
    columns: list[Country | None]  # None: the unit (masters)
    rows: list[tuple[Theme, list[MatrixCell]]]


def _best(messages: list[KeyMessage]) -> KeyMessage | None:
    """The message a cell shows: approved first, then draft, then retired; newest first."""
    rank = {KeyMessage.Status.APPROVED: 0, KeyMessage.Status.DRAFT: 1, KeyMessage.Status.RETIRED: 2}
    if not messages:
        return None
    return min(messages, key=lambda m: (rank[m.status], -m.updated_at.timestamp(), -m.pk))


def matrix_countries(user) -> list[Country]:
    """Columns: countries with a live country strategy, then any other with a variant."""
    with_strategy = Strategy.objects.filter(
        scope=Strategy.Scope.COUNTRY, country__isnull=False
    ).exclude(status=Strategy.Status.ARCHIVED)
    with_variant = KeyMessage.objects.filter(country__isnull=False).exclude(
        status=KeyMessage.Status.RETIRED
    )
    return list(
        Country.objects.filter(
            Q(pk__in=with_strategy.values("country_id"))
            | Q(pk__in=with_variant.values("country_id"))
        ).order_by("name_fr")
    )


def coherence_matrix(
    user,
    *,
    audience: str = "",
    review_only: bool = False,
    on: datetime.date | None = None,
) -> Matrix:
    """Theme × country: three queries (countries, themes, messages) whatever the size."""
    from ..models import Audience

    on = on or timezone.localdate()
    countries = matrix_countries(user) if can_read(user) else []
    themes = list(Theme.objects.order_by("position", "name_fr"))
    messages = messages_visible_to(user).filter(Q(country__isnull=True) | Q(country__in=countries))
    if audience:
        messages = messages.filter(audience=audience)
    by_key: dict[tuple, list[KeyMessage]] = {}
    masters_by_pk: dict[int, KeyMessage] = {}
    for message in messages.order_by():
        by_key.setdefault((message.theme_id, message.audience, message.country_id), []).append(
            message
        )
        if message.master_id is None:
            masters_by_pk[message.pk] = message
    audience_labels = dict(Audience.choices)
    audiences = [audience] if audience else list(audience_labels)
    rows = []
    for theme in themes:
        unit_cell = MatrixCell()
        country_cells = [MatrixCell() for _ in countries]
        for aud in audiences:
            master = _best(by_key.get((theme.pk, aud, None), []))
            if master is not None:
                unit_cell.entries.append(
                    MatrixEntry(aud, audience_labels[aud], master, message_flags(master, on=on))
                )
            for cell, country in zip(country_cells, countries, strict=True):
                variant = _best(by_key.get((theme.pk, aud, country.pk), []))
                if variant is not None:
                    variant.master = masters_by_pk.get(variant.master_id, variant.master)
                    cell.entries.append(
                        MatrixEntry(
                            aud, audience_labels[aud], variant, message_flags(variant, on=on)
                        )
                    )
                elif master is not None and master.status == KeyMessage.Status.APPROVED:
                    cell.entries.append(
                        MatrixEntry(
                            aud,
                            audience_labels[aud],
                            None,
                            [Flag.MISSING],
                            master=master,
                            country_id=country.pk,
                        )
                    )
        cells = [unit_cell, *country_cells]
        if review_only:
            for cell in cells:
                cell.entries = [e for e in cell.entries if e.flags]
            if not any(cell.entries for cell in cells):
                continue
        rows.append((theme, cells))
    return Matrix(columns=[None, *countries], rows=rows)


# --- History and diff --------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """`new` against `old`, word by word: <del> for removed words, <ins> for added ones."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def message_versions(message: KeyMessage):
    return message.versions.select_related("changed_by").order_by("-number", "-pk")


def message_variants(message: KeyMessage) -> QuerySet[KeyMessage]:
    return message.variants.select_related("country").order_by("country__name_fr", "-updated_at")


def approved_messages_for_pick(user) -> QuerySet[KeyMessage]:
    """What lines to take may contain: approved, not expired, visible."""
    today = timezone.localdate()
    return (
        messages_visible_to(user)
        .filter(status=KeyMessage.Status.APPROVED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("theme__position", "audience", "country__name_fr", "pk")
    )


def lines_to_take_visible_to(user) -> QuerySet[LinesToTake]:
    if not can_read(user):
        return LinesToTake.objects.none()
    return LinesToTake.objects.select_related("created_by")


def lines_messages(lines: LinesToTake) -> list[KeyMessage]:
    return list(
        lines.messages.select_related("theme", "country").order_by(
            "theme__position", "audience", F("country__name_fr").asc(nulls_first=True), "pk"
        )
    )


def messages_editable_by(user) -> QuerySet[KeyMessage]:
    """Coordinators and the communication department: every message; advocacy officers:
    their countries' variants."""
    from core.models import Role
    from core.scoping import scope_queryset

    return scope_queryset(
        messages_visible_to(user),
        user,
        roles=[Role.COORDINATOR, Role.COMMUNICATION, Role.ADVOCACY_OFFICER],
        country_field="country",
    )
