"""Benchmark: the veille inbox search at 200,000 articles on PostgreSQL.

    .venv/bin/python tests/bench/veille_search.py [--items 200000] [--runs 3] [--set all]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/influence_bench_search): creates and migrates it,
seeds a realistic corpus once (tests/bench/veille_corpus.py, French/English/Arabic with
the skewed word frequencies of real news), then times two sets of 50 inbox requests:

- ``project``: the original 50 (a full-text query plus two filters each), from very
  common words (one matches about half of the corpus) to rare names;
- ``varied``: 50 more, all statuses and mostly all languages, mixing phrases,
  exclusions, accent-free spellings of accented words, Arabic and words shared by
  several languages.

Each request goes through the real view (Django test client, logged-in coordinator:
middleware, filter form, search, grouping by story, snippets, template); the selector
alone is timed too. Prints p50 / p95 / max in milliseconds, the slowest five requests
with the row counts of their slowest statement's plan (EXPLAIN ANALYZE), and whether
accent-free and accented spellings find the same stories.

Targets (idle machine): p95 < 120 ms and max < 500 ms through the view.
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

# 50 more, as people type them: every status, mostly every language.
ALL = {"status": "all"}
VARIED = [
    # accent-free spellings (the accented forms are in the texts)
    ("evaluation de l'age", ALL),
    ('"evaluation de l\'age"', ALL),
    ("hebergement", ALL),
    ("Mediterranee", ALL),
    ("garde-cotes", ALL),
    ("detention", ALL),
    ("refugies", {"status": "all", "period": "90d"}),
    ("prefecture", {"status": "new"}),
    ("sante mentale", ALL),
    ("Defenseur des droits", ALL),
    ("evacues campement", ALL),
    ("centres de retention", {"status": "all", "language": "fr"}),
    # exclusions
    ("minorité -Mayotte", ALL),
    ("mineurs -Calais", ALL),
    ("naufrage -Libye -Tunisie", ALL),
    ("migrants -Lampedusa -Calais -Marseille", ALL),
    ("asylum -Channel", {"status": "all", "language": "en"}),
    ("detention -Libya", ALL),
    ("torture -libyens", ALL),
    ("réfugiés -HCR", {"status": "all", "period": "365d"}),
    ("المهاجرين -ليبيا", ALL),
    ("Frontex -Méditerranée", ALL),
    # phrases
    ('"garde-côtes libyens"', ALL),
    ('"centres de détention"', ALL),
    ('"coast guard"', ALL),
    ('"age assessment"', ALL),
    ('"Conseil d\'État"', ALL),
    ('"santé mentale"', {"status": "all", "language": "fr"}),
    ('"Méditerranée centrale"', ALL),
    ('"human trafficking"', ALL),
    ('"voies légales et sûres"', ALL),
    ('"خفر السواحل"', ALL),
    # Arabic
    ("الهجرة", ALL),
    ("ليبيا", ALL),
    ("مراكز الاحتجاز", ALL),
    ("اللاجئين", {"status": "new"}),
    ('"تقييم السن"', ALL),
    ("تونس", {"status": "all", "period": "30d"}),
    # words shared by several languages
    ("Frontex", ALL),
    ("Lampedusa", ALL),
    ("UNHCR OR HCR", ALL),
    ("Sfax", ALL),
    ("torture", ALL),
    ("Tripoli", {"status": "new"}),
    ("Ceuta", ALL),
    # common, rare, OR
    ("migrants", ALL),
    ("asile OR asylum", ALL),
    ("Benghazi Misrata", ALL),
    ("Karidi", ALL),
    ("rescued Malta", ALL),
]
SETS = {"project": QUERIES, "varied": VARIED}

# Accent-free spelling → accented spelling: both must find the same stories.
ACCENT_PAIRS = [
    ("evaluation de l'age", "évaluation de l'âge"),
    ('"evaluation de l\'age"', '"évaluation de l\'âge"'),
    ("hebergement", "hébergement"),
    ("Mediterranee", "Méditerranée"),
    ("garde-cotes", "garde-côtes"),
    ("detention", "détention"),
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


def _plan_rows(plan: dict) -> dict[str, int]:
    """Row counts of a plan (EXPLAIN ANALYZE, JSON): rows returned, read by the index
    scans, fetched from the table and thrown away by filters and rechecks."""
    totals = {"returned": plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1)}
    totals.update(index=0, heap=0, removed=0)

    def walk(node):
        rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        kind = node.get("Node Type", "")
        if kind == "Bitmap Index Scan":
            totals["index"] += rows
        elif kind in ("Bitmap Heap Scan", "Index Scan", "Seq Scan", "Index Only Scan"):
            totals["heap"] += rows
        for key in ("Rows Removed by Filter", "Rows Removed by Index Recheck"):
            totals["removed"] += node.get(key, 0) * node.get("Actual Loops", 1)
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3, help="passes over the queries")
    parser.add_argument("--set", choices=["project", "varied", "all"], default="all")
    parser.add_argument("--slowest", type=int, default=5, help="explain the N slowest requests")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after the warm-up, as a web worker would after start-up (the "
        "full collections then skip the objects of Django and the app)",
    )
    parser.add_argument("--summary-json", type=Path, help="write the key numbers there (JSON)")
    args = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import Country, Role, Theme, User
    from tests.bench import veille_corpus
    from tests.core.factories import user_with_role
    from veille.filters import inbox_data
    from veille.models import Item
    from veille.selectors import inbox_filterset, inbox_stories

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    veille_corpus.seed(args.items)
    total = Item.objects.count()

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

    def select(data):
        qd = QueryDict(mutable=True)
        for key, value in data.items():
            qd[key] = str(value)
        return inbox_stories(filterset=inbox_filterset(user=user, data=inbox_data(qd)))

    # Match counts (how common each word is), measured once, outside the timings.
    half = 0
    with connection.cursor() as cursor:
        for word, config in (("migrants", "french"), ("migrants", "english")):
            cursor.execute(
                "SELECT count(*) FROM veille_item WHERE search_vector @@ "
                "websearch_to_tsquery(%s::regconfig, %s)",
                [config, word],
            )
            half += cursor.fetchone()[0]
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
    chosen = list(SETS) if args.set == "all" else [args.set]
    requests = [(name, text, filters) for name in chosen for text, filters in SETS[name]]
    for _name, text, filters in requests[:10]:  # warm up
        client.get("/veille/?" + urlencode(params(text, filters), doseq=True))
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    load_before = os.getloadavg()

    def cpu_now() -> int:
        return time.thread_time_ns() + _backend_cpu_ns(backend)

    timings = {name: {"view": [], "view_cpu": [], "sel": [], "sel_cpu": []} for name in chosen}
    results, slowest = [], []
    for run in range(args.runs):
        for name, text, filters in requests:
            data = params(text, filters)
            cpu, start = cpu_now(), time.perf_counter()
            response = client.get("/veille/?" + urlencode(data, doseq=True))
            view_ms = (time.perf_counter() - start) * 1000
            view_cpu = (cpu_now() - cpu) / 1e6
            assert response.status_code == 200, response.status_code
            cpu, start = cpu_now(), time.perf_counter()
            result = select(data)
            sel_ms = (time.perf_counter() - start) * 1000
            sel_cpu = (cpu_now() - cpu) / 1e6
            t = timings[name]
            t["view"].append(view_ms)
            t["view_cpu"].append(view_cpu)
            t["sel"].append(sel_ms)
            t["sel_cpu"].append(sel_cpu)
            if run == 0:
                results.append((name, text, filters, result.total, result.truncated))
            slowest.append((view_ms, view_cpu, sel_cpu, name, text, filters))
    load_after = os.getloadavg()

    for name, text, filters, count, truncated in results:
        shown = f">{count}" if truncated else str(count)
        print(f"  [{name}] {text[:38]:<40} {json.dumps(filters, ensure_ascii=False):<40} {shown}")

    print("accent-free and accented spellings (stories found, same stories?):")
    for bare, accented in ACCENT_PAIRS:
        a, b = select({"q": bare, "status": "all"}), select({"q": accented, "status": "all"})
        same = {r.item.pk for r in a.rows} == {r.item.pk for r in b.rows}
        print(f"  {bare:<26} {a.total:>5}   {accented:<26} {b.total:>5}   same page: {same}")

    if args.slowest:
        print(f"slowest {args.slowest} requests (view wall ms, view CPU ms, selector CPU ms):")
        worst: dict[tuple, tuple] = {}
        for row in slowest:
            key = (row[4], json.dumps(row[5]))
            if key not in worst or row[0] > worst[key][0]:
                worst[key] = row
        for view_ms, view_cpu, sel_cpu, name, text, filters in sorted(
            worst.values(), key=lambda r: r[0]
        )[-args.slowest :]:
            with CaptureQueriesContext(connection) as captured:
                select(params(text, filters))
            statement = max(captured.captured_queries, key=lambda q: float(q["time"]))
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement["sql"])
                plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            rows = _plan_rows(plan["Plan"])
            print(
                f"  {view_ms:6.1f} {view_cpu:6.1f} {sel_cpu:6.1f}  [{name}] {text[:30]:<32} "
                f"{json.dumps(filters, ensure_ascii=False)}\n"
                f"      slowest statement {plan['Execution Time']:.1f} ms: rows returned "
                f"{rows['returned']}, index entries {rows['index']}, table rows "
                f"{rows['heap']}, removed by filter/recheck {rows['removed']}"
            )

    print(
        f"candidates per request: {settings.VEILLE_SEARCH_CANDIDATES}; load average "
        f"before {load_before[0]:.2f}, after {load_after[0]:.2f} (2 cores, shared machine)"
    )
    merged = {key: [v for name in chosen for v in timings[name][key]] for key in timings[chosen[0]]}
    for name, values in [*((n, timings[n]) for n in chosen), ("all", merged)]:
        if name == "all" and len(chosen) == 1:
            continue
        for label, key in (
            ("view, wall", "view"),
            ("view, CPU", "view_cpu"),
            ("selector, wall", "sel"),
            ("selector, CPU", "sel_cpu"),
        ):
            series = values[key]
            print(
                f"{name:<8} {label:<15} n={len(series)}  p50={statistics.median(series):6.1f} ms  "
                f"p95={percentile(series, 95):6.1f} ms  max={max(series):6.1f} ms"
            )
    if args.summary_json:
        view = merged["view"]
        args.summary_json.write_text(
            json.dumps(
                {
                    "bench": "veille_search",
                    "items": total,
                    "requests": len(view),
                    "view_p50_ms": statistics.median(view),
                    "view_p95_ms": percentile(view, 95),
                    "view_max_ms": max(view),
                    "selector_p95_ms": percentile(merged["sel"], 95),
                },
                indent=2,
            )
        )
    if gc_pauses:
        print(
            f"Python full garbage collections during the run: {len(gc_pauses)}, "
            f"{sum(gc_pauses):.0f} ms in total (longest {max(gc_pauses):.0f} ms)"
            + (", objects of the start-up frozen" if args.gc_freeze else "")
        )
    print("CPU time = this Python thread + its PostgreSQL backend (what the request costs,")
    print("whatever else the machine is doing); wall time includes waiting for a core.")


if __name__ == "__main__":
    main()
