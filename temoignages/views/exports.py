"""CSV / XLSX export of the current filtered list, within scope and through the gate.

The export mode says what the file is for, and decides rows and columns:

- metadata: every testimony of the filtered list the user may see, no text at all;
- internal: only testimonies the gate allows for internal use, with the original;
- partners / public: only those the gate allows for that audience, with the redacted
  external version and a reduced, non-identifying set of columns. These exports are
  uses: a `TestimonyUse` row is written per testimony, so a later withdrawal lists the
  export in its takedown checklist.

Every export is audited (format, mode, row count).
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.services import audit_record

from ..forms.records import ExportForm
from ..gate import testimony_usability, usable_q
from ..models import Audience, Testimony, TestimonyUse
from ..permissions import export_audiences
from .records import filtered_testimonies, require_testimony_reader

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Plain text, never a spreadsheet formula (CSV/formula injection)."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _yes(value: bool) -> str:
    return _("oui") if value else _("non")


def _columns(mode: str) -> list[tuple[str, callable]]:
    def themes(t):
        return ", ".join(theme.name for theme in t.themes.all())

    if mode in (Audience.PARTNERS, Audience.PUBLIC):
        return [
            (_("Référence"), lambda t: t.reference),
            (_("Pays"), lambda t: t.site.country.name),
            (_("Mois du recueil"), lambda t: t.collected_on.strftime("%Y-%m")),
            (_("Thèmes"), themes),
            (_("Tranche d'âge"), lambda t: t.get_age_bracket_display()),
            (_("Mineur"), lambda t: _yes(t.is_minor)),
            (_("Version externe"), lambda t: t.external_text),
        ]
    columns = [
        (_("Référence"), lambda t: t.reference),
        (_("Site"), lambda t: t.site.name),
        (_("Pays"), lambda t: t.site.country.name),
        (_("Recueilli le"), lambda t: t.collected_on.isoformat()),
        (_("Langue"), lambda t: t.get_language_display()),
        (_("Statut"), lambda t: t.get_status_display()),
        (_("Sensibilité"), lambda t: t.get_sensitivity_display()),
        (_("Mineur"), lambda t: _yes(t.is_minor)),
        (_("Tranche d'âge"), lambda t: t.get_age_bracket_display()),
        (_("Genre"), lambda t: t.get_gender_display()),
        (_("Nationalité"), lambda t: t.nationality.name if t.nationality else ""),
        (_("Situation administrative"), lambda t: t.get_administrative_status_display()),
        (_("Thèmes"), themes),
        (
            _("Consentement expire le"),
            lambda t: (
                t.current_consent.expires_on.isoformat()
                if t.current_consent and t.current_consent.expires_on
                else ""
            ),
        ),
        (_("Interne"), lambda t: _yes(testimony_usability(t, Audience.INTERNAL).allowed)),
        (_("Partenaires"), lambda t: _yes(testimony_usability(t, Audience.PARTNERS).allowed)),
        (_("Public"), lambda t: _yes(testimony_usability(t, Audience.PUBLIC).allowed)),
        (_("Médias"), lambda t: t.media_count),
        (
            _("Conserver jusqu'au"),
            lambda t: t.retention_date.isoformat() if t.retention_date else "",
        ),
    ]
    if mode == Audience.INTERNAL:
        columns += [(_("Titre"), lambda t: t.title), (_("Récit"), lambda t: t.narrative)]
    return columns


class _Echo:
    def write(self, value):
        return value


def testimony_export(request):
    require_testimony_reader(request)
    allowed = export_audiences(request.user)
    form = ExportForm(request.GET, allowed_audiences=allowed)
    if not form.is_valid():
        if not allowed:
            raise PermissionDenied
        messages.error(request, _("Choisissez un format et un usage autorisés pour l'export."))
        return redirect(reverse("temoignages:list") + "?" + _list_query(request))
    mode = form.cleaned_data["audience"]
    export_format = form.cleaned_data["export_format"]
    _filterset, queryset, _drafts = filtered_testimonies(request)
    if mode != "metadata":
        queryset = queryset.filter(usable_q(mode))
    testimonies = list(queryset.defer(None).order_by("-collected_on", "-id"))
    columns = _columns(mode)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"temoignages-{mode}-{stamp}.{export_format}"

    with transaction.atomic():
        if mode in (Audience.PARTNERS, Audience.PUBLIC) and testimonies:
            where = _("Export %(format)s (%(audience)s) du %(date)s") % {
                "format": export_format.upper(),
                "audience": Audience(mode).label,
                "date": timezone.localdate().strftime("%d/%m/%Y"),
            }
            TestimonyUse.objects.bulk_create(
                [
                    TestimonyUse(
                        testimony=t,
                        audience=mode,
                        where=where,
                        used_by=request.user,
                        used_on=timezone.localdate(),
                    )
                    for t in testimonies
                ]
            )
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=Testimony._meta.label_lower,
            request=request,
            detail={"format": export_format, "mode": mode, "rows": len(testimonies)},
        )

    if export_format == "csv":
        return _csv_response(testimonies, columns, filename)
    return _xlsx_response(testimonies, columns, filename, mode)


def _list_query(request) -> str:
    query = request.GET.copy()
    for key in ("export_format", "audience"):
        query.pop(key, None)
    return query.urlencode()


def _csv_response(testimonies, columns, filename) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # BOM: Excel opens UTF-8 (and Arabic) correctly
        yield writer.writerow([label for label, _getter in columns])
        for testimony in testimonies:
            yield writer.writerow([_cell(getter(testimony)) for _label, getter in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx_response(testimonies, columns, filename, mode) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Témoignages")[:31])
    header = []
    for label, _getter in columns:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for testimony in testimonies:
        row = []
        for _label, getter in columns:
            cell = WriteOnlyCell(sheet, value=_cell(getter(testimony)))
            cell.data_type = "s"  # text, never a formula
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
