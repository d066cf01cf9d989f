from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Référentiel et sécurité")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the audit receivers
        from .extensions import autodiscover
        from .local_data import prepare_local_dirs

        prepare_local_dirs()
        autodiscover()
