from django.shortcuts import render
from django.utils.translation import gettext as _

from core.extensions import registry
from core.permissions import access_required, is_reader


@access_required(is_reader)
def dashboard(request):
    """The home page of readers, assembled from the cards every app contributes."""
    return render(request, "influence/dashboard.html", {"cards": registry.dashboard_cards(request)})


@access_required(is_reader)
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
