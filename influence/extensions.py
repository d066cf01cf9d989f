"""What the influence app contributes: the readers' home page and its navigation sections."""

from django.utils.translation import gettext_lazy as _

from core.extensions import HomePage, NavSection, register
from core.permissions import is_reader

register(
    HomePage(
        key="influence.dashboard", url_name="influence:dashboard", visible=is_reader, order=10
    ),
    NavSection(
        key="influence.dashboard",
        label=_("Tableau de bord"),
        url_name="influence:dashboard",
        visible=is_reader,
        order=10,
        active_for=("influence:dashboard",),
    ),
    NavSection(
        key="influence.strategies",
        label=_("Stratégies"),
        url_name="influence:strategies",
        visible=is_reader,
        order=20,
        active_for=("influence:strateg",),
    ),
)
