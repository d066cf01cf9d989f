"""OPML: reading an uploaded subscription list, writing the sources out.

Reading goes through defusedxml and refuses any DTD (the same rule as for feeds), then
walks every ``outline`` carrying an ``xmlUrl``. Each entry is checked on its own: an
invalid one is reported with its line and reason, the valid ones are kept. The import
itself runs in a worker (`import_run`) and records its progress every batch.
"""

from __future__ import annotations

import io
import random
import uuid
import xml.sax
from dataclasses import dataclass
from datetime import timedelta
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.jobs import Heartbeat

from .guard import FetchRefused, check_source_url
from .models import OpmlImport, Source
from .parsing import normalise_language, safe_xml_parser

BATCH = 50
MAX_ERRORS_KEPT = 500
SPREAD_FIRST_FETCH = timedelta(minutes=10)
KNOWN_LANGUAGES = {"fr", "en", "ar", "it", "es"}


class OpmlError(Exception):
    pass


@dataclass
class Outline:
    line: int
    title: str
    url: str
    site_url: str
    language: str


class _OutlineReader(xml.sax.handler.ContentHandler):
    def __init__(self):
        super().__init__()
        self.outlines: list[Outline] = []
        self.root_seen = False
        self._locator = None

    def setDocumentLocator(self, locator):
        self._locator = locator

    def startElement(self, name, attrs):
        if not self.root_seen:
            self.root_seen = True
            if name.lower() != "opml":
                raise OpmlError(gettext_noop("Ce fichier n'est pas un fichier OPML."))
        if name.lower() != "outline":
            return
        url = (attrs.get("xmlUrl") or attrs.get("xmlurl") or "").strip()
        if url:
            self.outlines.append(
                Outline(
                    line=self._locator.getLineNumber() if self._locator else 0,
                    title=(attrs.get("title") or attrs.get("text") or "").strip(),
                    url=url,
                    site_url=(attrs.get("htmlUrl") or attrs.get("htmlurl") or "").strip(),
                    language=normalise_language(attrs.get("language")),
                )
            )


def read(payload: str | bytes) -> list[Outline]:
    """The feed outlines of an OPML document (raises OpmlError if it is not one)."""
    reader = _OutlineReader()
    stream = io.StringIO(payload) if isinstance(payload, str) else io.BytesIO(payload)
    try:
        safe_xml_parser(reader).parse(stream)
    except DefusedXmlException:
        raise OpmlError(
            gettext_noop("Fichier refusé : il contient une DTD ou des entités XML.")
        ) from None
    except (xml.sax.SAXException, ValueError) as exc:
        if isinstance(exc, xml.sax.SAXParseException):
            exc = f"{exc.getMessage()}: line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
        raise OpmlError(gettext_noop("XML illisible : %(error)s") % {"error": exc}) from None
    if not reader.root_seen:
        raise OpmlError(gettext_noop("Ce fichier n'est pas un fichier OPML."))
    return reader.outlines


_url_validator = URLValidator(schemes=["http", "https"])


def validate_outline(outline: Outline) -> str:
    """Empty when the outline can become a source, else the reason (French source text)."""
    if not outline.url:
        return gettext_noop("Adresse du flux manquante.")
    try:
        _url_validator(outline.url)
    except ValidationError:
        return gettext_noop("Adresse du flux invalide.")
    try:
        check_source_url(outline.url, lookup=False)
    except FetchRefused as exc:
        if exc.code == "forbidden_port":
            return gettext_noop("Port refusé : seuls 80 et 443 sont acceptés.")
        if exc.code == "forbidden_address":
            return gettext_noop("Adresse interne refusée.")
        return gettext_noop("Adresse du flux invalide.")
    if outline.site_url:
        try:
            _url_validator(outline.site_url)
        except ValidationError:
            outline.site_url = ""
    return ""


def import_claim(job_id: int) -> str | None:
    """Take an import (queued, or running with an expired lease): the claim token, or
    None when another worker holds it or it is finished."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimable = Q(status=OpmlImport.Status.QUEUED) | Q(
        status=OpmlImport.Status.RUNNING, lease_expires_at__lt=now
    )
    taken = OpmlImport.objects.filter(claimable, pk=job_id).update(
        status=OpmlImport.Status.RUNNING,
        claim_token=token,
        lease_expires_at=now + timedelta(seconds=settings.JOB_LEASE_SECONDS),
        started_at=Coalesce("started_at", Value(now)),
    )
    return token if taken else None


def import_run(job: OpmlImport) -> OpmlImport:
    """Create the sources of an OPML import, batch by batch, recording progress.

    Progress is committed with each batch, so an import whose worker died resumes after
    its last committed batch: every outline is imported once and the counts stay exact.
    """
    token = import_claim(job.pk)
    if token is None:
        job.refresh_from_db()
        return job
    mine = OpmlImport.objects.filter(pk=job.pk, claim_token=token)
    with Heartbeat(mine, seconds=settings.JOB_LEASE_SECONDS):
        _import_batches(mine, token)
    job.refresh_from_db()
    return job


def _import_batches(mine, token: str) -> None:
    job = mine.get()
    now = timezone.now()
    try:
        outlines = read(job.payload)
    except OpmlError as exc:
        mine.update(
            status=OpmlImport.Status.FAILED,
            failure=str(exc)[:500],
            finished_at=timezone.now(),
            payload="",
            lease_expires_at=None,
        )
        return
    mine.update(total=len(outlines))
    existing = set(Source.objects.values_list("feed_url", flat=True))
    # Resuming: what the previous worker committed is kept, the rest is done now.
    seen = {o.url for o in outlines[: job.processed] if o.url}
    errors: list[dict] = list(job.errors or [])
    created, existing_count, processed = job.created_count, job.existing_count, job.processed
    error_count = job.error_count
    for start in range(job.processed, len(outlines), BATCH):
        batch = outlines[start : start + BATCH]
        new_sources = []
        for outline in batch:
            reason = validate_outline(outline)
            if not reason and outline.url in seen:
                reason = gettext_noop("Flux présent deux fois dans le fichier.")
            if reason:
                error_count += 1
                if len(errors) < MAX_ERRORS_KEPT:
                    errors.append(
                        {
                            "line": outline.line,
                            "title": outline.title[:120],
                            "url": outline.url[:300],
                            "reason": reason,
                        }
                    )
                continue
            seen.add(outline.url)
            if outline.url in existing:
                existing_count += 1
                continue
            language = outline.language if outline.language in KNOWN_LANGUAGES else ""
            source = Source(
                name=(outline.title or outline.url)[:200],
                feed_url=outline.url,
                site_url=outline.site_url[:2000],
                kind=job.default_kind,
                language=language or job.default_language,
                country_id=job.default_country_id,
                created_by_id=job.created_by_id,
                next_fetch_at=now + SPREAD_FIRST_FETCH * random.random(),  # noqa: S311
            )
            new_sources.append(source)
        with transaction.atomic():
            # Still ours? (A worker presumed dead may come back after another took over.)
            if not mine.select_for_update().exists():
                return
            made = Source.objects.bulk_create(new_sources, ignore_conflicts=True)
            created += len(made)
            processed += len(batch)
            mine.update(
                processed=processed,
                created_count=created,
                existing_count=existing_count,
                error_count=error_count,
                errors=errors,
            )
    mine.update(
        status=OpmlImport.Status.DONE,
        finished_at=timezone.now(),
        payload="",
        lease_expires_at=None,
    )


def export(sources) -> str:
    """An OPML 2.0 document of `sources`, grouped by kind."""
    kinds = dict(Source.Kind.choices)
    groups: dict[str, list[Source]] = {}
    for source in sources:
        groups.setdefault(source.kind, []).append(source)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>Influence — sources de veille</title>",
        f"    <dateCreated>{timezone.now():%a, %d %b %Y %H:%M:%S %z}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for kind, members in groups.items():
        label = str(kinds.get(kind, kind))
        lines.append(f"    <outline text={quoteattr(label)} title={quoteattr(label)}>")
        for s in members:
            attrs = [
                f"type={quoteattr('rss')}",
                f"text={quoteattr(s.name)}",
                f"title={quoteattr(s.name)}",
                f"xmlUrl={quoteattr(s.feed_url)}",
            ]
            if s.site_url:
                attrs.append(f"htmlUrl={quoteattr(s.site_url)}")
            if s.language:
                attrs.append(f"language={quoteattr(s.language)}")
            lines.append("      <outline " + " ".join(attrs) + "/>")
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
