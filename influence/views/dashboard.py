"""The dashboard: every app's cards for this user, and what waits today at the top."""

from django.shortcuts import render

from core.extensions import registry
from core.permissions import access_required

from ..permissions import can_view_dashboard


@access_required(can_view_dashboard)
def dashboard(request):
    cards = registry.dashboard_cards(request)
    waiting = [card for card in cards if card.count and card.link_url]
    return render(request, "influence/dashboard.html", {"cards": cards, "waiting": waiting})
