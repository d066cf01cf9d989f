"""Error pages in the house style; refusals are audited."""

from django.shortcuts import render

from core.models import AuditEvent
from core.services import audit_record


def permission_denied(request, exception=None):
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.PERMISSION_DENIED,
            request=request,
            detail={"path": request.path[:200]},
        )
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the template must not need the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
