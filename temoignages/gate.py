"""The publication gate: the one place that decides whether a testimony may be used.

`testimony_usability(testimony, audience, on=date)` answers for one testimony (or one of
its extracts) with the reasons; `usable_q(audience, on=date)` is the same rule as a
database filter, used by lists, scoping and exports so that thousands of rows are
filtered in SQL. Both live here and are tested against each other on the same cases.

Rules (every failing rule is reported, not just the first):

- the testimony is approved by review, not withdrawn, not archived or anonymised;
- a current consent exists, is not withdrawn, was given on or before `on` and has not
  expired (`expires_on` is the last valid day);
- the consent covers the use: internal analysis for `internal`; anonymised external use
  for `partners` and `public`; named public use (and the "name" element) for a named use;
- the consent covers the element used (text, voice, image, name);
- a minor needs a guardian's (or trusted adult's) consent, the minor's own agreement and
  a safeguarding review; named use of a minor is never allowed;
- outside the unit (`partners`, `public`) only the redacted external version leaves: it
  must have been written (for an extract, its external wording);
- the site raises the bar: a suspended site allows internal use only; a high-risk site
  allows no public use;
- the sensitivity raises the bar: "strictly confidential" is internal only,
  "confidential" is never public.
"""

# ruff: noqa: PT028 — `testimony_*` functions are services, not pytest tests.

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from core.models import Site

from .models import Audience, Element, Testimony, UsableExtract

EXTERNAL_AUDIENCES = frozenset({Audience.PARTNERS, Audience.PUBLIC})


@dataclass(frozen=True)
class Reason:
    code: str
    message: str | Promise

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Usability:
    audience: str
    allowed: bool
    reasons: tuple[Reason, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.reasons)

    @property
    def audience_label(self) -> str:
        return str(Audience(self.audience).label)

    @property
    def summary(self) -> str:
        """The reasons in one line (empty when allowed)."""
        return pgettext("séparateur de liste", " ; ").join(str(r) for r in self.reasons)


_STATUS_REASONS = {
    Testimony.Status.DRAFT: _("brouillon, pas encore soumis"),
    Testimony.Status.SUBMITTED: _("en attente de relecture"),
    Testimony.Status.IN_REVIEW: _("relecture en cours"),
    Testimony.Status.REJECTED: _("renvoyé pour correction"),
}


def testimony_usability(
    testimony: Testimony,
    audience: str,
    *,
    on: datetime.date | None = None,
    element: str = Element.TEXT,
    named: bool = False,
    extract: UsableExtract | None = None,
) -> Usability:
    """May `testimony` (or `extract`) be used for `audience` on date `on` (today)?

    Reads `testimony.current_consent` and `testimony.site`: select them with the
    testimony (`select_related("site", "current_consent")`) to avoid extra queries.
    """
    audience = Audience(audience)
    element = Element(element)
    on = on or timezone.localdate()
    reasons: list[Reason] = []
    add = lambda code, message: reasons.append(Reason(code, message))  # noqa: E731

    if extract is not None and extract.testimony_id != testimony.pk:
        raise ValueError("The extract belongs to another testimony.")

    # Lifecycle.
    status = testimony.status
    if testimony.anonymised_at is not None or status == Testimony.Status.ARCHIVED:
        add("archived", _("archivé en fin de conservation"))
    elif status == Testimony.Status.WITHDRAWN:
        add("withdrawn", _("consentement retiré : plus aucune utilisation"))
    elif status != Testimony.Status.APPROVED:
        add("not_approved", _STATUS_REASONS.get(status, _("pas approuvé")))

    # Consent.
    consent = testimony.current_consent if testimony.current_consent_id else None
    if consent is None:
        add("no_consent", _("aucun consentement enregistré"))
    else:
        if consent.withdrawn_at is not None and status != Testimony.Status.WITHDRAWN:
            add("withdrawn", _("consentement retiré : plus aucune utilisation"))
        if consent.given_on > on:
            add("consent_not_yet", _("consentement daté d'après cette date"))
        if consent.expires_on is not None and consent.expires_on < on:
            add(
                "consent_expired",
                _("consentement expiré le %(date)s")
                % {"date": consent.expires_on.strftime("%d/%m/%Y")},
            )
        if audience == Audience.INTERNAL and not consent.scope_internal:
            add("scope", _("le consentement ne couvre pas l'analyse interne"))
        if audience in EXTERNAL_AUDIENCES and not named and not consent.scope_external_anonymised:
            add("scope", _("le consentement ne couvre pas l'utilisation externe anonymisée"))
        if named and not consent.scope_public_named:
            add("scope", _("le consentement ne couvre pas l'utilisation nominative"))
        if not consent.covers_element(element):
            add(
                "element",
                _("le consentement ne couvre pas cet élément (%(element)s)")
                % {"element": Element(element).label},
            )
        if named and element != Element.NAME and not consent.element_name:
            add("element", _("le consentement ne couvre pas le nom"))
        if testimony.is_minor:
            if not (consent.guardian_consent and consent.minor_agreement):
                add(
                    "minor_consent",
                    _("mineur : il faut l'accord d'un représentant légal et celui du mineur"),
                )
            if consent.safeguarding_reviewed_at is None:
                add("minor_safeguarding", _("mineur : revue de protection pas encore faite"))
    if testimony.is_minor and named:
        add("minor_named", _("mineur : jamais d'utilisation nominative"))

    # What leaves the unit is the redacted version only.
    if audience in EXTERNAL_AUDIENCES:
        if extract is not None:
            if not extract.external_text.strip():
                add("no_redacted", _("extrait sans version externe caviardée"))
        elif not testimony.external_text.strip():
            add("no_redacted", _("pas de version externe caviardée"))

        site = testimony.site
        if site.status == Site.Status.SUSPENDED:
            add("site_suspended", _("site suspendu : usage interne seulement"))
        elif audience == Audience.PUBLIC and site.risk_level == Site.Risk.HIGH:
            add("site_high_risk", _("site à risque élevé : pas d'usage public"))

        if testimony.sensitivity == Testimony.Sensitivity.STRICT:
            add("sensitivity", _("strictement confidentiel : usage interne seulement"))
        elif (
            audience == Audience.PUBLIC
            and testimony.sensitivity == Testimony.Sensitivity.CONFIDENTIAL
        ):
            add("sensitivity", _("confidentiel : pas d'usage public"))

    # One reason per code is enough to explain.
    unique: dict[str, Reason] = {}
    for reason in reasons:
        unique.setdefault(reason.code + str(reason.message), reason)
    final = tuple(unique.values())
    return Usability(audience=audience.value, allowed=not final, reasons=final)


def usability_panel(testimony: Testimony, *, on: datetime.date | None = None) -> list[Usability]:
    """The "Utilisable pour" panel: one answer per audience, in order."""
    return [testimony_usability(testimony, audience, on=on) for audience in Audience.values]


def usable_q(
    audience: str,
    *,
    on: datetime.date | None = None,
    element: str = Element.TEXT,
    named: bool = False,
    prefix: str = "",
) -> Q:
    """The gate as a filter on Testimony rows (`prefix` for a related lookup, e.g. "testimony__").

    Equivalent to `testimony_usability(...).allowed` for whole testimonies (not extracts).
    """
    audience = Audience(audience)
    element = Element(element)
    on = on or timezone.localdate()
    p = prefix
    c = f"{p}current_consent__"

    q = Q(
        **{
            f"{p}status": Testimony.Status.APPROVED,
            f"{p}anonymised_at__isnull": True,
            f"{c}isnull": False,
            f"{c}withdrawn_at__isnull": True,
            f"{c}given_on__lte": on,
            f"{c}element_{element.value}": True,
        }
    )
    q &= Q(**{f"{c}expires_on__isnull": True}) | Q(**{f"{c}expires_on__gte": on})
    if audience == Audience.INTERNAL:
        q &= Q(**{f"{c}scope_internal": True})
    elif not named:
        q &= Q(**{f"{c}scope_external_anonymised": True})
    if named:
        q &= Q(**{f"{c}scope_public_named": True, f"{c}element_name": True, f"{p}is_minor": False})
    q &= Q(**{f"{p}is_minor": False}) | Q(
        **{
            f"{c}guardian_consent": True,
            f"{c}minor_agreement": True,
            f"{c}safeguarding_reviewed_at__isnull": False,
        }
    )
    if audience in EXTERNAL_AUDIENCES:
        q &= ~Q(**{f"{p}external_text": ""})
        q &= ~Q(**{f"{p}site__status": Site.Status.SUSPENDED})
        q &= ~Q(**{f"{p}sensitivity": Testimony.Sensitivity.STRICT})
        if audience == Audience.PUBLIC:
            q &= ~Q(**{f"{p}site__risk_level": Site.Risk.HIGH})
            q &= ~Q(**{f"{p}sensitivity": Testimony.Sensitivity.CONFIDENTIAL})
    return q
