"""The demo corpus clustered by the real pipeline: how many stories, how big, how right.

    .venv/bin/python tests/bench/veille_demo_stories.py [--scale 1]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/influence_bench_demo, recreated and dropped). Seeds
the veille demo (``veille.demo``: 28 real sources, stories told by 1–4 of them, each
story's articles within two hours), keeps the stories the demo meant as the truth, then
forgets every article and replays the four weeks day by day: each source serves the
articles it published over the last three days from a local feed server, the real
pipeline fetches it (clustering included). Prints the stories found and their sizes and
spans, against the demo's own: stories merged together, stories split.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_bench_demo"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def _database(action: str) -> None:
    import psycopg

    name = urlsplit(DB_URL).path.lstrip("/")
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


def _sizes(groups) -> str:
    sizes = Counter(len(g) for g in groups)
    return ", ".join(f"{n}×{size}" for size, n in sorted(sizes.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--summary-json", type=Path, help="write the key numbers there (JSON)")
    args = parser.parse_args()

    _database("create")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from tests.veille.feedserver import FeedServer, rss_feed, rss_item
    from veille import demo
    from veille.models import Cluster, Item, Source
    from veille.services.ingest import ingest_source

    try:
        call_command("migrate", verbosity=0)
        settings.VEILLE_FETCH_ALLOWLIST = ["127.0.0.1"]
        demo.seed(scale=args.scale)
        rows = list(
            Item.objects.values_list(
                "pk", "source_id", "title", "excerpt", "published_at", "cluster_id", "language"
            )
        )
        truth = defaultdict(set)  # the demo's stories (several outlets) by guid
        for pk, _source, _title, _excerpt, _published, cluster_id, _language in rows:
            if cluster_id:
                truth[cluster_id].add(pk)
        story_of = {pk: cluster for cluster, members in truth.items() for pk in members}
        Item.objects.all().delete()
        Cluster.objects.all().delete()

        server = FeedServer().start()
        by_source = defaultdict(list)
        for row in rows:
            by_source[row[1]].append(row)
        sources = {s.pk: s for s in Source.objects.filter(pk__in=by_source)}
        for source in sources.values():
            source.feed_url = server.url(f"/demo/{source.pk}.xml")
            source.etag = source.last_modified = ""
            source.save()
        first = min(r[4] for r in rows).replace(hour=0, minute=0, second=0, microsecond=0)
        last = max(r[4] for r in rows)
        day = first
        while day <= last + timedelta(days=1):
            for source_id, items in by_source.items():
                recent = [r for r in items if day - timedelta(days=3) <= r[4] < day]
                if not recent:
                    continue
                feed_items = [
                    rss_item(
                        title=title,
                        guid=f"demo-{pk}",
                        link=f"https://demo.example/{pk}",
                        description=excerpt,
                        pub_date=published,
                    )
                    for pk, _s, title, excerpt, published, _c, _l in recent
                ]
                server.add(f"/demo/{source_id}.xml", rss_feed(feed_items, language=recent[0][6]))
                ingest_source(Source.objects.get(pk=source_id))
            day += timedelta(days=1)
        server.stop()

        guid_to_truth = {f"demo-{pk}": story_of.get(pk) for pk, *_ in rows}
        found = defaultdict(list)
        titles = defaultdict(lambda: defaultdict(set))  # cluster -> demo story -> titles
        for guid, cluster_id, published, title in Item.objects.filter(
            cluster__isnull=False
        ).values_list("guid", "cluster_id", "published_at", "title"):
            story = guid_to_truth.get(guid)
            found[cluster_id].append((story, published))
            titles[cluster_id][story or guid].add(title)
        merged = sum(1 for members in found.values() if len({t for t, _ in members}) > 1)
        # The demo tells its 24 stories again and again over the weeks, often with the
        # very same title and summary: merging those repeats is what the evidence says.
        # Merging demo stories that share no title at all is a real mistake.
        wrong = 0
        for by_story in titles.values():
            sets = list(by_story.values())
            if any(not (x & y) for i, x in enumerate(sets) for y in sets[i + 1 :]):
                wrong += 1
        true_clusters = defaultdict(set)
        for cluster_id, members in found.items():
            for story, _ in members:
                if story:
                    true_clusters[story].add(cluster_id)
        split = sum(1 for clusters in true_clusters.values() if len(clusters) > 1)
        missed = sum(1 for story in truth if story not in true_clusters)
        spans = sorted(
            (max(p for _, p in m) - min(p for _, p in m)).total_seconds() / 3600
            for m in found.values()
        )
        print(f"demo scale {args.scale}: {len(rows)} articles, {len(sources)} sources")
        print(
            f"  the demo's stories told by several sources: {len(truth)} "
            f"({sum(len(m) for m in truth.values())} articles; sizes {_sizes(truth.values())})"
        )
        print(
            f"  stories found: {len(found)} ({sum(len(m) for m in found.values())} articles; "
            f"sizes {_sizes(found.values())}); largest {max(map(len, found.values()), default=0)}"
        )
        if spans:
            median = spans[len(spans) // 2]
            print(f"  span of a story: median {median:.1f} h, max {spans[-1]:.1f} h")
        print(
            f"  stories mixing several of the demo's stories: {merged} (of which mixing "
            f"stories with no title in common: {wrong}); demo stories split in several: "
            f"{split}; demo stories not found: {missed}"
        )
        if args.summary_json:
            args.summary_json.write_text(
                json.dumps(
                    {
                        "bench": "veille_demo_stories",
                        "articles": len(rows),
                        "demo_stories": len(truth),
                        "stories_found": len(found),
                        "wrong_merges": wrong,
                        "split": split,
                        "missed": missed,
                    },
                    indent=2,
                )
            )
    finally:
        connections.close_all()
        if not args.keep_db:
            _database("drop")


if __name__ == "__main__":
    main()
