"""Sources pages: list, detail, create/edit/delete, health, fetch now, OPML import/export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.filters import current_sort
from core.forms import add_service_errors
from core.models import AuditEvent
from core.permissions import access_required
from core.scoping import get_scoped_object_or_404
from core.services import audit_record

from .. import opml, selectors, services
from ..forms import OpmlImportForm, SourceForm
from ..permissions import can_manage_sources, can_read


def _crumbs(*extra):
    return [
        (_("Veille"), reverse("veille:inbox")),
        (_("Sources"), reverse("veille:sources")),
        *extra,
    ]


@access_required(can_read)
def source_list(request):
    filterset = selectors.source_list(request.user, request.GET)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "veille/sources/list.html",
        {
            "page_obj": page,
            "sources": page.object_list,
            "filter": filterset,
            "sort": current_sort(filterset),
            "filtered": any(request.GET.get(k) for k in ("q", "kind", "state")),
            "can_manage": can_manage_sources(request.user),
            "crumbs": _crumbs(),
            "columns": [
                ("name", _("Nom")),
                ("kind", _("Type")),
                ("country", _("Pays")),
                ("language", _("Langue")),
                ("fetched", _("Dernière récupération")),
                ("failures", _("Échecs")),
                ("items", _("Articles (30 j)")),
            ],
        },
    )


@access_required(can_read)
def source_health(request):
    filterset = selectors.source_health(request.user, request.GET)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "veille/sources/health.html",
        {
            "page_obj": page,
            "sources": page.object_list,
            "failing_count": selectors.failing_sources_count(request.user),
            "sort": current_sort(filterset),
            "can_manage": can_manage_sources(request.user),
            "crumbs": _crumbs((_("Santé des sources"), "")),
        },
    )


@access_required(can_read)
def source_detail(request, pk):
    source = get_scoped_object_or_404(
        request, selectors.sources_for(request.user).select_related("country"), pk=pk
    )
    return render(
        request,
        "veille/sources/detail.html",
        {
            "source": source,
            "themes": source.themes.all(),
            "recent_items": selectors.source_recent_items(source),
            "can_manage": can_manage_sources(request.user),
            "crumbs": _crumbs((source.name, "")),
        },
    )


def _source_fields(form):
    data = dict(form.cleaned_data)
    themes = data.pop("themes", [])
    return data, themes


@access_required(can_manage_sources)
def source_create(request):
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields, themes = _source_fields(form)
        try:
            source = services.source_create(
                user=request.user, themes=themes, request=request, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Source « %(name)s » ajoutée : première récupération dans un instant.")
                % {"name": source.name},
            )
            return redirect("veille:source_detail", pk=source.pk)
    return render(
        request,
        "veille/sources/form.html",
        {"form": form, "crumbs": _crumbs((_("Nouvelle source"), "")), "creating": True},
    )


@access_required(can_manage_sources)
def source_edit(request, pk):
    source = get_scoped_object_or_404(request, selectors.sources_for(request.user), pk=pk)
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        fields, themes = _source_fields(form)
        source.refresh_from_db()
        try:
            services.source_update(
                source=source, user=request.user, themes=themes, request=request, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Source enregistrée."))
            return redirect("veille:source_detail", pk=source.pk)
    return render(
        request,
        "veille/sources/form.html",
        {
            "form": form,
            "source": source,
            "crumbs": _crumbs(
                (source.name, reverse("veille:source_detail", args=[source.pk])),
                (_("Modifier"), ""),
            ),
        },
    )


@access_required(can_manage_sources)
def source_delete(request, pk):
    source = get_scoped_object_or_404(request, selectors.sources_for(request.user), pk=pk)
    item_count = source.items.count()
    blockers = services.source_delete_blockers(source)
    if request.method == "POST" and not blockers:
        services.source_delete(source=source, user=request.user, request=request)
        messages.success(
            request,
            _("Source « %(name)s » supprimée avec ses %(count)s articles.")
            % {"name": source.name, "count": item_count},
        )
        return redirect("veille:sources")
    return render(
        request,
        "veille/sources/delete.html",
        {
            "source": source,
            "item_count": item_count,
            "blockers": blockers,
            "consequences": ngettext(
                "« %(name)s » et son article récupéré seront supprimés définitivement, "
                "ainsi que les annotations et alertes qui s'y rattachent.",
                "« %(name)s » et ses %(count)s articles récupérés seront supprimés "
                "définitivement, ainsi que les annotations et alertes qui s'y rattachent.",
                item_count,
            )
            % {"name": source.name, "count": item_count},
            "crumbs": _crumbs(
                (source.name, reverse("veille:source_detail", args=[source.pk])),
                (_("Supprimer"), ""),
            ),
        },
    )


@access_required(can_manage_sources)
@require_POST
def source_fetch_now(request, pk):
    source = get_scoped_object_or_404(request, selectors.sources_for(request.user), pk=pk)
    outcome = services.source_fetch_now(source=source, user=request.user, request=request)
    if outcome == services.FetchNow.QUEUED:
        messages.success(
            request,
            _(
                "Récupération de « %(name)s » demandée : "
                "le résultat s'affichera ici d'ici une minute."
            )
            % {"name": source.name},
        )
    elif outcome == services.FetchNow.BUSY:
        messages.info(request, _("Une récupération de cette source est déjà en cours."))
    else:
        messages.warning(
            request,
            _(
                "La file de travail est momentanément indisponible : la source sera "
                "récupérée à son heure habituelle. Réessayez dans quelques minutes."
            ),
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("veille:source_detail", args=[source.pk])
    return redirect(target)


@access_required(can_read)
def opml_export(request):
    sources = selectors.sources_for(request.user).order_by("kind", "name")
    body = opml.export(sources)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="veille.source",
        request=request,
        detail={"format": "opml", "count": sources.count()},
    )
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="influence-sources-{stamp}.opml"'
    return response


@access_required(can_manage_sources)
def opml_import(request):
    form = OpmlImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.opml_import_start(
            user=request.user,
            filename=form.cleaned_data["file"].name,
            payload=form.cleaned_data["payload"],
            default_kind=form.cleaned_data["default_kind"],
            default_language=form.cleaned_data["default_language"],
            default_country=form.cleaned_data["default_country"],
            request=request,
        )
        return redirect("veille:opml_import_status", pk=job.pk)
    return render(
        request,
        "veille/sources/import.html",
        {
            "form": form,
            "recent": selectors.opml_imports_for(request.user).select_related("created_by")[:5],
            "crumbs": _crumbs((_("Importer un fichier OPML"), "")),
        },
    )


@access_required(can_manage_sources)
def opml_import_status(request, pk):
    job = get_scoped_object_or_404(request, selectors.opml_imports_for(request.user), pk=pk)
    if services.opml_import_nudge(job=job):
        job.refresh_from_db()
    errors = [{**error, "reason": _(error.get("reason", ""))} for error in (job.errors or [])]
    context = {
        "job": job,
        "errors": errors,
        "failure": _(job.failure) if job.failure else "",
        "crumbs": _crumbs((_("Import OPML"), "")),
    }
    if request.htmx:
        return render(request, "veille/sources/_import_progress.html", context)
    return render(request, "veille/sources/import_status.html", context)
