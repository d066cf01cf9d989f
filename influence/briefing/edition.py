"""One edition of the briefing: every app's section built for a period, an audience and a
language, as things stand on the render date.

The sections come from the registry (`core.extensions.registry.briefing()`), so a section
an app registers appears in every edition (and in the list of sections a coordinator can
switch off) with no change here. A section that raises, while building or while its
template is rendered, stops the edition with that section named (`SectionFailed`): a
briefing is never published with a part silently missing.

The same HTML (`influence/briefing/document.html`) is shown in the browser as the
preview and laid out by WeasyPrint as the PDF; only the stylesheets differ.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.extensions import BriefingPart, BriefingPeriod, BriefingSection, registry
from core.markdown import render_markdown
from core.pdf_jobs import PdfRenderError

from ..models import Briefing


class SectionFailed(PdfRenderError):
    """A section could not be built or shown: the edition stops, naming it. The message
    is written in the language active when it is read (the section's title is lazy)."""

    def __init__(self, section: BriefingSection, error: BaseException):
        self.section = section
        self.error_name = type(error).__name__
        super().__init__(section.key)

    def __str__(self) -> str:
        return _(
            "La section « %(title)s » n'a pas pu être construite (%(error)s) : le briefing "
            "n'a pas été produit. Corrigez la cause ou retirez la section de cette édition, "
            "puis réessayez."
        ) % {"title": self.section.title, "error": self.error_name}


@dataclass(frozen=True)
class Figure:
    """A key figure and its change since the previous period."""

    label: str
    value: int
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.value - self.previous

    @property
    def direction(self) -> str:
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def percent(self) -> int | None:
        if self.previous in (None, 0) or self.change is None:
            return None
        return round(100 * self.change / self.previous)


@dataclass
class EditionSection:
    key: str
    title: str
    anchor: str
    html: SafeString
    part: BriefingPart


@dataclass
class Edition:
    briefing: Briefing
    period: BriefingPeriod
    sections: list[EditionSection]
    figures: list[Figure]
    introduction: SafeString
    title: str
    period_label: str
    previous_label: str
    marking: str
    audience_label: str
    generated_at: datetime.datetime
    # Sections registered but switched off for this edition (their titles).
    left_out: list[str] = field(default_factory=list)

    @property
    def is_month(self) -> bool:
        return self.period.is_month

    @property
    def internal(self) -> bool:
        return self.briefing.audience == Briefing.Audience.INTERNAL

    def rendered(self, job=None) -> None:
        """The PDF is stored: let each section record what its existence means."""
        for section in self.sections:
            if section.part.on_rendered is not None:
                try:
                    section.part.on_rendered(self.briefing)
                except PdfRenderError:
                    raise
                except Exception as error:
                    section_def = registry.briefing_sections[section.key]
                    raise SectionFailed(section_def, error) from error


def is_month(start: datetime.date, end: datetime.date) -> bool:
    """[start, end] is one whole calendar month."""
    return BriefingPeriod(start=start, end=end, audience="", language="", render_date=end).is_month


def period_label(start: datetime.date, end: datetime.date) -> str:
    """ "novembre 2026", or "du 3 au 20 novembre 2026" for a custom range (active language)."""
    if is_month(start, end):
        return formats.date_format(start, "F Y")
    return _("du %(start)s au %(end)s") % {
        "start": formats.date_format(start, "DATE_FORMAT"),
        "end": formats.date_format(end, "DATE_FORMAT"),
    }


def briefing_title(briefing: Briefing) -> str:
    """The edition's title in the active language."""
    label = period_label(briefing.period_start, briefing.period_end)
    if is_month(briefing.period_start, briefing.period_end):
        return _("Briefing mensuel — %(period)s") % {"period": label}
    return _("Briefing — %(period)s") % {"period": label}


def sensitivity_marking(audience: str) -> str:
    if audience == Briefing.Audience.INTERNAL:
        return _("Interne — ne pas diffuser")
    return _("Diffusion partenaires")


def sections_for(briefing: Briefing) -> list[BriefingSection]:
    """The registered sections this edition keeps, in their order."""
    off = set(briefing.disabled_sections or [])
    return [s for s in registry.briefing() if s.key not in off]


def edition_build(briefing: Briefing, *, user, render_date: datetime.date | None = None) -> Edition:
    """Build every kept section of `briefing` for `user` (who answers for it), in the
    briefing's language. Raises `SectionFailed` naming the first section that fails."""
    render_date = render_date or timezone.localdate()
    period = BriefingPeriod(
        start=briefing.period_start,
        end=briefing.period_end,
        audience=briefing.audience,
        language=briefing.language,
        render_date=render_date,
        user=user,
    )
    with translation.override(briefing.language):
        kept = sections_for(briefing)
        off = set(briefing.disabled_sections or [])
        built: list[EditionSection] = []
        for section in kept:
            try:
                part = section.build(period)
                if part is None:
                    continue
                html = render_to_string(
                    part.template, {**part.context, "period": period, "section": section}
                )
            except Exception as error:
                raise SectionFailed(section, error) from error
            built.append(
                EditionSection(
                    key=section.key,
                    title=str(section.title),
                    anchor="section-" + section.key.replace(".", "-").replace("_", "-"),
                    html=mark_safe(html),  # noqa: S308 - a template's output, autoescaped
                    part=part,
                )
            )
        figures = [
            Figure(label=str(label), value=value, previous=previous)
            for section in built
            for label, value, previous in section.part.figures
        ]
        previous_start, previous_end = period.previous
        return Edition(
            briefing=briefing,
            period=period,
            sections=built,
            figures=figures,
            introduction=render_markdown(briefing.introduction),
            title=briefing_title(briefing),
            period_label=period_label(briefing.period_start, briefing.period_end),
            previous_label=period_label(previous_start, previous_end),
            marking=sensitivity_marking(briefing.audience),
            audience_label=str(Briefing.Audience(briefing.audience).label),
            generated_at=timezone.localtime(),
            left_out=[str(s.title) for s in registry.briefing() if s.key in off],
        )


def edition_html(edition: Edition, *, template: str) -> str:
    """The edition through `template` (the PDF's or the preview's), in its language."""
    with translation.override(edition.briefing.language):
        return render_to_string(template, {"edition": edition, "briefing": edition.briefing})
