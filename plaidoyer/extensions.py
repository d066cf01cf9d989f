"""What the plaidoyer app contributes: its navigation section."""

from django.utils.translation import gettext_lazy as _

from core.extensions import NavSection, register
from core.permissions import is_reader

register(
    NavSection(
        key="plaidoyer",
        label=_("Plaidoyer"),
        url_name="plaidoyer:index",
        visible=is_reader,
        order=40,
    ),
)
