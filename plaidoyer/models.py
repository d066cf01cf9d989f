"""Advocacy: who we talk to, what they think, what we did, with whom, what changed, at what cost.

- `Organisation` and `Stakeholder`: the people and institutions we try to influence (or
  who can restrict our operations), scored influence / interest / alignment (1–5).
- `Position`: a stakeholder's dated support level on a theme, with its source.
- `Interaction` and `FollowUp`: meetings, calls, letters, hearings, events; the asks, the
  answers and what we owe afterwards. Confidential ones are for coordinators and their
  author only.
- `AdvocacyAction`: a position paper, a private meeting, a joint letter…, linked to
  influence's objectives and key messages, with targets, a status workflow, a budget,
  deliverables (private files) and evidence: veille items (`ActionItem`) and testimonies
  attached through the publication gate (`ActionTestimony`, which keeps the
  `TestimonyUse` it recorded).
- `Coalition`, `JointStatement`, `StatementSignature`: alliances and joint positions.
- `Outcome` (outcome harvesting) and `Lesson` (capitalisation).
- `BudgetLine`: the yearly allocations that actions spend.

Everything with a country is scoped by it: coordinators manage all, advocacy officers
their country (see `permissions.py`).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Country, Theme

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


def normalise(text: str) -> str:
    """Lower case without accents: how names are stored for search and matched."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


# --- Organisations and stakeholders -----------------------------------------------------


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministère")
        PREFECTURE = "prefecture", _("Préfecture")
        AUTHORITY = "authority", _("Autorité publique")
        PARLIAMENT = "parliament", _("Parlement")
        EU_INSTITUTION = "eu_institution", _("Institution européenne")
        UN_AGENCY = "un_agency", _("Agence des Nations unies")
        INTERNATIONAL = "international", _("Organisation internationale")
        NGO = "ngo", _("ONG")
        COLLECTIVE = "collective", _("Collectif")
        MEDIA = "media", _("Média")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pays"),
        help_text=_("Pour une institution européenne : « Union européenne »."),
    )
    website = models.URLField(_("site web"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    archived_at = models.DateTimeField(_("archivée le"), null=True, blank=True, editable=False)
    search_text = models.CharField(max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name")
        ]
        indexes = [models.Index(fields=["country", "kind"], name="organisation_country_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:organisation_detail", args=[self.pk])

    def refresh_search_text(self) -> None:
        self.search_text = normalise(f"{self.name} {self.acronym}")[:300]


class Stakeholder(models.Model):
    """A person we deal with in their professional capacity: professional contact only."""

    class Alignment(models.IntegerChoices):
        HOSTILE = 1, _("Opposé")
        RESERVED = 2, _("Réservé")
        NEUTRAL = 3, _("Neutre")
        FAVOURABLE = 4, _("Favorable")
        ALLY = 5, _("Allié")

    full_name = models.CharField(_("nom"), max_length=200)
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="stakeholders",
        verbose_name=_("organisation"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("pays")
    )
    email = models.EmailField(_("e-mail professionnel"), blank=True)
    phone = models.CharField(_("téléphone professionnel"), max_length=40, blank=True)
    languages = models.CharField(
        _("langues"), max_length=100, blank=True, help_text=_("Par ex. français, arabe.")
    )
    influence = models.PositiveSmallIntegerField(
        _("influence (1-5)"),
        validators=SCORE_VALIDATORS,
        help_text=_("Son pouvoir sur les décisions qui nous importent (5 = décisif)."),
    )
    interest = models.PositiveSmallIntegerField(
        _("intérêt (1-5)"),
        validators=SCORE_VALIDATORS,
        help_text=_("L'attention qu'il ou elle porte à nos sujets (5 = très forte)."),
    )
    alignment = models.PositiveSmallIntegerField(
        _("alignement (1-5)"),
        choices=Alignment.choices,
        validators=SCORE_VALIDATORS,
        help_text=_("1 = opposé à nos positions, 5 = allié."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsable de la relation"),
    )
    can_restrict_operations = models.BooleanField(
        _("peut restreindre nos opérations"),
        default=False,
        help_text=_(
            "Cette personne peut suspendre ou limiter nos activités (autorisation d'accès, "
            "agrément, visas…) : prudence à chaque contact."
        ),
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Professionnelles uniquement : rien de personnel.")
    )
    last_contact_on = models.DateField(_("dernier contact"), null=True, blank=True, editable=False)
    search_text = models.CharField(max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    ALIGNMENT_TONES = {1: "danger", 2: "warning", 3: "neutral", 4: "info", 5: "success"}

    class Meta:
        verbose_name = _("interlocuteur")
        verbose_name_plural = _("interlocuteurs")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    influence__gte=1,
                    influence__lte=5,
                    interest__gte=1,
                    interest__lte=5,
                    alignment__gte=1,
                    alignment__lte=5,
                ),
                name="stakeholder_scores_range",
            )
        ]
        indexes = [
            models.Index(fields=["country", "full_name"], name="stakeholder_country_idx"),
            models.Index(fields=["organisation", "full_name"], name="stakeholder_org_idx"),
            models.Index(fields=["last_contact_on"], name="stakeholder_contact_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:stakeholder_detail", args=[self.pk])

    def refresh_search_text(self) -> None:
        self.search_text = normalise(f"{self.full_name} {self.function} {self.email}")[:500]

    @property
    def days_since_contact(self) -> int | None:
        if self.last_contact_on is None:
            return None
        return (timezone.localdate() - self.last_contact_on).days


class SupportLevel(models.TextChoices):
    STRONGLY_OPPOSED = "strongly_opposed", _("Très opposé")
    OPPOSED = "opposed", _("Opposé")
    NEUTRAL = "neutral", _("Neutre")
    SUPPORTIVE = "supportive", _("Favorable")
    STRONGLY_SUPPORTIVE = "strongly_supportive", _("Très favorable")
    UNKNOWN = "unknown", _("Inconnue")


class Position(models.Model):
    """A stakeholder's stance on a theme on a given day; the history is the list of them."""

    class Source(models.TextChoices):
        INTERACTION = "interaction", _("Échange avec nous")
        PUBLIC_STATEMENT = "public_statement", _("Déclaration publique")
        VEILLE_ITEM = "veille_item", _("Article de veille")
        OTHER = "other", _("Autre")

    SUPPORT_TONES = {
        "strongly_opposed": "danger",
        "opposed": "warning",
        "neutral": "neutral",
        "supportive": "info",
        "strongly_supportive": "success",
        "unknown": "light",
    }

    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("interlocuteur"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="+", verbose_name=_("thème")
    )
    support = models.CharField(_("position"), max_length=20, choices=SupportLevel.choices)
    stated_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    interaction = models.ForeignKey(
        "Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("échange"),
    )
    item = models.ForeignKey(
        "veille.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article de veille"),
    )
    source_detail = models.CharField(
        _("précision sur la source"),
        max_length=300,
        blank=True,
        help_text=_("Lien ou référence d'une déclaration publique."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["stakeholder", "theme", "-stated_on", "-pk"]
        indexes = [
            models.Index(
                fields=["stakeholder", "theme", "-stated_on"], name="position_history_idx"
            ),
            models.Index(fields=["theme", "stakeholder"], name="position_theme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_id} · {self.theme_id} · {self.support}"


# --- Interactions and follow-ups ---------------------------------------------------------


class Sensitivity(models.TextChoices):
    NORMAL = "normal", _("Normale")
    CONFIDENTIAL = "confidential", _("Confidentielle")


class Interaction(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Rendez-vous")
        CALL = "call", _("Appel")
        LETTER = "letter", _("Courrier")
        HEARING = "hearing", _("Audition")
        EVENT = "event", _("Événement")
        OTHER = "other", _("Autre")

    SENSITIVITY_TONES = {"normal": "light", "confidential": "sensitive"}

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("objet"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("pays")
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, blank=True, related_name="interactions", verbose_name=_("interlocuteurs")
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="interactions",
        verbose_name=_("organisations"),
        help_text=_("Les organisations rencontrées (celles des interlocuteurs s'ajoutent seules)."),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("participants de l'unité"),
    )
    coalition = models.ForeignKey(
        "Coalition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("réunion de la coalition"),
    )
    summary = models.TextField(_("résumé"), blank=True)
    asks = models.TextField(_("demandes formulées"), blank=True)
    answers = models.TextField(_("réponses obtenues"), blank=True)
    sensitivity = models.CharField(
        _("sensibilité"),
        max_length=12,
        choices=Sensitivity.choices,
        default=Sensitivity.NORMAL,
        help_text=_("Confidentielle : visible de la coordination et de son auteur seulement."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("échange")
        verbose_name_plural = _("échanges")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["-occurred_on", "-id"], name="interaction_date_idx"),
            models.Index(fields=["country", "-occurred_on"], name="interaction_country_idx"),
            models.Index(fields=["coalition", "-occurred_on"], name="interaction_coalition_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:interaction_detail", args=[self.pk])

    @property
    def is_confidential(self) -> bool:
        return self.sensitivity == Sensitivity.CONFIDENTIAL


class FollowUp(models.Model):
    interaction = models.ForeignKey(
        Interaction, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("échange")
    )
    description = models.CharField(_("suite à donner"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsable"),
    )
    due_on = models.DateField(_("échéance"))
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suite à donner")
        verbose_name_plural = _("suites à donner")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"], name="followup_open_idx", condition=Q(done_at__isnull=True)
            ),
            models.Index(fields=["owner", "due_on"], name="followup_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


# --- Budget -----------------------------------------------------------------------------


class BudgetLine(models.Model):
    """One yearly allocation of the unit's influence work (unit-wide or for a country)."""

    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("ligne"), max_length=160)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pays"),
        help_text=_("Vide pour une ligne de toute l'unité."),
    )
    allocation = models.DecimalField(
        _("montant alloué (€)"), validators=[MinValueValidator(ZERO)], **MONEY
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        ordering = ["-year", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"], name="budget_line_unique_name_per_year"
            ),
            models.CheckConstraint(condition=Q(allocation__gte=0), name="budget_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:budget_line_detail", args=[self.pk])


# --- Advocacy actions -------------------------------------------------------------------


class AdvocacyAction(models.Model):
    class Kind(models.TextChoices):
        POSITION_PAPER = "position_paper", _("Note de position")
        PRIVATE_MEETING = "private_meeting", _("Rendez-vous privé")
        PRESS_RELEASE = "press_release", _("Communiqué de presse")
        JOINT_LETTER = "joint_letter", _("Lettre conjointe")
        REPORT = "report", _("Rapport")
        CAMPAIGN = "campaign", _("Campagne")
        HEARING = "hearing", _("Audition")
        MEDIA_TRAINING = "media_training", _("Formation média")
        EVENT = "event", _("Événement")
        SOCIAL_MEDIA = "social_media", _("Réseaux sociaux")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idée")
        PLANNED = "planned", _("Planifiée")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Terminée")
        CANCELLED = "cancelled", _("Annulée")

    class Audience(models.TextChoices):
        INTERNAL = "internal", _("Interne")
        PARTNERS = "partners", _("Partenaires")
        PUBLIC = "public", _("Public")

    STATUS_TONES = {
        "idea": "light",
        "planned": "info",
        "in_progress": "primary",
        "done": "success",
        "cancelled": "neutral",
    }
    OPEN_STATUSES = ("idea", "planned", "in_progress")
    # Allowed moves of the workflow: idea → planned → in progress → done; any open
    # status may be cancelled; a cancelled action may be brought back as an idea.
    TRANSITIONS = {
        "idea": ("planned", "cancelled"),
        "planned": ("in_progress", "idea", "cancelled"),
        "in_progress": ("done", "planned", "cancelled"),
        "done": ("in_progress",),
        "cancelled": ("idea",),
    }

    title = models.CharField(_("intitulé"), max_length=250)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    objective = models.ForeignKey(
        "influence.Objective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("objectif"),
    )
    key_messages = models.ManyToManyField(
        "influence.KeyMessage", blank=True, related_name="+", verbose_name=_("messages clés")
    )
    target_stakeholders = models.ManyToManyField(
        Stakeholder, blank=True, related_name="targeted_by", verbose_name=_("interlocuteurs ciblés")
    )
    target_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="targeted_by",
        verbose_name=_("organisations ciblées"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("pays")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thèmes"))
    audience = models.CharField(
        _("public visé"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text=_(
            "À qui l'action s'adresse : les témoignages joints doivent être autorisés pour ce "
            "public par le filtre de publication."
        ),
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default="idea")
    start_on = models.DateField(_("début prévu"), null=True, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    planned_on = models.DateField(_("planifiée le"), null=True, blank=True, editable=False)
    started_on = models.DateField(_("commencée le"), null=True, blank=True, editable=False)
    done_on = models.DateField(_("terminée le"), null=True, blank=True, editable=False)
    cancelled_on = models.DateField(_("annulée le"), null=True, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsable"),
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("ligne budgétaire"),
    )
    budget_planned = models.DecimalField(
        _("budget prévu (€)"), default=ZERO, validators=[MinValueValidator(ZERO)], **MONEY
    )
    budget_spent = models.DecimalField(
        _("dépensé (€)"), default=ZERO, validators=[MinValueValidator(ZERO)], **MONEY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action de plaidoyer")
        verbose_name_plural = _("actions de plaidoyer")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_planned__gte=0, budget_spent__gte=0),
                name="action_budget_positive",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(due_on__gte=F("start_on")),
                name="action_dates_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_status_due_idx"),
            models.Index(fields=["country", "status"], name="action_country_idx"),
            models.Index(fields=["owner", "status"], name="action_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def is_due_soon(self) -> bool:
        if not self.is_open or self.due_on is None:
            return False
        days = (self.due_on - timezone.localdate()).days
        return 0 <= days <= 7

    @property
    def overspent(self) -> bool:
        return self.budget_spent > self.budget_planned


class ActionItem(models.Model):
    """A veille article cited as evidence by an action."""

    action = models.ForeignKey(AdvocacyAction, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("veille.Item", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("pourquoi"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article cité")
        verbose_name_plural = _("articles cités")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "item"], name="action_item_unique")
        ]
        indexes = [models.Index(fields=["item"], name="action_item_item_idx")]

    def __str__(self) -> str:
        return f"{self.action_id} → {self.item_id}"


class ActionTestimony(models.Model):
    """A testimony (or one extract) attached as evidence, once the gate allowed it for the
    action's audience; `use` is the `TestimonyUse` recorded then (the takedown checklist
    of a withdrawal lists it)."""

    action = models.ForeignKey(AdvocacyAction, on_delete=models.CASCADE, related_name="testimonies")
    testimony = models.ForeignKey(
        "temoignages.Testimony", on_delete=models.CASCADE, related_name="+"
    )
    extract = models.ForeignKey(
        "temoignages.UsableExtract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    audience = models.CharField(_("public"), max_length=10)
    use = models.ForeignKey(
        "temoignages.TestimonyUse",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("témoignage joint")
        verbose_name_plural = _("témoignages joints")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "testimony"],
                condition=Q(extract__isnull=True),
                name="action_testimony_unique",
            ),
            models.UniqueConstraint(
                fields=["action", "testimony", "extract"],
                condition=Q(extract__isnull=False),
                name="action_testimony_extract_unique",
            ),
        ]
        indexes = [models.Index(fields=["testimony"], name="action_testimony_idx")]

    def __str__(self) -> str:
        return f"{self.action_id} → {self.testimony_id}"


class Deliverable(models.Model):
    """A file an action produced (the paper, the letter as sent…), in private storage."""

    action = models.ForeignKey(
        AdvocacyAction, on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("titre"), max_length=200)
    file_name = models.CharField(max_length=300, editable=False)
    original_name = models.CharField(_("nom du fichier"), max_length=200, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size_bytes = models.PositiveBigIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


# --- Coalitions -------------------------------------------------------------------------


class Coalition(models.Model):
    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Collectif")
        WORKING_GROUP = "working_group", _("Groupe de travail")
        NETWORK = "network", _("Réseau")

    class Level(models.TextChoices):
        LOCAL = "local", _("Local")
        NATIONAL = "national", _("National")
        EU = "eu", _("Européen")
        INTERNATIONAL = "international", _("International")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pays"),
        help_text=_("Le pays où elle agit (pour une coalition européenne : « Union européenne »)."),
    )
    members = models.ManyToManyField(
        Organisation, blank=True, related_name="coalitions", verbose_name=_("organisations membres")
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("représentant·e de l'unité"),
    )
    mandate = models.TextField(
        _("mandat"), blank=True, help_text=_("Ce que notre représentant·e peut engager.")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thèmes"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:coalition_detail", args=[self.pk])


class JointStatement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        SIGN_OFF = "sign_off", _("En signature")
        PUBLISHED = "published", _("Publiée")
        ABANDONED = "abandoned", _("Abandonnée")

    STATUS_TONES = {
        "draft": "light",
        "sign_off": "warning",
        "published": "success",
        "abandoned": "neutral",
    }

    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="statements", verbose_name=_("coalition")
    )
    title = models.CharField(_("titre"), max_length=250)
    text = models.TextField(_("texte"), blank=True)
    deadline = models.DateField(_("date limite de signature"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default="draft")
    published_on = models.DateField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("déclaration commune")
        verbose_name_plural = _("déclarations communes")
        ordering = ["-deadline", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:statement_detail", args=[self.pk])


class StatementSignature(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invitée")
        SIGNED = "signed", _("Signé")
        DECLINED = "declined", _("Décliné")

    STATUS_TONES = {"invited": "warning", "signed": "success", "declined": "neutral"}

    statement = models.ForeignKey(
        JointStatement, on_delete=models.CASCADE, related_name="signatures"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("signature"), max_length=10, choices=Status.choices, default="invited"
    )
    responded_on = models.DateField(_("réponse le"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["statement", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"], name="statement_signature_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} · {self.organisation_id} · {self.status}"


# --- Outcomes and lessons ---------------------------------------------------------------


class Outcome(models.Model):
    """Outcome harvesting: a change in someone's behaviour, policy or practice, and how
    much the unit contributed to it."""

    class Kind(models.TextChoices):
        POLICY_CHANGE = "policy_change", _("Changement de politique")
        PRACTICE_CHANGE = "practice_change", _("Changement de pratique")
        POSITION_SHIFT = "position_shift", _("Évolution de position")
        NEW_ALLY = "new_ally", _("Nouveau soutien ou allié")
        MEDIA_COVERAGE = "media_coverage", _("Couverture médiatique")
        COMMITMENT = "commitment", _("Engagement institutionnel")
        HARM_BLOCKED = "harm_blocked", _("Mesure néfaste évitée")

    class Contribution(models.TextChoices):
        SOLE = "sole", _("Seule")
        MAJOR = "major", _("Majeure")
        PARTIAL = "partial", _("Partielle")
        UNCLEAR = "unclear", _("Incertaine")

    CONTRIBUTION_TONES = {
        "sole": "success",
        "major": "success",
        "partial": "info",
        "unclear": "light",
    }

    title = models.CharField(_("ce qui a changé (en une ligne)"), max_length=250)
    description = models.TextField(_("description du changement"))
    changed_by = models.CharField(
        _("qui a changé"), max_length=250, help_text=_("L'acteur dont le comportement a changé.")
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("interlocuteur concerné"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("organisation concernée"),
    )
    kind = models.CharField(_("type de changement"), max_length=20, choices=Kind.choices)
    significance = models.TextField(_("pourquoi c'est important"), blank=True)
    contribution = models.CharField(
        _("contribution de l'unité"), max_length=10, choices=Contribution.choices
    )
    contribution_detail = models.TextField(_("comment nous y avons contribué"), blank=True)
    evidence = models.TextField(_("preuves"), blank=True)
    occurred_on = models.DateField(_("date du changement"))
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("pays")
    )
    actions = models.ManyToManyField(
        AdvocacyAction, blank=True, related_name="outcomes", verbose_name=_("actions liées")
    )
    objectives = models.ManyToManyField(
        "influence.Objective", blank=True, related_name="+", verbose_name=_("objectifs liés")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("résultat")
        verbose_name_plural = _("résultats")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["-occurred_on"], name="outcome_date_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:outcome_detail", args=[self.pk])


class Lesson(models.Model):
    """What we learnt: what worked, what did not, what to repeat."""

    title = models.CharField(_("titre"), max_length=250)
    what_worked = models.TextField(_("ce qui a marché"), blank=True)
    what_did_not = models.TextField(_("ce qui n'a pas marché"), blank=True)
    to_repeat = models.TextField(_("à refaire"), blank=True)
    actions = models.ManyToManyField(
        AdvocacyAction, blank=True, related_name="lessons", verbose_name=_("actions liées")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("thèmes"))
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("pays")
    )
    search_text = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("leçon apprise")
        verbose_name_plural = _("leçons apprises")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plaidoyer:lesson_detail", args=[self.pk])

    def refresh_search_text(self) -> None:
        self.search_text = normalise(
            " ".join([self.title, self.what_worked, self.what_did_not, self.to_repeat])
        )
