"""Demo content of the veille, called by `manage.py seed_demo` after the demo users exist.

items: real sources (left inactive) and a few hundred recorded articles; rules: the
coordinator's watch rules and their alerts; notes: two analysis notes and a few
annotations — so a newcomer sees the veille in use. Idempotent at a given scale.
"""

from __future__ import annotations

from django.db import transaction

from core.models import User

from ..models import Item
from . import items, notes, rules


def seed(*, scale: int = 1, stdout=None) -> None:
    items.seed(scale=scale, stdout=stdout)
    coordinator = User.objects.filter(username="coordination").first()
    officer = User.objects.filter(username="plaidoyer.france").first()
    if coordinator is None or not Item.objects.exists():
        return
    with transaction.atomic():
        made_rules = rules.seed(owner=coordinator)
        made_notes = notes.seed(coordinator=coordinator, officer=officer)
        made_annotations = notes.seed_annotations(coordinator=coordinator, officer=officer)
    if stdout:
        stdout.write(
            f"veille: {made_rules} rules, {made_notes} notes, {made_annotations} annotations"
        )
