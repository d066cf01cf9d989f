"""Export of the current inbox filter: every matching article, as CSV or XLSX."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from core.exports import ExportFormat, default_format, export_response
from core.models import AuditEvent
from core.permissions import access_required
from core.services import audit_record

from ..filters import inbox_data
from ..permissions import can_read
from ..selectors import export_columns, export_items, inbox_filterset


@access_required(can_read)
@require_GET
def inbox_export(request):
    """Every article matching the inbox filter (not just one page), newest first."""
    filterset = inbox_filterset(user=request.user, data=inbox_data(request.GET))
    export_format = request.GET.get("format", "")
    if export_format not in ExportFormat.values:
        export_format = default_format()
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="veille.item",
        request=request,
        detail={
            "format": export_format,
            "query": bool(filterset.query),
            "filters": ",".join(sorted(k for k in request.GET if k not in ("page", "q", "format"))),
        },
    )
    return export_response(
        columns=export_columns(),
        rows=export_items(filterset),
        filename_stem="veille",
        export_format=export_format,
        sheet_title="Veille",
    )
