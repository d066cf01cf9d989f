"""The main navigation: the sections apps contribute that this user can use, with the
count of what waits in each (see `core.extensions.NavSection`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .extensions import NavSection, registry
from .permissions import can_use_admin, is_coordinator


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str
    active: bool
    badge: int | None
    badge_label: str


# Core's own section: the admin site, for staff.
ADMIN_SECTION = NavSection(
    key="admin",
    label=_("Administration"),
    url_name="admin:index",
    visible=can_use_admin,
    order=1000,
    menu="account",
)


class Navigation:
    """Built lazily: partial (htmx) responses that never read it cost nothing."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def is_coordinator(self) -> bool:
        return is_coordinator(self.request.user)

    @cached_property
    def items(self) -> list[NavEntry]:
        """The navigation bar's sections."""
        return [entry for menu, entry in self._entries if menu == "main"]

    @cached_property
    def account_items(self) -> list[NavEntry]:
        """The sections of the menu under the user's name."""
        return [entry for menu, entry in self._entries if menu == "account"]

    @cached_property
    def _entries(self) -> list[tuple[str, NavEntry]]:
        user = self.request.user
        if not user.is_authenticated:
            return []
        match = getattr(self.request, "resolver_match", None)
        entries = []
        for section in registry.sections():
            if not section.visible(user):
                continue
            badge = section.badge(user) if section.badge else None
            entry = NavEntry(
                label=section.label,
                url=reverse(section.url_name),
                active=_is_active(section, match),
                badge=badge or None,
                badge_label=section.badge_label,
            )
            entries.append((section.menu, entry))
        return entries


def _is_active(section: NavSection, match) -> bool:
    if match is None:
        return False
    markers = section.active_for or (section.url_name.split(":")[0],)
    view_name = match.view_name or ""
    for marker in markers:
        if ":" in marker:
            if view_name.startswith(marker):
                return True
        elif match.namespace == marker:
            return True
    return False
