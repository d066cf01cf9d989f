"""Home redirect, the team page and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from core.extensions import registry
from core.permissions import coordinator_required
from core.selectors import team_memberships


def home(request):
    """Each role lands on the first home page an app offers it (see core.extensions)."""
    return redirect(registry.home_url_name(request.user) or "core:security")


@coordinator_required
def team(request):
    return render(request, "core/team.html", {"users": team_memberships()})


@login_not_required
@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
