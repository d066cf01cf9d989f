from django.shortcuts import render
from django.utils.translation import gettext as _

from core.models import Role
from core.scoping import role_required

READERS = (Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.COMMUNICATION, Role.VIEWER)


@role_required(*READERS)
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
