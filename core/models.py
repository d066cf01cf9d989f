"""Users, memberships (roles and scope), reference data and the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person of the unit. Custom from the first migration so it can grow."""

    email = models.EmailField(_("adresse e-mail"), blank=True)
    preferred_language = models.CharField(
        _("langue de l'interface"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    # Bumped by "log out my other sessions": part of the session hash, so every other
    # session stops validating while the current one is re-hashed.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        key_salt = "core.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class Region(models.TextChoices):
    EUROPE = "europe", _("Europe")
    NORTH_AFRICA = "north_africa", _("Afrique du Nord")
    WEST_AFRICA = "west_africa", _("Afrique de l'Ouest")
    SAHEL = "sahel", _("Sahel")
    HORN_OF_AFRICA = "horn_of_africa", _("Corne de l'Afrique")
    MIDDLE_EAST = "middle_east", _("Moyen-Orient")
    INSTITUTIONS = "institutions", _("Institutions européennes")


class TranslatedNameMixin(models.Model):
    """Reference data carries its own French and English names (editable in the admin)."""

    name_fr = models.CharField(_("nom (français)"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class Country(TranslatedNameMixin):
    code = models.CharField(
        _("code"), max_length=8, unique=True, help_text=_("Code ISO 3166-1 alpha-2 ou « EU ».")
    )
    region = models.CharField(_("région"), max_length=20, choices=Region.choices)
    is_pseudo = models.BooleanField(
        _("pseudo-pays"),
        default=False,
        help_text=_("Par exemple l'Union européenne, pour classer les institutions."),
    )

    class Meta:
        verbose_name = _("pays")
        verbose_name_plural = _("pays")
        ordering = ["name_fr"]


class Site(TranslatedNameMixin):
    class Kind(models.TextChoices):
        PROJECT = "project", _("Projet")
        DISEMBARKATION = "disembarkation", _("Points de débarquement")
        DETENTION = "detention", _("Centres de détention")
        EVACUATION = "evacuation", _("Évacuations")
        EXPLORATORY = "exploratory", _("Mission exploratoire")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Actif")
        SUSPENDED = "suspended", _("Suspendu")

    class Risk(models.TextChoices):
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("Élevé")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="sites", verbose_name=_("pays")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    risk_level = models.CharField(
        _("niveau de risque"),
        max_length=8,
        choices=Risk.choices,
        default=Risk.NORMAL,
        help_text=_(
            "Un site à risque élevé (ou suspendu) relève le niveau d'exigence "
            "avant toute utilisation externe de ses témoignages."
        ),
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["country__name_fr", "name_fr"]


class Theme(TranslatedNameMixin):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "name_fr"]


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordination influence")
    ADVOCACY_OFFICER = "advocacy_officer", _("Chargé·e de plaidoyer")
    FIELD_COMMS = "field_comms", _("Chargé·e de communication terrain")
    COMMUNICATION = "communication", _("Département communication")
    VIEWER = "viewer", _("Lecture seule")


class Membership(models.Model):
    """A role held by a user, unit-wide or limited to a country or a site.

    coordinator and communication are unit-wide; advocacy_officer needs a country;
    field_comms needs a site (one membership per site); viewer may be either.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utilisateur"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("pays"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("site"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(country__isnull=True, site__isnull=True),
                name="membership_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "country"],
                condition=Q(country__isnull=False),
                name="membership_unique_country",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "site"],
                condition=Q(site__isnull=False),
                name="membership_unique_site",
            ),
            models.CheckConstraint(
                condition=~(Q(country__isnull=False) & Q(site__isnull=False)),
                name="membership_country_or_site",
            ),
            models.CheckConstraint(
                condition=~Q(role="field_comms") | Q(site__isnull=False),
                name="membership_field_comms_has_site",
            ),
            models.CheckConstraint(
                condition=~Q(role="advocacy_officer") | Q(country__isnull=False),
                name="membership_advocacy_has_country",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["coordinator", "communication"])
                | (Q(country__isnull=True) & Q(site__isnull=True)),
                name="membership_unit_roles_unscoped",
            ),
        ]

    def __str__(self) -> str:
        where = self.site or self.country or _("toute l'unité")
        return f"{self.user} · {self.get_role_display()} · {where}"


class AuditEvent(models.Model):
    """Append-only: who did what to which object, when and from where.

    Never the sensitive content itself: `detail` holds small, non-sensitive facts
    (a field name, a format, a reason code). Rows are written by
    `core.services.audit_record` only; PostgreSQL refuses UPDATE and DELETE.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Consultation")
        EXPORT = "export", _("Export")
        DOWNLOAD = "download", _("Téléchargement")
        CREATE = "create", _("Création")
        CHANGE = "change", _("Modification")
        DELETE = "delete", _("Suppression")
        REVEAL = "reveal", _("Révélation d'identité")
        LOGIN = "login", _("Connexion")
        LOGIN_FAILED = "login_failed", _("Échec de connexion")
        LOGOUT = "logout", _("Déconnexion")
        LOCKED_OUT = "locked_out", _("Compte verrouillé (trop d'échecs)")
        PERMISSION_DENIED = "permission_denied", _("Accès refusé")
        OTP_ENROLLED = "otp_enrolled", _("Double authentification activée")
        OTP_DISABLED = "otp_disabled", _("Double authentification désactivée")
        OTP_FAILED = "otp_failed", _("Code de vérification refusé")
        PASSWORD_CHANGED = "password_changed", _("Mot de passe modifié")
        SESSIONS_REVOKED = "sessions_revoked", _("Autres sessions fermées")
        PURGE = "purge", _("Purge (conservation)")

    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    actor_label = models.CharField(_("identifiant"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    object_type = models.CharField(_("type d'objet"), max_length=80, blank=True)
    object_id = models.CharField(_("identifiant d'objet"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    detail = models.JSONField(_("détail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class PdfJob(models.Model):
    """One PDF to render in a worker: queued → rendering → ready / failed (reason, retry).

    Every generated document (analysis notes, lines to take, monthly briefings) is a job of
    a registered kind (`core.extensions.PdfDocument`) about one object (`object_id`).
    The request writes the row first; the task is sent after commit; a sweeper re-sends
    jobs whose message never reached a worker and reclaims jobs whose worker died (the
    lease, extended by a heartbeat while rendering, has expired). See `core.pdf_jobs`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RENDERING = "rendering", _("Mise en page")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    STATUS_TONES = {"queued": "info", "rendering": "info", "ready": "success", "failed": "danger"}

    kind = models.CharField(_("type de document"), max_length=60)
    object_id = models.CharField(_("identifiant d'objet"), max_length=64)
    # Non-sensitive rendering options (language, audience, sections switched off…).
    params = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    error = models.CharField(_("raison de l'échec"), max_length=500, blank=True)
    file_name = models.CharField(max_length=300, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("taille"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    # Last time a message was handed to the broker (None: never, e.g. broker down).
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("document PDF")
        verbose_name_plural = _("documents PDF")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "object_id", "-requested_at"], name="pdfjob_object_idx"),
            models.Index(
                fields=["status"],
                name="pdfjob_active_idx",
                condition=Q(status__in=["queued", "rendering"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)
