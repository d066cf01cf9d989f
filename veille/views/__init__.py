"""Veille views: `sources` (part A: sources, health, OPML) and the desk (inbox, items,
rules, notes) in their own modules."""

from django.shortcuts import render

from core.models import Role
from core.scoping import role_required

READERS = (Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.COMMUNICATION, Role.VIEWER)


@role_required(*READERS)
def inbox(request):
    return render(request, "veille/inbox.html")
