"""A month of content for briefing tests: the previous calendar month (the render date is
today), with one thing for every section, each with a title the tests look for."""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone

from core.files import private_path
from core.models import Country, PdfJob
from influence.models import Briefing, PoliticalEvent
from influence.services.briefings import month_bounds
from temoignages.models import Testimony, UsableExtract
from tests.core.factories import site, theme
from tests.influence.factories import marker, objective, unit_strategy
from tests.temoignages.factories import usable_testimony
from tests.veille.factories import AnalysisNoteFactory, ItemFactory, SourceFactory
from veille.models import AnalysisNote, Importance, TriageStatus

ITEM_TITLE = "Naufrage au large de Zuwara : quarante personnes disparues"
NOTE_TITLE = "Interceptions en Méditerranée centrale : ce que montrent les chiffres"
EVENT_TITLE = "Vote en commission LIBE sur les pays d'origine sûrs"
OBJECTIVE_TITLE = "Mettre fin à la détention des enfants aux frontières"
EXTRACT_TEXT = "Ils nous ont laissés trois jours sans eau dans le conteneur."
ARABIC_EXTRACT = "كنا أكثر من مئتي شخص في غرفة واحدة ولم يكن هناك طبيب"


def last_month() -> tuple[datetime.date, datetime.date]:
    first = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return month_bounds(first.year, first.month)


def in_month(day: int = 12, hour: int = 10) -> datetime.datetime:
    start, _end = last_month()
    naive = datetime.datetime.combine(start.replace(day=day), datetime.time(hour))
    return timezone.make_aware(naive)


def approved_in_month(testimony: Testimony) -> Testimony:
    Testimony.objects.filter(pk=testimony.pk).update(reviewed_at=in_month(15))
    testimony.refresh_from_db()
    return testimony


def quoted_testimony(text: str = EXTRACT_TEXT, *, language="fr", **kwargs) -> Testimony:
    """Approved last month, usable for every audience today, with one redacted extract."""
    kwargs.setdefault("consent", {})
    kwargs["consent"].setdefault("given_on", last_month()[0] - datetime.timedelta(days=20))
    testimony = usable_testimony(language=language, themes=[theme("detention")], **kwargs)
    UsableExtract.objects.create(
        testimony=testimony, position=0, text="(texte original)", external_text=text
    )
    return approved_in_month(testimony)


def month_content(coordinator) -> dict:
    """One of everything the sections show, in the previous month (or just after it)."""
    start, end = last_month()
    source = SourceFactory(name="Agence de presse A")
    other = SourceFactory(name="Quotidien B")
    lead = ItemFactory(
        source=source,
        title=ITEM_TITLE,
        published_at=in_month(10),
        status=TriageStatus.RELEVANT,
        importance=Importance.HIGH,
        themes=[theme("detention")],
        countries=[Country.objects.get(code="LY")],
    )
    from veille.models import Cluster

    cluster = Cluster.objects.create(title=ITEM_TITLE, representative=lead)
    ItemFactory(
        source=other,
        title="Quarante disparus après un naufrage près de Zuwara",
        published_at=in_month(11),
        status=TriageStatus.RELEVANT,
        cluster=cluster,
        is_cluster_lead=False,
    )
    lead.cluster = cluster
    lead.save(update_fields=["cluster"])
    ItemFactory(title="Un article écarté", published_at=in_month(9), status=TriageStatus.DISCARDED)
    ItemFactory(title="Un article jamais trié", published_at=in_month(9))
    note = AnalysisNoteFactory(
        title=NOTE_TITLE,
        author=coordinator,
        status=AnalysisNote.Status.PUBLISHED,
        audience=AnalysisNote.Audience.PARTNERS,
        body="## Constat\n\nLes interceptions augmentent depuis l'été [@1].",
    )
    AnalysisNote.objects.filter(pk=note.pk).update(published_at=in_month(20))
    event = PoliticalEvent.objects.create(
        title=EVENT_TITLE, kind=PoliticalEvent.Kind.VOTE, start=end + datetime.timedelta(days=12)
    )
    goal = objective(
        unit_strategy(status="validated"), OBJECTIVE_TITLE, due_on=end + datetime.timedelta(90)
    )
    reached = marker(goal, "Le HCR publie ses chiffres de détention", reached=True)
    reached.reached_on = start + datetime.timedelta(days=4)
    reached.save(update_fields=["reached_on"])
    marker(goal, "Une loi interdit la rétention des mineurs")
    testimony = quoted_testimony(site=site("calais"))
    return {"item": lead, "note": note, "event": event, "objective": goal, "testimony": testimony}


def briefing(audience="internal", language="fr", **kwargs) -> Briefing:
    start, end = last_month()
    return Briefing.objects.create(
        period_start=start, period_end=end, audience=audience, language=language, **kwargs
    )


def pdf_bytes(job: PdfJob) -> bytes:
    assert job.status == PdfJob.Status.READY, job.error
    return private_path(job.file_name).read_bytes()


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def pdftotext(data: bytes) -> str:
    """poppler's text: it puts right-to-left runs back in logical order."""
    found = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return "".join(c for c in found if c not in "\u202a\u202b\u202c\u200e\u200f")


@dataclass
class Rendered:
    job: PdfJob
    data: bytes
    text: str
