"""Records: the testimony list, the detail page, consent actions, expiring consents."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.extensions import registry
from core.filters import current_sort
from core.forms import add_service_errors
from core.models import AuditEvent
from core.permissions import access_required, object_access
from core.scoping import get_scoped_object_or_404
from core.selectors import audit_events_for_object
from core.services import audit_record

from .. import permissions, selectors, services
from ..forms.records import (
    ConsentForm,
    ExportForm,
    MediaUploadForm,
    RetentionForm,
    SafeguardingForm,
    WithdrawForm,
)
from ..gate import usability_panel
from ..models import FormQuestion, Testimony, TestimonyUse

TAB_LABELS = {
    "recit": gettext_lazy("Récit"),
    "externe": gettext_lazy("Version externe"),
    "consentement": gettext_lazy("Consentement"),
    "medias": gettext_lazy("Médias"),
    "utilisations": gettext_lazy("Utilisations"),
    "historique": gettext_lazy("Historique"),
}


# --- Helpers shared by the records views --------------------------------------------------


def scoped_testimony(request, pk: int, **_url_kwargs) -> Testimony:
    """The testimony if the user may see it, else 404 (attempt audited): the loader of
    every page about one testimony (`@object_access(scoped_testimony, check)`)."""
    return get_scoped_object_or_404(
        request, selectors.testimony_detail_queryset(request.user), pk=pk
    )


def detail_url(testimony: Testimony, tab: str = "") -> str:
    url = reverse("temoignages:detail", args=[testimony.pk])
    return f"{url}?tab={tab}" if tab else url


def crumbs(testimony: Testimony | None = None, *extra: tuple[str, str]) -> list:
    """Breadcrumbs: Témoignages › reference › extra pages."""
    items = [(_("Témoignages"), reverse("temoignages:list"))]
    if testimony is not None:
        items.append((testimony.reference, detail_url(testimony)))
    items.extend(extra)
    return items


# --- Pages ------------------------------------------------------------------------------


@access_required(permissions.can_see_testimonies)
def testimony_list(request):
    filterset = selectors.testimony_filterset(user=request.user, data=request.GET)
    page = Paginator(filterset.qs, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    rows = [(testimony, usability_panel(testimony)) for testimony in page.object_list]
    context = {
        "filter": filterset,
        "sort": current_sort(filterset),
        "page_obj": page,
        "rows": rows,
        "shows_drafts": filterset.shows_drafts,
        "is_reviewer": permissions.is_reviewer(request.user),
        "can_renew_consents": permissions.can_renew_consents(request.user),
        "export_form": ExportForm(allowed_audiences=permissions.export_audiences(request.user)),
        "has_filters": any(k not in ("page", "sort") for k in request.GET),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "temoignages/_list_results.html", context)
    return render(request, "temoignages/list.html", context)


@access_required(permissions.can_see_testimonies)
@object_access(scoped_testimony)
def testimony_detail(request, testimony: Testimony, pk: int):
    return render_detail(request, testimony, request.GET.get("tab", ""))


def render_detail(request, testimony: Testimony, tab: str, overrides: dict | None = None):
    """The detail page on one tab (audited as a view of that tab).

    `overrides` replaces parts of the context, e.g. a bound upload form with its errors.
    """
    panel = usability_panel(testimony)
    access = permissions.testimony_access(request.user, testimony, panel=panel)
    tabs = access.tabs
    if not tabs:
        raise Http404
    if tab not in tabs:
        tab = tabs[0]
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        obj=testimony,
        request=request,
        detail={"tab": tab},
    )
    context = {
        "testimony": testimony,
        "panel": panel,
        "access": access,
        "tab": tab,
        "tabs": [(key, TAB_LABELS[key]) for key in tabs],
        "can_edit": permissions.can_edit_content(request.user, testimony),
        "can_manage_consent": access.full
        and permissions.can_manage_consent(request.user, testimony),
        "retention_form": RetentionForm(initial={"retention_date": testimony.retention_date}),
        "crumbs": crumbs(testimony),
    }
    context.update(_tab_context(request, testimony, tab, access))
    context.update(overrides or {})
    return render(request, "temoignages/detail.html", context)


def _tab_context(request, testimony: Testimony, tab: str, access) -> dict:
    if tab == "recit":
        answers = []
        if testimony.form_version_id and testimony.answers:
            for question in FormQuestion.objects.filter(version_id=testimony.form_version_id):
                if question.key in testimony.answers:
                    answers.append(
                        (question, _answer_display(question, testimony.answers[question.key]))
                    )
        return {"answers": answers, "translations": list(testimony.translations.all())}
    if tab == "consentement":
        consents = list(selectors.testimony_consents(testimony))
        return {
            "consents": consents,
            "uses": list(selectors.testimony_uses(testimony)),
            "withdraw_form": WithdrawForm(),
            "safeguarding_form": SafeguardingForm(),
        }
    if tab == "medias":
        media = [
            m for m in selectors.testimony_media(testimony) if access.media_allowed(testimony, m)
        ]
        return {
            "media": media,
            "upload_form": MediaUploadForm(),
        }
    if tab == "utilisations":
        return {
            "uses": list(selectors.testimony_uses(testimony)),
            "citations": registry.citations(testimony, request.user),
        }
    if tab == "historique":
        audit_events = []
        if access.reviewer:
            audit_events = list(audit_events_for_object(testimony, limit=50))
        return {
            "events": list(selectors.testimony_events(testimony)[:200]),
            "audit_events": audit_events,
        }
    return {}


def _answer_display(question: FormQuestion, value):
    if question.kind in FormQuestion.CHOICE_KINDS:
        labels = {str(c.get("value")): c for c in question.choices or []}
        values = value if isinstance(value, list) else [value]
        language = (get_language() or "fr")[:2]
        return ", ".join(
            str(labels.get(str(v), {}).get(language) or labels.get(str(v), {}).get("fr") or v)
            for v in values
        )
    if question.kind == FormQuestion.Kind.YES_NO:
        return _("Oui") if value in (True, "yes") else _("Non")
    return value


# --- Consent ------------------------------------------------------------------------------


@object_access(scoped_testimony, permissions.can_manage_consent)
def consent_record_view(request, testimony: Testimony, pk: int):
    """Record a consent (or renew it): the checklist of uses and elements."""
    if request.method == "POST":
        form = ConsentForm(request.POST, request.FILES, testimony=testimony)
        if form.is_valid():
            try:
                services.consent_record(
                    testimony=testimony, recorded_by=request.user, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Consentement enregistré."))
                return redirect(detail_url(testimony, "consentement"))
    else:
        form = ConsentForm(testimony=testimony)
    return render(
        request,
        "temoignages/consent_form.html",
        {
            "testimony": testimony,
            "form": form,
            "renewal": testimony.current_consent_id is not None,
            "crumbs": crumbs(testimony, (_("Consentement"), "")),
        },
    )


@object_access(scoped_testimony, permissions.can_manage_consent)
def consent_withdraw_view(request, testimony: Testimony, pk: int):
    """Confirm, then withdraw: the testimony leaves every future use at once."""
    if testimony.status == Testimony.Status.WITHDRAWN:
        return redirect(detail_url(testimony, "consentement"))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            uses = services.consent_withdraw(
                testimony=testimony,
                user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if uses:
                messages.warning(
                    request,
                    _(
                        "Consentement retiré. %(n)s utilisation(s) passée(s) à reprendre : "
                        "voir la liste de retrait ci-dessous."
                    )
                    % {"n": len(uses)},
                )
            else:
                messages.success(
                    request, _("Consentement retiré. Ce témoignage n'avait jamais été utilisé.")
                )
            return redirect(detail_url(testimony, "consentement"))
    uses = list(selectors.testimony_uses(testimony))
    return render(
        request,
        "temoignages/consent_withdraw.html",
        {
            "testimony": testimony,
            "form": form,
            "uses": uses,
            "crumbs": crumbs(testimony, (_("Retirer le consentement"), "")),
        },
    )


@require_POST
@object_access(scoped_testimony, permissions.can_review)
def safeguarding_review_view(request, testimony: Testimony, pk: int):
    form = SafeguardingForm(request.POST)
    if form.is_valid():
        try:
            services.consent_safeguarding_review(
                testimony=testimony, user=request.user, notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Revue de protection enregistrée."))
    return redirect(detail_url(testimony, "consentement"))


@require_POST
@object_access(scoped_testimony, permissions.can_review)
def use_takedown_view(request, testimony: Testimony, pk: int, use_pk: int):
    use = get_object_or_404(
        TestimonyUse.objects.select_related("testimony"), pk=use_pk, testimony=testimony
    )
    done = request.POST.get("done", "1") == "1"
    services.use_takedown_mark(use=use, user=request.user, done=done)
    messages.success(
        request, _("Retrait noté comme effectué.") if done else _("Retrait marqué à faire.")
    )
    return redirect(detail_url(testimony, "consentement"))


@require_POST
@object_access(scoped_testimony, permissions.can_review)
def retention_set_view(request, testimony: Testimony, pk: int):
    form = RetentionForm(request.POST)
    if form.is_valid():
        try:
            services.testimony_retention_set(
                testimony=testimony,
                user=request.user,
                retention_date=form.cleaned_data["retention_date"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Date de conservation modifiée."))
    else:
        messages.error(request, _("Date de conservation invalide."))
    return redirect(detail_url(testimony, request.POST.get("tab", "")))


@access_required(permissions.can_renew_consents)
def consents_expiring_view(request):
    """Consents expiring within 30 days (and already expired), to renew with the person."""
    queryset = selectors.consents_expiring(request.user).select_related("site__country")
    page = Paginator(queryset, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(
        request,
        "temoignages/consents_expiring.html",
        {
            "page_obj": page,
            "crumbs": crumbs(None, (_("Consentements à renouveler"), "")),
        },
    )
