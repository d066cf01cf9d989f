"""Authorisation crawl: every URL pattern of the resolver, every role and anonymous, GET
and POST, against a table of expected answers.

- The patterns come from the resolver: a new pattern missing from the tables below fails
  the crawl (add its line: what each role gets).
- The world holds objects of one scope (Calais, France) and of others (Marseille,
  Tripoli), so the Marseille field officer and the Libya advocacy officer meet objects
  that are not theirs.
- Each request runs in a savepoint that is rolled back: a POST that deletes or changes
  something leaves the world as it was for the next request.
- Every refusal of a signed-in person (403, or 404 for an object out of scope) writes a
  `permission_denied` audit event in that request.
- No answer to a role contains the reference code of a testimony that role may not see,
  nor the title of a confidential exchange (or of its follow-up) it may not read; a private
  feed answers as its owner to whoever holds the link, so it is held to what the owner
  may see.

Expected answers: one string per method, one token per role in `ROLES` order
(anonymous, coordinator, advocacy_fr, advocacy_ly, field_calais, field_marseille,
communication, viewer): an HTTP status, `login` (sent to the login page) or `admin` (sent
to the admin's login page).
One table per app. A new URL: its line in its app's table, its arguments in `URL_ARGS`
(built from objects that `build_world` makes; `URL_QUERY`, `POST_DATA` and `SESSION_DATA`
when the view needs more to reach its permission check), and in `MUST_NOT_SEE` nothing
changes. A new app: one more table in `TABLES`. `RECORD=path pytest …` appends what was observed, in
the tables' notation, to that file and checks only audit and leaks (review, then paste).
"""

from __future__ import annotations

import datetime
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.db.models.signals import post_save
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.models import AuditEvent, Role
from tests.core.factories import site, user_with_role

ROLES = (
    "anonymous",
    "coordinator",
    "advocacy_fr",
    "advocacy_ly",
    "field_calais",
    "field_marseille",
    "communication",
    "viewer",
)


@dataclass(frozen=True)
class E:
    """What each role gets for GET and for POST on one URL (see the module docstring)."""

    get: str = ""
    post: str = ""


# --- The tables: one per app ------------------------------------------------------------
# Each entry: E("<GET answers>", "<POST answers>"), one column per role:
#        anon   coord  advFR  advLY  fCal   fMrs   comms  viewer

CORE: dict[str, E] = {
    "core:home": E(
        "login  302    302    302    302    302    302    302",
        "login  302    302    302    302    302    302    302",
    ),
    "core:team": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "core:search": E(
        "login  200    200    200    200    200    200    200",
        "login  405    405    405    405    405    405    405",
    ),
    "core:healthz": E(
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200",
    ),
    "core:pdf_job_status": E(
        "login  200    200    404    404    404    404    404",
        "login  405    405    405    405    405    405    405",
    ),
    "core:pdf_job_download": E(
        "login  200    200    404    404    404    404    404",
        "login  405    405    405    405    405    405    405",
    ),
    "core:login": E(
        "200    302    302    302    302    302    302    302",
        "200    302    302    302    302    302    302    302",
    ),
    "core:logout": E(
        "login  405    405    405    405    405    405    405",
        "login  login  login  login  login  login  login  login",
    ),
    "core:security": E(
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200",
    ),
    "core:password_change": E(
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200",
    ),
    "core:sessions_revoke": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    302    302    302    302    302",
    ),
    "core:otp_enrol": E(
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200",
    ),
    "core:otp_verify": E(
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200",
    ),
    "core:otp_recovery": E(
        "login  405    405    405    405    405    405    405",
        "login  200    200    200    200    200    200    200",
    ),
    "core:otp_disable": E(
        "login  405    405    405    405    405    405    405",
        "login  400    400    400    400    400    400    400",
    ),
    "core:password_reset": E(
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200",
    ),
    "core:password_reset_done": E(
        "200    200    200    200    200    200    200    200",
        "405    405    405    405    405    405    405    405",
    ),
    "core:password_reset_confirm": E(
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200",
    ),
    "core:password_reset_complete": E(
        "200    200    200    200    200    200    200    200",
        "405    405    405    405    405    405    405    405",
    ),
}
INFLUENCE: dict[str, E] = {
    "influence:dashboard": E(
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200",
    ),
    "influence:strategies": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:strategy_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "influence:strategy_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:strategy_edit": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:strategy_validate": E(
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    403    403",
    ),
    "influence:strategy_archive": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "influence:risk_create": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:risk_edit": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:risk_delete": E(
        "login  200    200    404    403    403    403    403",
        "login  302    302    404    403    403    403    403",
    ),
    "influence:objectives": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:objective_create": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:objective_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:objective_edit": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:objective_delete": E(
        "login  200    200    404    403    403    403    403",
        "login  302    302    404    403    403    403    403",
    ),
    "influence:marker_create": E(
        "login  405    405    405    405    405    405    405",
        "login  400    400    404    403    403    403    403",
    ),
    "influence:marker_tick": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:marker_untick": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    404    403    403    403    403",
    ),
    "influence:marker_delete": E(
        "login  200    200    404    403    403    403    403",
        "login  302    302    404    403    403    403    403",
    ),
    "influence:evidence_remove": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    404    403    403    403    403",
    ),
    "influence:indicator_create": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:indicator_edit": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:indicator_delete": E(
        "login  200    200    404    403    403    403    403",
        "login  302    302    404    403    403    403    403",
    ),
    "influence:messages": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:coherence_matrix": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:message_create": E(
        "login  200    302    302    403    403    200    403",
        "login  200    302    302    403    403    200    403",
    ),
    "influence:message_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:variant_create": E(
        "login  404    404    404    403    403    404    403",
        "login  404    404    404    403    403    404    403",
    ),
    "influence:message_edit": E(
        "login  200    200    404    403    403    200    403",
        "login  200    200    404    403    403    200    403",
    ),
    "influence:message_approve": E(
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    403    403",
    ),
    "influence:message_retire": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "influence:lines_list": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:lines_create": E(
        "login  200    200    200    403    403    200    403",
        "login  200    200    200    403    403    200    403",
    ),
    "influence:lines_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:lines_edit": E(
        "login  200    200    200    403    403    200    403",
        "login  200    200    200    403    403    200    403",
    ),
    "influence:lines_delete": E(
        "login  200    200    200    403    403    200    403",
        "login  302    302    302    403    403    302    403",
    ),
    "influence:lines_pdf": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    302    403    403    302    403",
    ),
    "influence:calendar": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:calendar_list": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:event_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "influence:event_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:event_edit": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "influence:event_delete": E(
        "login  200    200    404    403    403    403    403",
        "login  302    302    404    403    403    403    403",
    ),
    "influence:feed_settings": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "influence:feed_enable": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    302    403    403    302    302",
    ),
    "influence:feed_revoke": E(
        "login  200    200    200    403    403    200    200",
        "login  302    302    302    403    403    302    302",
    ),
    "influence:ical_feed": E(
        "200    200    200    200    200    200    200    200",
        "405    405    405    405    405    405    405    405",
    ),
    "influence:briefings": E(
        "login  200    200    200    403    403    200    200",
        "login  405    405    405    403    403    405    405",
    ),
    "influence:briefing_create": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "influence:briefing_subscription": E(
        "login  405    405    405    403    403    405    405",
        "login  302    302    302    403    403    302    302",
    ),
    "influence:briefing_detail": E(
        "login  200    200    200    403    403    200    404",
        "login  405    405    405    403    403    405    405",
    ),
    "influence:briefing_edit": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "influence:briefing_preview": E(
        "login  200    403    403    403    403    403    403",
        "login  405    403    403    403    403    403    403",
    ),
    "influence:briefing_generate": E(
        "login  405    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "influence:briefing_delete": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
}
VEILLE: dict[str, E] = {
    "veille:inbox": E(
        "login  200    200    200    403    403    200    200",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:bulk": E(
        "login  405    405    405    403    403    403    403",
        "login  302    302    302    403    403    403    403",
    ),
    "veille:export": E(
        "login  200    200    200    403    403    200    200",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:item_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:triage": E(
        "login  405    405    405    403    403    403    403",
        "login  400    400    400    403    403    403    403",
    ),
    "veille:tag_menu": E(
        "login  200    200    200    403    403    403    403",
        "login  405    405    405    403    403    403    403",
    ),
    "veille:story": E(
        "login  200    200    200    403    403    200    200",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:item_reader": E(
        "login  200    200    200    403    403    200    200",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:annotation_add": E(
        "login  405    405    405    403    403    403    403",
        "login  302    302    302    403    403    403    403",
    ),
    "veille:item_cite": E(
        "login  405    405    405    403    403    403    403",
        "login  302    302    302    403    403    403    403",
    ),
    "veille:annotation_delete": E(
        "login  405    405    405    403    403    403    403",
        "login  404    302    404    403    403    403    403",
    ),
    "veille:alerts": E(
        "login  200    200    200    403    403    200    200",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:alerts_read": E(
        "login  405    405    405    403    403    405    405",
        "login  302    302    302    403    403    302    302",
    ),
    "veille:rules": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "veille:rule_create": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "veille:rule_edit": E(
        "login  404    200    404    403    403    404    404",
        "login  404    200    404    403    403    404    404",
    ),
    "veille:rule_delete": E(
        "login  404    200    404    403    403    404    404",
        "login  404    302    404    403    403    404    404",
    ),
    "veille:rule_feed": E(
        "login  405    405    405    403    403    405    405",
        "login  404    302    404    403    403    404    404",
    ),
    "veille:rule_rss": E(
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200",
    ),
    "veille:notes": E(
        "login  200    200    200    403    403    200    200",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:note_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "veille:note_detail": E(
        "login  200    200    404    403    403    404    404",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:note_edit": E(
        "login  200    200    404    403    403    403    403",
        "login  200    200    404    403    403    403    403",
    ),
    "veille:note_status": E(
        "login  405    405    405    403    403    405    405",
        "login  302    302    404    403    403    404    404",
    ),
    "veille:note_citations": E(
        "login  200    200    404    403    403    403    403",
        "login  302    302    404    403    403    403    403",
    ),
    "veille:note_history": E(
        "login  200    200    404    403    403    404    404",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:note_version": E(
        "login  200    200    404    403    403    404    404",
        "login  405    405    405    403    403    405    405",
    ),
    "veille:note_delete": E(
        "login  200    200    404    403    403    403    403",
        "login  302    302    404    403    403    403    403",
    ),
    "veille:note_pdf": E(
        "login  405    405    405    403    403    405    405",
        "login  302    302    404    403    403    404    404",
    ),
    "veille:sources": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "veille:source_health": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "veille:source_create": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "veille:opml_export": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "veille:opml_import": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "veille:opml_import_status": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "veille:source_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "veille:source_edit": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "veille:source_delete": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "veille:source_fetch_now": E(
        "login  405    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
}
TEMOIGNAGES: dict[str, E] = {
    "temoignages:list": E(
        "login  200    200    200    200    200    200    403",
        "login  200    200    200    200    200    200    403",
    ),
    "temoignages:export": E(
        "login  200    200    200    200    200    200    403",
        "login  400    400    400    400    400    400    403",
    ),
    "temoignages:consents_expiring": E(
        "login  200    403    403    200    200    403    403",
        "login  200    403    403    200    200    403    403",
    ),
    "temoignages:detail": E(
        "login  200    404    404    200    404    404    403",
        "login  200    404    404    200    404    404    403",
    ),
    "temoignages:consent_record": E(
        "login  200    404    404    200    404    404    404",
        "login  200    404    404    200    404    404    404",
    ),
    "temoignages:consent_withdraw": E(
        "login  200    404    404    200    404    404    404",
        "login  200    404    404    200    404    404    404",
    ),
    "temoignages:safeguarding_review": E(
        "login  405    405    405    405    405    405    405",
        "login  302    404    404    403    404    404    404",
    ),
    "temoignages:consent_form_download": E(
        "login  200    404    404    200    404    404    404",
        "login  200    404    404    200    404    404    404",
    ),
    "temoignages:use_takedown": E(
        "login  405    405    405    405    405    405    405",
        "login  302    404    404    403    404    404    404",
    ),
    "temoignages:retention_set": E(
        "login  405    405    405    405    405    405    405",
        "login  302    404    404    403    404    404    404",
    ),
    "temoignages:review_start": E(
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:review_approve": E(
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:review_reject": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:external_edit": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:identity_edit": E(
        "login  200    404    404    403    404    404    404",
        "login  200    404    404    403    404    404    404",
    ),
    "temoignages:identity_reveal": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:media_upload": E(
        "login  405    405    405    405    405    405    405",
        "login  200    404    404    403    404    404    404",
    ),
    "temoignages:media_download": E(
        "login  200    404    404    200    404    404    404",
        "login  200    404    404    200    404    404    404",
    ),
    "temoignages:media_thumbnail": E(
        "login  200    404    404    200    404    404    404",
        "login  200    404    404    200    404    404    404",
    ),
    "temoignages:media_delete": E(
        "login  200    404    404    403    404    404    404",
        "login  302    404    404    403    404    404    404",
    ),
    "temoignages:home": E(
        "login  200    302    302    200    200    302    200",
        "login  200    302    302    200    200    302    200",
    ),
    "temoignages:submit_start": E(
        "login  200    403    403    200    200    403    403",
        "login  200    403    403    200    200    403    403",
    ),
    "temoignages:submit_resume": E(
        "login  302    403    403    302    404    403    403",
        "login  302    403    403    302    404    403    403",
    ),
    "temoignages:submit_step": E(
        "login  200    403    403    200    404    403    403",
        "login  200    403    403    200    404    403    403",
    ),
    "temoignages:submit_media_remove": E(
        "login  200    403    403    200    404    403    403",
        "login  302    403    403    302    404    403    403",
    ),
    "temoignages:submit_discard": E(
        "login  200    403    403    200    404    403    403",
        "login  302    403    403    302    404    403    403",
    ),
    "temoignages:submit_done": E(
        "login  302    403    403    302    404    403    403",
        "login  302    403    403    302    404    403    403",
    ),
    "temoignages:forms_list": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:form_create": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:form_detail": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:form_archive": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:form_restore": E(
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:form_version_new": E(
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:form_version": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:form_version_preview": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:form_version_publish": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:form_version_discard": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:form_question_add": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:form_question_edit": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:form_question_delete": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:form_question_move": E(
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:objectives": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:objectives_by_site": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:objective_create": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:objective_edit": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "temoignages:objective_delete": E(
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403",
    ),
    "temoignages:service_worker": E(
        "200    200    200    200    200    200    200    200",
        "405    405    405    405    405    405    405    405",
    ),
    "temoignages:manifest": E(
        "200    200    200    200    200    200    200    200",
        "405    405    405    405    405    405    405    405",
    ),
    "temoignages:offline_home": E(
        "login  200    403    403    200    200    403    403",
        "login  200    403    403    200    200    403    403",
    ),
    "temoignages:offline_wizard": E(
        "login  200    403    403    200    200    403    403",
        "login  200    403    403    200    200    403    403",
    ),
    "temoignages:offline_send_state": E(
        "login  200    403    403    200    200    403    403",
        "login  405    405    405    405    405    405    405",
    ),
    "temoignages:offline_send_step": E(
        "login  405    405    405    405    405    405    405",
        "login  400    403    403    400    404    403    403",
    ),
}
PLAIDOYER: dict[str, E] = {
    "plaidoyer:index": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:actions": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:action_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "plaidoyer:action_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:action_edit": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:action_status": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:action_delete": E(
        "login  200    200    403    403    403    403    403",
        "login  400    400    403    403    403    403    403",
    ),
    "plaidoyer:action_items": E(
        "login  200    200    403    403    403    403    403",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:action_item_remove": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
    # The testimony posted is one advocacy_fr may not see (an audited 404).
    "plaidoyer:action_testimonies": E(
        "login  200    200    403    403    403    403    403",
        "login  302    404    403    403    403    403    403",
    ),
    "plaidoyer:action_testimony_remove": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:deliverable_upload": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:deliverable_download": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:deliverable_delete": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:organisations": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:organisation_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "plaidoyer:organisation_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:organisation_edit": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:organisation_delete": E(
        "login  200    200    403    403    403    403    403",
        "login  400    400    403    403    403    403    403",
    ),
    "plaidoyer:organisation_archive": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:stakeholders": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:stakeholder_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "plaidoyer:stakeholder_import": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    # A previewed file of French people: advocacy_ly does not manage France.
    "plaidoyer:stakeholder_import_confirm": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    400    403    403    403    403",
    ),
    "plaidoyer:stakeholder_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:stakeholder_edit": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:stakeholder_merge": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:stakeholder_personal_data": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:stakeholder_erase": E(
        "login  200    403    403    403    403    403    403",
        "login  400    403    403    403    403    403    403",
    ),
    "plaidoyer:position_create": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:position_delete": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:grid": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:interactions": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:interaction_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    # The confidential exchange advocacy_fr wrote.
    "plaidoyer:interaction_detail": E(
        "login  200    200    404    403    403    404    404",
        "login  200    200    404    403    403    404    404",
    ),
    "plaidoyer:interaction_edit": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:interaction_delete": E(
        "login  200    200    403    403    403    403    403",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:follow_up_create": E(
        "login  405    405    405    405    405    405    405",
        "login  400    400    403    403    403    403    403",
    ),
    "plaidoyer:coalitions": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:coalition_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "plaidoyer:coalition_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:coalition_edit": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:statement_create": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:statement_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:statement_edit": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:signature_update": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
    "plaidoyer:outcomes": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:outcome_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "plaidoyer:outcome_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:outcome_edit": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:lessons": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:lesson_create": E(
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403",
    ),
    "plaidoyer:lesson_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:lesson_edit": E(
        "login  200    200    403    403    403    403    403",
        "login  200    200    403    403    403    403    403",
    ),
    "plaidoyer:budget": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:budget_export": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:budget_line_create": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "plaidoyer:budget_line_detail": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    "plaidoyer:budget_line_edit": E(
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403",
    ),
    "plaidoyer:follow_ups": E(
        "login  200    200    200    403    403    200    200",
        "login  200    200    200    403    403    200    200",
    ),
    # Its owner, advocacy_ly, ticks it done; only the exchange's editors delete it.
    "plaidoyer:follow_up_mark": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    302    403    403    403    403",
    ),
    "plaidoyer:follow_up_delete": E(
        "login  405    405    405    405    405    405    405",
        "login  302    302    403    403    403    403    403",
    ),
}
# The admin's own pages; its model pages follow NAMESPACES["admin"].
ADMIN: dict[str, E] = {
    "admin:index": E(
        "admin  admin  admin  admin  admin  admin  admin  admin",
        "admin  admin  admin  admin  admin  admin  admin  admin",
    ),
    "admin:login": E(
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200",
    ),
    "admin:logout": E(
        "admin  302    302    302    302    302    302    302",
        "admin  302    302    302    302    302    302    302",
    ),
    "admin:password_change": E(
        "admin  admin  admin  admin  admin  admin  admin  admin",
        "admin  admin  admin  admin  admin  admin  admin  admin",
    ),
    "admin:password_change_done": E(
        "admin  admin  admin  admin  admin  admin  admin  admin",
        "admin  admin  admin  admin  admin  admin  admin  admin",
    ),
    "admin:autocomplete": E(
        "admin  admin  admin  admin  admin  admin  admin  admin",
        "admin  admin  admin  admin  admin  admin  admin  admin",
    ),
    "admin:jsi18n": E(
        "admin  admin  admin  admin  admin  admin  admin  admin",
        "admin  admin  admin  admin  admin  admin  admin  admin",
    ),
    "admin:view_on_site": E(
        "admin  admin  admin  admin  admin  admin  admin  admin",
        "admin  admin  admin  admin  admin  admin  admin  admin",
    ),
    "admin:app_list": E(
        "admin  admin  admin  admin  admin  admin  admin  admin",
        "admin  admin  admin  admin  admin  admin  admin  admin",
    ),
    "admin:<admin/(?P<url>.*)$>": E(
        "admin  admin  admin  admin  admin  admin  admin  admin",
        "admin  admin  admin  admin  admin  admin  admin  admin",
    ),
}
# Patterns outside any app namespace.
ROOT: dict[str, E] = {
    "set_language": E(
        "302    302    302    302    302    302    302    302",
        "302    302    302    302    302    302    302    302",
    ),
    "javascript-catalog": E(
        "200    200    200    200    200    200    200    200",
        "405    405    405    405    405    405    405    405",
    ),
}
# Whole namespaces answered alike, for the patterns their table does not list: the
# admin's model pages come from its registry and are for staff only (no role is staff).
NAMESPACES: dict[str, E] = {
    "admin": E("login " + "admin  " * 7, "login " + "admin  " * 7),
}

TABLES = {
    "core": CORE,
    "influence": INFLUENCE,
    "veille": VEILLE,
    "temoignages": TEMOIGNAGES,
    "plaidoyer": PLAIDOYER,
    "admin": ADMIN,
    "": ROOT,
}


# Arguments of the patterns that take some, from the world's objects.
URL_ARGS: dict[str, Callable[[World], dict]] = {
    # core
    "core:pdf_job_status": lambda w: {"pk": w.pdf_job.pk},
    "core:pdf_job_download": lambda w: {"pk": w.pdf_job.pk},
    # A used or forged link (a valid one is consumed by the first request).
    "core:password_reset_confirm": lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w.users["viewer"].pk)),
        "token": "expired-token",
    },
    # influence
    "influence:strategy_detail": lambda w: {"pk": w.strategy.pk},
    "influence:strategy_edit": lambda w: {"pk": w.strategy.pk},
    "influence:strategy_validate": lambda w: {"pk": w.strategy.pk},
    "influence:strategy_archive": lambda w: {"pk": w.strategy.pk},
    "influence:risk_create": lambda w: {"pk": w.strategy.pk},
    "influence:risk_edit": lambda w: {"pk": w.risk.pk},
    "influence:risk_delete": lambda w: {"pk": w.risk.pk},
    "influence:objective_create": lambda w: {"strategy_pk": w.strategy.pk},
    "influence:objective_detail": lambda w: {"pk": w.objective.pk},
    "influence:objective_edit": lambda w: {"pk": w.objective.pk},
    "influence:objective_delete": lambda w: {"pk": w.objective.pk},
    "influence:marker_create": lambda w: {"pk": w.objective.pk},
    "influence:marker_tick": lambda w: {"pk": w.marker.pk},
    "influence:marker_untick": lambda w: {"pk": w.marker.pk},
    "influence:marker_delete": lambda w: {"pk": w.marker.pk},
    "influence:evidence_remove": lambda w: {"pk": w.evidence.pk},
    "influence:indicator_create": lambda w: {"pk": w.objective.pk},
    "influence:indicator_edit": lambda w: {"pk": w.indicator.pk},
    "influence:indicator_delete": lambda w: {"pk": w.indicator.pk},
    "influence:message_detail": lambda w: {"pk": w.message.pk},
    "influence:variant_create": lambda w: {"pk": w.message.pk},
    "influence:message_edit": lambda w: {"pk": w.message.pk},
    "influence:message_approve": lambda w: {"pk": w.message.pk},
    "influence:message_retire": lambda w: {"pk": w.message.pk},
    "influence:lines_detail": lambda w: {"pk": w.lines.pk},
    "influence:lines_edit": lambda w: {"pk": w.lines.pk},
    "influence:lines_delete": lambda w: {"pk": w.lines.pk},
    "influence:lines_pdf": lambda w: {"pk": w.lines.pk},
    "influence:event_detail": lambda w: {"pk": w.event.pk},
    "influence:event_edit": lambda w: {"pk": w.event.pk},
    "influence:event_delete": lambda w: {"pk": w.event.pk},
    "influence:ical_feed": lambda w: {"token": w.feed.token},
    "influence:briefing_detail": lambda w: {"pk": w.briefing.pk},
    "influence:briefing_edit": lambda w: {"pk": w.briefing.pk},
    "influence:briefing_preview": lambda w: {"pk": w.briefing.pk},
    "influence:briefing_generate": lambda w: {"pk": w.briefing.pk},
    "influence:briefing_delete": lambda w: {"pk": w.briefing.pk},
    # veille
    "veille:item_detail": lambda w: {"pk": w.item.pk},
    "veille:triage": lambda w: {"pk": w.item.pk},
    "veille:tag_menu": lambda w: {"pk": w.item.pk},
    "veille:story": lambda w: {"pk": w.item.pk},
    "veille:item_reader": lambda w: {"pk": w.item.pk},
    "veille:annotation_add": lambda w: {"pk": w.item.pk},
    "veille:item_cite": lambda w: {"pk": w.item.pk},
    "veille:annotation_delete": lambda w: {"pk": w.annotation.pk},
    "veille:rule_edit": lambda w: {"pk": w.rule.pk},
    "veille:rule_delete": lambda w: {"pk": w.rule.pk},
    "veille:rule_feed": lambda w: {"pk": w.rule.pk},
    "veille:rule_rss": lambda w: {"token": w.rule.feed_token},
    "veille:note_detail": lambda w: {"pk": w.note.pk},
    "veille:note_edit": lambda w: {"pk": w.note.pk},
    "veille:note_status": lambda w: {"pk": w.note.pk},
    "veille:note_citations": lambda w: {"pk": w.note.pk},
    "veille:note_history": lambda w: {"pk": w.note.pk},
    "veille:note_version": lambda w: {"pk": w.note.pk, "number": w.note_version.number},
    "veille:note_delete": lambda w: {"pk": w.note.pk},
    "veille:note_pdf": lambda w: {"pk": w.note.pk},
    "veille:opml_import_status": lambda w: {"pk": w.opml.pk},
    "veille:source_detail": lambda w: {"pk": w.source.pk},
    "veille:source_edit": lambda w: {"pk": w.source.pk},
    "veille:source_delete": lambda w: {"pk": w.source.pk},
    "veille:source_fetch_now": lambda w: {"pk": w.source.pk},
    # temoignages: the Calais testimony, its consent, use and medium
    **{
        f"temoignages:{name}": (lambda w: {"pk": w.testimony.pk})
        for name in (
            "detail",
            "consent_record",
            "consent_withdraw",
            "safeguarding_review",
            "retention_set",
            "review_start",
            "review_approve",
            "review_reject",
            "external_edit",
            "identity_edit",
            "identity_reveal",
            "media_upload",
        )
    },
    "temoignages:consent_form_download": lambda w: {
        "pk": w.testimony.pk,
        "consent_pk": w.consent.pk,
    },
    "temoignages:use_takedown": lambda w: {"pk": w.testimony.pk, "use_pk": w.use.pk},
    "temoignages:media_download": lambda w: {"pk": w.testimony.pk, "media_pk": w.media.pk},
    "temoignages:media_thumbnail": lambda w: {"pk": w.testimony.pk, "media_pk": w.media.pk},
    "temoignages:media_delete": lambda w: {"pk": w.testimony.pk, "media_pk": w.media.pk},
    # ... the Calais officer's draft in the wizard
    "temoignages:submit_resume": lambda w: {"pk": w.draft.pk},
    "temoignages:submit_step": lambda w: {"pk": w.draft.pk, "step": 2},
    "temoignages:submit_media_remove": lambda w: {"pk": w.draft.pk, "media_pk": w.draft_media.pk},
    "temoignages:submit_discard": lambda w: {"pk": w.draft.pk},
    "temoignages:submit_done": lambda w: {"pk": w.draft.pk},
    "temoignages:offline_send_step": lambda w: {"client_uuid": w.draft.client_uuid, "step": 2},
    # ... collection forms and objectives
    "temoignages:form_detail": lambda w: {"pk": w.form.pk},
    "temoignages:form_archive": lambda w: {"pk": w.form.pk},
    "temoignages:form_restore": lambda w: {"pk": w.form.pk},
    "temoignages:form_version_new": lambda w: {"pk": w.form.pk},
    **{
        f"temoignages:{name}": (lambda w: {"pk": w.form.pk, "vpk": w.form_version.pk})
        for name in (
            "form_version",
            "form_version_preview",
            "form_version_publish",
            "form_version_discard",
            "form_question_add",
        )
    },
    **{
        f"temoignages:{name}": (
            lambda w: {"pk": w.form.pk, "vpk": w.form_version.pk, "qpk": w.question.pk}
        )
        for name in ("form_question_edit", "form_question_delete", "form_question_move")
    },
    "temoignages:objective_edit": lambda w: {"pk": w.collection_objective.pk},
    "temoignages:objective_delete": lambda w: {"pk": w.collection_objective.pk},
    # plaidoyer: the French records
    **{
        f"plaidoyer:{name}": (lambda w: {"pk": w.action.pk})
        for name in (
            "action_detail",
            "action_edit",
            "action_status",
            "action_delete",
            "action_items",
            "action_testimonies",
            "deliverable_upload",
        )
    },
    "plaidoyer:action_item_remove": lambda w: {"pk": w.action.pk, "item_pk": w.action_item.pk},
    "plaidoyer:action_testimony_remove": lambda w: {
        "pk": w.action.pk,
        "evidence_pk": w.action_testimony.pk,
    },
    "plaidoyer:deliverable_download": lambda w: {"pk": w.deliverable.pk},
    "plaidoyer:deliverable_delete": lambda w: {"pk": w.deliverable.pk},
    **{
        f"plaidoyer:organisation_{name}": (lambda w: {"pk": w.organisation.pk})
        for name in ("detail", "edit", "delete", "archive")
    },
    **{
        f"plaidoyer:{name}": (lambda w: {"pk": w.stakeholder.pk})
        for name in (
            "stakeholder_detail",
            "stakeholder_edit",
            "stakeholder_merge",
            "stakeholder_personal_data",
            "stakeholder_erase",
            "position_create",
        )
    },
    "plaidoyer:stakeholder_import_confirm": lambda w: {"token": IMPORT_TOKEN},
    "plaidoyer:position_delete": lambda w: {"pk": w.position.pk},
    # ... the exchange page is the confidential one advocacy_fr wrote
    "plaidoyer:interaction_detail": lambda w: {"pk": w.confidential.pk},
    "plaidoyer:interaction_edit": lambda w: {"pk": w.interaction.pk},
    "plaidoyer:interaction_delete": lambda w: {"pk": w.interaction.pk},
    "plaidoyer:follow_up_create": lambda w: {"pk": w.interaction.pk},
    "plaidoyer:follow_up_mark": lambda w: {"pk": w.follow_up.pk},
    "plaidoyer:follow_up_delete": lambda w: {"pk": w.follow_up.pk},
    "plaidoyer:coalition_detail": lambda w: {"pk": w.coalition.pk},
    "plaidoyer:coalition_edit": lambda w: {"pk": w.coalition.pk},
    "plaidoyer:statement_create": lambda w: {"pk": w.coalition.pk},
    "plaidoyer:statement_detail": lambda w: {"pk": w.statement.pk},
    "plaidoyer:statement_edit": lambda w: {"pk": w.statement.pk},
    "plaidoyer:signature_update": lambda w: {"pk": w.statement.pk, "signature_pk": w.signature.pk},
    "plaidoyer:outcome_detail": lambda w: {"pk": w.outcome.pk},
    "plaidoyer:outcome_edit": lambda w: {"pk": w.outcome.pk},
    "plaidoyer:lesson_detail": lambda w: {"pk": w.lesson.pk},
    "plaidoyer:lesson_edit": lambda w: {"pk": w.lesson.pk},
    "plaidoyer:budget_line_detail": lambda w: {"pk": w.budget_line.pk},
    "plaidoyer:budget_line_edit": lambda w: {"pk": w.budget_line.pk},
}

# Private feeds answer as their owner to whoever holds the link (anonymous included):
# their answers are checked against what the owner may see.
FEED_OWNERS = {"influence:ical_feed": "coordinator", "veille:rule_rss": "advocacy_fr"}

# Pages whose answer to a signed-in role is a refusal even with a 200 (the admin's login
# page tells a person without staff rights that they may not enter): audited too.
REFUSAL_PAGES = {"admin:login"}

# Query strings and POST data some views need to reach their permission checks (without
# them they answer 404 for the missing parameter, which is not a refusal).
URL_QUERY: dict[str, str] = {
    "veille:tag_menu": "?kind=theme",
    # The positions, one of them learnt in a confidential exchange.
    "plaidoyer:stakeholder_detail": "?tab=positions",
}
POST_DATA: dict[str, Callable[[World], dict]] = {
    "veille:note_citations": lambda w: {"item": w.item.pk},
    "plaidoyer:action_items": lambda w: {"item": w.item.pk},
    "plaidoyer:action_testimonies": lambda w: {"testimony": w.testimony.pk},
    "plaidoyer:action_status": lambda w: {"status": "in_progress"},
    "plaidoyer:signature_update": lambda w: {"status": "signed"},
}


def _pending_import(w: World) -> dict:
    """A spreadsheet of one French person, uploaded and previewed (the file is written
    again for each request: a confirmed import deletes it)."""
    from core.files import private_write

    csv = "Nom,Organisation,Pays,Influence,Intérêt,Alignement\nAlex Bernard,Mairie,FR,3,3,3\n"
    name = private_write("plaidoyer/imports/crawl.bin", csv.encode())
    return {"plaidoyer_imports": {IMPORT_TOKEN: {"name": name, "filename": "crawl.csv"}}}


# Session data some views need (what an earlier step kept for the next one), written into
# each signed-in role's session before its request.
IMPORT_TOKEN = "crawl"
SESSION_DATA: dict[str, Callable[[World], dict]] = {
    "plaidoyer:stakeholder_import_confirm": _pending_import,
}

# Testimonies and confidential exchanges each role must never see, whatever the selectors
# say (their codes must appear in no answer to that role): advocacy_fr wrote
# CONF-CRAWL-FR, the coordinator CONF-CRAWL-COORD and its follow-up CONF-CRAWL-SUITE.
CONFIDENTIAL = {"CONF-CRAWL-FR", "CONF-CRAWL-COORD", "CONF-CRAWL-SUITE"}
MUST_NOT_SEE = {
    "coordinator": set(),
    "advocacy_fr": {"TEM-2026-TRP1", "CONF-CRAWL-COORD", "CONF-CRAWL-SUITE"},
    "advocacy_ly": {"TEM-2026-CAL1", "TEM-2026-CAL2", "TEM-2026-MRS1", *CONFIDENTIAL},
    "field_calais": {"TEM-2026-MRS1", "TEM-2026-TRP1", *CONFIDENTIAL},
    "field_marseille": {"TEM-2026-CAL1", "TEM-2026-CAL2", "TEM-2026-TRP1", *CONFIDENTIAL},
    "communication": {"TEM-2026-CAL2", *CONFIDENTIAL},
    "viewer": {"TEM-2026-CAL1", "TEM-2026-CAL2", "TEM-2026-MRS1", "TEM-2026-TRP1", *CONFIDENTIAL},
}


# --- The world --------------------------------------------------------------------------


@dataclass
class World:
    users: dict = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # testimony reference → its key
    # A text only some may read (a confidential exchange's title) → may this user read it
    secrets: dict[str, Callable[[object], bool]] = field(default_factory=dict)

    def __getattr__(self, name):  # objects are attributes set by `build_world`
        raise AttributeError(name)


def build_world() -> World:
    from core.files import private_write
    from core.models import Country, PdfJob
    from influence.models import (
        Briefing,
        CalendarFeed,
        Indicator,
        LinesToTake,
        MarkerEvidence,
        OperationalRisk,
    )
    from temoignages.models import Testimony
    from tests.influence import factories as inf
    from tests.temoignages.factories import (
        CollectionFormFactory,
        CollectionFormVersionFactory,
        CollectionObjectiveFactory,
        ConsentFactory,
        FormQuestionFactory,
        MediaAttachmentFactory,
        TestimonyFactory,
        TestimonyUseFactory,
    )
    from tests.veille.factories import (
        AnalysisNoteFactory,
        AnnotationFactory,
        ItemFactory,
        NoteVersionFactory,
        OpmlImportFactory,
        SourceFactory,
        WatchRuleFactory,
    )
    from veille.models import NOTE_PDF

    w = World()
    w.users = {
        "coordinator": user_with_role(Role.COORDINATOR, username="crawl-coord"),
        "advocacy_fr": user_with_role(
            Role.ADVOCACY_OFFICER, country_code="FR", username="crawl-adv-fr"
        ),
        "advocacy_ly": user_with_role(
            Role.ADVOCACY_OFFICER, country_code="LY", username="crawl-adv-ly"
        ),
        "field_calais": user_with_role(
            Role.FIELD_COMMS, site_codes=["calais"], username="crawl-field-cal"
        ),
        "field_marseille": user_with_role(
            Role.FIELD_COMMS, site_codes=["marseille"], username="crawl-field-mrs"
        ),
        "communication": user_with_role(Role.COMMUNICATION, username="crawl-comms"),
        "viewer": user_with_role(Role.VIEWER, username="crawl-viewer"),
    }
    coord, adv_fr = w.users["coordinator"], w.users["advocacy_fr"]
    field_cal = w.users["field_calais"]
    today = timezone.localdate()

    # influence: a French strategy and what hangs from it
    unit = inf.unit_strategy()
    w.strategy = inf.country_strategy(unit, "FR")
    w.risk = OperationalRisk.objects.create(
        strategy=w.strategy, title="Suspension", likelihood=2, impact=3
    )
    w.objective = inf.objective(w.strategy, "Objectif France")
    w.marker = inf.marker(w.objective, "Le Conseil d'État statue")
    w.indicator = Indicator.objects.create(
        objective=w.objective, name="Saisines", unit="", baseline=0, target=10, current=2
    )
    master = inf.message(coord, text="Message cadre")
    w.message = inf.message(
        adv_fr, status="draft", master=master, country_code="FR", text="Variante France"
    )
    w.lines = LinesToTake.objects.create(
        title="Rencontre ministère", meeting_on=today, meeting_with="Ministère", created_by=coord
    )
    w.lines.messages.add(w.message)
    w.event = inf.event("Vote du Parlement", country=Country.objects.get(code="FR"))
    w.briefing = Briefing.objects.create(
        period_start=today.replace(day=1) - datetime.timedelta(days=31),
        period_end=today.replace(day=1) - datetime.timedelta(days=1),
        audience="internal",
        language="fr",
        created_by=coord,
    )
    w.feed = CalendarFeed.objects.create(user=coord, token=f"crawl-{uuid.uuid4().hex}")

    # veille
    w.source = SourceFactory(country=Country.objects.get(code="FR"))
    w.item = ItemFactory(source=w.source)
    w.evidence = MarkerEvidence.objects.create(
        marker=w.marker,
        content_type_id=_content_type(w.item),
        object_id=w.item.pk,
        label=w.item.title[:200],
        added_by=coord,
    )
    w.annotation = AnnotationFactory(item=w.item, author=adv_fr)
    w.rule = WatchRuleFactory(owner=adv_fr, feed_token=f"crawl-{uuid.uuid4().hex}")
    w.note = AnalysisNoteFactory(author=adv_fr, title="Note France")
    w.note_version = NoteVersionFactory(note=w.note, number=1)
    w.opml = OpmlImportFactory(created_by=coord)
    w.pdf_job = PdfJob.objects.create(
        kind=NOTE_PDF,
        object_id=str(w.note.pk),
        status=PdfJob.Status.READY,
        file_name=private_write("pdf/crawl.pdf", b"%PDF-1.7 crawl"),
    )

    # temoignages: Calais (in scope of field_calais), Marseille, Tripoli
    w.form = CollectionFormFactory(name="Formulaire Calais", sites=[site("calais")])
    w.form_version = CollectionFormVersionFactory(form=w.form, number=1)
    w.question = FormQuestionFactory(version=w.form_version, position=0, key="q1")
    w.collection_objective = CollectionObjectiveFactory(site=site("calais"))
    w.testimony = TestimonyFactory(
        reference="TEM-2026-CAL1", site=site("calais"), collected_by=field_cal, submitted=True
    )
    w.consent = ConsentFactory(
        testimony=w.testimony,
        signed_form_path=private_write("temoignages/crawl-consent.pdf", b"%PDF-1.7 consent"),
        signed_form_mime="application/pdf",
    )
    w.media = MediaAttachmentFactory(
        testimony=w.testimony,
        storage_path=private_write("temoignages/crawl-photo.jpg", b"\xff\xd8crawl"),
        thumbnail_path=private_write("temoignages/crawl-thumb.jpg", b"\xff\xd8thumb"),
    )
    w.use = TestimonyUseFactory(testimony=w.testimony, used_by=coord)
    w.draft = TestimonyFactory(
        reference="TEM-2026-CAL2", site=site("calais"), collected_by=field_cal
    )
    ConsentFactory(testimony=w.draft)
    w.draft_media = MediaAttachmentFactory(
        testimony=w.draft,
        storage_path=private_write("temoignages/crawl-draft.jpg", b"\xff\xd8draft"),
    )
    marseille = TestimonyFactory(
        reference="TEM-2026-MRS1",
        site=site("marseille"),
        collected_by=w.users["field_marseille"],
        approved=True,
    )
    TestimonyFactory(reference="TEM-2026-TRP1", site=site("tripoli"), submitted=True)
    w.refs = {t.reference: t.pk for t in Testimony.objects.all()}

    build_plaidoyer(w, marseille)
    return w


def build_plaidoyer(w: World, testimony) -> None:
    """French records: advocacy_fr manages them, advocacy_ly only reads them; two
    confidential exchanges (one by advocacy_fr, one by the coordinator) whose titles must
    not reach those who may not read them."""
    from core.files import private_write
    from plaidoyer.models import ActionItem, ActionTestimony, Deliverable, StatementSignature
    from plaidoyer.selectors import follow_ups_visible_to, interactions_visible_to
    from tests.core.factories import country, theme
    from tests.plaidoyer.factories import (
        ActionFactory,
        BudgetLineFactory,
        CoalitionFactory,
        FollowUpFactory,
        InteractionFactory,
        LessonFactory,
        OrganisationFactory,
        OutcomeFactory,
        PositionFactory,
        StakeholderFactory,
        StatementFactory,
    )

    coord, adv_fr = w.users["coordinator"], w.users["advocacy_fr"]
    today = timezone.localdate()
    france = country("FR")
    w.budget_line = BudgetLineFactory(name="Plaidoyer France", country=france)
    w.organisation = OrganisationFactory(name="Préfecture du Pas-de-Calais", country=france)
    w.stakeholder = StakeholderFactory(
        organisation=w.organisation, full_name="Camille Martin", owner=adv_fr
    )
    w.coalition = CoalitionFactory(
        name="Collectif Calais", members=[w.organisation], representative=adv_fr
    )
    w.statement = StatementFactory(coalition=w.coalition, status="sign_off")
    w.signature = StatementSignature.objects.create(
        statement=w.statement, organisation=w.organisation
    )
    w.interaction = InteractionFactory(
        author=adv_fr,
        title="Réunion du collectif",
        stakeholders=[w.stakeholder],
        coalition=w.coalition,
        occurred_on=today,
    )
    w.interaction.organisations.add(w.organisation)
    # The Libya officer owes something after this French meeting: they may tick it done.
    w.follow_up = FollowUpFactory(interaction=w.interaction, owner=w.users["advocacy_ly"])
    w.confidential = InteractionFactory(
        author=adv_fr,
        title="Rendez-vous CONF-CRAWL-FR",
        sensitivity="confidential",
        stakeholders=[w.stakeholder],
        coalition=w.coalition,
        occurred_on=today,
    )
    secret = InteractionFactory(
        author=coord,
        title="Entretien CONF-CRAWL-COORD",
        sensitivity="confidential",
        stakeholders=[w.stakeholder],
        occurred_on=today,
    )
    secret.organisations.add(w.organisation)
    secret_follow_up = FollowUpFactory(
        interaction=secret, owner=coord, description="Rappeler CONF-CRAWL-SUITE"
    )
    w.position = PositionFactory(
        stakeholder=w.stakeholder, source="interaction", interaction=secret, recorded_by=coord
    )
    w.action = ActionFactory(
        title="Note sur la rétention",
        owner=adv_fr,
        objective=w.objective,
        budget_line=w.budget_line,
        start_on=today,
        themes=[theme("detention")],
    )
    w.action.key_messages.add(w.message)
    w.action.target_stakeholders.add(w.stakeholder)
    w.action_item = ActionItem.objects.create(action=w.action, item=w.item, added_by=adv_fr)
    w.action_testimony = ActionTestimony.objects.create(
        action=w.action, testimony=testimony, audience="public", added_by=adv_fr
    )
    w.deliverable = Deliverable.objects.create(
        action=w.action,
        title="Note de position",
        file_name=private_write("plaidoyer/deliverables/crawl.pdf", b"%PDF-1.7 deliverable"),
        original_name="note.pdf",
        content_type="application/pdf",
        size_bytes=20,
    )
    w.outcome = OutcomeFactory(
        stakeholder=w.stakeholder, organisation=w.organisation, recorded_by=adv_fr
    )
    w.outcome.actions.add(w.action)
    w.lesson = LessonFactory(author=adv_fr)
    w.lesson.actions.add(w.action)
    w.secrets = {
        "CONF-CRAWL-FR": lambda user: (
            interactions_visible_to(user).filter(pk=w.confidential.pk).exists()
        ),
        "CONF-CRAWL-COORD": lambda user: (
            interactions_visible_to(user).filter(pk=secret.pk).exists()
        ),
        "CONF-CRAWL-SUITE": lambda user: (
            follow_ups_visible_to(user).filter(pk=secret_follow_up.pk).exists()
        ),
    }


def _content_type(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# --- The crawl --------------------------------------------------------------------------


def url_patterns() -> list[tuple[str, str, URLPattern]]:
    """(name, route, pattern) of every pattern the resolver knows; the name is namespaced,
    and an unnamed pattern is named by its namespace and route ("admin:<route>")."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                name = pattern.name or f"<{route}>"
                yield (f"{namespace}:{name}" if namespace else name), route, pattern

    return list(walk(get_resolver().url_patterns))


def expectation(name: str) -> E | None:
    namespace = name.split(":", 1)[0] if ":" in name else ""
    found = TABLES.get(namespace, {}).get(name)
    return found if found is not None else NAMESPACES.get(namespace)


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response.get("Location", "")
        if location.startswith(reverse("core:login")):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin"
    return str(response.status_code)


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def visible_references(user, world: World) -> set[str]:
    from temoignages.selectors import testimonies_visible_to

    visible = set(testimonies_visible_to(user).values_list("reference", flat=True))
    # The field officer's own draft is theirs even before it is submitted.
    from temoignages.selectors import wizard_queryset

    visible |= set(wizard_queryset(user).values_list("reference", flat=True))
    return visible


def crawl(world: World, names: list[str]) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """Request every URL of `names` with every role; returns (failures, observed)."""
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in world.users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    forbidden = {
        role: (set(world.refs) - visible_references(user, world))
        | {text for text, may_read in world.secrets.items() if not may_read(user)}
        for role, user in world.users.items()
    }
    for role, codes in MUST_NOT_SEE.items():
        assert codes <= forbidden[role], f"the selectors let {role} see {codes - forbidden[role]}"
    failures: list[str] = []
    observed: dict[str, tuple[str, str]] = {}
    audited: list[AuditEvent] = []  # the audit events written during one request

    def collect(sender, instance, created, **kwargs):
        if created:
            audited.append(instance)

    post_save.connect(collect, sender=AuditEvent, dispatch_uid="authorisation-crawl")
    try:
        crawl_names(world, names, clients, forbidden, audited, failures, observed)
    finally:
        post_save.disconnect(sender=AuditEvent, dispatch_uid="authorisation-crawl")
    return failures, observed


def crawl_names(world, names, clients, forbidden, audited, failures, observed) -> None:
    patterns = {name: (route, pattern) for name, route, pattern in url_patterns()}
    for name in names:
        expected = expectation(name)
        route, pattern = patterns[name]
        if name in URL_ARGS:
            url = reverse(name, kwargs=URL_ARGS[name](world))
        elif name.endswith(">") or pattern.pattern.regex.groupindex:
            # Unnamed, or a namespace rule's pattern: any value of the right shape.
            url = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)  # a regular expression's group
            url = "/" + re.sub(r"<[^>]+>", "1", url).strip("^$")
        else:
            url = reverse(name)
        url += URL_QUERY.get(name, "")
        data = POST_DATA[name](world) if name in POST_DATA else {}
        got = {}
        for method in ("get", "post"):
            tokens = []
            for role in ROLES:
                client = clients[role]
                user = world.users.get(role)
                with transaction.atomic():
                    audited.clear()
                    if user is not None and name in SESSION_DATA:
                        session = client.session
                        session.update(SESSION_DATA[name](world))
                        session.save()
                    response = client.post(url, data) if method == "post" else client.get(url)
                    result = outcome(response)
                    body = body_of(response)
                    refused = user is not None and (
                        response.status_code in (403, 404) or name in REFUSAL_PAGES
                    )
                    if refused and not _denied(audited, user):
                        failures.append(f"{method.upper()} {url} as {role}: not audited")
                    transaction.set_rollback(True)
                seen_as = FEED_OWNERS.get(name, role)
                if seen_as in forbidden:
                    leaked = sorted(ref for ref in forbidden[seen_as] if ref in body)
                    if leaked:
                        failures.append(f"{method.upper()} {url} as {role}: shows {leaked}")
                if user is not None and "sessionid" in response.cookies:
                    client.force_login(user)  # logged out, or session rotated
                client.cookies.pop("django_language", None)
                tokens.append(result)
            got[method] = " ".join(tokens)
        observed[name] = (got["get"], got["post"])
        if expected is None:
            failures.append(f"{name} ({url}) is missing from the tables")
            continue
        for method in ("get", "post"):
            want = " ".join(getattr(expected, method).split())
            if got[method] != want:
                failures.append(
                    f"{method.upper()} {name} ({url})\n    expected {want}\n    got      "
                    f"{got[method]}"
                )


def _denied(events: list[AuditEvent], user) -> bool:
    return any(
        e.action == AuditEvent.Action.PERMISSION_DENIED and e.actor_id == user.pk for e in events
    )


def _record(path: str, observed: dict[str, tuple[str, str]]) -> None:
    with open(path, "a", encoding="utf-8") as out:
        for name, (get, post) in observed.items():
            out.write(f'    "{name}": E(\n        get="{get}",\n        post="{post}",\n    ),\n')


def _names_of(group: str) -> list[str]:
    names = [name for name, _route, _pattern in url_patterns()]
    if group.startswith("admin"):  # two halves, so that parallel runs share the load
        half = int(group[-1])
        return [n for n in names if n.startswith("admin:")][half::2]
    if group == "":
        return [n for n in names if ":" not in n]
    return [n for n in names if n.startswith(f"{group}:")]


def test_every_url_pattern_is_in_a_table():
    names = [name for name, _route, _pattern in url_patterns()]
    assert all(names), "every URL pattern needs a name to be crawled"
    missing = [n for n in names if expectation(n) is None]
    assert not missing, (
        f"add these patterns to the crawl's tables (and their arguments to URL_ARGS): "
        f"{missing}; `RECORD=/tmp/crawl.txt pytest {__file__} -k crawl` writes what each "
        f"role gets, to review and paste"
    )
    unknown = [n for table in TABLES.values() for n in table if n not in names]
    assert not unknown, f"patterns in the tables that no longer exist: {unknown}"


@pytest.mark.django_db
@pytest.mark.exhaustive
@pytest.mark.parametrize("group", [g for g in TABLES if g != "admin"] + ["admin0", "admin1"])
def test_authorisation_crawl(group):
    world = build_world()
    failures, observed = crawl(world, _names_of(group))
    if os.environ.get("RECORD"):
        _record(os.environ["RECORD"], observed)
        failures = [f for f in failures if "expected" not in f and "missing" not in f]
    assert not failures, "\n".join(failures)
