"""The political calendar: month and list views, events, the private iCalendar feed."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.models import AuditEvent
from core.permissions import access_required
from core.scoping import get_scoped_object_or_404
from core.services import audit_record

from ..forms import EventForm
from ..ical import calendar_feed_body
from ..permissions import can_read, can_use_calendar_feed, can_write
from ..selectors import calendar as selectors
from ..services import calendar as services
from .common import confirm_page, form_page, paginate, run_service


def crumbs(*trail):
    return [(_("Calendrier politique"), reverse("influence:calendar")), *trail]


def _month(value: str) -> datetime.date:
    try:
        year, month = (int(part) for part in value.split("-", 1))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


def _shift(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@access_required(can_read)
def calendar_month(request):
    first = _month(request.GET.get("mois", ""))
    return render(
        request,
        "influence/calendar/month.html",
        {
            "first": first,
            "weeks": selectors.month_grid(request.user, first.year, first.month),
            "previous": _shift(first, -1),
            "next": _shift(first, 1),
            "today": timezone.localdate(),
            "window_days": selectors.missed_window_days(),
            "can_write": can_write(request.user),
            "crumbs": [(_("Calendrier politique"), "")],
        },
    )


def _date(value: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@access_required(can_read)
def calendar_list(request):
    """Every app's dated things between two dates (default: the next 90 days)."""
    today = timezone.localdate()
    start = _date(request.GET.get("du", ""), today)
    end = _date(request.GET.get("au", ""), start + datetime.timedelta(days=90))
    error = ""
    if end < start:
        error = _("La date de fin précède la date de début : la période a été inversée.")
        start, end = end, start
    end = min(end, start + datetime.timedelta(days=731))
    rows = selectors.calendar_rows(request.user, start, end)
    if request.GET.get("manquees") == "1":
        rows = [row for row in rows if row.missed_window]
    return render(
        request,
        "influence/calendar/list.html",
        {
            "page_obj": paginate(request, rows, per_page=50),
            "start": start,
            "end": end,
            "error": error,
            "missed_only": request.GET.get("manquees") == "1",
            "window_days": selectors.missed_window_days(),
            "can_write": can_write(request.user),
            "crumbs": crumbs((_("Liste"), "")),
        },
    )


@access_required(can_read)
def event_detail(request, pk: int):
    event = get_scoped_object_or_404(request, selectors.events_visible_to(request.user), pk=pk)
    window = datetime.timedelta(days=selectors.missed_window_days())
    rows = [
        r
        for r in selectors.calendar_rows(request.user, event.start, event.end or event.start)
        if r.event.key == f"influence-event-{event.pk}"
    ]
    planned = [
        r.event
        for r in selectors.calendar_rows(request.user, event.start - window, event.start)
        if r.event.is_planned_action
    ]
    return render(
        request,
        "influence/calendar/event_detail.html",
        {
            "event": event,
            "themes": list(event.themes.all()),
            "objectives": list(event.objectives.select_related("strategy")),
            "missed_window": rows[0].missed_window if rows else False,
            "planned": planned,
            "window_days": selectors.missed_window_days(),
            "can_edit": selectors.events_editable_by(request.user).filter(pk=pk).exists(),
            "crumbs": crumbs((event.title, "")),
        },
    )


@access_required(can_write)
def event_create(request):
    form = EventForm(request.POST or None, initial={"start": request.GET.get("date")})
    if request.method == "POST" and form.is_valid():
        event = run_service(
            form, lambda: services.event_create(user=request.user, data=form.cleaned_data)
        )
        if event is not None:
            messages.success(request, _("Événement ajouté au calendrier."))
            return redirect(event.get_absolute_url())
    return form_page(
        request,
        form=form,
        title=_("Nouvel événement politique"),
        trail=crumbs((_("Nouvel événement"), "")),
        cancel_url=reverse("influence:calendar"),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write)
def event_edit(request, pk: int):
    event = get_scoped_object_or_404(request, selectors.events_editable_by(request.user), pk=pk)
    initial = {
        name: getattr(event, name)
        for name in services.EVENT_FIELDS
        if name not in ("themes", "objectives")
    }
    initial["themes"] = list(event.themes.all())
    initial["objectives"] = list(event.objectives.all())
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.event_update(event=event, user=request.user, data=form.cleaned_data),
        )
        if changed is not None:
            messages.success(request, _("Événement enregistré."))
            return redirect(event.get_absolute_url())
    return form_page(
        request,
        form=form,
        title=_("Modifier l'événement"),
        trail=crumbs((event.title, event.get_absolute_url()), (_("Modifier"), "")),
        cancel_url=event.get_absolute_url(),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write)
def event_delete(request, pk: int):
    event = get_scoped_object_or_404(request, selectors.events_editable_by(request.user), pk=pk)
    if request.method == "POST":
        services.event_delete(event=event, user=request.user)
        messages.success(request, _("Événement supprimé."))
        return redirect("influence:calendar")
    return confirm_page(
        request,
        title=_("Supprimer « %(title)s » ?") % {"title": event.title},
        consequences=_(
            "L'événement disparaît du calendrier, du tableau de bord et des abonnements iCalendar."
        ),
        action_url=reverse("influence:event_delete", args=[pk]),
        cancel_url=event.get_absolute_url(),
        trail=crumbs((event.title, event.get_absolute_url()), (_("Supprimer"), "")),
    )


@access_required(can_use_calendar_feed)
def feed_settings(request):
    feed = selectors.active_feed(request.user)
    return render(
        request,
        "influence/calendar/feed.html",
        {
            "feed": feed,
            "feed_url": request.build_absolute_uri(
                reverse("influence:ical_feed", args=[feed.token])
            )
            if feed
            else "",
            "crumbs": crumbs((_("Abonnement iCalendar"), "")),
        },
    )


@require_POST
@access_required(can_use_calendar_feed)
def feed_enable(request):
    replacing = selectors.active_feed(request.user) is not None
    services.calendar_feed_enable(user=request.user)
    messages.success(
        request,
        _("Nouvelle adresse créée ; l'ancienne ne répond plus.")
        if replacing
        else _("Adresse d'abonnement créée. Copiez-la dans Outlook ou Thunderbird."),
    )
    return redirect("influence:feed_settings")


@access_required(can_use_calendar_feed)
def feed_revoke(request):
    if request.method == "POST":
        services.calendar_feed_revoke(user=request.user)
        messages.success(request, _("Abonnement révoqué : son adresse ne répond plus."))
        return redirect("influence:feed_settings")
    return confirm_page(
        request,
        title=_("Révoquer l'abonnement iCalendar ?"),
        consequences=_(
            "Les agendas abonnés à cette adresse (Outlook, Thunderbird…) ne recevront plus "
            "les événements."
        ),
        action_url=reverse("influence:feed_revoke"),
        cancel_url=reverse("influence:feed_settings"),
        trail=crumbs(
            (_("Abonnement iCalendar"), reverse("influence:feed_settings")), (_("Révoquer"), "")
        ),
        button_label=_("Révoquer l'adresse"),
    )


@login_not_required
@never_cache
@require_GET
def ical_feed(request, token: str):
    """The private feed: the token is the credential. Revoked or unknown → 404 (audited)."""
    feed = selectors.feed_by_token(token)
    if feed is None or not can_use_calendar_feed(feed.user):
        revoked = selectors.feed_was_revoked(token)
        audit_record(
            actor=None,
            actor_label=revoked.user.get_username() if revoked else "",
            action=AuditEvent.Action.PERMISSION_DENIED,
            object_type="influence.calendarfeed",
            object_id=revoked.pk if revoked else "",
            request=request,
            detail={"reason": "revoked_token" if revoked else "unknown_token"},
        )
        raise Http404
    services.calendar_feed_touch(feed=feed)
    body = calendar_feed_body(feed.user, request=request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="influence.ics"'
    return response
