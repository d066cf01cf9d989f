"""Benchmark: the veille inbox search at 200,000 articles on PostgreSQL.

    .venv/bin/python tests/bench/veille_search.py [--items 200000] [--runs 3]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/influence_bench_search): creates and migrates it,
seeds a realistic corpus once (tests/bench/veille_corpus.py, French/English/Arabic with
the skewed word frequencies of real news), then times 50 varied inbox requests, each a
full-text query plus two filters, including very common words (one matches about half
of the corpus). Each request goes through the real view (Django test client, logged-in
coordinator: middleware, filter form, search, grouping by story, snippets, template);
the selector alone is timed too. Prints p50 / p95 / max in milliseconds.

Target: p95 < 150 ms through the view.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_bench_search"
)
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

# 50 queries: (text, two filters). Very common words first ("migrants" is in about half
# of the French and English articles), then medium, rare, phrases, OR, exclusions, Arabic.
QUERIES = [
    ("migrants", {"status": "new", "language": "fr"}),
    ("migrants", {"status": "all", "period": "365d"}),
    ("migrants", {"kind": "media", "language": "en"}),
    ("migrant", {"status": "all", "theme": "detention"}),
    ("mer", {"status": "all", "language": "fr"}),
    ("detention", {"status": "all", "language": "en"}),
    ("asile", {"status": "new", "kind": "ngo"}),
    ("frontières", {"status": "all", "country": "FR"}),
    ("Libye", {"status": "relevant", "language": "fr"}),
    ("Libya", {"status": "all", "period": "90d"}),
    ("garde-côtes", {"status": "all", "importance": "1"}),
    ("sauvetage", {"status": "new", "period": "30d"}),
    ("rescued", {"status": "all", "kind": "un_agency"}),
    ("mineurs non accompagnés", {"status": "all", "theme": "mineurs-age"}),
    ('"mineurs non accompagnés"', {"status": "new", "language": "fr"}),
    ('"evaluation de l\'age"', {"status": "all", "language": "fr"}),
    ("évaluation de l'âge", {"status": "all", "country": "FR"}),
    ("age assessment", {"status": "all", "language": "en"}),
    ("tuberculose", {"status": "all", "theme": "tuberculose"}),
    ("tuberculosis", {"status": "new", "language": "en"}),
    ("torture", {"status": "all", "country": "LY"}),
    ("Tripoli", {"status": "all", "kind": "media"}),
    ("Calais", {"status": "new", "period": "90d"}),
    ("Calais OR Dunkerque", {"status": "all", "language": "fr"}),
    ("Lampedusa OR Malte", {"status": "all", "period": "365d"}),
    ("naufrage -Libye", {"status": "all", "language": "fr"}),
    ("shipwreck -Libya", {"status": "all", "language": "en"}),
    ("migrants -Calais -Marseille", {"status": "new", "kind": "media"}),
    ("pacte migration asile", {"status": "all", "theme": "pacte-ue"}),
    ("EU migration pact", {"status": "all", "language": "en"}),
    ("Frontex", {"status": "all", "country": "EU"}),
    ("Conseil d'État circulaire", {"status": "all", "language": "fr"}),
    ("Tunisie accord", {"status": "all", "country": "TN"}),
    ("hébergement", {"status": "new", "theme": "logement-squats"}),
    ("santé mentale", {"status": "all", "theme": "sante-mentale"}),
    ("traite", {"status": "all", "theme": "traite"}),
    ("trafficking network", {"status": "all", "language": "en"}),
    ("Benali", {"status": "all", "period": "365d"}),
    ("Marouri Talidi", {"status": "all", "language": "fr"}),
    ("Zarek", {"status": "new", "kind": "ngo"}),
    ("Mayotte", {"status": "all", "importance": "2"}),
    ("المهاجرين", {"status": "all", "language": "ar"}),
    ("مهاجرين", {"status": "new", "language": "ar"}),
    ("الاحتجاز ليبيا", {"status": "all", "language": "ar"}),
    ("طرابلس", {"status": "all", "country": "LY"}),
    ('"خفر السواحل"', {"status": "all", "language": "ar"}),
    ("migranti", {"status": "all", "language": "it"}),
    ("Canarias", {"status": "all", "language": "es"}),
    ("detention centres Libya", {"status": "all", "importance": "1"}),
    ("expulsions OR refoulements", {"status": "all", "period": "365d"}),
]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _backend_cpu_ns(pid: int) -> int:
    """CPU time of a PostgreSQL backend (same machine), from /proc/<pid>/schedstat."""
    try:
        with open(f"/proc/{pid}/schedstat") as stat:
            return int(stat.read().split()[0])
    except OSError:
        return 0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3, help="passes over the 50 queries")
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest requests")
    args = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from core.models import Country, Role, Theme
    from tests.bench import veille_corpus
    from tests.core.factories import user_with_role
    from veille.filters import inbox_data
    from veille.models import Item
    from veille.selectors import inbox_filterset, inbox_stories

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    veille_corpus.seed(args.items)
    total = Item.objects.count()

    from core.models import User

    user = User.objects.filter(username="bench-coord").first() or user_with_role(
        Role.COORDINATOR, username="bench-coord"
    )
    client = Client()
    client.force_login(user)
    countries = dict(Country.objects.values_list("code", "pk"))
    themes = dict(Theme.objects.values_list("slug", "pk"))

    def params(text, filters):
        data = {"q": text}
        for key, value in filters.items():
            if key == "country":
                value = countries[value]
            elif key == "theme":
                value = themes[value]
            data[key] = value
        return data

    # Match counts (how common each word is), measured once, outside the timings.
    half = None
    with connection.cursor() as cursor:
        for word, config in (("migrants", "french"), ("migrants", "english")):
            cursor.execute(
                "SELECT count(*) FROM veille_item WHERE search_vector @@ "
                "websearch_to_tsquery(%s::regconfig, %s)",
                [config, word],
            )
            half = (half or 0) + cursor.fetchone()[0]
    print(f"corpus: {total} articles; 'migrants' (fr + en) matches {half} ({half / total:.0%})")

    gc_pauses: list[float] = []
    gc_started: list[float] = []

    def on_gc(phase, info):
        if phase == "start":
            gc_started.append(time.perf_counter())
        elif gc_started and info.get("generation") == 2:
            gc_pauses.append((time.perf_counter() - gc_started.pop()) * 1000)
        elif gc_started:
            gc_started.pop()

    gc.callbacks.append(on_gc)
    view_ms, view_cpu_ms, selector_ms, selector_cpu_ms, results = [], [], [], [], []
    slowest = []
    client.get("/veille/?" + urlencode(params(*QUERIES[0]), doseq=True))  # warm up
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    load_before = os.getloadavg()

    def cpu_now() -> int:
        return time.thread_time_ns() + _backend_cpu_ns(backend)

    for _run in range(args.runs):
        for text, filters in QUERIES:
            data = params(text, filters)
            cpu = cpu_now()
            start = time.perf_counter()
            response = client.get("/veille/?" + urlencode(data, doseq=True))
            view_ms.append((time.perf_counter() - start) * 1000)
            view_cpu_ms.append((cpu_now() - cpu) / 1e6)
            assert response.status_code == 200, response.status_code
            cpu = cpu_now()
            start = time.perf_counter()
            from django.http import QueryDict

            qd = QueryDict(mutable=True)
            for key, value in data.items():
                qd[key] = str(value)
            filterset = inbox_filterset(user=user, data=inbox_data(qd))
            result = inbox_stories(filterset=filterset)
            selector_ms.append((time.perf_counter() - start) * 1000)
            selector_cpu_ms.append((cpu_now() - cpu) / 1e6)
            if _run == 0:
                results.append((text, filters, result.total, result.truncated))
            slowest.append((view_cpu_ms[-1], selector_cpu_ms[-1], text, filters))
    for text, filters, count, truncated in results:
        shown = f">{count}" if truncated else str(count)
        print(f"  {text[:32]:<34} {filters!s:<48} stories: {shown}")
    if args.slowest:
        print("slowest requests (view CPU ms, selector CPU ms):")
        for view_cpu, sel_cpu, text, filters in sorted(slowest, key=lambda r: r[0])[
            -args.slowest :
        ]:
            print(f"  {view_cpu:6.1f} {sel_cpu:6.1f}  {text[:30]:<32} {filters}")
    print(
        f"candidates per request: {settings.VEILLE_SEARCH_CANDIDATES}; load average "
        f"before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} (2 cores, shared machine)"
    )
    for label, values in (
        ("view, wall time", view_ms),
        ("view, CPU time", view_cpu_ms),
        ("selector, wall time", selector_ms),
        ("selector, CPU time", selector_cpu_ms),
    ):
        print(
            f"{label:<20} n={len(values)}  p50={statistics.median(values):6.1f} ms  "
            f"p95={percentile(values, 95):6.1f} ms  max={max(values):6.1f} ms"
        )
    if gc_pauses:
        print(
            f"Python full garbage collections during the run: {len(gc_pauses)}, "
            f"{sum(gc_pauses):.0f} ms in total (longest {max(gc_pauses):.0f} ms)"
        )
    print("CPU time = this Python thread + its PostgreSQL backend (what the request costs,")
    print("whatever else the machine is doing); wall time includes waiting for a core.")


if __name__ == "__main__":
    main()
