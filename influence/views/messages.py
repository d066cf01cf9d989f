"""Key messages: list, coherence matrix, a message with its history, lines to take."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.extensions import registry
from core.models import Role
from core.pdf_jobs import pdf_job_latest, pdf_job_request
from core.permissions import access_required
from core.scoping import get_scope, get_scoped_object_or_404
from core.views.pdf_jobs import pdf_panel_context

from ..documents import LINES_TO_TAKE
from ..forms import LinesToTakeForm, MessageFilterForm, MessageForm, VariantForm
from ..models import Audience, KeyMessage
from ..permissions import can_approve_messages, can_read, can_write_messages
from ..selectors import messages as selectors
from ..services import messages as services
from .common import confirm_page, form_page, paginate, run_service


def crumbs(*trail):
    return [(_("Messages clés"), reverse("influence:messages")), *trail]


@access_required(can_read)
def message_list(request):
    form = MessageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort", "")
    queryset = selectors.message_list(
        request.user,
        theme_id=filters["theme"].pk if filters.get("theme") else None,
        country=request.GET.get("pays", "")[:8],
        status=filters.get("status", ""),
        audience=filters.get("audience", ""),
        review=bool(filters.get("revoir")),
        sort=sort,
    )
    page = paginate(request, queryset)
    rows = [
        (
            m,
            [
                (f, selectors.FLAG_LABELS[f], selectors.FLAG_TONES[f])
                for f in selectors.message_flags(m)
            ],
        )
        for m in page.object_list
    ]
    return render(
        request,
        "influence/messages/list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "rows": rows,
            "sort": sort,
            "can_write": can_write_messages(request.user),
            "crumbs": [(_("Messages clés"), "")],
        },
    )


@access_required(can_read)
def coherence_matrix(request):
    audience = request.GET.get("public", "")
    audience = audience if audience in Audience.values else ""
    review_only = request.GET.get("revoir") == "1"
    matrix = selectors.coherence_matrix(request.user, audience=audience, review_only=review_only)
    return render(
        request,
        "influence/messages/matrix.html",
        {
            "matrix": matrix,
            "audience": audience,
            "audiences": Audience.choices,
            "review_only": review_only,
            "flag_labels": selectors.FLAG_LABELS,
            "can_write": can_write_messages(request.user),
            "crumbs": crumbs((_("Matrice de cohérence"), "")),
        },
    )


@access_required(can_read)
def message_detail(request, pk: int):
    message = get_scoped_object_or_404(request, selectors.messages_visible_to(request.user), pk=pk)
    versions = list(selectors.message_versions(message))
    history = []
    for index, version in enumerate(versions):
        older = next((v for v in versions[index + 1 :] if v.number < version.number), None)
        history.append((version, selectors.word_diff(older.text, version.text) if older else None))
    master = message.master
    editable = selectors.messages_editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "influence/messages/detail.html",
        {
            "message": message,
            "flags": [
                (f, selectors.FLAG_LABELS[f], selectors.FLAG_TONES[f])
                for f in selectors.message_flags(message)
            ],
            "master": master,
            "master_diff": selectors.word_diff(master.text, message.text) if master else None,
            "variants": list(selectors.message_variants(message)) if message.is_master else [],
            "history": history,
            "can_edit": editable and message.status != KeyMessage.Status.RETIRED,
            "can_approve": can_approve_messages(request.user)
            and message.status == KeyMessage.Status.DRAFT,
            "can_retire": editable
            and can_approve_messages(request.user)
            and message.status != KeyMessage.Status.RETIRED,
            "can_add_variant": message.is_master
            and message.status != KeyMessage.Status.RETIRED
            and can_write_messages(request.user),
            "crumbs": crumbs((message.first_line, "")),
        },
    )


@access_required(can_write_messages)
def message_create(request):
    """A master message (coordinators and communication)."""
    if not get_scope(request.user).is_unit_wide(Role.COORDINATOR, Role.COMMUNICATION):
        flash.info(request, _("Proposez une variante pays à partir d'un message-cadre."))
        return redirect("influence:messages")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = run_service(
            form, lambda: services.message_create(user=request.user, data=form.cleaned_data)
        )
        if message is not None:
            flash.success(
                request, _("Message-cadre enregistré en brouillon : il doit être approuvé.")
            )
            return redirect(message.get_absolute_url())
    return form_page(
        request,
        form=form,
        title=_("Nouveau message-cadre"),
        trail=crumbs((_("Nouveau message-cadre"), "")),
        cancel_url=reverse("influence:messages"),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write_messages)
def variant_create(request, pk: int):
    master = get_scoped_object_or_404(
        request, selectors.messages_visible_to(request.user).filter(master__isnull=True), pk=pk
    )
    form = VariantForm(
        request.POST or None,
        variant_of=master,
        initial={
            "language": master.language,
            "sensitivity": master.sensitivity,
            "text": master.text,
            "valid_from": master.valid_from,
            "valid_until": master.valid_until,
            "country": request.GET.get("pays"),
        },
    )
    scope = get_scope(request.user)
    if not scope.is_unit_wide(Role.COORDINATOR, Role.COMMUNICATION):
        ids = scope.country_ids(Role.ADVOCACY_OFFICER)
        form.fields["country"].queryset = form.fields["country"].queryset.filter(pk__in=ids)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        country = data.pop("country")
        message = run_service(
            form,
            lambda: services.message_create(
                user=request.user, data=data, master=master, country=country
            ),
        )
        if message is not None:
            flash.success(request, _("Variante enregistrée en brouillon."))
            return redirect(message.get_absolute_url())
    return form_page(
        request,
        form=form,
        title=_("Nouvelle variante pays"),
        intro=_("Message-cadre : %(line)s") % {"line": master.first_line},
        trail=crumbs((master.first_line, master.get_absolute_url()), (_("Nouvelle variante"), "")),
        cancel_url=master.get_absolute_url(),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write_messages)
def message_edit(request, pk: int):
    message = get_scoped_object_or_404(request, selectors.messages_editable_by(request.user), pk=pk)
    initial = {name: getattr(message, name) for name in services.MESSAGE_FIELDS}
    form = MessageForm(request.POST or None, variant_of=message.master, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.message_update(
                message=message, user=request.user, data=form.cleaned_data
            ),
        )
        if changed is not None:
            flash.success(
                request,
                _("Nouvelle version enregistrée ; elle doit être approuvée à nouveau.")
                if "status" in changed
                else _("Message enregistré."),
            )
            return redirect(message.get_absolute_url())
    intro = ""
    if message.master_id:
        intro = _(
            "Enregistrer cette variante la marque comme relue au regard de la version actuelle "
            "de son message-cadre."
        )
    return form_page(
        request,
        form=form,
        title=_("Modifier le message"),
        intro=intro,
        trail=crumbs((message.first_line, message.get_absolute_url()), (_("Modifier"), "")),
        cancel_url=message.get_absolute_url(),
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@access_required(can_approve_messages)
def message_approve(request, pk: int):
    message = get_scoped_object_or_404(request, selectors.messages_visible_to(request.user), pk=pk)
    try:
        services.message_approve(message=message, user=request.user)
        flash.success(request, _("Message approuvé."))
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    return redirect(message.get_absolute_url())


@access_required(can_approve_messages)
def message_retire(request, pk: int):
    message = get_scoped_object_or_404(request, selectors.messages_editable_by(request.user), pk=pk)
    if request.method == "POST":
        services.message_retire(message=message, user=request.user)
        flash.success(request, _("Message retiré."))
        return redirect(message.get_absolute_url())
    variants = (
        message.variants.exclude(status=KeyMessage.Status.RETIRED).count()
        if message.is_master
        else 0
    )
    return confirm_page(
        request,
        title=_("Retirer ce message ?"),
        consequences=(
            _("Il ne pourra plus être repris dans des éléments de langage. ")
            + (
                _(
                    "Ses %(n)s variantes pays seront signalées dans la matrice de cohérence "
                    "jusqu'à leur révision."
                )
                % {"n": variants}
                if variants
                else ""
            )
        ),
        action_url=reverse("influence:message_retire", args=[pk]),
        cancel_url=message.get_absolute_url(),
        trail=crumbs((message.first_line, message.get_absolute_url()), (_("Retirer"), "")),
        button_label=_("Retirer le message"),
    )


# --- Lines to take ---------------------------------------------------------------------------


def lines_crumbs(*trail):
    return crumbs((_("Éléments de langage"), reverse("influence:lines_list")), *trail)


@access_required(can_read)
def lines_list(request):
    sort = request.GET.get("sort", "")
    orders = {
        "title": ["title"],
        "-title": ["-title"],
        "date": ["meeting_on"],
        "-date": ["-meeting_on"],
    }
    queryset = selectors.lines_to_take_visible_to(request.user).order_by(
        *orders.get(sort, ["-created_at"]), "-pk"
    )
    return render(
        request,
        "influence/lines/list.html",
        {
            "page_obj": paginate(request, queryset),
            "sort": sort,
            "can_write": can_write_messages(request.user),
            "crumbs": crumbs((_("Éléments de langage"), "")),
        },
    )


def _lines_form(request, lines=None):
    initial = {"language": "fr"}
    if lines is not None:
        initial = {name: getattr(lines, name) for name in services.LINES_FIELDS}
        initial["messages"] = list(lines.messages.all())
    elif request.GET.get("messages"):
        initial["messages"] = [p for p in request.GET.getlist("messages") if p.isdigit()]
    return LinesToTakeForm(
        request.POST or None,
        initial=initial,
        messages_queryset=selectors.approved_messages_for_pick(request.user).select_related(
            "theme", "country"
        ),
    )


@access_required(can_write_messages)
def lines_create(request):
    form = _lines_form(request)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        picked = list(data.pop("messages"))
        lines = run_service(
            form,
            lambda: services.lines_to_take_create(user=request.user, data=data, messages=picked),
        )
        if lines is not None:
            pdf_job_request(
                kind=LINES_TO_TAKE,
                object_id=lines.pk,
                user=request.user,
                request=request,
                audit_obj=lines,
            )
            flash.success(
                request, _("Éléments de langage enregistrés ; le PDF est en préparation.")
            )
            return redirect("influence:lines_detail", pk=lines.pk)
    return form_page(
        request,
        form=form,
        title=_("Préparer des éléments de langage"),
        intro=_(
            "Choisissez les messages approuvés à emporter en réunion : ils tiendront sur une page."
        ),
        trail=lines_crumbs((_("Nouveaux éléments de langage"), "")),
        cancel_url=reverse("influence:lines_list"),
        submit_label=_("Enregistrer et générer le PDF"),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_read)
def lines_detail(request, pk: int):
    lines = get_scoped_object_or_404(
        request, selectors.lines_to_take_visible_to(request.user), pk=pk
    )
    document = registry.pdf_document(LINES_TO_TAKE)
    job = pdf_job_latest(kind=LINES_TO_TAKE, object_id=lines.pk)
    return render(
        request,
        "influence/lines/detail.html",
        {
            "lines": lines,
            "picked": selectors.lines_messages(lines),
            "can_write": can_write_messages(request.user),
            **pdf_panel_context(
                job,
                document=document,
                target=lines,
                request_url=reverse("influence:lines_pdf", args=[lines.pk])
                if can_write_messages(request.user)
                else "",
            ),
            "crumbs": lines_crumbs((lines.title, "")),
        },
    )


@access_required(can_write_messages)
def lines_edit(request, pk: int):
    lines = get_scoped_object_or_404(
        request, selectors.lines_to_take_visible_to(request.user), pk=pk
    )
    form = _lines_form(request, lines)
    url = reverse("influence:lines_detail", args=[pk])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        picked = list(data.pop("messages"))
        changed = run_service(
            form,
            lambda: services.lines_to_take_update(
                lines=lines, user=request.user, data=data, messages=picked
            ),
        )
        if changed is not None:
            if changed:
                pdf_job_request(
                    kind=LINES_TO_TAKE,
                    object_id=lines.pk,
                    user=request.user,
                    request=request,
                    audit_obj=lines,
                )
            flash.success(request, _("Éléments de langage enregistrés."))
            return redirect(url)
    return form_page(
        request,
        form=form,
        title=_("Modifier les éléments de langage"),
        trail=lines_crumbs((lines.title, url), (_("Modifier"), "")),
        cancel_url=url,
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write_messages)
def lines_delete(request, pk: int):
    lines = get_scoped_object_or_404(
        request, selectors.lines_to_take_visible_to(request.user), pk=pk
    )
    url = reverse("influence:lines_detail", args=[pk])
    if request.method == "POST":
        services.lines_to_take_delete(lines=lines, user=request.user)
        flash.success(request, _("Éléments de langage supprimés."))
        return redirect("influence:lines_list")
    return confirm_page(
        request,
        title=_("Supprimer « %(title)s » ?") % {"title": lines.title},
        consequences=_(
            "La sélection et son PDF seront supprimés ; les messages eux-mêmes ne changent pas."
        ),
        action_url=reverse("influence:lines_delete", args=[pk]),
        cancel_url=url,
        trail=lines_crumbs((lines.title, url), (_("Supprimer"), "")),
    )


@require_POST
@access_required(can_write_messages)
def lines_pdf(request, pk: int):
    lines = get_scoped_object_or_404(
        request, selectors.lines_to_take_visible_to(request.user), pk=pk
    )
    job = pdf_job_request(
        kind=LINES_TO_TAKE, object_id=lines.pk, user=request.user, request=request, audit_obj=lines
    )
    if request.htmx:
        context = pdf_panel_context(
            job,
            document=registry.pdf_document(LINES_TO_TAKE),
            target=lines,
            request_url=reverse("influence:lines_pdf", args=[lines.pk]),
        )
        return render(request, "includes/pdf_job.html", context)
    return redirect("influence:lines_detail", pk=lines.pk)
