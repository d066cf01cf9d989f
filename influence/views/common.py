"""What the influence pages share: breadcrumbs, paging, the generic form page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import add_service_errors


def crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Stratégies"), reverse("influence:strategies")), *trail]


def paginate(request, queryset_or_list, per_page: int | None = None):
    return Paginator(queryset_or_list, per_page or settings.PAGINATE_BY).get_page(
        request.GET.get("page")
    )


def form_page(
    request,
    *,
    form,
    title: str,
    trail: list[tuple[str, str]],
    cancel_url: str,
    submit_label: str = "",
    intro: str = "",
    status: int = 200,
):
    return render(
        request,
        "influence/form.html",
        {
            "form": form,
            "title": title,
            "crumbs": trail,
            "cancel_url": cancel_url,
            "submit_label": submit_label or _("Enregistrer"),
            "intro": intro,
        },
        status=status,
    )


def run_service(form, call) -> object | None:
    """Call a service with the form's data; its ValidationError lands on the form."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def confirm_page(
    request,
    *,
    title: str,
    consequences: str,
    action_url: str,
    cancel_url: str,
    trail: list[tuple[str, str]],
    button_label: str = "",
):
    return render(
        request,
        "influence/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "action_url": action_url,
            "cancel_url": cancel_url,
            "crumbs": trail,
            "button_label": button_label,
        },
    )
