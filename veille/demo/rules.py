"""Demo watch rules of the coordinator, with the alerts the last days of demo articles
raised. Idempotent (keyed on the rule names)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.models import Country, Theme

from ..models import Item, WatchRule
from ..selectors import rule_items
from ..services import rule_create
from ..services.rules import _alerts_create

RULES = [
    # name, query, filters (codes/slugs resolved below), digest
    ("Garde-côtes et interceptions", "garde-côtes OR interceptions OR intercepted", {}, False),
    ("Mineurs non accompagnés", "", {"theme": ["mineurs-age"]}, True),
    ("Libye — détention", "", {"country": ["LY"], "theme": ["detention"]}, False),
]


def seed(*, owner) -> int:
    themes = {t.slug: t.pk for t in Theme.objects.all()}
    countries = {c.code: c.pk for c in Country.objects.all()}
    made = 0
    for name, query, filters, digest in RULES:
        if WatchRule.objects.filter(owner=owner, name=name).exists():
            continue
        stored = {}
        if "theme" in filters:
            stored["theme"] = [str(themes[s]) for s in filters["theme"] if s in themes]
        if "country" in filters:
            stored["country"] = [str(countries[c]) for c in filters["country"] if c in countries]
        rule = rule_create(owner=owner, name=name, query=query, filters=stored, digest_email=digest)
        # The last three days of demo articles have already raised alerts.
        recent = Item.objects.filter(published_at__gte=timezone.now() - timedelta(days=3))
        matches = list(rule_items(rule, recent).order_by("-pk").values_list("pk", "cluster_id"))
        _alerts_create(rule, matches[:12], timezone.now())
        made += 1
    return made
