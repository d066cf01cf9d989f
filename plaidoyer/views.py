from django.shortcuts import render
from django.utils.translation import gettext as _

from core.permissions import access_required, is_reader


@access_required(is_reader)
def index(request):
    return render(
        request,
        "plaidoyer/index.html",
        {
            "module_title": _("Plaidoyer"),
            "module_text": _(
                "Organisations et interlocuteurs, positions, interactions, actions de plaidoyer, "
                "coalitions, résultats et budget arriveront dans une prochaine version."
            ),
        },
    )
