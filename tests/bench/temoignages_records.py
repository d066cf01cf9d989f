"""Benchmark: testimony records at scale — list, gate, exports, media pipeline.

    .venv/bin/python tests/bench/temoignages_records.py [--testimonies 10000] [--runs 20]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/influence_bench_temoignages): creates and migrates it,
seeds `--testimonies` testimonies once (all sites, all statuses, consents with varied
scopes and expiries, themes), then measures through the real views (Django test client,
logged-in users, middleware, filters, templates):

- the coordinator's list (default, filtered "usable for public", "consent expiring");
- the communication department's list (its scope *is* the gate, in SQL);
- a testimony detail page;
- CSV and XLSX exports of the whole internal-use list;
- the media pipeline on a 12-megapixel JPEG (about 3 MB) carrying EXIF, GPS and XMP.

Prints p50 / p95 in milliseconds and the number of SQL queries per page.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_bench_temoignages"
)
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def _setup(reset: bool):
    import django
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(count: int) -> None:
    from django.utils import timezone

    from core.models import Membership, Role, Site, Theme, User
    from temoignages.models import Consent, Testimony

    if Testimony.objects.count() >= count:
        return
    rng = random.Random(4)
    today = timezone.localdate()
    officer, _ = User.objects.get_or_create(username="bench-field")
    sites = list(Site.objects.all())
    themes = list(Theme.objects.all())
    statuses = ["draft", "submitted", "in_review", "approved", "approved", "approved", "rejected"]
    statuses += ["withdrawn"]
    start = Testimony.objects.count()
    batch = []
    for n in range(start, count):
        collected = today - datetime.timedelta(days=rng.randint(0, 900))
        batch.append(
            Testimony(
                reference=f"TEM-BENCH-{n:06d}",
                site=rng.choice(sites),
                collected_on=collected,
                collected_by=officer,
                language=rng.choice(["fr", "fr", "ar", "en"]),
                title=f"Témoignage {n}",
                narrative="Nous avons traversé la mer. " * rng.randint(20, 120),
                external_text="Version caviardée. " * 10 if rng.random() < 0.7 else "",
                status=rng.choice(statuses),
                sensitivity=rng.choice(["standard", "confidential", "confidential", "strict"]),
                is_minor=rng.random() < 0.2,
                retention_date=collected + datetime.timedelta(days=1095),
            )
        )
    created = Testimony.objects.bulk_create(batch, batch_size=2000)
    consents = []
    for testimony in created:
        if rng.random() < 0.1:
            continue
        given = testimony.collected_on
        consents.append(
            Consent(
                testimony=testimony,
                scope_internal=True,
                scope_external_anonymised=rng.random() < 0.7,
                element_text=True,
                element_image=rng.random() < 0.5,
                element_voice=rng.random() < 0.5,
                method="oral_recorded",
                explained_in="arabe",
                obtained_by=officer,
                recorded_by=officer,
                given_on=given,
                expires_on=max(
                    today + datetime.timedelta(days=rng.randint(-60, 700)),
                    given + datetime.timedelta(days=1),
                ),
                guardian_consent=testimony.is_minor,
                guardian_relationship="Tuteur" if testimony.is_minor else "",
                minor_agreement=testimony.is_minor,
                safeguarding_reviewed_at=timezone.now() if testimony.is_minor else None,
            )
        )
    Consent.objects.bulk_create(consents, batch_size=2000)
    for consent in consents:
        Testimony.objects.filter(pk=consent.testimony_id).update(current_consent=consent)
    through = Testimony.themes.through
    through.objects.bulk_create(
        [through(testimony_id=t.pk, theme_id=rng.choice(themes).pk) for t in created],
        batch_size=5000,
    )
    coordinator, _ = User.objects.get_or_create(username="bench-coord")
    Membership.objects.get_or_create(user=coordinator, role=Role.COORDINATOR)
    comms, _ = User.objects.get_or_create(username="bench-comms")
    Membership.objects.get_or_create(user=comms, role=Role.COMMUNICATION)


def _time(client, url, runs, params=None, *, method="get"):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = getattr(client, method)(url, params or {})
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, queries, response


def _photo() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 24.0)})
    rng = random.Random(1)
    noise = bytes(rng.getrandbits(8) for _ in range(4000 * 3000 * 3 // 64))
    image = Image.frombytes("RGB", (4000, 3000 // 64), noise).resize((4000, 3000))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes(), xmp=b"<x:xmpmeta/>")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--testimonies", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--summary-json", type=Path, help="write the key numbers there (JSON)")
    args = parser.parse_args()
    summary: dict = {"bench": "temoignages_records", "pages": {}, "exports": {}}
    _setup(args.reset)

    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    from core.models import User
    from temoignages.models import Testimony

    started = time.perf_counter()
    _seed(args.testimonies)
    print(
        f"corpus: {Testimony.objects.count()} testimonies ({time.perf_counter() - started:.1f} s)"
    )

    coordinator = Client()
    coordinator.force_login(User.objects.get(username="bench-coord"))
    comms = Client()
    comms.force_login(User.objects.get(username="bench-comms"))
    pages = [
        ("list, coordinator", coordinator, "/temoignages/liste/", None),
        ("list, usable for public", coordinator, "/temoignages/liste/", {"usable_for": "public"}),
        ("list, consent expiring", coordinator, "/temoignages/liste/", {"consent": "expiring"}),
        ("list, communication", comms, "/temoignages/liste/", None),
        ("list, page 40", coordinator, "/temoignages/liste/", {"page": 40}),
    ]
    detail_pk = Testimony.objects.filter(status="approved").values_list("pk", flat=True).first()
    pages.append(("detail", coordinator, f"/temoignages/{detail_pk}/", None))
    for label, client, url, params in pages:
        p50, p95, queries, _ = _time(client, url, args.runs, params)
        print(f"{label:28s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {queries} queries")
        summary["pages"][label] = {"p50_ms": p50, "p95_ms": p95, "queries": queries}

    for fmt in ("csv", "xlsx"):
        # The file is made on POST (a GET shows the export form).
        params = {"audience": "internal", "export_format": fmt}
        p50, p95, queries, response = _time(
            coordinator, "/temoignages/export/", 3, params, method="post"
        )
        size = len(response.content) if fmt == "xlsx" else None
        rows = Testimony.objects.filter(status="approved").count()
        extra = f", {size / 1e6:.1f} MB" if size else ""
        print(f"export {fmt:4s} (≤{rows} rows)       p50 {p50:7.1f} ms   {queries} queries{extra}")
        summary["exports"][fmt] = {"p50_ms": p50, "queries": queries, "rows": rows}

    from django.core.files.uploadedfile import SimpleUploadedFile

    from temoignages.media import store_upload

    data = _photo()
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        stored = store_upload(upload=SimpleUploadedFile("p.jpg", data), folder="bench")
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(
        f"media pipeline, {len(data) / 1e6:.1f} MB 12 MP JPEG: p50 {median:.0f} ms"
        f" (stored {stored.size_bytes / 1e6:.1f} MB, metadata stripped: {stored.metadata_stripped})"
    )
    summary["testimonies"] = Testimony.objects.count()
    summary["media_pipeline_p50_ms"] = median
    if args.summary_json:
        args.summary_json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
