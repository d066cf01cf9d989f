from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaidoyerConfig(AppConfig):
    name = "plaidoyer"
    verbose_name = _("Plaidoyer")
