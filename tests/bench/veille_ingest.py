"""Ingest benchmark: 200 sources × 50 entries fetched by 2 real Celery worker processes.

    .venv/bin/python tests/bench/veille_ingest.py [--sources 200] [--entries 50] [--rounds 3]

What it does (nothing leaves 127.0.0.1):
- creates (and at the end drops) its own PostgreSQL database ``influence_bench_ingest``
  and uses Redis db 12 (override with BENCH_DATABASE_URL / BENCH_BROKER_URL);
- serves the feeds from a local threaded HTTP server (tests/veille/feedserver.py) with
  ETag support; ~10 % of the stories are told by several feeds, so clustering works;
- starts 2 worker processes (``celery worker -P solo``), dispatches all sources with the
  real dispatcher, and waits until every claim is released;
- prints cold time (all new), warm times (all 304), items/s, the number of items after
  each round (duplicates must be 0), the peak resident memory (VmHWM) of each worker,
  then fetches one 5,000-entry feed and prints its time and the workers' peak memory.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_bench_ingest"
)
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")

WORDS_FR = (  # noqa: SIM905 - a sentence is easier to read than a list
    "migrants exilés frontière asile mineurs détention Méditerranée sauvetage naufrage "
    "Libye Tunisie Calais Marseille Lampedusa préfecture associations Conseil d'État "
    "accès aux soins hébergement campement expulsion rétention droit européen pacte "
    "garde-côtes évacuation protection santé mentale tuberculose traite trafic"
).split()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DEBUG="false",
        DATABASE_URL=DB_URL,
        CELERY_BROKER_URL=BROKER_URL,
        VEILLE_FETCH_ALLOWLIST="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def _recreate_database() -> None:
    import psycopg

    parts = urlsplit(DB_URL)
    name = parts.path.lstrip("/")
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(), check=True
    )


def _drop_database() -> None:
    import psycopg

    name = urlsplit(DB_URL).path.lstrip("/")
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_SYLLABLES = [c + v for c in "bdfklmnprstvz" for v in "aeiou"]


def _entry_text(rng: random.Random, n_words: int) -> str:
    """News-like text: common domain words mixed with a long tail of rarer words."""
    words = []
    for _ in range(n_words):
        if rng.random() < 0.3:
            words.append(rng.choice(WORDS_FR))
        else:
            words.append("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return " ".join(words)


def build_feeds(server, n_sources: int, n_entries: int, now: datetime) -> list[str]:
    from tests.veille.feedserver import rss_feed, rss_item

    rng = random.Random(42)
    # Shared stories: each told (with small variations) by about 25 feeds.
    shared = [(_entry_text(rng, 10), _entry_text(rng, 60)) for _ in range(40)]
    urls = []
    for s in range(n_sources):
        items = []
        for e in range(n_entries):
            when = now - timedelta(minutes=37 * e + s)
            if e % 10 == 0:
                title, body = shared[(s + e) % len(shared)]
                if s % 2:  # another outlet words it differently
                    words = title.split()
                    title = " ".join(words[2:] + words[:1])
                title = title.capitalize()
            else:
                title = _entry_text(rng, 9).capitalize()
                body = _entry_text(rng, 60)
            items.append(
                rss_item(
                    title=title,
                    link=f"https://feed{s}.example.org/articles/{e}?utm_source=rss",
                    guid=f"feed{s}-entry{e}",
                    description=f"<p>{body}</p><p><a href='/suite/{e}'>Lire la suite</a></p>"
                    f"<img src='https://feed{s}.example.org/p.gif' width='1' height='1'>",
                    pub_date=when,
                )
            )
        urls.append(server.add(f"/bench/feed{s}.xml", rss_feed(items, title=f"Feed {s}")))
    return urls


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (from /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> float:
    """CPU-seconds the whole machine spent busy (all cores, all processes), from /proc/stat.

    Unlike per-process readings, this also counts PostgreSQL backends that exit before
    the end of the round (a worker that opens a connection per task has one per task).
    """
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu() -> dict[int, float]:
    """CPU time of every postgres process (backends, WAL writer…), by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip().startswith("postgres"):
                    found[int(entry.name)] = _cpu_seconds(int(entry.name))
            except OSError:
                continue
    return found


def _postgres_cpu_since(before: dict[int, float]) -> float:
    """CPU used by postgres since `before` (processes started since count in full).

    Backends that exited meanwhile are missed (see `_machine_busy`); other engineers'
    databases share the server.
    """
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in _postgres_cpu().items())


def start_workers(n: int, *, pool: str = "solo", concurrency: int = 1) -> list[subprocess.Popen]:
    workers = []
    for i in range(n):
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-P",
                    pool,
                    "-c",
                    str(concurrency),
                    "-Q",
                    "celery",
                    "-n",
                    f"bench{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "WARNING",
                ],
                cwd=ROOT,
                env=_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
    return workers


def wait_ready(timeout: float = 60) -> None:
    from config.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        if len(replies) >= 2:
            return
    raise SystemExit("workers did not start")


def run_round(label: str, expected_sources: int) -> float:
    from django.db import close_old_connections, connection
    from django.utils import timezone

    from veille.models import Source
    from veille.services import sources_dispatch_due

    Source.objects.update(next_fetch_at=timezone.now() - timedelta(seconds=1))
    started = time.monotonic()
    dispatched = sources_dispatch_due(limit=10_000)
    assert dispatched == expected_sources, (dispatched, expected_sources)
    # Polled every 20 ms with a bare statement: the harness's own load stays small next
    # to the workers' (every 10 ms through the ORM cost ~0.3 CPU-second per cold round).
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM veille_source WHERE claim_token <> '')")
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.02)
            if time.monotonic() - started > 600:
                raise SystemExit(f"{label}: timeout")
    elapsed = time.monotonic() - started
    close_old_connections()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--big", type=int, default=5000, help="entries of the big feed")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--pool", default="solo", help="Celery pool of each of the 2 worker processes"
    )
    parser.add_argument("--concurrency", type=int, default=1, help="threads per worker")
    args = parser.parse_args()

    os.environ.update(_env())
    print(f"# setting up database {urlsplit(DB_URL).path.lstrip('/')} …", flush=True)
    _recreate_database()

    import django

    django.setup()
    from django.db.models import Count

    from config.celery import app
    from tests.veille.feedserver import FeedServer, simple_feed
    from veille.models import Cluster, Item, Source

    app.control.purge()
    server = FeedServer().start()
    now = datetime.now(UTC)
    urls = build_feeds(server, args.sources, args.entries, now)
    Source.objects.bulk_create(
        [Source(name=f"Feed {i}", feed_url=url, language="fr") for i, url in enumerate(urls)]
    )
    workers = start_workers(2, pool=args.pool, concurrency=args.concurrency)
    print(f"# 2 worker processes, pool={args.pool}, concurrency={args.concurrency}")
    try:
        wait_ready()
        total = args.sources * args.entries
        results = []
        for r in range(args.rounds):
            label = "cold" if r == 0 else f"warm{r}"
            cpu_before = [_cpu_seconds(w.pid) for w in workers]
            pg_before = _postgres_cpu()
            busy_before, own_before = _machine_busy(), time.process_time()
            elapsed = run_round(label, args.sources)
            busy = _machine_busy() - busy_before
            own_cpu = time.process_time() - own_before
            worker_cpu = sum(_cpu_seconds(w.pid) for w in workers) - sum(cpu_before)
            pg_cpu = _postgres_cpu_since(pg_before)
            count = Item.objects.count()
            results.append((label, elapsed, count))
            outcomes = dict(
                Source.objects.values_list("last_outcome").annotate(n=Count("id")).order_by()
            )
            print(
                f"{label:6s} {elapsed:6.2f} s  items={count}  "
                f"{(total / elapsed if r == 0 else args.sources / elapsed):8.0f} "
                f"{'items/s' if r == 0 else 'sources/s'}  outcomes={outcomes}  "
                f"cpu: workers {worker_cpu:.1f} s, live postgres processes {pg_cpu:.1f} s, "
                f"feed server + harness {own_cpu:.1f} s, machine {busy:.1f} s "
                f"of {os.cpu_count() * elapsed:.1f} (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
        duplicates = (
            Item.objects.values("source_id", "dedup_key")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        print(f"items after {args.rounds} rounds: {Item.objects.count()} (expected {total})")
        print(f"duplicate (source, key) pairs: {duplicates}")
        print(
            f"clusters: {Cluster.objects.count()}, "
            f"clustered items: {Item.objects.filter(cluster__isnull=False).count()}"
        )
        for w in workers:
            print(f"worker pid {w.pid}: peak RSS {_hwm_kb(w.pid) / 1024:.0f} MB")

        # The 5,000-entry feed.
        Source.objects.update(active=False)
        big = Source.objects.create(
            name="Big", feed_url=server.add("/bench/big.xml", simple_feed(args.big, prefix="Big"))
        )
        elapsed = run_round("big", 1)
        print(
            f"big feed ({args.big} entries): {elapsed:.2f} s, "
            f"items={Item.objects.filter(source=big).count()}"
        )
        for w in workers:
            print(
                f"worker pid {w.pid}: peak RSS {_hwm_kb(w.pid) / 1024:.0f} MB "
                f"(now {_rss_kb(w.pid) / 1024:.0f} MB)"
            )
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(timeout=20)
            except subprocess.TimeoutExpired:
                w.kill()
        server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _drop_database()


if __name__ == "__main__":
    main()
