"""Influence test data, made through the models directly (services are what is tested)."""

import datetime

from django.utils import timezone

from core.models import Country, Theme
from influence.models import KeyMessage, Objective, PoliticalEvent, ProgressMarker, Strategy


def unit_strategy(**kwargs) -> Strategy:
    today = timezone.localdate()
    defaults = {
        "scope": Strategy.Scope.UNIT,
        "title": "Fil conducteur",
        "period_start": today.replace(month=1, day=1),
        "period_end": today.replace(month=12, day=31),
    }
    return Strategy.objects.create(**{**defaults, **kwargs})


def country_strategy(unit: Strategy, code: str, **kwargs) -> Strategy:
    country = Country.objects.get(code=code)
    defaults = {
        "scope": Strategy.Scope.COUNTRY,
        "parent": unit,
        "country": country,
        "title": f"Stratégie {code}",
        "period_start": unit.period_start,
        "period_end": unit.period_end,
    }
    return Strategy.objects.create(**{**defaults, **kwargs})


def objective(strategy: Strategy, title="Objectif", *, scores=(3, 3, 3, 3), **kwargs) -> Objective:
    impact, feasibility, urgency, risk = scores
    return Objective.objects.create(
        strategy=strategy,
        title=title,
        impact=impact,
        feasibility=feasibility,
        urgency=urgency,
        operational_risk=risk,
        **kwargs,
    )


def marker(objective: Objective, text="Marqueur", *, level="expect", reached=False):
    return ProgressMarker.objects.create(
        objective=objective,
        level=level,
        text=text,
        reached_on=timezone.localdate() if reached else None,
    )


def theme(slug="detention") -> Theme:
    return Theme.objects.get(slug=slug)


def message(
    author,
    *,
    theme_slug="detention",
    audience="eu_institutions",
    text="Message cadre",
    status="approved",
    master=None,
    country_code=None,
    **kwargs,
) -> KeyMessage:
    return KeyMessage.objects.create(
        theme=theme(theme_slug),
        audience=audience,
        text=text,
        status=status,
        author=author,
        master=master,
        country=Country.objects.get(code=country_code) if country_code else None,
        master_version=master.version if master else None,
        **kwargs,
    )


def event(title="Vote", *, days=10, kind="vote", **kwargs) -> PoliticalEvent:
    return PoliticalEvent.objects.create(
        title=title,
        kind=kind,
        start=timezone.localdate() + datetime.timedelta(days=days),
        **kwargs,
    )
