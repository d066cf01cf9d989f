"""The advocacy home: the board of actions by status."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from core.permissions import access_required

from .. import permissions
from .common import crumbs


@access_required(permissions.can_read)
def index(request):
    return render(request, "plaidoyer/index.html", {"crumbs": crumbs((_("Actions"), ""))})
