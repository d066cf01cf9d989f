"""Ingest benchmark: 200 sources × 50 entries fetched by 2 real Celery worker processes.

    .venv/bin/python tests/bench/veille_ingest.py [--farm both] [--clustering both]
        [--sources 200] [--entries 50] [--new 5] [--previous 50] [--rounds 3] [--big 5000]

What it does (nothing leaves 127.0.0.1), for each farm and each clustering mode:
- creates (and at the end drops) its own PostgreSQL database ``influence_bench_ingest``
  and uses Redis db 12 (override with BENCH_DATABASE_URL / BENCH_BROKER_URL);
- serves the feeds from a local threaded HTTP server (tests/veille/feedserver.py) with
  ETag support. Two farms:
    * ``uniform``: varied titles and summaries; 40 stories are each told by about 25
      feeds (every tenth entry), so clustering has real work;
    * ``templated``: the same 40 shared stories, and every other entry is built on its
      feed's template — numbered titles ("Décision n° 2026-1234 QPC du …",
      "Communiqué n° …", "JORF n° … du …", daily press reviews, situation reports…)
      with a summary that is the same boilerplate in every entry of the feed;
- starts 2 worker processes (``celery worker -P solo``; with clustering off, through
  tests/bench/veille_worker.py), dispatches all sources with the real dispatcher, and
  waits until every claim is released;
- rounds: cold (all new), warm (all 304), then every feed gains ``--new`` entries
  (1,000 new articles among the 11,000 served; ``--previous 0``: the feeds serve
  their new entries only);
- prints per round the wall time, items/s, the CPU seconds of the two workers and of the
  whole machine, the load average; then the duplicates (must be 0), the stories
  (clusters, clustered items, largest), the peak resident memory (VmHWM) of each worker;
  with the uniform farm and clustering on, one 5,000-entry feed.
"""

from __future__ import annotations

import argparse
import json
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


# Templated feeds: (title template, boilerplate summary). {n} is a number unique to the
# entry, {date} its publication day, {month} its month.
TEMPLATES = [
    (
        "Décision n° 2026-{n} QPC du {date}",
        "Le Conseil constitutionnel a rendu une décision. Consultez le texte intégral, le "
        "commentaire et le dossier documentaire sur le site du Conseil constitutionnel.",
    ),
    (
        "Communiqué n° {n} du ministère de l'Intérieur",
        "Retrouvez l'ensemble des communiqués de presse du ministère de l'Intérieur et des "
        "outre-mer sur notre site, ainsi que les discours et les dossiers de presse.",
    ),
    (
        "JORF n° {n} du {date}",
        "Journal officiel de la République française : sommaire de l'édition du jour, lois, "
        "décrets, arrêtés, circulaires, avis et communications.",
    ),
    (
        "Revue de presse migrations et asile du {date} (édition n° {n})",
        "Chaque matin, notre sélection d'articles sur les migrations et l'asile en France "
        "et en Europe, préparée par l'équipe de veille. Bonne lecture !",
    ),
    (
        "Bulletin d'information n° {n} — {month} 2026",
        "Le bulletin mensuel de l'association : actualités, agenda, appels à mobilisation "
        "et ressources juridiques pour les bénévoles et les personnes accompagnées.",
    ),
    (
        "Press release No. {n}/2026 on migration statistics",
        "Read the full press release and access the related statistics, datasets and "
        "methodology notes on our website. For media enquiries, contact the press office.",
    ),
    (
        "Daily situation report #{n} — Central Mediterranean, {date}",
        "This report is produced daily by the operations centre. It covers arrivals, "
        "interceptions, search and rescue events and disembarkations in the region.",
    ),
    (
        "نشرة أخبار الهجرة واللجوء رقم {n} بتاريخ {date}",
        "تقدم هذه النشرة اليومية ملخصا لأهم أخبار الهجرة واللجوء في المنطقة، مع روابط "
        "إلى التقارير والبيانات الصادرة عن المنظمات الدولية.",
    ),
]
MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]  # fmt: skip


def _shared_story(k: int) -> tuple[str, str]:
    rng = random.Random(f"story-{k}")
    return _entry_text(rng, 10), _entry_text(rng, 60)


def _entry(farm: str, s: int, e: int, when: datetime) -> tuple[str, str]:
    """(title, summary HTML) of entry `e` of feed `s`; negative `e` are the newer ones."""
    if e >= 0 and e % 10 == 0:
        # Shared stories: each told (with small variations) by about 25 feeds.
        title, body = _shared_story((s + e) % 40)
        if s % 2:  # another outlet words it differently
            words = title.split()
            title = " ".join(words[2:] + words[:1])
        return title.capitalize(), f"<p>{body}</p>"
    if farm == "templated":
        template, boilerplate = TEMPLATES[s % len(TEMPLATES)]
        title = template.format(
            n=s * 1000 + e + 100,
            date=f"{when.day} {MONTHS_FR[when.month - 1]} {when.year}",
            month=MONTHS_FR[when.month - 1],
        )
        return title, f"<p>{boilerplate}</p>"
    rng = random.Random(f"entry-{s}-{e}")
    return _entry_text(rng, 9).capitalize(), f"<p>{_entry_text(rng, 60)}</p>"


def build_feeds(
    server, farm: str, n_sources: int, n_entries: int, now: datetime, *, new: int = 0
) -> list[str]:
    """Serve the farm's feeds of `n_entries`; `new` adds that many newer entries at the
    top of each."""
    from tests.veille.feedserver import rss_feed, rss_item

    base = now - timedelta(hours=4)
    urls = []
    for s in range(n_sources):
        items = []
        for e in range(-new, n_entries):
            when = base - timedelta(minutes=37 * e + s)
            title, summary = _entry(farm, s, e, when)
            items.append(
                rss_item(
                    title=title,
                    link=f"https://feed{s}.example.org/articles/{e}?utm_source=rss",
                    guid=f"feed{s}-entry{e}",
                    description=f"{summary}<p><a href='/suite/{e}'>Lire la suite</a></p>"
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


def start_workers(
    n: int, *, pool: str = "solo", concurrency: int = 1, clustering: bool = True
) -> list[subprocess.Popen]:
    workers = []
    launcher = [sys.executable, str(ROOT / "tests" / "bench" / "veille_worker.py")]
    if not clustering:
        launcher.append("--no-clustering")
    for i in range(n):
        workers.append(
            subprocess.Popen(
                [
                    *launcher,
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


def _cluster_stats() -> str:
    from veille.models import Cluster, Item

    sizes = sorted(Cluster.objects.values_list("item_count", flat=True), reverse=True)
    clustered = Item.objects.filter(cluster__isnull=False).count()
    return (
        f"stories: {len(sizes)} clusters, {clustered} clustered items, "
        f"largest {sizes[:5] if sizes else []}"
    )


def run_config(args, server, farm: str, clustering: bool) -> dict:
    from django.db import connections
    from django.db.models import Count

    from config.celery import app
    from veille.models import Item, Source

    connections.close_all()
    _recreate_database()
    app.control.purge()
    now = datetime.now(UTC)
    urls = build_feeds(server, farm, args.sources, args.entries, now)
    Source.objects.bulk_create(
        [Source(name=f"Feed {i}", feed_url=url, language="fr") for i, url in enumerate(urls)]
    )
    workers = start_workers(2, pool=args.pool, concurrency=args.concurrency, clustering=clustering)
    mode = "on" if clustering else "off"
    print(
        f"# farm={farm} clustering={mode}: 2 worker processes, pool={args.pool}, "
        f"concurrency={args.concurrency}, load before {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    found: dict = {}
    try:
        wait_ready()
        total = args.sources * args.entries
        labels = ["cold", *(f"warm{r}" for r in range(1, args.rounds))]
        if args.new:
            labels.append(f"new{args.sources * args.new}")
        before_count = 0
        for label in labels:
            if label.startswith("new"):
                # The new entries, and the `previous` entries each feed still serves.
                build_feeds(server, farm, args.sources, args.previous, now, new=args.new)
            cpu_before = [_cpu_seconds(w.pid) for w in workers]
            busy_before, own_before = _machine_busy(), time.process_time()
            elapsed = run_round(label, args.sources)
            busy = _machine_busy() - busy_before
            own_cpu = time.process_time() - own_before
            worker_cpu = sum(_cpu_seconds(w.pid) for w in workers) - sum(cpu_before)
            count = Item.objects.count()
            added = count - before_count
            before_count = count
            outcomes = dict(
                Source.objects.values_list("last_outcome").annotate(n=Count("id")).order_by()
            )
            rate = f"{added / elapsed:7.0f} items/s" if added else f"{0:7.0f} items/s"
            print(
                f"{label:8s} {elapsed:6.2f} s  +{added:<6d} {rate}  worker CPU {worker_cpu:5.2f} s"
                f"  machine {busy:5.1f} of {os.cpu_count() * elapsed:5.1f} CPU-s  "
                f"harness {own_cpu:.1f} s  load {os.getloadavg()[0]:.2f}  {outcomes}",
                flush=True,
            )
            found[label] = {"wall": elapsed, "worker_cpu": worker_cpu, "added": added}
        duplicates = (
            Item.objects.values("source_id", "dedup_key")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        expected = total + (args.sources * args.new if args.new else 0)
        print(f"items: {Item.objects.count()} (expected {expected}); duplicates: {duplicates}")
        found["duplicates"] = duplicates
        print(_cluster_stats())
        found["stories"] = _cluster_stats()
        for w in workers:
            print(f"worker pid {w.pid}: peak RSS {_hwm_kb(w.pid) / 1024:.0f} MB")

        if args.big and farm == "uniform" and clustering:
            from tests.veille.feedserver import simple_feed

            Source.objects.update(active=False)
            big = Source.objects.create(
                name="Big",
                feed_url=server.add("/bench/big.xml", simple_feed(args.big, prefix="Big")),
            )
            elapsed = run_round("big", 1)
            print(
                f"big feed ({args.big} entries): {elapsed:.2f} s, "
                f"items={Item.objects.filter(source=big).count()}"
            )
            found["big"] = {"entries": args.big, "wall": elapsed}
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
        connections.close_all()
        if not args.keep_db:
            _drop_database()
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--farm", choices=["uniform", "templated", "both"], default="both")
    parser.add_argument("--clustering", choices=["on", "off", "both"], default="both")
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="cold + warm rounds")
    parser.add_argument("--new", type=int, default=5, help="new entries per feed, last round")
    parser.add_argument(
        "--previous",
        type=int,
        default=50,
        help="previous entries each feed still serves with the new ones (last round)",
    )
    parser.add_argument("--big", type=int, default=5000, help="entries of the big feed (0: none)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--pool", default="solo", help="Celery pool of each of the 2 worker processes"
    )
    parser.add_argument("--concurrency", type=int, default=1, help="threads per worker")
    parser.add_argument("--summary-json", type=Path, help="write the key numbers there (JSON)")
    args = parser.parse_args()

    os.environ.update(_env())
    print(f"# database {urlsplit(DB_URL).path.lstrip('/')}, broker {BROKER_URL}", flush=True)
    _recreate_database()

    import django

    django.setup()
    from tests.veille.feedserver import FeedServer

    server = FeedServer().start()
    farms = ["uniform", "templated"] if args.farm == "both" else [args.farm]
    modes = [True, False] if args.clustering == "both" else [args.clustering == "on"]
    results = {}
    try:
        for farm in farms:
            for clustering in modes:
                results[(farm, clustering)] = run_config(args, server, farm, clustering)
    finally:
        server.stop()
    if args.summary_json:
        args.summary_json.write_text(
            json.dumps(
                {
                    "bench": "veille_ingest",
                    "sources": args.sources,
                    "entries": args.entries,
                    "new": args.sources * args.new,
                    "runs": {
                        f"{farm}/{'on' if clustering else 'off'}": found
                        for (farm, clustering), found in results.items()
                    },
                },
                indent=2,
            )
        )
    print("# summary: wall s / worker CPU s (clustering on ÷ off)")
    for farm in farms:
        for label in results[(farm, modes[0])]:
            if label in ("stories", "duplicates", "big"):
                continue
            cells = []
            for clustering in modes:
                r = results[(farm, clustering)][label]
                name = "on" if clustering else "off"
                cells.append(f"{name} {r['wall']:.2f} / {r['worker_cpu']:.2f}")
            ratio = ""
            if len(modes) == 2:
                on, off = results[(farm, True)][label], results[(farm, False)][label]
                if off["wall"] and off["worker_cpu"]:
                    ratio = (
                        f"  ratio wall {on['wall'] / off['wall']:.2f}, "
                        f"CPU {on['worker_cpu'] / max(off['worker_cpu'], 0.01):.2f}"
                    )
            print(f"  {farm:<10} {label:<8} " + "  ".join(cells) + ratio)


if __name__ == "__main__":
    main()
