"""Strategies, objectives, key messages, the political calendar and its private feeds.

- `Strategy`: the unit's common thread (scope "unit") and the country strategies under it.
- `Objective`: what a strategy aims at, scored (impact, feasibility, urgency, operational
  risk) into a priority, with progress markers (expect / like / love to see) and
  indicators. A country objective may take up a unit objective (`takes_up`).
- `KeyMessage`: a master message per theme × audience, and its country variants, with a
  version history (`KeyMessageVersion`).
- `PoliticalEvent`: a dated political moment; other apps add theirs through the calendar
  extension point.
- `LinesToTake`: a pick of messages for a meeting, rendered as a one-page PDF.
- `CalendarFeed`: a user's private, revocable iCalendar address.

Marker evidence is generic (content type + id, see `MarkerEvidence`): a veille item or an
analysis note today, an advocacy action or an outcome once plaidoyer registers them in
`INFLUENCE_EVIDENCE_MODELS`, with no change here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import Country, Theme

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Audience(models.TextChoices):
    EU_INSTITUTIONS = "eu_institutions", _("Institutions européennes")
    GOVERNMENT = "government", _("Gouvernements et administrations")
    PARLIAMENT = "parliament", _("Parlementaires")
    UN_AGENCIES = "un_agencies", _("Agences des Nations unies")
    CIVIL_SOCIETY = "civil_society", _("ONG et coalitions")
    MEDIA = "media", _("Médias")
    PUBLIC = "public", _("Grand public")
    MOVEMENT = "movement", _("Mouvement (interne)")


class Strategy(models.Model):
    class Scope(models.TextChoices):
        UNIT = "unit", _("Unité (fil conducteur)")
        COUNTRY = "country", _("Pays")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        VALIDATED = "validated", _("Validée")
        ARCHIVED = "archived", _("Archivée")

    STATUS_TONES = {"draft": "neutral", "validated": "success", "archived": "light"}

    scope = models.CharField(_("portée"), max_length=10, choices=Scope.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("stratégie de l'unité"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategies",
        verbose_name=_("pays"),
    )
    title = models.CharField(_("titre"), max_length=200)
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    under_study = models.BooleanField(
        _("à l'étude"),
        default=False,
        help_text=_("Un pays où l'unité étudie une intervention, sans projet ouvert."),
    )
    common_thread = models.TextField(
        _("fil conducteur"), blank=True, help_text=_("Markdown. Ce qui relie tout le travail.")
    )
    context = models.TextField(
        _("analyse de contexte"), blank=True, help_text=_("Markdown : contexte politique, acteurs.")
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True, editable=False)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("validée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("stratégie")
        verbose_name_plural = _("stratégies")
        ordering = ["scope", "country__name_fr", "-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="strategy_period_order"
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope="unit", country__isnull=True, parent__isnull=True)
                    | Q(scope="country", country__isnull=False, parent__isnull=False)
                ),
                name="strategy_scope_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OperationalRisk(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="risks", verbose_name=_("stratégie")
    )
    title = models.CharField(_("risque"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("probabilité (1-5)"), validators=SCORE_VALIDATORS
    )
    impact = models.PositiveSmallIntegerField(_("impact (1-5)"), validators=SCORE_VALIDATORS)
    mitigation = models.TextField(_("mesures d'atténuation"), blank=True)

    class Meta:
        verbose_name = _("risque opérationnel")
        verbose_name_plural = _("risques opérationnels")
        ordering = ["strategy", "-likelihood", "-impact", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scores_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def tone(self) -> str:
        return "danger" if self.score >= 15 else "warning" if self.score >= 8 else "neutral"


class Objective(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("En cours")
        ACHIEVED = "achieved", _("Atteint")
        DROPPED = "dropped", _("Abandonné")

    STATUS_TONES = {"active": "primary", "achieved": "success", "dropped": "light"}

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("stratégie")
    )
    takes_up = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taken_up_by",
        verbose_name=_("reprend l'objectif de l'unité"),
        help_text=_("Pour une stratégie pays : l'objectif de l'unité que celui-ci décline."),
    )
    title = models.CharField(_("intitulé"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thèmes"))
    audiences = models.JSONField(_("publics cibles"), default=list, blank=True)
    impact = models.PositiveSmallIntegerField(_("impact (1-5)"), validators=SCORE_VALIDATORS)
    feasibility = models.PositiveSmallIntegerField(
        _("faisabilité (1-5)"), validators=SCORE_VALIDATORS
    )
    urgency = models.PositiveSmallIntegerField(_("urgence (1-5)"), validators=SCORE_VALIDATORS)
    operational_risk = models.PositiveSmallIntegerField(
        _("risque opérationnel (1-5)"),
        validators=SCORE_VALIDATORS,
        help_text=_("Risque pour nos opérations si nous portons cet objectif (5 = très élevé)."),
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["strategy", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    impact__gte=1,
                    impact__lte=5,
                    feasibility__gte=1,
                    feasibility__lte=5,
                    urgency__gte=1,
                    urgency__lte=5,
                    operational_risk__gte=1,
                    operational_risk__lte=5,
                ),
                name="objective_scores_range",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="objective_status_due_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("influence:objective_detail", args=[self.pk])


class ProgressMarker(models.Model):
    """Outcome-mapping progress marker: what we expect, would like or would love to see."""

    class Level(models.TextChoices):
        EXPECT = "expect", _("On s'attend à voir")
        LIKE = "like", _("On aimerait voir")
        LOVE = "love", _("On adorerait voir")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="markers", verbose_name=_("objectif")
    )
    level = models.CharField(_("niveau"), max_length=8, choices=Level.choices)
    text = models.CharField(_("marqueur"), max_length=300)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    reached_on = models.DateField(_("atteint le"), null=True, blank=True)
    reached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coché par"),
    )
    note = models.CharField(_("commentaire"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("marqueur de progrès")
        verbose_name_plural = _("marqueurs de progrès")
        ordering = ["objective", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class MarkerEvidence(models.Model):
    """What shows that a marker was reached: any object of a model listed in
    `INFLUENCE_EVIDENCE_MODELS` (veille items and notes; advocacy actions and outcomes
    once plaidoyer exists). The label is kept so the marker reads well even if the
    evidence is later deleted."""

    marker = models.ForeignKey(
        ProgressMarker,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("marqueur"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    evidence = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("libellé"), max_length=300)
    kind_label = models.CharField(_("type"), max_length=80)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("preuve")
        verbose_name_plural = _("preuves")
        constraints = [
            models.UniqueConstraint(
                fields=["marker", "content_type", "object_id"], name="marker_evidence_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="evidence_target_idx")]

    def __str__(self) -> str:
        return self.label


class Indicator(models.Model):
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("objectif")
    )
    name = models.CharField(_("indicateur"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    baseline = models.DecimalField(_("valeur de référence"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("cible"), max_digits=12, decimal_places=2)
    current = models.DecimalField(_("valeur actuelle"), max_digits=12, decimal_places=2)
    measured_on = models.DateField(_("mesurée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["objective", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def percent(self) -> int:
        span = self.target - self.baseline
        if span == 0:
            return 100 if self.current == self.target else 0
        return max(0, min(100, round(100 * (self.current - self.baseline) / span)))


class KeyMessage(models.Model):
    """A master message (no country) for a theme × audience, or a country variant of one."""

    class Language(models.TextChoices):
        FR = "fr", _("Français")
        EN = "en", _("Anglais")
        AR = "ar", _("Arabe")

    class Sensitivity(models.TextChoices):
        PUBLIC = "public", _("Public")
        REACTIVE = "reactive", _("Réactif uniquement")
        INTERNAL = "internal", _("Interne")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        APPROVED = "approved", _("Approuvé")
        RETIRED = "retired", _("Retiré")

    STATUS_TONES = {"draft": "neutral", "approved": "success", "retired": "light"}
    SENSITIVITY_TONES = {"public": "success", "reactive": "warning", "internal": "danger"}

    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="+", verbose_name=_("thème")
    )
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    master = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variants",
        verbose_name=_("message-cadre"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pays"),
    )
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    sensitivity = models.CharField(
        _("sensibilité"), max_length=10, choices=Sensitivity.choices, default=Sensitivity.PUBLIC
    )
    text = models.TextField(_("message"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    valid_from = models.DateField(_("valable à partir du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # For a variant: the master's version it was written (or last re-read) against.
    master_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approuvé par"),
    )
    approved_at = models.DateTimeField(_("approuvé le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("message clé")
        verbose_name_plural = _("messages clés")
        ordering = ["theme__position", "audience", "country__name_fr", "-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(master__isnull=True, country__isnull=True)
                    | Q(master__isnull=False, country__isnull=False)
                ),
                name="keymessage_master_or_variant",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="keymessage_validity_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="keymessage_status_valid_idx"),
            models.Index(fields=["theme", "audience"], name="keymessage_theme_idx"),
        ]

    def __str__(self) -> str:
        return self.first_line

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("influence:message_detail", args=[self.pk])

    @property
    def is_master(self) -> bool:
        return self.master_id is None

    @property
    def first_line(self) -> str:
        line = (self.text or "").strip().splitlines()[0] if self.text.strip() else ""
        return line if len(line) <= 120 else line[:119].rstrip() + "…"


class KeyMessageVersion(models.Model):
    """One saved state of a message's text (and the status it had then)."""

    class Change(models.TextChoices):
        CREATED = "created", _("Création")
        EDITED = "edited", _("Modification du texte")
        APPROVED = "approved", _("Approbation")
        RETIRED = "retired", _("Retrait")

    message = models.ForeignKey(KeyMessage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("message"))
    language = models.CharField(_("langue"), max_length=2)
    status = models.CharField(_("statut"), max_length=10)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("modifiée le"), auto_now_add=True)
    change = models.CharField(_("modification"), max_length=40, choices=Change.choices)

    class Meta:
        verbose_name = _("version de message")
        verbose_name_plural = _("versions de message")
        ordering = ["message", "-number", "-pk"]

    def __str__(self) -> str:
        return f"{self.message_id} v{self.number}"


class PoliticalEvent(models.Model):
    class Kind(models.TextChoices):
        ELECTION = "election", _("Élection")
        VOTE = "vote", _("Vote")
        SUMMIT = "summit", _("Sommet")
        EU_PACT = "eu_pact", _("Pacte européen sur la migration et l'asile")
        DEBATE = "debate", _("Débat parlementaire")
        REPORT = "report", _("Publication de rapport")
        ANNIVERSARY = "anniversary", _("Journée ou anniversaire")
        OTHER = "other", _("Autre")

    title = models.CharField(_("titre"), max_length=250)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    start = models.DateField(_("date (ou début)"))
    end = models.DateField(_("fin"), null=True, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pays"),
        help_text=_("Laisser vide pour un événement européen ou international."),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thèmes"))
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="events", verbose_name=_("objectifs liés")
    )
    description = models.TextField(_("description"), blank=True)
    link = models.URLField(_("lien"), blank=True)
    is_example = models.BooleanField(
        _("exemple"), default=False, help_text=_("Donnée de démonstration, à vérifier.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("événement politique")
        verbose_name_plural = _("événements politiques")
        ordering = ["start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="event_range_order"
            )
        ]
        indexes = [models.Index(fields=["start"], name="event_start_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("influence:event_detail", args=[self.pk])


class LinesToTake(models.Model):
    """Messages picked for one meeting; its one-page PDF goes through `core.pdf_jobs`."""

    title = models.CharField(_("réunion"), max_length=200)
    meeting_on = models.DateField(_("date"), null=True, blank=True)
    meeting_with = models.CharField(
        _("interlocuteurs"),
        max_length=200,
        blank=True,
        help_text=_("Fonction ou institution ; pas de données personnelles sensibles."),
    )
    language = models.CharField(
        _("langue du document"),
        max_length=2,
        choices=[("fr", _("Français")), ("en", _("Anglais"))],
        default="fr",
    )
    messages = models.ManyToManyField(KeyMessage, related_name="+", verbose_name=_("messages"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("éléments de langage")
        verbose_name_plural = _("éléments de langage")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A user's private iCalendar address: the token is the credential."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("abonnement iCalendar")
        verbose_name_plural = _("abonnements iCalendar")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({'revoked' if self.revoked_at else 'active'})"


class Briefing(models.Model):
    """One edition of the briefing: a period (a month or a custom range), an audience, a
    language, the coordinators' editorial introduction and the sections switched off.

    Its content comes from every app's briefing section (`core.extensions`), built when
    it is rendered; its PDF is a job of the generic PDF lifecycle (`core.pdf_jobs`, kind
    `influence.briefing`), which holds the status, reason, page count, size and file.
    """

    class Audience(models.TextChoices):
        INTERNAL = "internal", _("Interne")
        PARTNERS = "partners", _("Partenaires")

    class Language(models.TextChoices):
        FR = "fr", _("Français")
        EN = "en", _("Anglais")

    AUDIENCE_TONES = {"internal": "danger", "partners": "info"}

    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    audience = models.CharField(
        _("public"), max_length=10, choices=Audience.choices, default=Audience.INTERNAL
    )
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    introduction = models.TextField(
        _("introduction éditoriale"),
        blank=True,
        help_text=_("Markdown. Le mot des coordinateurs, en tête du briefing."),
    )
    # Keys of the briefing sections left out of this edition.
    disabled_sections = models.JSONField(_("sections retirées"), default=list, blank=True)
    scheduled = models.BooleanField(_("planifié"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # The render whose "ready" email went to the subscribers (never sent twice).
    notified_job_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-period_start", "-period_end", "audience", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "audience", "language"],
                name="briefing_edition_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="briefing_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d} ({self.audience})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("influence:briefing_detail", args=[self.pk])


class BriefingSubscription(models.Model):
    """A user who gets an email (a link, never the file) when a briefing is ready."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefing_subscription"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement aux briefings")
        verbose_name_plural = _("abonnements aux briefings")

    def __str__(self) -> str:
        return str(self.user_id)
