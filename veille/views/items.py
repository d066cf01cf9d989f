"""Item detail: sanitised content, source, story siblings, annotations, citing notes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.extensions import registry
from core.models import Country, Theme
from core.permissions import access_required
from core.scoping import get_scoped_object_or_404

from .. import selectors, services
from ..forms import AnnotationForm
from ..models import Annotation, Importance
from ..permissions import can_read, can_triage
from ..selectors import items_visible_to, notes_editable_by, story_members
from ..templatetags.veille_tags import VIDEO_FRAME_SOURCES
from .inbox import ROW_ACTIONS


@access_required(can_read)
@require_GET
def item_reader(request, pk: int):
    """The inbox's reading pane (or expanded row on a phone): the article's text, the other
    sources of its story and its triage actions, without leaving the list."""
    try:
        item = selectors.item_detail(user=request.user, pk=pk)
    except items_visible_to(request.user).model.DoesNotExist:
        raise Http404 from None
    services.alerts_read_for_item(user=request.user, item=item)
    others = (
        [m for m in story_members(item).order_by("published_at", "pk") if m.pk != item.pk]
        if item.cluster_id
        else []
    )
    return render(
        request,
        "veille/inbox/_reader.html",
        {
            "item": item,
            "others": others,
            "annotation_count": len(item.annotations.all()),
            "can_triage": can_triage(request.user),
        },
    )


@access_required(can_read)
@require_GET
def item_detail(request, pk: int):
    try:
        item = selectors.item_detail(user=request.user, pk=pk)
    except items_visible_to(request.user).model.DoesNotExist:
        raise Http404 from None
    show_media = request.GET.get("medias") == "1"
    # Opening the article reads the alerts it raised for this user.
    services.alerts_read_for_item(user=request.user, item=item)
    members = list(story_members(item).order_by("published_at", "pk")) if item.cluster_id else []
    can_edit = can_triage(request.user)
    context = {
        "item": item,
        "members": members,
        "annotations": list(item.annotations.all()),
        "annotation_form": AnnotationForm() if can_edit else None,
        # Notes, advocacy actions, briefings…: every app that cites articles says so.
        "citations": registry.citations(item, request.user),
        "editable_notes": list(notes_editable_by(request.user).exclude(cited_items=item)[:50])
        if can_edit
        else [],
        "can_triage": can_edit,
        "row_actions": ROW_ACTIONS,
        "importances": Importance.choices,
        "themes": [(t, t in item.themes.all()) for t in Theme.objects.all()] if can_edit else [],
        "countries": [(c, c in item.countries.all()) for c in Country.objects.order_by("name_fr")]
        if can_edit
        else [],
        "show_media": show_media,
        "current_url": request.get_full_path(),
        "crumbs": [
            (_("Veille"), reverse("veille:inbox")),
            (_("Boîte de réception"), reverse("veille:inbox")),
            (item.title[:80], ""),
        ],
    }
    response = render(request, "veille/item_detail.html", context)
    if show_media:
        # Images and video players of the article, on request only: they come from the
        # publisher's servers, which then see the reader's address.
        response._csp_update = {"img-src": ["https:"], "frame-src": list(VIDEO_FRAME_SOURCES)}
    return response


@access_required(can_triage)
@require_POST
def annotation_add(request, pk: int):
    item = get_scoped_object_or_404(request, items_visible_to(request.user), pk=pk)
    form = AnnotationForm(request.POST)
    url = reverse("veille:item_detail", args=[item.pk]) + "#annotations"
    if not form.is_valid():
        messages.error(request, _("L'annotation est vide ou trop longue : rien n'a été ajouté."))
        return redirect(url)
    try:
        services.annotation_add(item=item, author=request.user, body=form.cleaned_data["body"])
    except ValidationError:
        messages.error(request, _("L'annotation n'a pas pu être enregistrée."))
        return redirect(url)
    messages.success(request, _("Annotation ajoutée."))
    return redirect(url)


@access_required(can_triage)
@require_POST
def annotation_delete(request, pk: int):
    # Someone else's annotation: the same 404 as a missing one, and the attempt audited.
    annotation = get_scoped_object_or_404(
        request, Annotation.objects.filter(author=request.user), pk=pk
    )
    item_id = annotation.item_id
    try:
        services.annotation_delete(annotation=annotation, user=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Annotation supprimée."))
    return redirect(reverse("veille:item_detail", args=[item_id]) + "#annotations")


@access_required(can_triage)
@require_POST
def item_cite(request, pk: int):
    """Add the article to the citations of one of the user's notes."""
    item = get_scoped_object_or_404(request, items_visible_to(request.user), pk=pk)
    note = notes_editable_by(request.user).filter(pk=request.POST.get("note") or 0).first()
    if note is None:
        messages.error(request, _("Choisissez une note que vous pouvez modifier."))
        return redirect(reverse("veille:item_detail", args=[item.pk]) + "#notes")
    services.note_cite(note=note, user=request.user, item=item)
    messages.success(request, _("Article cité dans la note « %(title)s ».") % {"title": note.title})
    return redirect(reverse("veille:item_detail", args=[item.pk]) + "#notes")
