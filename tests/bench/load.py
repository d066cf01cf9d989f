"""Load test: 50 concurrent users for 60 s against gunicorn + PostgreSQL, on loopback.

    .venv/bin/python tests/bench/load.py [--users 50] [--seconds 60] [--workers 4]
        [--spawn-rate 10] [--scale 1] [--summary-json PATH] [--keep]

What runs, all real processes on 127.0.0.1 (tests/processes.py):

- a fresh PostgreSQL database (BENCH_DATABASE_URL, default
  postgres://postgres@127.0.0.1:5432/influence_bench_load), migrated and filled with the
  demo (`seed_demo --scale N`: veille sources, articles and stories, testimonies,
  strategies…), 40 desk accounts (coordinators and advocacy officers) and 10 field
  officers with a published collection form;
- its own Redis (broker and cache, as in production) and gunicorn (`config.wsgi`, sync
  workers) with `config.settings.local`, DEBUG off;
- Locust, headless (tests/bench/locustfile.py): `--users` users, 4 desk users for 1 field
  user, each logged in with its own session — dashboard, inbox search, story triage, and
  whole testimony submissions (six wizard steps).

Prints, per endpoint: requests, failures, error rate, p50 and p95 in milliseconds; and
the totals. `--summary-json` writes the same numbers for `make bench`. Exit status 1 when
a request failed (the target error rate is 0).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.processes import BIN, Stack  # noqa: E402

DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_bench_load"
)
PASSWORD = "bench-load-password-2026"
QUERIES = [
    "migrants",
    "Libye",
    "mineurs",
    "détention",
    "Calais",
    "garde-côtes",
    "naufrage",
    "Lampedusa",
    "asile",
    "expulsion",
    '"centre de rétention"',
    "Tunisie -Italie",
]
FIELD_SITES = ["calais", "marseille", "idf", "tripoli", "zuwara"]


def _recreate_database(drop_only: bool = False) -> None:
    import psycopg

    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _seed(env: dict[str, str], scale: int, desk: int, field: int) -> dict:
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "SECRET_KEY"):
        os.environ[key] = env[key]
    for key in ("PRIVATE_STORAGE_ROOT", "LOCAL_DATA_DIR", "ALLOWED_HOSTS", "REQUIRE_2FA"):
        os.environ[key] = env[key]
    os.environ["CACHE_URL"] = "locmemcache://"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    import django

    django.setup()
    from django.core.management import call_command

    from core.models import Membership, Role, Site, User
    from temoignages.services.forms_builder import (
        collection_form_create,
        form_question_save,
        form_version_publish,
        parse_choice_lines,
    )
    from veille.models import Item

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("seed_demo", scale=scale, quiet_logins=True, verbosity=0)
    print(f"demo data (scale {scale}) in {time.monotonic() - started:.0f} s")

    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)
    desk_users = [
        User(username=f"load-desk-{n:02d}", password=password, first_name="Charge")
        for n in range(desk)
    ]
    field_users = [User(username=f"load-field-{n:02d}", password=password) for n in range(field)]
    User.objects.bulk_create(desk_users + field_users)
    sites = {s.code: s for s in Site.objects.filter(code__in=FIELD_SITES)}
    memberships = []
    for n, user in enumerate(User.objects.filter(username__startswith="load-desk-")):
        if n % 2:
            memberships.append(Membership(user=user, role=Role.COORDINATOR))
        else:
            country = sites[FIELD_SITES[n % len(FIELD_SITES)]].country
            memberships.append(Membership(user=user, role=Role.ADVOCACY_OFFICER, country=country))
    field_accounts = []
    for n, user in enumerate(User.objects.filter(username__startswith="load-field-")):
        site = sites[FIELD_SITES[n % len(FIELD_SITES)]]
        memberships.append(Membership(user=user, role=Role.FIELD_COMMS, site=site))
        field_accounts.append({"username": user.username, "site": site.pk})
    Membership.objects.bulk_create(memberships)
    owner = User.objects.get(username="load-desk-01")
    form = collection_form_create(user=owner, name="Formulaire de l'essai de charge")
    version = form.versions.get()
    form_question_save(
        version=version,
        user=owner,
        kind="single_choice",
        label_fr="Où dormez-vous ?",
        required=True,
        choices=parse_choice_lines("À la rue\nEn foyer"),
    )
    form_question_save(version=version, user=owner, kind="yes_no", label_fr="Recours ?")
    form_version_publish(version=version, user=owner)
    items = list(Item.objects.order_by("-published_at").values_list("pk", flat=True)[:300])
    print(f"{Item.objects.count()} articles, {desk} desk and {field} field accounts")
    from django.db import connections

    connections.close_all()
    return {
        "password": PASSWORD,
        "desk": [u.username for u in desk_users],
        "field": field_accounts,
        "form": form.pk,
        "items": items,
        "queries": QUERIES,
    }


def _group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of the live processes of a process group (gunicorn)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _percentile_columns(row: dict) -> tuple[float, float]:
    return float(row.get("50%") or 0), float(row.get("95%") or 0)


def _report(stats_csv: Path) -> dict:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    endpoints = []
    total = None
    for row in rows:
        p50, p95 = _percentile_columns(row)
        entry = {
            "type": row["Type"],
            "name": row["Name"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": p50,
            "p95_ms": p95,
            "max_ms": float(row.get("Max Response Time") or 0),
            "rps": float(row.get("Requests/s") or 0),
        }
        entry["error_rate"] = entry["failures"] / entry["requests"] if entry["requests"] else 0.0
        if row["Name"] == "Aggregated":
            total = entry
        else:
            endpoints.append(entry)
    print()
    header = (
        f"{'endpoint':<34} {'requests':>8} {'failed':>6} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for entry in [*endpoints, total] if total else endpoints:
        label = "all requests" if entry is total else f"{entry['type']} {entry['name']}"
        print(
            f"{label[:34]:<34} {entry['requests']:>8} {entry['failures']:>6} "
            f"{entry['error_rate']:>6.1%} {entry['p50_ms']:>7.0f} {entry['p95_ms']:>7.0f}"
        )
    return {"endpoints": endpoints, "total": total}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--scale", type=int, default=1, help="demo data scale")
    parser.add_argument("--summary-json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    stack = Stack(work, database_url=DB_URL, env={"LOG_LEVEL": "WARNING"})
    print(f"database {DB_URL}, files in {work}")
    _recreate_database()
    ok = False
    try:
        config = _seed(stack.env(), args.scale, desk=40, field=10)
        config_path = work / "load.json"
        config_path.write_text(json.dumps(config))
        stack.start_redis()
        base = stack.start_web(workers=args.workers, timeout=60)
        print(
            f"gunicorn: {args.workers} sync workers on {base}; "
            f"locust: {args.users} users, {args.seconds} s"
        )
        load_before = os.getloadavg()
        cpu_before = _group_cpu_seconds(stack.web.pid)
        command = [
            str(BIN / "locust"),
            "-f", str(ROOT / "tests" / "bench" / "locustfile.py"),
            "--headless",
            "--users", str(args.users),
            "--spawn-rate", str(args.spawn_rate),
            "--run-time", f"{args.seconds}s",
            "--host", base,
            "--csv", str(work / "load"),
            "--only-summary",
            "--stop-timeout", "30",
            "--loglevel", "WARNING",
        ]  # fmt: skip
        locust = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "LOAD_CONFIG": str(config_path)},
            capture_output=True,
            text=True,
            timeout=args.seconds + 300,
            check=False,
        )
        if locust.returncode not in (0, 1):  # 1: some requests failed (reported below)
            print(locust.stdout[-3000:], locust.stderr[-3000:])
            return 1
        web_cpu = _group_cpu_seconds(stack.web.pid) - cpu_before
        summary = _report(work / "load_stats.csv")
        requests = (summary["total"] or {}).get("requests", 0)
        summary["web_cpu_s"] = web_cpu
        summary["web_cpu_ms_per_request"] = web_cpu * 1000 / requests if requests else 0
        print(
            f"gunicorn CPU: {web_cpu:.1f} s for {requests} requests "
            f"({summary['web_cpu_ms_per_request']:.0f} ms per request, whatever the contention)"
        )
        failures = work / "load_failures.csv"
        if failures.exists():
            for row in list(csv.DictReader(failures.open(encoding="utf-8")))[:10]:
                print(
                    f"  failed: {row['Method']} {row['Name']}: {row['Error']} ×{row['Occurrences']}"
                )
        print(
            f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} "
            f"({os.cpu_count()} cores, shared machine)"
        )
        total = summary["total"] or {"failures": 1}
        ok = total["failures"] == 0
        if args.summary_json:
            args.summary_json.write_text(
                json.dumps(
                    {
                        "bench": "load",
                        "users": args.users,
                        "seconds": args.seconds,
                        "gunicorn_workers": args.workers,
                        **summary,
                    },
                    indent=2,
                )
            )
    finally:
        stack.close()
        if not args.keep:
            _recreate_database(drop_only=True)
            shutil.rmtree(work, ignore_errors=True)
    print("\nOK" if ok else "\nFAILED (requests failed)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
