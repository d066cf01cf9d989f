"""The collection-forms builder (coordinators only): list, create, edit as a new version,
reorder questions, preview, publish, archive."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filters import current_sort
from core.forms import add_service_errors
from core.permissions import access_required, object_access
from core.scoping import get_scoped_object_or_404

from .. import selectors
from ..forms.builder import CollectionFormForm, PublishForm, QuestionForm
from ..forms.questions import PreviewForm, add_question_fields
from ..models import CollectionForm, CollectionFormVersion, FormQuestion
from ..permissions import can_review
from ..services import forms_builder as services

PREVIEW_LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]


def _form(request, pk: int, **_url_kwargs) -> CollectionForm:
    return get_scoped_object_or_404(request, CollectionForm.objects.all(), pk=pk)


def _version(request, pk: int, vpk: int, **_url_kwargs) -> CollectionFormVersion:
    return get_scoped_object_or_404(
        request,
        CollectionFormVersion.objects.select_related("form", "created_by"),
        pk=vpk,
        form_id=pk,
    )


def _question(version: CollectionFormVersion, qpk: int) -> FormQuestion:
    return get_object_or_404(FormQuestion, pk=qpk, version=version)


def version_url(version: CollectionFormVersion, anchor: str = "") -> str:
    url = reverse("temoignages:form_version", args=[version.form_id, version.pk])
    return f"{url}#{anchor}" if anchor else url


def _crumbs(*extra):
    return [(_("Témoignages"), reverse("temoignages:home")), *extra]


@access_required(can_review)
def forms_list(request):
    filterset = selectors.collection_forms_filterset(data=request.GET)
    page = Paginator(filterset.qs, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(
        request,
        "temoignages/forms/list.html",
        {
            "page_obj": page,
            "filter": filterset,
            "state": filterset.state_value,
            "sort": current_sort(filterset),
            "crumbs": _crumbs((_("Formulaires de collecte"), "")),
        },
    )


@access_required(can_review)
def form_create(request):
    form = CollectionFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.collection_form_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Formulaire créé. Ajoutez ses questions, puis publiez la version 1.")
            )
            return redirect(version_url(created.versions.get()))
    return render(
        request,
        "temoignages/forms/form_edit.html",
        {
            "form": form,
            "collection_form": None,
            "crumbs": _crumbs(
                (_("Formulaires de collecte"), reverse("temoignages:forms_list")),
                (_("Nouveau formulaire"), ""),
            ),
        },
    )


@access_required(can_review)
@object_access(_form)
def form_detail(request, collection_form: CollectionForm, pk: int):
    """Details (name, description, sites) and the versions of one form."""
    if request.method == "POST":
        form = CollectionFormForm(request.POST)
        if form.is_valid():
            try:
                services.collection_form_update(
                    form=collection_form, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Formulaire enregistré."))
                return redirect("temoignages:form_detail", pk=collection_form.pk)
    else:
        form = CollectionFormForm(
            initial={
                "name": collection_form.name,
                "description": collection_form.description,
                "sites": list(collection_form.sites.all()),
            }
        )
    versions = list(selectors.form_versions(collection_form))
    return render(
        request,
        "temoignages/forms/form_detail.html",
        {
            "collection_form": collection_form,
            "form": form,
            "versions": versions,
            "draft": next((v for v in versions if not v.is_published), None),
            "current_pk": next((v.pk for v in versions if v.is_published), None),
            "crumbs": _crumbs(
                (_("Formulaires de collecte"), reverse("temoignages:forms_list")),
                (collection_form.name, ""),
            ),
        },
    )


@access_required(can_review)
@object_access(_form)
def form_archive(request, collection_form: CollectionForm, pk: int):
    if request.method == "POST":
        services.collection_form_archive(form=collection_form, user=request.user)
        messages.success(
            request,
            _("« %(name)s » est archivé : il n'est plus proposé pour les nouveaux témoignages.")
            % {"name": collection_form.name},
        )
        return redirect("temoignages:forms_list")
    uses = collection_form.versions.filter(testimonies__isnull=False).count()
    return render(
        request,
        "temoignages/forms/confirm.html",
        {
            "title": _("Archiver « %(name)s » ?") % {"name": collection_form.name},
            "consequences": _(
                "Le formulaire ne sera plus proposé dans l'assistant de saisie. Les "
                "témoignages déjà recueillis gardent leur version et leurs réponses. Vous "
                "pourrez le réactiver à tout moment."
            ),
            "uses": uses,
            "button_label": _("Archiver le formulaire"),
            "danger": False,
            "cancel_url": reverse("temoignages:form_detail", args=[collection_form.pk]),
            "crumbs": _crumbs(
                (_("Formulaires de collecte"), reverse("temoignages:forms_list")),
                (collection_form.name, reverse("temoignages:form_detail", args=[pk])),
                (_("Archiver"), ""),
            ),
        },
    )


@require_POST
@access_required(can_review)
@object_access(_form)
def form_restore(request, collection_form: CollectionForm, pk: int):
    services.collection_form_archive(form=collection_form, user=request.user, archived=False)
    messages.success(request, _("Formulaire réactivé."))
    return redirect("temoignages:form_detail", pk=collection_form.pk)


@require_POST
@access_required(can_review)
@object_access(_form)
def version_new(request, collection_form: CollectionForm, pk: int):
    """Edit the questions: always in a draft version (copied from the published one)."""
    draft = services.form_version_draft(form=collection_form, user=request.user)
    return redirect(version_url(draft))


@access_required(can_review)
@object_access(_version)
def version_detail(request, version: CollectionFormVersion, pk: int, vpk: int):
    questions = selectors.version_questions(version)
    return render(
        request,
        "temoignages/forms/version.html",
        {
            "version": version,
            "collection_form": version.form,
            "questions": questions,
            "question_form": QuestionForm() if not version.is_published else None,
            "publish_errors": (
                services.version_publish_errors(version) if not version.is_published else []
            ),
            "testimony_count": version.testimonies.count(),
            "crumbs": _version_crumbs(version),
        },
    )


def _version_crumbs(version, *extra):
    return _crumbs(
        (_("Formulaires de collecte"), reverse("temoignages:forms_list")),
        (version.form.name, reverse("temoignages:form_detail", args=[version.form_id])),
        (_("Version %(n)s") % {"n": version.number}, version_url(version) if extra else ""),
        *extra,
    )


@access_required(can_review)
@object_access(_version)
def question_add(request, version: CollectionFormVersion, pk: int, vpk: int):
    return _question_page(request, version, question=None)


@access_required(can_review)
@object_access(_version)
def question_edit(request, version: CollectionFormVersion, pk: int, vpk: int, qpk: int):
    return _question_page(request, version, question=_question(version, qpk))


def _question_page(request, version, *, question):
    """Add (question=None) or edit a question of a draft version."""
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.form_question_save(
                version=version, user=request.user, question=question, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Question ajoutée.") if question is None else _("Question enregistrée.")
            )
            return redirect(version_url(version, f"question-{saved.pk}"))
    here = _("Nouvelle question") if question is None else question.label_fr
    return render(
        request,
        "temoignages/forms/question_edit.html",
        {
            "version": version,
            "form": form,
            "question": question,
            "crumbs": _version_crumbs(version, (here, "")),
        },
    )


@access_required(can_review)
@object_access(_version)
def question_delete(request, version: CollectionFormVersion, pk: int, vpk: int, qpk: int):
    question = _question(version, qpk)
    if request.method == "POST":
        try:
            services.form_question_delete(question=question, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Question supprimée de la version %(n)s.") % {"n": version.number}
            )
        return redirect(version_url(version))
    return render(
        request,
        "temoignages/forms/confirm.html",
        {
            "title": _("Supprimer la question « %(label)s » ?") % {"label": question.label_fr},
            "consequences": _(
                "Elle disparaît de ce brouillon de version %(n)s. Les versions publiées, et "
                "les réponses déjà données avec elles, ne changent pas."
            )
            % {"n": version.number},
            "button_label": _("Supprimer la question"),
            "danger": True,
            "cancel_url": version_url(version, f"question-{question.pk}"),
            "crumbs": _version_crumbs(version, (_("Supprimer une question"), "")),
        },
    )


@require_POST
@access_required(can_review)
@object_access(_version)
def question_move(request, version: CollectionFormVersion, pk: int, vpk: int, qpk: int):
    question = _question(version, qpk)
    direction = request.POST.get("direction", "")
    if direction in ("up", "down"):
        try:
            services.form_question_move(question=question, user=request.user, direction=direction)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    # The script puts the focus back on the same button after the reload.
    url = reverse("temoignages:form_version", args=[version.form_id, version.pk])
    return redirect(f"{url}?moved={question.pk}-{direction}#question-{question.pk}")


@access_required(can_review)
@object_access(_version)
def version_publish(request, version: CollectionFormVersion, pk: int, vpk: int):
    form = PublishForm(request.POST or None)
    errors = services.version_publish_errors(version)
    if request.method == "POST" and form.is_valid():
        try:
            services.form_version_publish(
                version=version, user=request.user, notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Version %(n)s publiée : elle est proposée pour les nouveaux témoignages.")
                % {"n": version.number},
            )
            return redirect("temoignages:form_detail", pk=version.form_id)
    return render(
        request,
        "temoignages/forms/publish.html",
        {
            "version": version,
            "form": form,
            "errors": errors,
            "crumbs": _version_crumbs(version, (_("Publier"), "")),
        },
    )


@access_required(can_review)
@object_access(_version)
def version_discard(request, version: CollectionFormVersion, pk: int, vpk: int):
    if request.method == "POST":
        try:
            services.form_version_discard(version=version, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(version_url(version))
        messages.success(request, _("Brouillon de version supprimé."))
        return redirect("temoignages:form_detail", pk=pk)
    return render(
        request,
        "temoignages/forms/confirm.html",
        {
            "title": _("Abandonner le brouillon de la version %(n)s ?") % {"n": version.number},
            "consequences": _(
                "Ses %(count)s question(s) et les modifications en cours sont supprimées. "
                "Les versions publiées ne changent pas."
            )
            % {"count": version.questions.count()},
            "button_label": _("Abandonner ce brouillon"),
            "danger": True,
            "cancel_url": version_url(version),
            "crumbs": _version_crumbs(version, (_("Abandonner"), "")),
        },
    )


@access_required(can_review)
@object_access(_version)
def version_preview(request, version: CollectionFormVersion, pk: int, vpk: int):
    """The questions as the field officer will see them, in French, English or Arabic."""
    language = request.GET.get("lang", "fr")
    if language not in dict(PREVIEW_LANGUAGES):
        language = "fr"
    form = PreviewForm(auto_id="preview_%s")
    add_question_fields(form, selectors.version_questions(version), language=language)
    return render(
        request,
        "temoignages/forms/preview.html",
        {
            "version": version,
            "form": form,
            "language": language,
            "languages": PREVIEW_LANGUAGES,
            "crumbs": _version_crumbs(version, (_("Aperçu"), "")),
        },
    )
