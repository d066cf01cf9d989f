"""Benchmark: 50 field officers submit a testimony with a 3 MB photo at the same time.

    .venv/bin/python tests/bench/temoignages_submit.py [--clients 50] [--workers 4]
        [--photo-mb 3] [--keep]

What runs, all real processes on loopback:

- a fresh PostgreSQL database (BENCH_DATABASE_URL, default
  postgres://postgres@127.0.0.1:5432/influence_bench_submit), migrated, with one field
  officer per client (spread over the French and Libyan sites) and a published
  collection form;
- gunicorn (`config.wsgi`, `--workers 4`, sync workers) with `config.settings.local`,
  DEBUG off, private files in a temporary folder;
- one thread per client (httpx, its own cookies): log in (timed apart), wait until every
  client is logged in, then go through **the whole wizard** as a browser without
  JavaScript does — GET the first step, POST steps 1 to 4, POST step 5 with the photo
  (multipart, "Suivant" after choosing the file: upload then next step), POST step 6
  (submit) — and finally retry the submission once, as after a timeout.

The photo is a real JPEG generated once (random pixels so it does not compress, about
3 MB) carrying EXIF with a camera make and a GPS position.

Checked afterwards in the database and on disk: as many submitted testimonies as
clients (zero lost, none duplicated by the retries), one medium each, every stored file
and thumbnail present, and on a sample no EXIF / GPS left in the stored photos.
Prints p50 / p95 / max of the whole submission (6 requests), of the photo step and of
the submit step, plus the wall time for all clients.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_bench_submit"
)
PASSWORD = "bench-submit-password-2026"
SITES = ["calais", "marseille", "idf", "tripoli", "zuwara"]
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(private_root: Path, local_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": DB_URL,
        "CELERY_BROKER_URL": "memory://",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REQUIRE_2FA": "false",
        "PRIVATE_STORAGE_ROOT": str(private_root),
        "LOCAL_DATA_DIR": str(local_dir),
        "LOG_LEVEL": "WARNING",
    }


def _create_database() -> None:
    import psycopg

    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database() -> None:
    import psycopg

    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup_django(env: dict[str, str]) -> None:
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL", "DEBUG"):
        os.environ[key] = env[key]
    for key in ("PRIVATE_STORAGE_ROOT", "LOCAL_DATA_DIR", "ALLOWED_HOSTS", "REQUIRE_2FA"):
        os.environ[key] = env[key]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)


def _seed(clients: int) -> tuple[int, dict[str, int]]:
    """One field officer per client, a coordinator and a published form."""
    from core.models import Membership, Role, Site, User
    from temoignages.services.forms_builder import (
        collection_form_create,
        form_question_save,
        form_version_publish,
        parse_choice_lines,
    )

    coordinator = User.objects.create_user("bench-coord", password=PASSWORD)
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR)
    sites = {s.code: s for s in Site.objects.filter(code__in=SITES)}
    users = [User(username=f"bench-field-{n:03d}") for n in range(clients)]
    for user in users:
        user.set_password(PASSWORD)
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__startswith="bench-field-").order_by("username"))
    Membership.objects.bulk_create(
        Membership(user=user, role=Role.FIELD_COMMS, site=sites[SITES[n % len(SITES)]])
        for n, user in enumerate(users)
    )
    form = collection_form_create(user=coordinator, name="Formulaire du banc d'essai")
    version = form.versions.get()
    form_question_save(
        version=version,
        user=coordinator,
        kind="single_choice",
        label_fr="Où dormez-vous ?",
        required=True,
        choices=parse_choice_lines("À la rue\nEn foyer"),
    )
    form_question_save(version=version, user=coordinator, kind="yes_no", label_fr="Recours ?")
    form_version_publish(version=version, user=coordinator)
    return form.pk, {code: site.pk for code, site in sites.items()}


def _photo(target_mb: float) -> bytes:
    """A real JPEG of about `target_mb` MB (random pixels) with EXIF and a GPS position."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS 5D Mark IV"
    exif.get_ifd(0x8825).update({1: "N", 2: (43.0, 17.0, 48.0), 3: "E", 4: (5.0, 22.0, 12.0)})
    target = int(target_mb * 1024 * 1024)
    width = 1200
    while True:
        height = width * 3 // 4
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, exif=exif)
        data = out.getvalue()
        if len(data) >= target * 0.97:
            return data
        width = int(width * (target / len(data)) ** 0.5) + 16


def _wait_for(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


class Client(threading.Thread):
    def __init__(self, n, base, form_pk, site_pk, photo, barrier, results):
        super().__init__(daemon=True)
        self.n, self.base, self.form_pk, self.site_pk = n, base, form_pk, site_pk
        self.photo, self.barrier, self.results = photo, barrier, results

    def _csrf(self, response) -> str:
        match = CSRF_RE.search(response.text)
        if not match:
            raise RuntimeError(f"no CSRF token on {response.url} ({response.status_code})")
        return match.group(1)

    def _expect_redirect(self, response, what: str) -> str:
        if response.status_code != 302:
            raise RuntimeError(f"{what}: HTTP {response.status_code}")
        return response.headers["location"]

    def run(self):
        import httpx

        record = {"n": self.n, "error": None}
        self.results.append(record)
        http = httpx.Client(base_url=self.base, timeout=300, follow_redirects=False)
        try:
            started = time.perf_counter()
            page = http.get("/compte/connexion/")
            response = http.post(
                "/compte/connexion/",
                data={
                    "username": f"bench-field-{self.n:03d}",
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": self._csrf(page),
                },
            )
            self._expect_redirect(response, "login")
            record["login"] = time.perf_counter() - started
        except Exception as exc:
            record["error"] = f"login: {exc}"
            self.barrier.abort()
            return
        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:
            record["error"] = record["error"] or "barrier broken"
            return
        try:
            self._submit(http, record)
        except Exception as exc:
            record["error"] = str(exc)
        finally:
            http.close()

    def _submit(self, http, record):
        t0 = time.perf_counter()
        token = self._csrf(http.get("/temoignages/nouveau/"))
        client_uuid = str(uuid.uuid4())
        step = self._expect_redirect(
            http.post(
                "/temoignages/nouveau/",
                data={
                    "csrfmiddlewaretoken": token,
                    "client_uuid": client_uuid,
                    "site": self.site_pk,
                    "collected_on": time.strftime("%Y-%m-%d"),
                    "language": "fr",
                    "collection_form": self.form_pk,
                    "title": f"Banc d'essai {self.n}",
                    "nav": "next",
                },
            ),
            "step 1",
        )
        base = step.rsplit("/etape/", 1)[0]
        posts = [
            (
                2,
                {
                    "narrative": "Récit du banc d'essai. " * 40,
                    "translation_language": "en",
                    "translation_text": "Benchmark narrative.",
                    "extracts": ["Récit du banc d'essai."],
                    "q_ou-dormez-vous": "a-la-rue",
                    "q_recours": "yes",
                },
            ),
            (
                3,
                {
                    "age_bracket": "18_24",
                    "gender": "male",
                    "nationality": "SD",
                    "administrative_status": "asylum_seeker",
                    "route_countries": ["LY", "IT"],
                    "sensitivity": "confidential",
                },
            ),
            (
                4,
                {
                    "scope_internal": "on",
                    "element_text": "on",
                    "element_image": "on",
                    "method": "oral_recorded",
                    "given_on": time.strftime("%Y-%m-%d"),
                    "explained_in": "français",
                },
            ),
        ]
        for number, data in posts:
            self._expect_redirect(
                http.post(
                    f"{base}/etape/{number}/",
                    data={**data, "csrfmiddlewaretoken": token, "nav": "next"},
                ),
                f"step {number}",
            )
        t_photo = time.perf_counter()
        self._expect_redirect(
            http.post(
                f"{base}/etape/5/",
                data={"csrfmiddlewaretoken": token, "caption": "", "nav": "next"},
                files={"file": ("IMG_4032.jpg", self.photo, "image/jpeg")},
            ),
            "step 5 (photo)",
        )
        t_submit = time.perf_counter()
        done = self._expect_redirect(
            http.post(f"{base}/etape/6/", data={"csrfmiddlewaretoken": token, "nav": "next"}),
            "step 6 (submit)",
        )
        t_end = time.perf_counter()
        if "/envoye/" not in done:
            raise RuntimeError(f"submit went to {done}")
        record.update(
            total=t_end - t0, photo=t_submit - t_photo, submit=t_end - t_submit, uuid=client_uuid
        )
        # A retry after a timeout: the same POST again must not create or fail anything.
        retry = http.post(f"{base}/etape/6/", data={"csrfmiddlewaretoken": token, "nav": "next"})
        record["retry_ok"] = retry.status_code == 302 and "/envoye/" in retry.headers["location"]


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {p50 * 1000:7.0f} ms   p95 {p95 * 1000:7.0f} ms   max {ordered[-1] * 1000:7.0f} ms"


def _stats(values: list[float]) -> dict:
    """p50 / p95 / max in milliseconds, as `_percentiles` prints them."""
    if not values:
        return {}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def _verify(results, private_root: Path, clients: int) -> bool:
    from PIL import Image

    from temoignages.models import MediaAttachment, Testimony

    uuids = [r["uuid"] for r in results if r.get("uuid")]
    testimonies = Testimony.objects.filter(collected_by__username__startswith="bench-field-")
    submitted = testimonies.filter(status=Testimony.Status.SUBMITTED).count()
    media = list(MediaAttachment.objects.filter(testimony__in=testimonies))
    missing = [
        m.pk
        for m in media
        if not (private_root / m.storage_path).is_file()
        or not (private_root / m.thumbnail_path).is_file()
    ]
    stripped = 0
    sample = media[:: max(1, len(media) // 5)][:5]
    for item in sample:
        with Image.open(private_root / item.storage_path) as image:
            exif = image.getexif()
            if not exif and not exif.get_ifd(0x8825) and "exif" not in image.info:
                stripped += 1
    print()
    print(f"testimonies in the database : {testimonies.count()} (expected {clients})")
    print(f"  submitted                 : {submitted}")
    print(f"  matching the clients' ids : {testimonies.filter(client_uuid__in=uuids).count()}")
    print(f"media rows                  : {len(media)}   files missing on disk: {len(missing)}")
    print(f"EXIF/GPS gone in sample     : {stripped}/{len(sample)}")
    print(f"retries answered 'done'     : {sum(1 for r in results if r.get('retry_ok'))}")
    lost = clients - submitted
    print(f"LOST: {lost}")
    return (
        lost == 0
        and testimonies.count() == clients
        and len(media) == clients
        and not missing
        and stripped == len(sample)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--photo-mb", type=float, default=3.0)
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    parser.add_argument("--summary-json", type=Path, help="write the key numbers there (JSON)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    private_root, local_dir = work / "private", work / "local"
    private_root.mkdir()
    local_dir.mkdir()
    env = _server_env(private_root, local_dir)
    print(f"database {DB_URL}, files in {work}")
    _create_database()
    _setup_django(env)
    form_pk, site_pks = _seed(args.clients)
    photo = _photo(args.photo_mb)
    print(f"photo: {len(photo) / 1024 / 1024:.2f} MB JPEG with EXIF and GPS")

    port = _free_port()
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--backlog",
            "256",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    ok = False
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/healthz")
        print(f"gunicorn: {args.workers} sync workers on {base}")
        results: list[dict] = []
        barrier = threading.Barrier(args.clients + 1)
        threads = [
            Client(n, base, form_pk, site_pks[SITES[n % len(SITES)]], photo, barrier, results)
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        barrier.wait()
        wall = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - wall
        errors = [r for r in results if r["error"]]
        done = [r for r in results if "total" in r]
        print(f"\n{args.clients} clients, all logged in, then submitting at the same time")
        logins = [r["login"] for r in results if "login" in r]
        print(f"login (before the start)    : {_percentiles(logins)}")
        if done:
            print(f"whole wizard (6 requests)   : {_percentiles([r['total'] for r in done])}")
            print(f"  step 5, 3 MB photo upload : {_percentiles([r['photo'] for r in done])}")
            print(f"  step 6, submit            : {_percentiles([r['submit'] for r in done])}")
        print(f"wall time for all clients   : {wall:.1f} s ({len(done) / wall:.2f} submissions/s)")
        for record in errors:
            print(f"  client {record['n']}: {record['error']}")
        ok = _verify(results, private_root, args.clients) and not errors
        if args.summary_json:
            args.summary_json.write_text(
                json.dumps(
                    {
                        "bench": "temoignages_submit",
                        "clients": args.clients,
                        "photo_mb": args.photo_mb,
                        "ok": ok,
                        "errors": len(errors),
                        "whole": _stats([r["total"] for r in done]),
                        "photo": _stats([r["photo"] for r in done]),
                        "submit": _stats([r["submit"] for r in done]),
                        "wall_s": wall,
                    },
                    indent=2,
                )
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _drop_database()
            shutil.rmtree(work, ignore_errors=True)
    print("\nOK" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
