"""Home redirect, the team page and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from core.models import Role
from core.scoping import coordinator_required, get_scope
from core.selectors import team_memberships


def home(request):
    """Coordinators and readers land on the dashboard; field officers on their drafts."""
    scope = get_scope(request.user)
    readers = (Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.COMMUNICATION, Role.VIEWER)
    if scope.has_role(*readers):
        return redirect("influence:dashboard")
    try:
        return redirect(reverse("temoignages:home"))
    except NoReverseMatch:
        return redirect("core:security")


@coordinator_required
def team(request):
    return render(request, "core/team.html", {"users": team_memberships()})


@login_not_required
@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
