"""Coordinator dashboard cards: testimonies awaiting review, consents to renew.

Each card costs two queries (a count and the first rows), whatever the data size.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.extensions import Card

from . import permissions, selectors
from .models import Testimony

ROWS = 5


def cards(request) -> list[Card]:
    user = request.user
    if not permissions.is_reviewer(user):
        return []
    waiting = selectors.awaiting_review(user).select_related("site").order_by("submitted_at", "id")
    expiring = selectors.consents_expiring(user)
    return [
        Card(
            title=_("Témoignages à relire"),
            template="temoignages/cards/awaiting_review.html",
            context={"count": waiting.count(), "rows": list(waiting[:ROWS])},
            order=40,
            link_url=reverse("temoignages:list")
            + f"?status={Testimony.Status.SUBMITTED}&status={Testimony.Status.IN_REVIEW}",
            link_label=_("Tous les témoignages à relire"),
        ),
        Card(
            title=_("Consentements à renouveler"),
            template="temoignages/cards/consents_expiring.html",
            context={
                "count": expiring.count(),
                "rows": list(expiring[:ROWS]),
                "today": timezone.localdate(),
            },
            order=45,
            link_url=reverse("temoignages:consents_expiring"),
            link_label=_("Tous les consentements à renouveler"),
        ),
    ]
