from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfluenceConfig(AppConfig):
    name = "influence"
    verbose_name = _("Stratégie d'influence")
