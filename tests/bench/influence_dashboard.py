"""Benchmark: the dashboard and the key-message coherence matrix on PostgreSQL.

    .venv/bin/python tests/bench/influence_dashboard.py [--runs 60] [--seed]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/influence_infl_bench). With `--seed` it migrates and
runs the demo seeders at the scales that give about 200,000 veille articles
(veille --scale 640) and 5,000 testimonies (temoignages --scale 417; the same
`Seeder.seed(scale=N)` that `manage.py seed_demo --scale N` calls, one scale per app
because each app's demo grows at its own rate).

Then, through the real view (Django test client, logged-in demo coordinator: middleware,
every app's cards, templates), it times `--runs` dashboard requests with the 12-week chart
cache cleared before each one (the worst case), and prints p50 / p95 / max in
milliseconds and the number of queries. Finally it builds a 15 themes × 10 countries
coherence matrix (master + variant in each cell) and times it the same way.

Targets: dashboard p95 < 200 ms; matrix < 100 ms with a constant number of queries.
Report `uptime` beside the numbers: the machine is shared.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_infl_bench"
)
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

SCALES = {
    "core.users": 1,
    "veille": 640,
    "temoignages": 417,
    "influence": 40,
}


from tests.bench.databases import create_database_if_missing  # noqa: E402


def _setup():
    import django

    django.setup()


def seed(divisor: int = 1) -> None:
    from django.core.management import call_command

    from core.extensions import registry

    call_command("migrate", verbosity=0)
    for seeder in registry.demo_seeders():
        started = time.monotonic()
        seeder.seed(scale=max(1, SCALES.get(seeder.key, 1) // divisor), stdout=sys.stdout)
        print(f"  {seeder.key}: {time.monotonic() - started:.1f} s")


def _time(fn, runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    fn()  # warm up
    for _ in range(runs):
        gc.collect()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured.captured_queries))
    return timings, queries


REPORTS: dict[str, dict] = {}


def _report(label: str, timings: list[float], queries: int) -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{label}: p50 {statistics.median(ordered):.0f} ms · p95 {p95:.0f} ms · "
        f"max {ordered[-1]:.0f} ms · {queries} queries · {len(ordered)} runs"
    )
    REPORTS[label] = {
        "p50_ms": statistics.median(ordered),
        "p95_ms": p95,
        "max_ms": ordered[-1],
        "queries": queries,
        "runs": len(ordered),
    }


def matrix_fixture():
    """15 themes × 10 countries, a master and an approved variant in each cell."""
    from django.db import transaction

    from core.models import Country, Theme, User
    from influence.models import KeyMessage, Strategy

    author = User.objects.get(username="communication")
    unit = Strategy.objects.filter(scope="unit").first()
    themes = list(Theme.objects.order_by("position"))
    while len(themes) < 15:
        n = len(themes)
        themes.append(
            Theme.objects.get_or_create(
                slug=f"bench-{n}",
                defaults={"name_fr": f"Thème {n}", "name_en": f"Theme {n}", "position": 100 + n},
            )[0]
        )
    countries = list(Country.objects.filter(is_pseudo=False).order_by("code")[:10])
    with transaction.atomic():
        for country in countries:
            Strategy.objects.get_or_create(
                scope="country",
                country=country,
                parent=unit,
                defaults={
                    "title": f"Bench {country.code}",
                    "period_start": unit.period_start,
                    "period_end": unit.period_end,
                },
            )
        if not KeyMessage.objects.filter(audience="media", text__startswith="Bench").exists():
            for theme in themes[:15]:
                master = KeyMessage.objects.create(
                    theme=theme,
                    audience="media",
                    author=author,
                    text=f"Bench {theme.slug}",
                    status="approved",
                )
                KeyMessage.objects.bulk_create(
                    KeyMessage(
                        theme=theme,
                        audience="media",
                        author=author,
                        master=master,
                        country=c,
                        master_version=1,
                        status="approved",
                        text=f"Bench {theme.slug} {c.code}",
                    )
                    for c in countries
                )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", action="store_true")
    parser.add_argument(
        "--scale-divisor",
        type=int,
        default=1,
        help="seed N times less (quick runs: 32 gives about 6,000 articles)",
    )
    parser.add_argument("--summary-json", type=Path, help="write the key numbers there (JSON)")
    args = parser.parse_args()
    if args.seed:
        create_database_if_missing(os.environ["DATABASE_URL"])
    _setup()
    if args.seed:
        seed(args.scale_divisor)

    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from core.models import User
    from influence.selectors.messages import coherence_matrix
    from temoignages.models import Testimony
    from veille.models import Item

    counts = {"items": Item.objects.count(), "testimonies": Testimony.objects.count()}
    print(f"veille items: {counts['items']} · testimonies: {counts['testimonies']}")
    coordinator = User.objects.get(username="coordination")
    client = Client()
    client.force_login(coordinator)
    url = reverse("influence:dashboard")

    def dashboard():
        cache.clear()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200

    _report("dashboard (view, chart cache cold)", *_time(dashboard, args.runs))

    def dashboard_warm():
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200

    _report("dashboard (view, chart cache warm)", *_time(dashboard_warm, args.runs))

    matrix_fixture()
    matrix_url = reverse("influence:coherence_matrix") + "?public=media"

    def matrix_selector():
        matrix = coherence_matrix(coordinator, audience="media")
        assert len(matrix.rows) >= 15

    def matrix_view():
        assert client.get(matrix_url, HTTP_HOST="127.0.0.1").status_code == 200

    _report("coherence matrix 15×10 (selector)", *_time(matrix_selector, args.runs))
    _report("coherence matrix 15×10 (view)", *_time(matrix_view, args.runs))
    print("uptime:", os.popen("uptime").read().strip())  # noqa: S605
    if args.summary_json:
        args.summary_json.write_text(
            json.dumps({"bench": "influence_dashboard", **counts, "timings": REPORTS}, indent=2)
        )


if __name__ == "__main__":
    main()
