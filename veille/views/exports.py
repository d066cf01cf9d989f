"""CSV export of the current inbox filter (every matching article, streamed)."""

from __future__ import annotations

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from core.models import AuditEvent
from core.scoping import role_required
from core.services import audit_record

from ..filters import inbox_data
from ..permissions import READER_ROLES
from ..selectors import export_rows, inbox_filterset


class _Echo:
    """A file-like object whose write() returns the line (for the streaming writer)."""

    def write(self, value):
        return value


@role_required(*READER_ROLES)
@require_GET
def inbox_csv(request):
    """Every article matching the inbox filter (not just one page), newest first."""
    filterset = inbox_filterset(user=request.user, data=inbox_data(request.GET))
    writer = csv.writer(_Echo())
    language = translation.get_language()

    def stream():
        yield "\ufeff"  # byte order mark: spreadsheets then read the accents right
        # The response is streamed after the view returns: keep the user's language.
        with translation.override(language):
            for row in export_rows(filterset):
                yield writer.writerow(row)

    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="veille.item",
        request=request,
        detail={
            "format": "csv",
            "query": bool(filterset.query),
            "filters": ",".join(sorted(k for k in request.GET if k not in ("page", "q"))),
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="veille-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
