"""Benchmark: stakeholder search and the action board at 10,000 stakeholders, 100,000
interactions and 10,000 actions, on PostgreSQL.

    .venv/bin/python tests/bench/plaidoyer.py [--runs 60] [--seed] [--scale 1000]
        [--summary-json PATH]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/influence_plaid_bench). With `--seed` it migrates and
runs the demo seeders: the demo users, veille, témoignages and influence at scale 1, and
plaidoyer at scale 1000 (the same `Seeder.seed(scale=N)` that `manage.py seed_demo
--scale N` calls: N×10 stakeholders, N×100 interactions, N×10 actions, with bulk_create).

Then, through the real views (Django test client, logged-in demo coordinator and France
advocacy officer: middleware, FilterSet, templates), it times `--runs` requests of:
- the stakeholder search (`/plaidoyer/interlocuteurs/?q=…`), several terms in turn
  (a common first name, an organisation word, a name and a number, no match);
- the same search through the selector alone (count and first page);
- the action board (`/plaidoyer/`), unfiltered and filtered by country;
- the action list due this week, and the overdue follow-ups;
- the dashboard (every app's cards, plaidoyer's calendar entries at this scale),
and prints p50 / p95 / max in milliseconds and the largest number of queries; the number
of queries of each page is the same at any data size (tests/plaidoyer asserts it).

Targets: stakeholder search and board p95 < 100 ms with a constant number of queries.
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
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_plaid_bench"
)
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

SCALES = {"core.users": 1, "veille": 1, "temoignages": 1, "influence": 1, "plaidoyer": 1000}
TERMS = ["camille", "organisation 00042", "helene 0421", "prefecture", "introuvable"]


from tests.bench.databases import create_database_if_missing  # noqa: E402


def _setup():
    import django

    django.setup()


def seed(scale: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from core.extensions import registry

    call_command("migrate", verbosity=0)
    for seeder in registry.demo_seeders():
        started = time.monotonic()
        seeder.seed(
            scale=scale if seeder.key == "plaidoyer" else SCALES.get(seeder.key, 1),
            stdout=sys.stdout,
        )
        print(f"  {seeder.key}: {time.monotonic() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


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


SUMMARY: dict[str, dict] = {}


def _report(label: str, timings: list[float], queries: int, key: str = "") -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    p50 = statistics.median(ordered)
    print(
        f"{label}: p50 {p50:.0f} ms · p95 {p95:.0f} ms · "
        f"max {ordered[-1]:.0f} ms · {queries} queries · {len(ordered)} runs"
    )
    if key:
        SUMMARY[key] = {"p50_ms": p50, "p95_ms": p95, "max_ms": ordered[-1], "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--scale", type=int, default=SCALES["plaidoyer"], help="plaidoyer's")
    parser.add_argument("--summary-json", type=Path, help="write the key numbers there (JSON)")
    args = parser.parse_args()
    _setup()
    if args.seed:
        create_database_if_missing(os.environ["DATABASE_URL"])
        seed(args.scale)

    from django.core.paginator import Paginator
    from django.http import QueryDict
    from django.test import Client
    from django.urls import reverse

    from core.models import Country, User
    from plaidoyer import selectors
    from plaidoyer.models import AdvocacyAction, FollowUp, Interaction, Stakeholder

    print(
        f"stakeholders: {Stakeholder.objects.count()} · interactions: "
        f"{Interaction.objects.count()} · follow-ups: {FollowUp.objects.count()} · "
        f"actions: {AdvocacyAction.objects.count()}"
    )
    coordinator = User.objects.get(username="coordination")
    officer = User.objects.get(username="plaidoyer.france")
    clients = {}
    for user in (coordinator, officer):
        client = Client()
        client.force_login(user)
        clients[user.username] = client

    def get(client, url, params=None):
        response = client.get(url, params or {}, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        return response

    search_url = reverse("plaidoyer:stakeholders")
    terms = iter(TERMS * (args.runs + 2))

    def search_view():
        get(clients["coordination"], search_url, {"q": next(terms)})

    _report("stakeholder search (view, 5 terms in turn)", *_time(search_view, args.runs), "search")

    def search_selector():
        filterset = selectors.stakeholder_filterset(
            user=coordinator, data=QueryDict(f"q={next(terms)}")
        )
        page = Paginator(filterset.qs, 25).get_page(1)
        list(page.object_list)

    _report("stakeholder search (selector: count + first page)", *_time(search_selector, args.runs))

    def list_view():
        get(clients["coordination"], search_url, {"sort": "contact"})

    _report("stakeholder list sorted by last contact (view)", *_time(list_view, args.runs))

    board_url = reverse("plaidoyer:index")

    def board():
        get(clients["coordination"], board_url)

    _report("action board (view, coordinator)", *_time(board, args.runs), "board")
    france = Country.objects.get(code="FR").pk

    def board_country():
        get(clients["plaidoyer.france"], board_url, {"country": france})

    _report("action board filtered by country (view, officer)", *_time(board_country, args.runs))

    def board_selector():
        columns, _filterset, _cancelled = selectors.action_board(user=coordinator, data=QueryDict())
        assert sum(len(c.cards) for c in columns)

    _report("action board (selector)", *_time(board_selector, args.runs))

    def due_list():
        get(clients["coordination"], reverse("plaidoyer:actions"), {"due": "week"})

    _report("actions due this week (list view)", *_time(due_list, args.runs))

    def follow_ups():
        get(clients["coordination"], reverse("plaidoyer:follow_ups"), {"state": "overdue"})

    _report("overdue follow-ups (list view)", *_time(follow_ups, args.runs))

    def dashboard():
        get(clients["coordination"], reverse("influence:dashboard"))

    _report("dashboard with plaidoyer's cards and calendar (view)", *_time(dashboard, 20))
    print("uptime:", os.popen("uptime").read().strip())  # noqa: S605
    if args.summary_json:
        SUMMARY["sizes"] = {
            "stakeholders": Stakeholder.objects.count(),
            "interactions": Interaction.objects.count(),
            "actions": AdvocacyAction.objects.count(),
        }
        args.summary_json.write_text(json.dumps(SUMMARY, indent=2))


if __name__ == "__main__":
    main()
