"""Field-level encryption with rotatable keys (Fernet, via `cryptography`).

`FIELD_ENCRYPTION_KEYS` lists Fernet keys newest first. Values are encrypted with the
newest key and decrypted with any of them, so a new key can be added at the front and
`manage.py rotate_encryption_keys` re-encrypts existing rows before the old key is
removed.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: identity data cannot be stored."
        )
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold url-safe base64 Fernet keys "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())')."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("Encrypted value cannot be read with the configured keys.") from exc


def rotate(token: str) -> str:
    """The same value, encrypted with the newest key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token: unreadable in the database, in dumps and backups.

    Not searchable and not orderable by design. Empty strings are stored as empty strings
    (so "no value" stays distinguishable without decrypting).
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)
