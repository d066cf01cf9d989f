"""Testimonies, their consent, identity, media, review and uses.

No business logic here: writes go through `services`, reads
through `selectors`, and whether a testimony may be used is decided by `gate` only.

Consent is kept as a *history*: each `consent_record` call adds a row and points
`Testimony.current_consent` at it. A renewal (an expiring consent given again) or a
correction therefore never erases what the person agreed to before, which is the
evidence the unit needs if a use is ever questioned. The gate reads the current row.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.crypto import EncryptedTextField

from . import conf

# --- Shared choices ---------------------------------------------------------------------


class Audience(models.TextChoices):
    """Who a use of a testimony reaches; the publication gate decides per audience."""

    INTERNAL = "internal", _("Interne")
    PARTNERS = "partners", _("Partenaires")
    PUBLIC = "public", _("Public")


class Element(models.TextChoices):
    """What part of a person's testimony a consent covers."""

    TEXT = "text", _("Texte")
    VOICE = "voice", _("Voix")
    IMAGE = "image", _("Image")
    NAME = "name", _("Nom")


# --- Collection forms -------------------------------------------------------------------


class CollectionForm(models.Model):
    """A harmonised collection template; its questions live in immutable versions."""

    name = models.CharField(_("nom"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    sites = models.ManyToManyField(
        "core.Site",
        blank=True,
        related_name="collection_forms",
        verbose_name=_("sites"),
        help_text=_("Les sites qui utilisent ce formulaire."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("formulaire de collecte")
        verbose_name_plural = _("formulaires de collecte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CollectionFormVersion(models.Model):
    """One version of a form. Editable while a draft; frozen once published.

    A testimony points at the version it was collected with, so editing a form (which
    creates a new version) never changes the questions of older testimonies.
    """

    form = models.ForeignKey(
        CollectionForm,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("formulaire"),
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    notes = models.CharField(_("notes de version"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version de formulaire")
        verbose_name_plural = _("versions de formulaire")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="tem_formversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.form} · v{self.number}"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")

    STATUS_TONES = {Status.DRAFT: "light", Status.PUBLISHED: "success"}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status(self) -> str:
        """Published or draft (from `published_at`), for `{% status_badge version %}`."""
        return self.Status.PUBLISHED if self.is_published else self.Status.DRAFT

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class FormQuestion(models.Model):
    """An ordered question of a form version, labelled in French, English and Arabic."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")
        SINGLE_CHOICE = "single_choice", _("Choix unique")
        MULTIPLE_CHOICE = "multiple_choice", _("Choix multiple")
        DATE = "date", _("Date")
        NUMBER = "number", _("Nombre")
        YES_NO = "yes_no", _("Oui / non")

    CHOICE_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE})

    version = models.ForeignKey(
        CollectionFormVersion,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("version"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    key = models.SlugField(
        _("identifiant"),
        max_length=60,
        help_text=_("Clé stable de la réponse, reprise d'une version à l'autre."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    label_fr = models.CharField(_("libellé (français)"), max_length=300)
    label_en = models.CharField(_("libellé (anglais)"), max_length=300, blank=True)
    label_ar = models.CharField(_("libellé (arabe)"), max_length=300, blank=True)
    help_fr = models.CharField(_("aide (français)"), max_length=500, blank=True)
    help_en = models.CharField(_("aide (anglais)"), max_length=500, blank=True)
    help_ar = models.CharField(_("aide (arabe)"), max_length=500, blank=True)
    required = models.BooleanField(_("obligatoire"), default=False)
    # [{"value": "oui", "fr": "…", "en": "…", "ar": "…"}, …] for choice questions.
    choices = models.JSONField(_("choix"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="tem_question_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label_fr

    def label(self, language: str | None = None) -> str:
        language = (language or get_language() or "fr")[:2]
        return getattr(self, f"label_{language}", "") or self.label_fr

    def help_text(self, language: str | None = None) -> str:
        language = (language or get_language() or "fr")[:2]
        return getattr(self, f"help_{language}", "") or self.help_fr


# --- Collection objectives --------------------------------------------------------------


class CollectionObjective(models.Model):
    """How many testimonies on a theme, for a site or a country, over a period — and why."""

    theme = models.ForeignKey(
        "core.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("thème")
    )
    site = models.ForeignKey(
        "core.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    country = models.ForeignKey(
        "core.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pays"),
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    target_count = models.PositiveIntegerField(_("nombre visé"), validators=[MinValueValidator(1)])
    reason = models.TextField(_("raison"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("objectif de collecte")
        verbose_name_plural = _("objectifs de collecte")
        ordering = ["-period_end", "theme"]
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=False, country__isnull=True)
                | Q(site__isnull=True, country__isnull=False),
                name="tem_objective_site_xor_country",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="tem_objective_period_order",
            ),
            models.CheckConstraint(
                condition=Q(target_count__gte=1), name="tem_objective_target_positive"
            ),
        ]
        indexes = [models.Index(fields=["period_start", "period_end"], name="tem_obj_period")]

    def __str__(self) -> str:
        return f"{self.theme} · {self.site or self.country} · {self.target_count}"


# --- Identity register ------------------------------------------------------------------


class Person(models.Model):
    """The real identity behind one or more testimonies, kept apart and encrypted.

    Only the pseudonym is ever shown in lists; name and contact are Fernet tokens in the
    database, readable only through the audited `identity_reveal` service.
    """

    pseudonym = models.CharField(_("pseudonyme"), max_length=20, unique=True)
    full_name = EncryptedTextField(_("nom"), blank=True)
    contact = EncryptedTextField(_("contact"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("personne (registre d'identité)")
        verbose_name_plural = _("registre d'identité")
        ordering = ["pseudonym"]

    def __str__(self) -> str:
        return self.pseudonym


# --- Testimonies ------------------------------------------------------------------------


class ReferenceCounter(models.Model):
    """One row per year; locked with SELECT … FOR UPDATE to number testimonies safely."""

    year = models.PositiveSmallIntegerField(_("année"), primary_key=True)
    last_value = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("compteur de références")
        verbose_name_plural = _("compteurs de références")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class Testimony(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumis")
        IN_REVIEW = "in_review", _("En relecture")
        APPROVED = "approved", _("Approuvé")
        REJECTED = "rejected", _("Renvoyé")
        WITHDRAWN = "withdrawn", _("Retiré")
        ARCHIVED = "archived", _("Archivé")

    class Sensitivity(models.TextChoices):
        STANDARD = "standard", _("Interne")
        CONFIDENTIAL = "confidential", _("Confidentiel")
        STRICT = "strict", _("Strictement confidentiel")

    class AgeBracket(models.TextChoices):
        UNDER_15 = "under_15", _("Moins de 15 ans")
        AGE_15_17 = "15_17", _("15–17 ans")
        AGE_18_24 = "18_24", _("18–24 ans")
        AGE_25_34 = "25_34", _("25–34 ans")
        AGE_35_49 = "35_49", _("35–49 ans")
        AGE_50_PLUS = "50_plus", _("50 ans et plus")
        UNKNOWN = "unknown", _("Inconnu")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Femme")
        MALE = "male", _("Homme")
        OTHER = "other", _("Autre")
        UNDISCLOSED = "undisclosed", _("Non précisé")

    class AdministrativeStatus(models.TextChoices):
        AGE_ASSESSMENT = "age_assessment", _("Mineur en recours (évaluation de l'âge)")
        ASYLUM_SEEKER = "asylum_seeker", _("Demandeur·se d'asile")
        DUBLIN = "dublin", _("Procédure Dublin")
        PROTECTED = "protected", _("Réfugié·e ou protection subsidiaire")
        UNDOCUMENTED = "undocumented", _("Sans titre de séjour")
        DETAINED = "detained", _("En détention")
        EVACUATED = "evacuated", _("Évacué·e")
        OTHER = "other", _("Autre")
        UNKNOWN = "unknown", _("Inconnu")

    # Statuses in which the officer who collected it may still edit it.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.REJECTED})
    # Badge tone of each value, for `{% status_badge testimony %}` and
    # `{% status_badge testimony "sensitivity" %}`.
    STATUS_TONES = {
        Status.DRAFT: "light",
        Status.SUBMITTED: "info",
        Status.IN_REVIEW: "primary",
        Status.APPROVED: "success",
        Status.REJECTED: "warning",
        Status.WITHDRAWN: "danger",
        Status.ARCHIVED: "neutral",
    }
    SENSITIVITY_TONES = {
        Sensitivity.STANDARD: "neutral",
        Sensitivity.CONFIDENTIAL: "sensitive",
        Sensitivity.STRICT: "sensitive",
    }

    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    # Generated in the browser when a draft starts: a retried request finds the same row
    # instead of creating a second testimony.
    client_uuid = models.UUIDField(_("identifiant du brouillon"), unique=True, default=uuid.uuid4)
    site = models.ForeignKey(
        "core.Site", on_delete=models.PROTECT, related_name="testimonies", verbose_name=_("site")
    )
    collected_on = models.DateField(_("recueilli le"))
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="collected_testimonies",
        verbose_name=_("recueilli par"),
    )
    form_version = models.ForeignKey(
        CollectionFormVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="testimonies",
        verbose_name=_("formulaire"),
    )
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    language = models.CharField(
        _("langue du récit"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="fr"
    )
    title = models.CharField(
        _("titre court"),
        max_length=160,
        blank=True,
        help_text=_("Quelques mots sans nom ni lieu précis, pour s'y retrouver dans les listes."),
    )
    narrative = models.TextField(_("récit"), blank=True)
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="testimonies", verbose_name=_("thèmes")
    )

    # Pseudonymised profile: never a name, never an exact date of birth.
    age_bracket = models.CharField(
        _("tranche d'âge"), max_length=10, choices=AgeBracket.choices, default=AgeBracket.UNKNOWN
    )
    gender = models.CharField(
        _("genre"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED
    )
    nationality = CountryField(_("nationalité"), blank=True)
    administrative_status = models.CharField(
        _("situation administrative"),
        max_length=20,
        choices=AdministrativeStatus.choices,
        default=AdministrativeStatus.UNKNOWN,
    )
    is_minor = models.BooleanField(_("mineur"), default=False)
    route_countries = CountryField(_("pays traversés"), multiple=True, blank=True)

    sensitivity = models.CharField(
        _("sensibilité"),
        max_length=12,
        choices=Sensitivity.choices,
        default=Sensitivity.CONFIDENTIAL,
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    rejection_reason = models.TextField(_("motif du renvoi"), blank=True)

    # What leaves the unit: written by the reviewer, names and places removed.
    external_text = models.TextField(_("version externe (caviardée)"), blank=True)
    external_updated_at = models.DateTimeField(
        _("version externe modifiée le"), null=True, blank=True
    )
    external_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version externe modifiée par"),
    )

    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonies",
        verbose_name=_("personne"),
    )
    current_consent = models.OneToOneField(
        "Consent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consentement en vigueur"),
    )

    wizard_step = models.PositiveSmallIntegerField(_("étape de saisie"), default=1)
    retention_date = models.DateField(_("conserver jusqu'au"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("relu le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relu par"),
    )

    class Meta:
        verbose_name = _("témoignage")
        verbose_name_plural = _("témoignages")
        ordering = ["-collected_on", "-id"]
        indexes = [
            models.Index(fields=["site", "status"], name="tem_site_status"),
            models.Index(fields=["status", "-collected_on"], name="tem_status_collected"),
            models.Index(fields=["collected_on"], name="tem_collected_on"),
            models.Index(fields=["sensitivity"], name="tem_sensitivity"),
            models.Index(fields=["is_minor"], name="tem_minor"),
            models.Index(fields=["retention_date"], name="tem_retention"),
            models.Index(fields=["collected_by", "status"], name="tem_collector_status"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_rtl(self) -> bool:
        return self.language == "ar"

    @property
    def form_can_change(self) -> bool:
        """A draft never sent to review may still change its collection form (what was
        typed is kept); once reviewed against a form, it keeps that form."""
        return self.status == self.Status.DRAFT and self.submitted_at is None


class TestimonyTranslation(models.Model):
    testimony = models.ForeignKey(
        Testimony,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("témoignage"),
    )
    language = models.CharField(_("langue"), max_length=8, choices=settings.CONTENT_LANGUAGES)
    text = models.TextField(_("traduction"))
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traduit par"),
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("traduction")
        verbose_name_plural = _("traductions")
        ordering = ["testimony", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "language"], name="tem_translation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.testimony} · {self.language}"


class UsableExtract(models.Model):
    """A short quote the officer highlights; the reviewer writes its external wording."""

    testimony = models.ForeignKey(
        Testimony,
        on_delete=models.CASCADE,
        related_name="extracts",
        verbose_name=_("témoignage"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    text = models.TextField(_("extrait"))
    external_text = models.TextField(
        _("extrait pour l'externe (caviardé)"),
        blank=True,
        help_text=_("Rempli par la relecture ; vide, l'extrait reste interne."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("extrait utilisable")
        verbose_name_plural = _("extraits utilisables")
        ordering = ["testimony", "position", "id"]

    def __str__(self) -> str:
        return f"{self.testimony} · {_('extrait')} {self.position + 1}"


# --- Consent ----------------------------------------------------------------------------


class Consent(models.Model):
    """What the person agreed to, how, when, until when — and whether they withdrew."""

    class Method(models.TextChoices):
        WRITTEN = "written", _("Écrit (formulaire signé)")
        ORAL_RECORDED = "oral_recorded", _("Oral enregistré")

    testimony = models.ForeignKey(
        Testimony,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("témoignage"),
    )
    # Scope per use.
    scope_internal = models.BooleanField(_("analyse interne"), default=False)
    scope_external_anonymised = models.BooleanField(
        _("utilisation externe anonymisée"), default=False
    )
    scope_public_named = models.BooleanField(_("utilisation publique nominative"), default=False)
    # Scope per element.
    element_text = models.BooleanField(_("texte"), default=False)
    element_voice = models.BooleanField(_("voix"), default=False)
    element_image = models.BooleanField(_("image"), default=False)
    element_name = models.BooleanField(_("nom"), default=False)

    method = models.CharField(_("forme du consentement"), max_length=16, choices=Method.choices)
    explained_in = models.CharField(
        _("langue d'explication"),
        max_length=60,
        help_text=_("La langue dans laquelle le consentement a été expliqué."),
    )
    interpreter_used = models.BooleanField(_("avec interprète"), default=False)
    interpreter = models.CharField(
        _("interprète"),
        max_length=120,
        blank=True,
        help_text=_("Nom ou organisation de l'interprète."),
    )
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recueilli par"),
    )
    given_on = models.DateField(_("donné le"))
    expires_on = models.DateField(_("expire le"), null=True, blank=True)

    # The signed form, stored privately (relative to PRIVATE_STORAGE_ROOT).
    signed_form_path = models.CharField(_("formulaire signé"), max_length=255, blank=True)
    signed_form_mime = models.CharField(_("type du formulaire"), max_length=100, blank=True)
    signed_form_sha256 = models.CharField(_("empreinte du formulaire"), max_length=64, blank=True)

    # Minors: a guardian or trusted adult agrees, and so does the minor.
    guardian_consent = models.BooleanField(
        _("accord du représentant légal ou de l'adulte de confiance"), default=False
    )
    guardian_relationship = models.CharField(_("lien avec le mineur"), max_length=120, blank=True)
    minor_agreement = models.BooleanField(_("accord du mineur lui-même"), default=False)
    safeguarding_reviewed_at = models.DateTimeField(
        _("revue de protection le"), null=True, blank=True
    )
    safeguarding_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revue de protection par"),
    )
    safeguarding_notes = models.TextField(_("notes de la revue de protection"), blank=True)

    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("motif du retrait"), blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retrait enregistré par"),
    )

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["testimony", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("given_on")),
                name="tem_consent_expiry_after_given",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_on"],
                name="tem_consent_active_expiry",
                condition=Q(withdrawn_at__isnull=True, expires_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.testimony} · {self.given_on}"

    def scopes(self) -> list[str]:
        labels = []
        for field in ("scope_internal", "scope_external_anonymised", "scope_public_named"):
            if getattr(self, field):
                labels.append(str(self._meta.get_field(field).verbose_name))
        return labels

    def elements(self) -> list[str]:
        return [
            str(self._meta.get_field(f"element_{e}").verbose_name)
            for e in Element.values
            if getattr(self, f"element_{e}")
        ]

    def covers_element(self, element: str) -> bool:
        return bool(getattr(self, f"element_{element}", False))

    class Expiry(models.TextChoices):
        VALID = "valid", _("Valide")
        EXPIRING = "expiring", _("Expire bientôt")
        EXPIRED = "expired", _("Expiré")

    EXPIRY_TONES = {Expiry.VALID: "success", Expiry.EXPIRING: "warning", Expiry.EXPIRED: "danger"}

    @property
    def expiry(self) -> str:
        """Expired, expiring within `TEMOIGNAGES_CONSENT_EXPIRING_DAYS`, or valid today,
        for `{% status_badge consent "expiry" %}` (withdrawal is shown apart)."""
        if self.expires_on is None:
            return self.Expiry.VALID
        today = timezone.localdate()
        if self.expires_on < today:
            return self.Expiry.EXPIRED
        if self.expires_on <= today + datetime.timedelta(days=conf.consent_expiring_days()):
            return self.Expiry.EXPIRING
        return self.Expiry.VALID

    def get_expiry_display(self) -> str:
        return self.Expiry(self.expiry).label


# --- Media ------------------------------------------------------------------------------


class MediaAttachment(models.Model):
    """A photo, recording, video or document, checked by content and stored privately."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Vidéo")
        DOCUMENT = "document", _("Document")

    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, related_name="media", verbose_name=_("témoignage")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    # Relative to PRIVATE_STORAGE_ROOT; the name on disk is chosen by the server.
    storage_path = models.CharField(_("chemin privé"), max_length=255, unique=True)
    thumbnail_path = models.CharField(_("vignette"), max_length=255, blank=True)
    # The name the file had on the uploader's device: may itself be identifying, so it is
    # encrypted and never used on disk or in a download.
    original_name = EncryptedTextField(_("nom d'origine"), blank=True)
    caption = models.CharField(_("légende"), max_length=200, blank=True)
    mime_type = models.CharField(_("type MIME"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("largeur"), null=True, blank=True)
    height = models.PositiveIntegerField(_("hauteur"), null=True, blank=True)
    metadata_stripped = models.BooleanField(_("métadonnées supprimées"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    # Chosen by the phone for a file kept offline: sending the same file again (a retried
    # upload from the offline queue) finds this row instead of storing a second copy.
    client_uuid = models.UUIDField(_("identifiant sur l'appareil"), null=True, blank=True)

    class Meta:
        verbose_name = _("média")
        verbose_name_plural = _("médias")
        ordering = ["testimony", "uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="media_unique_client_uuid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.testimony} · {self.get_kind_display()} {self.pk}"

    @property
    def required_element(self) -> str:
        """The consent element this medium needs to be used."""
        return {
            self.Kind.PHOTO: Element.IMAGE,
            self.Kind.VIDEO: Element.IMAGE,
            self.Kind.AUDIO: Element.VOICE,
        }.get(self.kind, Element.TEXT)


# --- Uses and history -------------------------------------------------------------------


class TestimonyUse(models.Model):
    """Where a testimony (or one of its extracts) was used; written only if the gate agreed.

    `target` may point at the advocacy action, analysis note or briefing that used it;
    `where` says it in words for uses outside the intranet (a press interview…).
    After a withdrawal, these rows are the takedown checklist.
    """

    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, related_name="uses", verbose_name=_("témoignage")
    )
    extract = models.ForeignKey(
        UsableExtract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uses",
        verbose_name=_("extrait"),
    )
    audience = models.CharField(_("public visé"), max_length=10, choices=Audience.choices)
    element = models.CharField(
        _("élément utilisé"), max_length=8, choices=Element.choices, default=Element.TEXT
    )
    named = models.BooleanField(_("nominatif"), default=False)
    where = models.CharField(_("où"), max_length=300)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("type de l'objet lié"),
    )
    target_id = models.CharField(_("objet lié"), max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utilisé par"),
    )
    used_on = models.DateField(_("utilisé le"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    # Takedown after a withdrawal: ticked once the use has been removed or corrected.
    takedown_done_at = models.DateTimeField(_("retrait effectué le"), null=True, blank=True)
    takedown_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retrait effectué par"),
    )

    class Meta:
        verbose_name = _("utilisation")
        verbose_name_plural = _("utilisations")
        ordering = ["-used_on", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="tem_use_target"),
        ]

    def __str__(self) -> str:
        return f"{self.testimony} → {self.where}"


class TestimonyEvent(models.Model):
    """The change history of a testimony: who, when, what kind of change, which fields.

    Never the values: field *names* only, so the history never copies sensitive content.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Brouillon créé")
        UPDATED = "updated", _("Modifié")
        SUBMITTED = "submitted", _("Soumis à la relecture")
        REVIEW_STARTED = "review_started", _("Relecture commencée")
        APPROVED = "approved", _("Approuvé")
        REJECTED = "rejected", _("Renvoyé pour correction")
        EXTERNAL_EDITED = "external_edited", _("Version externe modifiée")
        CONSENT_RECORDED = "consent_recorded", _("Consentement enregistré")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consentement retiré")
        SAFEGUARDING_REVIEWED = "safeguarding", _("Revue de protection faite")
        MEDIA_ADDED = "media_added", _("Média ajouté")
        MEDIA_REMOVED = "media_removed", _("Média supprimé")
        IDENTITY_LINKED = "identity_linked", _("Identité liée")
        USED = "used", _("Utilisé")
        TAKEDOWN_DONE = "takedown_done", _("Retrait d'une utilisation effectué")
        RETENTION_CHANGED = "retention_changed", _("Durée de conservation modifiée")
        ANONYMISED = "anonymised", _("Anonymisé (fin de conservation)")

    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, related_name="events", verbose_name=_("témoignage")
    )
    kind = models.CharField(_("événement"), max_length=20, choices=Kind.choices)
    changed_fields = models.JSONField(_("champs modifiés"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("historique")
        verbose_name_plural = _("historique")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.testimony} · {self.kind}"
