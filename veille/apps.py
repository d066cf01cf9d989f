from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite (the embedded default): `veille_fold(text)`, the text without case or
    accents, so the simple search matches "hebergement" with "hébergement"."""
    if connection.vendor == "sqlite":
        from .signatures import fold

        connection.connection.create_function(
            "veille_fold",
            1,
            lambda text: fold(text) if text is not None else None,
            deterministic=True,
        )


class VeilleConfig(AppConfig):
    name = "veille"
    verbose_name = _("Veille")

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="veille-sqlite-fold")
