from django.shortcuts import render
from django.utils.translation import gettext as _

from core.models import Role
from core.scoping import role_required

from .dashboard import dashboard_cards

READERS = (Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.COMMUNICATION, Role.VIEWER)


@role_required(*READERS)
def dashboard(request):
    return render(request, "influence/dashboard.html", {"cards": dashboard_cards(request)})


@role_required(*READERS)
def strategies(request):
    return render(
        request,
        "influence/strategies.html",
        {
            "module_title": _("Stratégies"),
            "module_text": _(
                "Stratégies d'influence (fil rouge de l'unité et stratégies pays), objectifs, "
                "messages clés et calendrier politique arriveront dans une prochaine version."
            ),
        },
    )
