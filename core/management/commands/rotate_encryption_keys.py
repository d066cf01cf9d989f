from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core.crypto import EncryptedTextField, rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; then the old key can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        total = 0
        for model in apps.get_models():
            columns = [
                f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not columns:
                continue
            rotated = _rotate_table(model, columns, batch_size)
            self.stdout.write(f"{model._meta.label}: {rotated} rows re-encrypted")
            total += rotated
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted."))


def _rotate_table(model, columns: list[str], batch_size: int) -> int:
    """Rotate the raw tokens in SQL, batch by batch (the ORM would decrypt them)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    cols = ", ".join(quote(c) for c in columns)
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    rotated, last_pk = 0, None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = f"WHERE {pk} > %s" if last_pk is not None else ""
            params = [last_pk] if last_pk is not None else []
            cursor.execute(
                f"SELECT {pk}, {cols} FROM {table} {where} ORDER BY {pk} LIMIT %s",  # noqa: S608
                [*params, batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                return rotated
            for row in rows:
                last_pk, values = row[0], row[1:]
                new_values = [rotate(v) if v else v for v in values]
                cursor.execute(
                    f"UPDATE {table} SET {sets} WHERE {pk} = %s",  # noqa: S608
                    [*new_values, last_pk],
                )
                rotated += 1
