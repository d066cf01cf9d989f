"""Fetch one feed now, synchronously, and print one JSON line.

    python manage.py veille_fetch https://example.org/feed.xml
    python manage.py veille_fetch URL --source-id 12

Uses the same guard, allowlist and pipeline as the workers; creates the source (active,
like one added in the interface) when the URL is not followed yet.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from veille.guard import FetchRefused, check_source_url
from veille.models import Source
from veille.services import source_claim, source_create
from veille.services.ingest import ingest_source


class Command(BaseCommand):
    help = "Récupère un flux une fois, tout de suite, et affiche le résultat en JSON."

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", default="", help="Adresse du flux.")
        parser.add_argument("--source-id", type=int, help="Source existante à récupérer.")

    def handle(self, *args, url="", source_id=None, **options):
        if source_id:
            source = Source.objects.filter(pk=source_id).first()
            if source is None:
                raise CommandError(f"Source {source_id} introuvable.")
            url = url or source.feed_url
            if url != source.feed_url:
                raise CommandError("L'adresse ne correspond pas à celle de la source.")
        elif not url:
            raise CommandError("Indiquez une adresse de flux ou --source-id.")
        else:
            try:
                check_source_url(url)
            except FetchRefused as exc:
                self._print(url, error=f"{exc.code}: {exc.detail}".strip(": "))
                return
            source = Source.objects.filter(feed_url=url).first()
            if source is None:
                try:
                    source = source_create(user=None, name=url[:200], feed_url=url)
                except ValidationError as exc:
                    self._print(url, error="invalid_url: " + "; ".join(exc.messages)[:200])
                    return
        token = source_claim(source=source)
        if token is None:
            self._print(url, error="busy: a worker is fetching this source right now")
            return
        report = ingest_source(source, claim_token=token)
        self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))

    def _print(self, url, *, error):
        line = {"url": url, "status": None, "new": 0, "updated": 0, "unchanged": 0, "error": error}
        self.stdout.write(json.dumps(line, ensure_ascii=False))
