"""One way to apply a partial update to a model instance from a service."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def model_update(
    *,
    instance: models.Model,
    fields: Iterable[str],
    data: Mapping[str, Any],
    strip: bool = True,
    save: bool = True,
) -> list[str]:
    """Set the allow-listed `fields` present in `data` on `instance`.

    - a key of `data` that is not in `fields` raises `TypeError` (a caller bug, never
      user input: forms decide what reaches a service);
    - strings are stripped unless `strip=False`;
    - many-to-many fields are set after saving;
    - `full_clean()` runs before saving, so a `ValidationError` leaves the row unchanged;
    - returns the names of the fields whose value changed (sorted), which feed the audit
      detail and the history rows — never the values themselves.

    With `save=False` nothing is validated or written (the caller adds its own rules,
    then calls `full_clean()` and `save()`); many-to-many values are then ignored.
    """
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"{type(instance).__name__} cannot update {sorted(unknown)}")
    opts = instance._meta
    changed: list[str] = []
    m2m: dict[str, Any] = {}
    for name, value in data.items():
        field = opts.get_field(name)
        if strip and isinstance(value, str):
            value = value.strip()
        if field.many_to_many:
            m2m[name] = value
            continue
        before = getattr(instance, field.attname)
        setattr(instance, name, value)
        if getattr(instance, field.attname) != before:
            changed.append(name)
    if not save:
        return sorted(changed)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        manager = getattr(instance, name)
        before_ids = set(manager.values_list("pk", flat=True))
        after_ids = {getattr(v, "pk", v) for v in values}
        if before_ids != after_ids:
            manager.set(values)
            changed.append(name)
    return sorted(changed)
