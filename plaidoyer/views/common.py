"""What the plaidoyer pages share: loaders of one object (scoped: 404 outside what the user
may read), breadcrumbs, paging, the generic form and confirmation pages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import add_service_errors
from core.scoping import get_scoped_object_or_404

from .. import selectors


def crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Plaidoyer"), reverse("plaidoyer:index")), *trail]


def paginate(request, queryset, per_page: int | None = None):
    return Paginator(queryset, per_page or settings.PAGINATE_BY).get_page(request.GET.get("page"))


def has_filters(request) -> bool:
    return any(key not in ("page", "sort") and value for key, value in request.GET.items())


def run_service(form, call):
    """Call a service; its ValidationError lands on the form (nothing typed is lost)."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def form_page(
    request, *, form, title, trail, cancel_url, submit_label="", intro="", multipart=False
):
    return render(
        request,
        "plaidoyer/form.html",
        {
            "form": form,
            "title": title,
            "crumbs": trail,
            "cancel_url": cancel_url,
            "submit_label": submit_label or _("Enregistrer"),
            "intro": intro,
            "multipart": multipart,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def confirm_page(
    request, *, title, consequences, action_url, cancel_url, trail, button_label="", error=""
):
    return render(
        request,
        "plaidoyer/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "action_url": action_url,
            "cancel_url": cancel_url,
            "crumbs": trail,
            "button_label": button_label,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- Loaders (object_access) ----------------------------------------------------------------


def load_organisation(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(
        request, selectors.organisations_visible_to(request.user), pk=pk
    )


def load_stakeholder(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(request, selectors.stakeholders_visible_to(request.user), pk=pk)


def load_action(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(request, selectors.actions_visible_to(request.user), pk=pk)


def load_interaction(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(
        request, selectors.interaction_detail_queryset(request.user), pk=pk
    )


def load_follow_up(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(request, selectors.follow_ups_visible_to(request.user), pk=pk)


def load_position(request, pk: int, **_kwargs):
    from ..models import Position

    return get_scoped_object_or_404(
        request,
        Position.objects.select_related("stakeholder").filter(
            stakeholder__in=selectors.stakeholders_visible_to(request.user)
        ),
        pk=pk,
    )


def load_action_detail(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(request, selectors.action_detail_queryset(request.user), pk=pk)


def load_deliverable(request, pk: int, **_kwargs):
    from ..models import Deliverable

    return get_scoped_object_or_404(
        request,
        Deliverable.objects.select_related("action").filter(
            action__in=selectors.actions_visible_to(request.user)
        ),
        pk=pk,
    )


def load_action_item(request, pk: int, item_pk: int, **_kwargs):
    from ..models import ActionItem

    return get_scoped_object_or_404(
        request,
        ActionItem.objects.select_related("action").filter(
            action__in=selectors.actions_visible_to(request.user), action_id=pk
        ),
        pk=item_pk,
    )


def load_action_testimony(request, pk: int, evidence_pk: int, **_kwargs):
    from ..models import ActionTestimony

    return get_scoped_object_or_404(
        request,
        ActionTestimony.objects.select_related("action").filter(
            action__in=selectors.actions_visible_to(request.user), action_id=pk
        ),
        pk=evidence_pk,
    )


def load_coalition(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(
        request, selectors.coalition_detail_queryset(request.user), pk=pk
    )


def load_statement(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(
        request, selectors.statement_detail_queryset(request.user), pk=pk
    )


def load_signature(request, pk: int, signature_pk: int, **_kwargs):
    from ..models import StatementSignature

    return get_scoped_object_or_404(
        request,
        StatementSignature.objects.select_related("statement__coalition", "organisation").filter(
            statement__in=selectors.statements_visible_to(request.user), statement_id=pk
        ),
        pk=signature_pk,
    )


def load_outcome(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(request, selectors.outcome_detail_queryset(request.user), pk=pk)


def load_lesson(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(request, selectors.lesson_detail_queryset(request.user), pk=pk)


def load_budget_line(request, pk: int, **_kwargs):
    return get_scoped_object_or_404(request, selectors.budget_lines_visible_to(request.user), pk=pk)
