"""CSV / XLSX export of the current filtered list, within scope and through the gate.

The export mode says what the file is for, and decides rows and columns:

- metadata: every testimony of the filtered list the user may see, no text at all;
- internal: only testimonies the gate allows for internal use, with the original;
- partners / public: only those the gate allows for that audience, with the redacted
  external version and a reduced, non-identifying set of columns. These exports are
  uses: a `TestimonyUse` row is written per testimony, so a later withdrawal lists the
  export in its takedown checklist.

Every export is audited (format, mode, row count). It is a POST: a GET shows the form, so
a link on another site cannot record uses or audit events in the user's name.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exports import Column, default_format, export_response
from core.permissions import access_required

from .. import selectors, services
from ..forms.records import ExportForm
from ..gate import testimony_usability, usable_q
from ..models import Audience
from ..permissions import can_export_testimonies, export_audiences


def _columns(mode: str) -> list[Column]:
    def themes(t):
        return ", ".join(theme.name for theme in t.themes.all())

    if mode in (Audience.PARTNERS, Audience.PUBLIC):
        return [
            Column(_("Référence"), lambda t: t.reference),
            Column(_("Pays"), lambda t: t.site.country.name),
            Column(_("Mois du recueil"), lambda t: t.collected_on.strftime("%Y-%m")),
            Column(_("Thèmes"), themes),
            Column(_("Tranche d'âge"), lambda t: t.get_age_bracket_display()),
            Column(_("Mineur"), lambda t: t.is_minor),
            Column(_("Version externe"), lambda t: t.external_text),
        ]
    columns = [
        Column(_("Référence"), lambda t: t.reference),
        Column(_("Site"), lambda t: t.site.name),
        Column(_("Pays"), lambda t: t.site.country.name),
        Column(_("Recueilli le"), lambda t: t.collected_on.isoformat()),
        Column(_("Langue"), lambda t: t.get_language_display()),
        Column(_("Statut"), lambda t: t.get_status_display()),
        Column(_("Sensibilité"), lambda t: t.get_sensitivity_display()),
        Column(_("Mineur"), lambda t: t.is_minor),
        Column(_("Tranche d'âge"), lambda t: t.get_age_bracket_display()),
        Column(_("Genre"), lambda t: t.get_gender_display()),
        Column(_("Nationalité"), lambda t: t.nationality.name if t.nationality else ""),
        Column(_("Situation administrative"), lambda t: t.get_administrative_status_display()),
        Column(_("Thèmes"), themes),
        Column(
            _("Consentement expire le"),
            lambda t: (
                t.current_consent.expires_on.isoformat()
                if t.current_consent and t.current_consent.expires_on
                else ""
            ),
        ),
        Column(_("Interne"), lambda t: testimony_usability(t, Audience.INTERNAL).allowed),
        Column(_("Partenaires"), lambda t: testimony_usability(t, Audience.PARTNERS).allowed),
        Column(_("Public"), lambda t: testimony_usability(t, Audience.PUBLIC).allowed),
        Column(_("Médias"), lambda t: t.media_count),
        Column(
            _("Conserver jusqu'au"),
            lambda t: t.retention_date.isoformat() if t.retention_date else "",
        ),
    ]
    if mode == Audience.INTERNAL:
        columns += [
            Column(_("Titre"), lambda t: t.title),
            Column(_("Récit"), lambda t: t.narrative),
        ]
    return columns


@access_required(can_export_testimonies)
def testimony_export(request):
    """GET: the export form for the current filter. POST: the file."""
    allowed = export_audiences(request.user)
    list_query = _list_query(request)
    if request.method != "POST":
        form = ExportForm(allowed_audiences=allowed, initial={"export_format": default_format()})
        return _form_page(request, form, list_query)
    form = ExportForm(request.POST, allowed_audiences=allowed)
    if not form.is_valid():
        messages.error(request, _("Choisissez un format et un usage autorisés pour l'export."))
        return _form_page(request, form, list_query, status=400)
    mode = form.cleaned_data["audience"]
    export_format = form.cleaned_data["export_format"]
    queryset = selectors.testimony_filterset(user=request.user, data=request.GET).qs
    if mode != "metadata":
        queryset = queryset.filter(usable_q(mode))
    testimonies = list(queryset.defer(None).order_by("-collected_on", "-id"))
    services.testimonies_export_record(
        user=request.user,
        testimonies=testimonies,
        audience=mode,
        export_format=export_format,
        request=request,
    )
    return export_response(
        columns=_columns(mode),
        rows=testimonies,
        filename_stem=f"temoignages-{mode}",
        export_format=export_format,
        sheet_title=_("Témoignages"),
    )


def _form_page(request, form, list_query: str, status: int = 200):
    list_url = reverse("temoignages:list") + (f"?{list_query}" if list_query else "")
    return render(
        request,
        "temoignages/export.html",
        {
            "form": form,
            "action": reverse("temoignages:export") + (f"?{list_query}" if list_query else ""),
            "list_url": list_url,
            "crumbs": [(_("Témoignages"), reverse("temoignages:home")),
                       (_("Liste"), list_url), (_("Exporter"), "")],
        },
        status=status,
    )  # fmt: skip


def _list_query(request) -> str:
    query = request.GET.copy()
    for key in ("export_format", "audience", "page"):
        query.pop(key, None)
    return query.urlencode()
