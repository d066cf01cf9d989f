"""The budget of the unit's influence work: a year's lines, planned against spent per line,
per action and per country (Decimal), overspending shown, the export through core."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import Column, ExportFormat, default_format, export_response
from core.permissions import access_required, object_access
from core.services import audit_record

from .. import permissions, selectors, services
from ..forms import BudgetLineForm
from .common import crumbs, form_page, load_budget_line, paginate, run_service


def _year(request) -> int:
    value = request.GET.get("year", "")
    return (
        int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year
    )


@access_required(permissions.can_read)
def budget(request):
    year = _year(request)
    summary = selectors.budget_year(request.user, year)
    years = sorted(set(selectors.budget_years(request.user)) | {year}, reverse=True)
    return render(
        request,
        "plaidoyer/budget/year.html",
        {
            "summary": summary,
            "year": year,
            "years": years,
            "can_manage": permissions.can_manage_budget(request.user),
            "crumbs": crumbs((_("Budget"), "")),
        },
    )


@access_required(permissions.can_read)
def budget_export(request):
    year = _year(request)
    export_format = request.GET.get("format") or default_format()
    if export_format not in ExportFormat.values:
        export_format = default_format()
    rows = selectors.budget_year(request.user, year).lines
    audit_record(
        actor=request.user,
        action="export",
        object_type="plaidoyer.budgetline",
        request=request,
        detail={"format": export_format, "year": year, "rows": len(rows)},
    )
    columns = [
        Column(_("Année"), lambda r: r.line.year),
        Column(_("Ligne"), lambda r: r.line.name),
        Column(
            _("Pays"), lambda r: r.line.country.name if r.line.country_id else _("Toute l'unité")
        ),
        Column(_("Alloué (€)"), lambda r: r.allocation),
        Column(_("Prévu par les actions (€)"), lambda r: r.planned),
        Column(_("Dépensé (€)"), lambda r: r.spent),
        Column(_("Reste (€)"), lambda r: r.remaining),
        Column(_("Dépassement"), lambda r: r.overspent),
    ]
    return export_response(
        columns=columns,
        rows=rows,
        filename_stem=f"budget-influence-{year}",
        export_format=export_format,
        sheet_title=_("Budget %(year)s") % {"year": year},
    )


@access_required(permissions.can_read)
@object_access(load_budget_line)
def budget_line_detail(request, line, pk: int):
    totals = selectors.with_totals(selectors.budget_lines_visible_to(request.user)).get(pk=line.pk)
    row = selectors.LineRow(line, totals.allocation, totals.planned, totals.spent)
    return render(
        request,
        "plaidoyer/budget/line.html",
        {
            "row": row,
            "line": line,
            "page_obj": paginate(request, selectors.line_actions(line)),
            "can_manage": permissions.can_manage_budget(request.user),
            "crumbs": crumbs(
                (_("Budget"), reverse("plaidoyer:budget") + f"?year={line.year}"), (line.name, "")
            ),
        },
    )


@access_required(permissions.can_manage_budget)
def budget_line_create(request):
    form = BudgetLineForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        line = run_service(
            form,
            lambda: services.budget_line_create(
                user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if line is not None:
            messages.success(request, _("Ligne budgétaire ajoutée."))
            return redirect(reverse("plaidoyer:budget") + f"?year={line.year}")
    return form_page(
        request,
        form=form,
        title=_("Nouvelle ligne budgétaire"),
        trail=crumbs((_("Budget"), reverse("plaidoyer:budget")), (_("Nouvelle ligne"), "")),
        cancel_url=reverse("plaidoyer:budget"),
    )


@access_required(permissions.can_manage_budget)
@object_access(load_budget_line, permissions.can_edit_budget_line)
def budget_line_edit(request, line, pk: int):
    form = BudgetLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.budget_line_update(
                line=line, user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if changed is not None:
            messages.success(request, _("Ligne budgétaire enregistrée."))
            return redirect(line)
    return form_page(
        request,
        form=form,
        title=_("Modifier la ligne budgétaire"),
        trail=crumbs(
            (_("Budget"), reverse("plaidoyer:budget")),
            (line.name, line.get_absolute_url()),
            (_("Modifier"), ""),
        ),
        cancel_url=line.get_absolute_url(),
    )
