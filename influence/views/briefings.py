"""The monthly briefing: the list of editions, one edition (its PDF panel), the form
(period, audience, language, editorial introduction, sections), the HTML preview, and the
subscription to the "briefing ready" email."""

from __future__ import annotations

import datetime

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.extensions import registry
from core.filters import current_sort
from core.markdown import render_markdown
from core.pdf_jobs import pdf_job_latest
from core.permissions import access_required
from core.scoping import get_scoped_object_or_404
from core.views.pdf_jobs import pdf_panel_context

from ..briefing.edition import SectionFailed, briefing_title, edition_build
from ..forms import BriefingForm
from ..models import Briefing
from ..permissions import can_manage_briefings, can_read_briefings
from ..selectors import briefings as selectors
from ..services import briefings as services
from .common import confirm_page, paginate, run_service


def crumbs(*trail):
    return [(_("Briefings"), reverse("influence:briefings")), *trail]


def _briefing(request, pk: int) -> Briefing:
    return get_scoped_object_or_404(
        request, selectors.briefings_visible_to(request.user).select_related("created_by"), pk=pk
    )


def _section_choices():
    return [(section.key, str(section.title)) for section in registry.briefing()]


def _panel(request, briefing: Briefing, job=None) -> dict:
    if job is None:
        job = pdf_job_latest(kind=selectors.BRIEFING_PDF, object_id=briefing.pk)
    return pdf_panel_context(
        job,
        document=registry.pdf_document(selectors.BRIEFING_PDF),
        target=briefing,
        request_url=reverse("influence:briefing_generate", args=[briefing.pk])
        if can_manage_briefings(request.user)
        else "",
    )


@access_required(can_read_briefings)
@require_GET
def briefing_list(request):
    """Editions with their latest render; polls itself while a render is under way."""
    filterset = selectors.briefing_list(request.user, request.GET or None)
    page = paginate(request, filterset.qs)
    jobs = selectors.latest_jobs(page.object_list)
    rows = [(b, briefing_title(b), jobs.get(b.pk)) for b in page.object_list]
    context = {
        "filterset": filterset,
        "page_obj": page,
        "rows": rows,
        "active": any(job is not None and job.is_active for _b, _t, job in rows),
        "sort": current_sort(filterset),
        "can_manage": can_manage_briefings(request.user),
        "subscribed": selectors.is_subscribed(request.user),
        "crumbs": [(_("Briefings"), "")],
    }
    if request.htmx and request.htmx.target == "briefing-rows":
        return render(request, "influence/briefings/_table.html", context)
    return render(request, "influence/briefings/list.html", context)


def _form_page(request, form, *, title, briefing=None, status=200):
    cancel = (
        reverse("influence:briefing_detail", args=[briefing.pk])
        if briefing
        else reverse("influence:briefings")
    )
    trail = (
        crumbs((briefing_title(briefing), cancel), (_("Modifier"), ""))
        if briefing
        else crumbs((title, ""))
    )
    return render(
        request,
        "influence/briefings/form.html",
        {"form": form, "title": title, "crumbs": trail, "cancel_url": cancel, "briefing": briefing},
        status=status,
    )


@access_required(can_manage_briefings)
@require_http_methods(["GET", "POST"])
def briefing_create(request):
    form = BriefingForm(request.POST or None, section_choices=_section_choices())
    if request.method == "POST" and form.is_valid():
        briefing = run_service(
            form,
            lambda: services.briefing_create(
                user=request.user, data=form.service_data(), request=request
            ),
        )
        if briefing is not None:
            flash.success(
                request,
                _("Briefing créé. Vérifiez l'aperçu, puis lancez la génération du PDF."),
            )
            return redirect("influence:briefing_detail", pk=briefing.pk)
    if request.method == "GET":
        today = timezone.localdate()
        previous = today.replace(day=1) - datetime.timedelta(days=1)
        form.initial.setdefault("month", previous.strftime("%Y-%m"))
    return _form_page(
        request,
        form,
        title=_("Nouveau briefing"),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_read_briefings)
@require_GET
def briefing_detail(request, pk: int):
    briefing = _briefing(request, pk)
    off = set(briefing.disabled_sections or [])
    sections = [(s, s.key not in off) for s in registry.briefing()]

    return render(
        request,
        "influence/briefings/detail.html",
        {
            "briefing": briefing,
            "title": briefing_title(briefing),
            "sections": sections,
            "introduction": render_markdown(briefing.introduction),
            "can_manage": can_manage_briefings(request.user),
            **_panel(request, briefing),
            "crumbs": crumbs((briefing_title(briefing), "")),
        },
    )


@access_required(can_manage_briefings)
@require_http_methods(["GET", "POST"])
def briefing_edit(request, pk: int):
    briefing = _briefing(request, pk)
    first = briefing.period_start
    initial = {
        "period_kind": BriefingForm.PERIOD_MONTH
        if _is_month(briefing)
        else BriefingForm.PERIOD_RANGE,
        "month": first.strftime("%Y-%m"),
        "period_start": briefing.period_start,
        "period_end": briefing.period_end,
        "audience": briefing.audience,
        "language": briefing.language,
        "introduction": briefing.introduction,
        "sections": [
            key for key, _label in _section_choices() if key not in briefing.disabled_sections
        ],
    }
    form = BriefingForm(request.POST or None, initial=initial, section_choices=_section_choices())
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.briefing_update(
                briefing=briefing, user=request.user, data=form.service_data(), request=request
            ),
        )
        if changed is not None:
            flash.success(
                request,
                _("Briefing enregistré. Régénérez le PDF pour tenir compte des modifications.")
                if changed
                else _("Aucune modification."),
            )
            return redirect("influence:briefing_detail", pk=briefing.pk)
    return _form_page(
        request,
        form,
        title=_("Modifier le briefing"),
        briefing=briefing,
        status=400 if form.is_bound and form.errors else 200,
    )


def _is_month(briefing: Briefing) -> bool:
    from ..briefing.edition import is_month

    return is_month(briefing.period_start, briefing.period_end)


@access_required(can_manage_briefings)
@require_GET
def briefing_preview(request, pk: int):
    """The edition as it would be rendered now, in the browser (same HTML as the PDF);
    nothing is recorded (testimony uses are recorded when a PDF is produced)."""
    briefing = _briefing(request, pk)
    edition, failure = None, None
    try:
        edition = edition_build(briefing, user=request.user, render_date=timezone.localdate())
    except SectionFailed as error:
        failure = str(error)
    return render(
        request,
        "influence/briefings/preview.html",
        {
            "briefing": briefing,
            "edition": edition,
            "failure": failure,
            "title": briefing_title(briefing),
            "crumbs": crumbs(
                (briefing_title(briefing), reverse("influence:briefing_detail", args=[pk])),
                (_("Aperçu"), ""),
            ),
        },
    )


@access_required(can_manage_briefings)
@require_POST
def briefing_generate(request, pk: int):
    """Queue a render: the first one, a retry after a failure, or a regeneration."""
    briefing = _briefing(request, pk)
    job = services.briefing_render_request(briefing=briefing, user=request.user, request=request)
    if request.htmx:
        return render(request, "includes/pdf_job.html", _panel(request, briefing, job))
    if job.enqueued_at is None:
        flash.warning(
            request,
            _(
                "La file de travail est momentanément indisponible : la demande est "
                "enregistrée et le PDF sera produit dès son retour."
            ),
        )
    else:
        flash.info(request, _("Génération demandée : le PDF sera prêt dans quelques instants."))
    return redirect("influence:briefing_detail", pk=briefing.pk)


@access_required(can_manage_briefings)
@require_http_methods(["GET", "POST"])
def briefing_delete(request, pk: int):
    briefing = _briefing(request, pk)
    detail = reverse("influence:briefing_detail", args=[pk])
    if request.method == "POST":
        services.briefing_delete(briefing=briefing, user=request.user, request=request)
        flash.success(request, _("Briefing supprimé, avec son PDF."))
        return redirect("influence:briefings")
    return confirm_page(
        request,
        title=_("Supprimer ce briefing ?"),
        consequences=_(
            "L'édition, son introduction et son PDF seront supprimés. Les utilisations de "
            "témoignages déjà enregistrées restent dans l'historique de chaque témoignage."
        ),
        action_url=reverse("influence:briefing_delete", args=[pk]),
        cancel_url=detail,
        trail=crumbs((briefing_title(briefing), detail), (_("Supprimer"), "")),
        button_label=_("Supprimer le briefing"),
    )


@access_required(can_read_briefings)
@require_POST
def briefing_subscription(request):
    subscribed = request.POST.get("subscribed") == "1"
    services.briefing_subscription_set(user=request.user, subscribed=subscribed)
    if subscribed:
        flash.success(
            request,
            _(
                "Vous recevrez un e-mail (avec un lien, jamais le fichier) quand un "
                "briefing sera prêt."
            )
            if request.user.email
            else _(
                "Abonnement enregistré, mais votre compte n'a pas d'adresse e-mail : "
                "demandez à un administrateur de l'ajouter."
            ),
        )
    else:
        flash.info(request, _("Vous ne recevrez plus d'e-mail pour les briefings."))
    return redirect("influence:briefings")
