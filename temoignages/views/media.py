"""Private files: permission-checked, audited downloads; uploads and removals."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import private_file_response
from core.forms import add_service_errors
from core.permissions import object_access

from .. import permissions, services
from ..forms.records import MediaUploadForm
from ..gate import usability_panel
from ..models import Consent, MediaAttachment, Testimony
from .records import crumbs, detail_url, render_detail, scoped_testimony


def _allowed_media(request, pk: int, media_pk: int) -> MediaAttachment:
    """A medium of a testimony in the user's scope that their access covers, else 404."""
    testimony = scoped_testimony(request, pk)
    media = get_object_or_404(MediaAttachment, pk=media_pk, testimony=testimony)
    access = permissions.testimony_access(request.user, testimony, panel=usability_panel(testimony))
    if not access.media_allowed(testimony, media):
        raise Http404
    media.testimony = testimony
    return media


def _signed_form(request, pk: int, consent_pk: int) -> Consent:
    """A signed consent form, for those who see the whole testimony, else 404."""
    testimony = scoped_testimony(request, pk)
    if not permissions.testimony_access(request.user, testimony).full:
        raise Http404
    consent = get_object_or_404(Consent, pk=consent_pk, testimony=testimony)
    if not consent.signed_form_path:
        raise Http404
    consent.testimony = testimony
    return consent


@object_access(_allowed_media)
def media_download(request, media: MediaAttachment, pk: int, media_pk: int):
    testimony = media.testimony
    ext = PurePosixPath(media.storage_path).suffix
    return private_file_response(
        request,
        name=media.storage_path,
        filename=f"{testimony.reference}-{media.kind}-{media.pk}{ext}",
        content_type=media.mime_type,
        audit_obj=testimony,
        audit_detail={"media": media.pk, "kind": media.kind},
    )


@object_access(_allowed_media)
def media_thumbnail(request, media: MediaAttachment, pk: int, media_pk: int):
    """The small re-encoded preview shown on the detail page (part of viewing it)."""
    testimony = media.testimony
    if not media.thumbnail_path:
        raise Http404
    return private_file_response(
        request,
        name=media.thumbnail_path,
        filename=f"{testimony.reference}-{media.pk}-apercu.jpg",
        content_type="image/jpeg",
        attachment=False,
    )


@object_access(_signed_form)
def consent_form_download(request, consent: Consent, pk: int, consent_pk: int):
    testimony = consent.testimony
    ext = PurePosixPath(consent.signed_form_path).suffix
    return private_file_response(
        request,
        name=consent.signed_form_path,
        filename=f"{testimony.reference}-consentement-{consent.pk}{ext}",
        content_type=consent.signed_form_mime or "application/octet-stream",
        audit_obj=testimony,
        audit_detail={"consent_form": consent.pk},
    )


@require_POST
@object_access(scoped_testimony, permissions.can_edit_content)
def media_upload_view(request, testimony: Testimony, pk: int):
    form = MediaUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            media = services.media_attach(
                testimony=testimony,
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if media.metadata_stripped:
                messages.success(request, _("Fichier ajouté, métadonnées supprimées."))
            else:
                messages.warning(
                    request,
                    _(
                        "Fichier ajouté, mais ses métadonnées n'ont pas pu être supprimées "
                        "(pas d'outil disponible pour ce type)."
                    ),
                )
            return redirect(detail_url(testimony, "medias"))
    return render_detail(request, testimony, "medias", {"upload_form": form})


@object_access(scoped_testimony, permissions.can_edit_content)
def media_delete_view(request, testimony: Testimony, pk: int, media_pk: int):
    media = get_object_or_404(MediaAttachment, pk=media_pk, testimony=testimony)
    if request.method == "POST":
        services.media_delete(media=media, user=request.user)
        messages.success(request, _("Média supprimé, fichier effacé du disque."))
        return redirect(detail_url(testimony, "medias"))
    return render(
        request,
        "temoignages/media_delete.html",
        {
            "testimony": testimony,
            "media": media,
            "crumbs": crumbs(testimony, (_("Supprimer un média"), "")),
        },
    )
