"""Analysis notes: list, write in Markdown, cite articles, review and publish, history, PDF."""

from __future__ import annotations

import difflib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.filters import current_sort
from core.pdf_jobs import pdf_job_latest
from core.permissions import access_required, object_access
from core.scoping import get_scoped_object_or_404
from core.views.pdf_jobs import pdf_panel_context

from .. import services
from ..filters import STATUS_ALL
from ..forms import NoteForm
from ..markdown import render_note_markdown
from ..models import AnalysisNote
from ..permissions import can_edit_note, can_read, can_write_notes
from ..selectors import (
    inbox_filterset,
    inbox_stories,
    items_visible_to,
    note_versions,
    notes_visible_to,
)
from ..selectors import (
    note_citations as note_citations_query,
)
from ..selectors import (
    note_list as note_list_filterset,
)


def _crumbs(*extra):
    return [
        (_("Veille"), reverse("veille:inbox")),
        (_("Notes d'analyse"), reverse("veille:notes")),
        *extra,
    ]


def _note(request, pk: int) -> AnalysisNote:
    return get_scoped_object_or_404(
        request, notes_visible_to(request.user).select_related("author", "updated_by"), pk=pk
    )


@access_required(can_read)
@require_GET
def note_list(request):
    filterset = note_list_filterset(request)
    page = Paginator(filterset.qs, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(
        request,
        "veille/notes/list.html",
        {
            "page_obj": page,
            "notes": list(page.object_list),
            "filter": filterset,
            "sort": current_sort(filterset),
            "can_write": can_write_notes(request.user),
            "filtered": any(request.GET.get(k) for k in ("status", "audience", "author")),
            "crumbs": [(_("Veille"), reverse("veille:inbox")), (_("Notes d'analyse"), "")],
        },
    )


@access_required(can_write_notes)
def note_create(request):
    cite = items_visible_to(request.user).filter(pk=request.GET.get("citer") or 0).first()
    preview = None
    if request.method == "POST":
        form = NoteForm(request.POST)
        cite = items_visible_to(request.user).filter(pk=request.POST.get("citer") or 0).first()
        if "preview" in request.POST:
            preview = render_note_markdown(
                request.POST.get("body", ""), citations=[cite] if cite else []
            )
        elif form.is_valid():
            note = services.note_create(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                audience=form.cleaned_data["audience"],
                themes=form.cleaned_data["themes"],
                countries=form.cleaned_data["countries"],
                cited_items=[cite] if cite else [],
                request=request,
            )
            messages.success(request, _("Note enregistrée (brouillon, version 1)."))
            return redirect("veille:note_detail", note.pk)
    else:
        form = NoteForm(initial={"audience": AnalysisNote.Audience.INTERNAL})
    return render(
        request,
        "veille/notes/form.html",
        {
            "form": form,
            "cite": cite,
            "preview": preview,
            "crumbs": _crumbs((_("Nouvelle note"), "")),
        },
    )


@access_required(can_read)
@require_GET
def note_detail(request, pk: int):
    note = _note(request, pk)
    citations = note_citations_query(note)
    versions = list(note_versions(note)[:1])
    return render(
        request,
        "veille/notes/detail.html",
        {
            "note": note,
            "body_html": render_note_markdown(note.body, citations=citations),
            "citations": citations,
            "themes": list(note.themes.all()),
            "countries": list(note.countries.all()),
            "latest_version": versions[0] if versions else None,
            "can_edit": can_edit_note(request.user, note),
            "transitions": _transitions(note, request.user),
            "pdf": note_pdf_panel(note),
            "crumbs": _crumbs((note.title[:80], "")),
        },
    )


def _transitions(note, user) -> list[tuple[str, str]]:
    labels = {
        AnalysisNote.Status.REVIEW: _("Envoyer en relecture"),
        AnalysisNote.Status.PUBLISHED: _("Publier"),
        AnalysisNote.Status.DRAFT: (
            _("Dépublier (revenir au brouillon)")
            if note.status == AnalysisNote.Status.PUBLISHED
            else _("Revenir au brouillon")
        ),
    }
    return [(status, labels[status]) for status in services.note_allowed_transitions(note, user)]


@access_required(can_write_notes)
@object_access(_note, can_edit_note)
def note_edit(request, note: AnalysisNote, pk: int):
    preview = None
    citations = note_citations_query(note)
    if request.method == "POST":
        form = NoteForm(request.POST, instance=note)
        if "preview" in request.POST:
            preview = render_note_markdown(request.POST.get("body", ""), citations=citations)
        elif form.is_valid():
            changed = services.note_update(
                note=note,
                user=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                audience=form.cleaned_data["audience"],
                themes=form.cleaned_data["themes"],
                countries=form.cleaned_data["countries"],
                request=request,
            )
            messages.success(
                request,
                _("Nouvelle version enregistrée.") if changed else _("Aucune modification."),
            )
            return redirect("veille:note_detail", note.pk)
    else:
        form = NoteForm(instance=note)
    return render(
        request,
        "veille/notes/form.html",
        {
            "form": form,
            "note": note,
            "preview": preview,
            "citations": citations,
            "crumbs": _crumbs(
                (note.title[:80], reverse("veille:note_detail", args=[note.pk])),
                (_("Modifier"), ""),
            ),
        },
    )


@access_required(can_read)
@require_POST
def note_status(request, pk: int):
    note = _note(request, pk)
    target = request.POST.get("status", "")
    try:
        services.note_set_status(note=note, user=request.user, status=target, request=request)
    except PermissionDenied:
        messages.error(request, _("Vous ne pouvez pas faire passer cette note à ce statut."))
        return redirect("veille:note_detail", note.pk)
    messages.success(
        request,
        _("La note est maintenant « %(status)s ».") % {"status": AnalysisNote.Status(target).label},
    )
    return redirect("veille:note_detail", note.pk)


@access_required(can_write_notes)
@object_access(_note, can_edit_note)
def note_citations(request, note: AnalysisNote, pk: int):
    """Find articles (inbox search) and add them to the note's citations, or remove one."""
    if request.method == "POST":
        item = items_visible_to(request.user).filter(pk=request.POST.get("item") or 0).first()
        if item is None:
            raise Http404
        cite = request.POST.get("action") != "remove"
        services.note_cite(note=note, user=request.user, item=item, cite=cite)
        messages.success(request, _("Citation ajoutée.") if cite else _("Citation retirée."))
        back = request.POST.get("next", "")
        if back.startswith(reverse("veille:note_citations", args=[note.pk])):
            return redirect(back)
        return redirect("veille:note_detail", note.pk)
    data = request.GET.copy()
    data.setdefault("status", STATUS_ALL)
    result = None
    if data.get("q"):
        result = inbox_stories(
            filterset=inbox_filterset(user=request.user, data=data),
            page_number=request.GET.get("page") or 1,
            per_page=15,
        )
    citations = note_citations_query(note)
    return render(
        request,
        "veille/notes/citations.html",
        {
            "note": note,
            "citations": citations,
            "cited_ids": {item.pk for item in citations},
            "result": result,
            "query": data.get("q", ""),
            "current_url": request.get_full_path(),
            "crumbs": _crumbs(
                (note.title[:80], reverse("veille:note_detail", args=[note.pk])),
                (_("Articles cités"), ""),
            ),
        },
    )


@access_required(can_read)
@require_GET
def note_history(request, pk: int):
    note = _note(request, pk)
    return render(
        request,
        "veille/notes/history.html",
        {
            "note": note,
            "versions": list(note_versions(note)),
            "crumbs": _crumbs(
                (note.title[:80], reverse("veille:note_detail", args=[note.pk])),
                (_("Historique"), ""),
            ),
        },
    )


@access_required(can_read)
@require_GET
def note_version(request, pk: int, number: int):
    note = _note(request, pk)
    versions = {v.number: v for v in note.versions.filter(number__in=[number, number - 1])}
    version = versions.get(number)
    if version is None:
        raise Http404
    previous = versions.get(number - 1)
    diff = []
    if previous is not None:
        diff = list(
            difflib.unified_diff(
                previous.body.splitlines(),
                version.body.splitlines(),
                fromfile=_("version %(n)d") % {"n": previous.number},
                tofile=_("version %(n)d") % {"n": version.number},
                lineterm="",
                n=2,
            )
        )
    return render(
        request,
        "veille/notes/version.html",
        {
            "note": note,
            "version": version,
            "previous": previous,
            "diff": diff,
            "title_changed": previous is not None and previous.title != version.title,
            "body_html": render_note_markdown(version.body),
            "crumbs": _crumbs(
                (note.title[:80], reverse("veille:note_detail", args=[note.pk])),
                (_("Historique"), reverse("veille:note_history", args=[note.pk])),
                (_("Version %(n)d") % {"n": version.number}, ""),
            ),
        },
    )


@access_required(can_write_notes)
@object_access(_note, can_edit_note)
def note_delete(request, note: AnalysisNote, pk: int):
    if request.method == "POST":
        services.note_delete(note=note, user=request.user, request=request)
        messages.success(request, _("Note « %(title)s » supprimée.") % {"title": note.title})
        return redirect("veille:notes")
    return render(
        request,
        "veille/notes/delete.html",
        {
            "note": note,
            "version_count": note.versions.count(),
            "crumbs": _crumbs(
                (note.title[:80], reverse("veille:note_detail", args=[note.pk])),
                (_("Supprimer"), ""),
            ),
        },
    )


# --- PDF --------------------------------------------------------------------------------


@access_required(can_read)
@require_POST
def note_pdf(request, pk: int):
    """Ask for the note's PDF (a worker on the `pdf` queue renders it)."""
    note = _note(request, pk)
    job = services.note_pdf_request(note=note, user=request.user, request=request)
    if request.htmx:
        return render(request, "includes/pdf_job.html", note_pdf_panel(note, job))
    if job.enqueued_at is None:
        messages.warning(
            request,
            _(
                "La file de travail est momentanément indisponible : la demande est "
                "enregistrée et le PDF sera produit dès son retour."
            ),
        )
    else:
        messages.info(request, _("PDF demandé : il sera prêt dans quelques secondes."))
    return redirect(reverse("veille:note_detail", args=[note.pk]) + "#pdf")


def note_pdf_panel(note: AnalysisNote, job=None) -> dict:
    from core.extensions import registry

    if job is None:
        job = pdf_job_latest(kind=services.NOTE_PDF, object_id=note.pk)
    return pdf_panel_context(
        job,
        document=registry.pdf_document(services.NOTE_PDF),
        target=note,
        request_url=reverse("veille:note_pdf", args=[note.pk]),
    )
