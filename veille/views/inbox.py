"""The triage inbox: stories matching the filter, one-click (htmx) triage, bulk actions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.models import Country, Theme
from core.permissions import access_required

from ..filters import (
    FILTER_KEYS,
    PERIOD_CHOICES,
    SORT_CHOICES,
    SORT_DATE,
    SORT_RELEVANCE,
    STATUS_ALL,
    inbox_data,
)
from ..models import Importance, Item, TriageStatus
from ..permissions import can_read, can_triage
from ..selectors import (
    inbox_filterset,
    inbox_row,
    inbox_stories,
    items_visible_to,
    story_members,
)
from ..services import stories_add_tags, stories_triage, story_tag

# Status actions offered on each row (value, label, keyboard shortcut).
ROW_ACTIONS = (
    (TriageStatus.RELEVANT, "r"),
    (TriageStatus.DISCARDED, "d"),
    (TriageStatus.ARCHIVED, "a"),
)


# The inbox's density, chosen with "Affichage compact" (inbox.js sets it).
DENSITY_COOKIE = "inbox_density"


def _crumbs():
    return [(_("Veille"), reverse("veille:inbox")), (_("Boîte de réception"), "")]


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _rule_params(filterset) -> str:
    """The inbox filter as a query string for "Enregistrer comme règle de veille"."""
    data = filterset.data
    pairs = [(key, value) for key in FILTER_KEYS for value in data.getlist(key) if value]
    if filterset.query:
        pairs.append(("q", filterset.query))
    return urlencode(pairs)


def _searched_statuses(filterset, chosen: str) -> str:
    """What a search looked through, said next to the count ("" without a search)."""
    if not filterset.query:
        return ""
    status = filterset.data.get("status")
    if status == STATUS_ALL:
        return _("recherche dans tous les statuts")
    label = dict(TriageStatus.choices).get(status, status)
    if chosen:
        return _("recherche limitée au statut « %(status)s »") % {"status": label}
    return _("recherche dans le statut « %(status)s »") % {"status": label}


def _choices(form, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for a filter field, rendered by a plain template loop (the
    widget templates would cost ~20 ms for the 300–500 sources of a real deployment)."""
    field = form.fields[name]
    selected = {str(v) for v in form.data.getlist(name)}
    if name == "source":  # hundreds of rows: no model instances
        pairs = [(str(pk), label) for pk, label in field.queryset.values_list("pk", "name")]
    elif hasattr(field, "queryset"):
        pairs = [(str(obj.pk), str(obj)) for obj in field.queryset]
    else:
        pairs = [(str(value), str(label)) for value, label in field.choices if value != ""]
    return [(value, label, value in selected) for value, label in pairs]


@access_required(can_read)
@require_GET
def inbox(request):
    data = inbox_data(request.GET)
    filterset = inbox_filterset(user=request.user, data=data)
    result = inbox_stories(
        filterset=filterset,
        sort=filterset.chosen_sort,
        page_number=request.GET.get("page") or 1,
    )
    choices = {
        name: _choices(filterset.form, name)
        for name in ("status", "source", "kind", "country", "theme", "language", "importance")
    }
    chosen_status = request.GET.get("status", "")
    choices["status"] = [
        ("", _("Automatique"), not chosen_status),
        *((value, label, value == chosen_status) for value, label, _on in choices["status"]),
    ]
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "choices": choices,
        "filter_groups": [
            (name, filterset.form[name], choices[name])
            for name in ("kind", "language", "country", "theme")
        ],
        "result": result,
        "rows": result.rows,
        "page_obj": result.page,
        "can_triage": can_triage(request.user),
        "row_actions": ROW_ACTIONS,
        "importances": Importance.choices,
        "sort_choices": SORT_CHOICES,
        "SORT_RELEVANCE": SORT_RELEVANCE,
        "SORT_DATE": SORT_DATE,
        "period_choices": PERIOD_CHOICES,
        "rule_params": _rule_params(filterset),
        "searched_statuses": _searched_statuses(filterset, chosen_status),
        "compact": request.COOKIES.get(DENSITY_COOKIE) == "compact",
        "current_url": request.get_full_path(),
        "current_url_q": urlencode({"next": request.get_full_path()}),
        "filtered": any(k in request.GET for k in (*FILTER_KEYS, "q", "status")),
        "crumbs": _crumbs(),
    }
    partial = (
        request.htmx
        and not request.htmx.history_restore_request
        and request.htmx.target == "inbox-results"
    )
    template = "veille/inbox/_results.html" if partial else "veille/inbox.html"
    return render(request, template, context)


def _row_response(request, pk: int, *, next_url: str):
    if request.htmx:
        row = inbox_row(user=request.user, pk=pk)
        return render(
            request,
            "veille/inbox/_row.html",
            {
                "row": row,
                "can_triage": True,
                "row_actions": ROW_ACTIONS,
                "importances": Importance.choices,
                "current_url": next_url,
                "current_url_q": urlencode({"next": next_url}),
            },
        )
    return redirect(next_url)


def _visible_item(request, pk: int) -> Item:
    item = items_visible_to(request.user).filter(pk=pk).only("pk", "cluster_id").first()
    if item is None:
        raise Http404
    return item


def _tag_change(post):
    """("theme" | "country", present, id) from add_theme/remove_theme/add_country/…"""
    for key in ("add_theme", "remove_theme", "add_country", "remove_country"):
        if post.get(key):
            action, kind = key.split("_")
            return kind, action == "add", post[key]
    return None


@access_required(can_triage)
@require_POST
def triage(request, pk: int):
    """One story: status, importance, or a theme/country switched on or off."""
    item = _visible_item(request, pk)
    next_url = _safe_next(request, reverse("veille:inbox"))
    post = request.POST
    try:
        if post.get("status"):
            stories_triage(
                item_ids=[item.pk], user=request.user, status=post["status"], request=request
            )
        elif post.get("importance", "") != "":
            stories_triage(
                item_ids=[item.pk], user=request.user, importance=int(post["importance"])
            )
        elif _tag_change(post):
            kind, present, value = _tag_change(post)
            model = Theme if kind == "theme" else Country
            target = model.objects.filter(pk=int(value)).first()
            if target is None:
                return HttpResponseBadRequest()
            story_tag(
                item=item, user=request.user, present=present, request=request, **{kind: target}
            )
        else:
            return HttpResponseBadRequest()
    except (ValueError, ValidationError):
        return HttpResponseBadRequest()
    return _row_response(request, item.pk, next_url=next_url)


@access_required(can_triage)
@require_GET
def tag_menu(request, pk: int):
    """The themes (or countries) of a row's dropdown, loaded when it is first opened."""
    kind = request.GET.get("kind")
    if kind not in ("theme", "country", "importance"):
        raise Http404
    item = _visible_item(request, pk)
    if kind == "importance":
        current_importance = (
            Item.objects.filter(pk=item.pk).values_list("importance", flat=True).first()
        )
        choices = [
            (value, label, value == current_importance) for value, label in Importance.choices
        ]
    elif kind == "theme":
        current = set(item.themes.values_list("pk", flat=True))
        choices = [(t.pk, t.name, t.pk in current) for t in Theme.objects.all()]
    else:
        current = set(item.countries.values_list("pk", flat=True))
        choices = [(c.pk, c.name, c.pk in current) for c in Country.objects.order_by("name_fr")]
    return render(
        request,
        "veille/inbox/_tag_menu.html",
        {
            "item": item,
            "kind": kind,
            "choices": choices,
            "current_url": _safe_next(request, reverse("veille:inbox")),
        },
    )


@access_required(can_read)
@require_GET
def story(request, pk: int):
    """Every article of a story (the row's expanded part)."""
    item = _visible_item(request, pk)
    members = list(story_members(item).order_by("published_at", "pk"))
    return render(request, "veille/inbox/_story.html", {"item": item, "members": members})


BULK_STATUS = {
    "relevant": TriageStatus.RELEVANT,
    "discarded": TriageStatus.DISCARDED,
    "archived": TriageStatus.ARCHIVED,
    "new": TriageStatus.NEW,
}


@access_required(can_triage)
@require_POST
def bulk(request):
    """Bulk actions on the selected rows, and "mark all visible as read"."""
    next_url = _safe_next(request, reverse("veille:inbox"))
    action = request.POST.get("action", "")
    try:
        ids = [int(v) for v in request.POST.getlist("items")]
    except ValueError:
        return HttpResponseBadRequest()
    ids = list(items_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    if not ids:
        messages.warning(request, _("Aucun sujet sélectionné."))
        return redirect(next_url)
    try:
        if action == "read":
            count = stories_triage(
                item_ids=ids,
                user=request.user,
                status=TriageStatus.ARCHIVED,
                only_new=True,
                request=request,
            )
            messages.success(
                request,
                ngettext(
                    "%(n)d article marqué comme lu (archivé).",
                    "%(n)d articles marqués comme lus (archivés).",
                    count,
                )
                % {"n": count},
            )
        elif action in BULK_STATUS:
            count = stories_triage(
                item_ids=ids, user=request.user, status=BULK_STATUS[action], request=request
            )
            messages.success(
                request,
                ngettext(
                    "%(n)d sujet passé en « %(status)s ».",
                    "%(n)d sujets passés en « %(status)s ».",
                    len(ids),
                )
                % {"n": len(ids), "status": TriageStatus(BULK_STATUS[action]).label},
            )
        elif action == "tags":
            themes = list(Theme.objects.filter(pk__in=request.POST.getlist("themes")))
            countries = list(Country.objects.filter(pk__in=request.POST.getlist("countries")))
            if not themes and not countries:
                messages.warning(request, _("Choisissez au moins un thème ou un pays."))
                return redirect(next_url)
            stories_add_tags(
                item_ids=ids,
                user=request.user,
                themes=themes,
                countries=countries,
                request=request,
            )
            messages.success(
                request,
                ngettext(
                    "Thèmes et pays ajoutés à %(n)d sujet.",
                    "Thèmes et pays ajoutés à %(n)d sujets.",
                    len(ids),
                )
                % {"n": len(ids)},
            )
        else:
            return HttpResponseBadRequest()
    except PermissionDenied:
        raise
    except ValidationError:
        return HttpResponseBadRequest()
    return redirect(next_url)
