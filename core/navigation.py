"""The main navigation: which sections a role can use, and what waits in each.

Each app may expose `nav_badge(user) -> int | None` in its selectors module (one query,
scoped): the number shown next to its section (new alerts, testimonies to review...).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import Role
from .scoping import get_scope, is_coordinator

_READERS = (Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.COMMUNICATION, Role.VIEWER)


@dataclass(frozen=True)
class NavSection:
    namespace: str
    label: str
    url_name: str
    roles: tuple[str, ...]
    badge: str | None = None
    badge_label: str = ""
    staff_only: bool = False


SECTIONS = (
    NavSection("influence", _("Tableau de bord"), "influence:dashboard", _READERS),
    NavSection("strategies", _("Stratégies"), "influence:strategies", _READERS),
    NavSection(
        "veille",
        _("Veille"),
        "veille:inbox",
        _READERS,
        badge="veille.selectors.nav_badge",
        badge_label=_("nouvelles alertes"),
    ),
    NavSection("plaidoyer", _("Plaidoyer"), "plaidoyer:index", _READERS),
    NavSection(
        "temoignages",
        _("Témoignages"),
        "temoignages:home",
        tuple(Role.values),
        badge="temoignages.selectors.nav_badge",
        badge_label=_("à traiter"),
    ),
    NavSection("admin", _("Administration"), "admin:index", (), staff_only=True),
)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str
    active: bool
    badge: int | None
    badge_label: str


class Navigation:
    """Built lazily: partial (htmx) responses that never read it cost nothing."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def is_coordinator(self) -> bool:
        return is_coordinator(self.request.user)

    @cached_property
    def items(self) -> list[NavEntry]:
        user = self.request.user
        if not user.is_authenticated:
            return []
        scope = get_scope(user)
        match = getattr(self.request, "resolver_match", None)
        current = match.namespace if match else ""
        if match and match.url_name and match.url_name.startswith("strateg"):
            current = "strategies"
        entries = []
        for section in SECTIONS:
            if section.staff_only:
                if not user.is_staff:
                    continue
            elif not scope.has_role(*section.roles):
                continue
            try:
                url = reverse(section.url_name)
            except NoReverseMatch:
                continue
            entries.append(
                NavEntry(
                    label=section.label,
                    url=url,
                    active=current == section.namespace,
                    badge=_badge(section.badge, user),
                    badge_label=section.badge_label,
                )
            )
        return entries


def _badge(path: str | None, user) -> int | None:
    if not path:
        return None
    try:
        func = import_string(path)
    except ImportError:
        return None
    return func(user) or None
