"""Veille: sources, fetched items, stories (clusters), triage, watch rules, analysis notes.

Who sees and does what is stated once, in ``veille/permissions.py``; the selectors scope
the lists and the views return 404 outside them.

Performance notes
-----------------
The GIN index on ``Item.search_vector`` is created by a PostgreSQL-only migration
(``veille_item_search_idx``), so the SQLite default still migrates; the vector itself is
computed by a trigger as rows are inserted or their text changes (migration 0003: the
item's language picks the configuration — french, english, arabic, italian, spanish,
german, portuguese, else simple). On SQLite it stays empty and search falls back to
simple matching.
Items are written in bulk by the fetch pipeline (one query for the existing keys of a
feed, one COPY for the new rows, one ``bulk_update`` for changed ones).
The inbox lists stories: ``Item.is_cluster_lead`` is true for an item that is alone or
represents its cluster, so the default list is one indexed filter, and ``Cluster`` keeps
denormalised counts and source names so a page of stories costs a constant number of
queries.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Number of locality-sensitive-hashing bands stored on each item (see veille.services.clustering).
LSH_BANDS = 6


class TriageStatus(models.TextChoices):
    NEW = "new", _("Nouveau")
    RELEVANT = "relevant", _("Pertinent")
    DISCARDED = "discarded", _("Écarté")
    ARCHIVED = "archived", _("Archivé")


# How each triage status looks as a badge (one mapping, used by `{% status_badge %}`).
TRIAGE_TONES = {
    TriageStatus.NEW: "primary",
    TriageStatus.RELEVANT: "success",
    TriageStatus.DISCARDED: "neutral",
    TriageStatus.ARCHIVED: "light",
}
NOTE_TONES = {"draft": "neutral", "review": "warning", "published": "success"}
# The kind of the analysis-note PDF in core's generic PDF jobs (core.pdf_jobs).
NOTE_PDF = "veille.note"


class Importance(models.IntegerChoices):
    NORMAL = 0, _("Normale")
    NOTABLE = 1, _("Notable")
    HIGH = 2, _("Importante")
    CRITICAL = 3, _("Majeure")


class SourceQuerySet(models.QuerySet):
    @staticmethod
    def failing_condition() -> Q:
        """A failing source is still fetched and its last ``VEILLE_FAILURE_THRESHOLD`` fetches
        (or more) failed. The health page, its filter and count, and the dashboard card all
        use this condition (and ``Source.is_failing`` states it for one row)."""
        return Q(active=True, consecutive_failures__gte=settings.VEILLE_FAILURE_THRESHOLD)

    def failing(self) -> SourceQuerySet:
        return self.filter(self.failing_condition())


class Source(models.Model):
    """A feed followed by the unit, with the state of its fetching."""

    class Kind(models.TextChoices):
        MEDIA = "media", _("Média")
        INSTITUTION = "institution", _("Institution")
        PARLIAMENT = "parliament", _("Parlement")
        NGO = "ngo", _("ONG")
        UN_AGENCY = "un_agency", _("Agence des Nations unies")
        GOVERNMENT = "government", _("Gouvernement")
        OTHER = "other", _("Autre")

    class Outcome(models.TextChoices):
        NEVER = "never", _("Jamais récupérée")
        OK = "ok", _("OK")
        NOT_MODIFIED = "not_modified", _("Non modifié")
        ERROR = "error", _("Erreur")

    name = models.CharField(_("nom"), max_length=200)
    feed_url = models.URLField(_("adresse du flux"), max_length=2000, unique=True)
    site_url = models.URLField(_("site web"), max_length=2000, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.MEDIA)
    country = models.ForeignKey(
        "core.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="veille_sources",
        verbose_name=_("pays"),
    )
    language = models.CharField(
        _("langue"),
        max_length=8,
        choices=settings.CONTENT_LANGUAGES,
        blank=True,
        help_text=_("Utilisée quand le flux et ses articles n'indiquent pas leur langue."),
    )
    themes = models.ManyToManyField(
        "core.Theme",
        blank=True,
        related_name="veille_sources",
        verbose_name=_("thèmes par défaut"),
        help_text=_("Attribués automatiquement à chaque nouvel article de la source."),
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Une source inactive n'est plus récupérée.")
    )

    # --- fetch state (written by the pipeline only) ---
    etag = models.CharField(_("ETag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    fetch_interval = models.PositiveIntegerField(
        _("intervalle de récupération (s)"), default=3600, editable=False
    )
    next_fetch_at = models.DateTimeField(
        _("prochaine récupération"), default=timezone.now, editable=False
    )
    last_fetched_at = models.DateTimeField(
        _("dernière récupération"), null=True, blank=True, editable=False
    )
    last_success_at = models.DateTimeField(
        _("dernier succès"), null=True, blank=True, editable=False
    )
    last_outcome = models.CharField(
        _("résultat"),
        max_length=16,
        choices=Outcome.choices,
        default=Outcome.NEVER,
        editable=False,
    )
    last_status = models.PositiveSmallIntegerField(
        _("statut HTTP"), null=True, blank=True, editable=False
    )
    last_error_code = models.CharField(
        _("code d'erreur"), max_length=40, blank=True, editable=False
    )
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(
        _("échecs consécutifs"), default=0, editable=False
    )
    last_entry_count = models.PositiveIntegerField(
        _("articles dans le flux"), default=0, editable=False
    )
    last_new_count = models.PositiveIntegerField(_("nouveaux articles"), default=0, editable=False)
    # Word stems found in most of the source's articles (title template, repeated
    # summary), learnt as articles arrive: story clustering gives them no weight. None
    # until the source has had enough articles to tell.
    common_tokens = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001
    # Set by the dispatcher when it hands the source to a worker (a lease): nobody else
    # claims it until the lease expires or the worker releases it.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["next_fetch_at"],
                condition=Q(active=True),
                name="veille_source_due_idx",
            ),
            models.Index(fields=["-consecutive_failures", "name"], name="veille_source_health_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_failing(self) -> bool:
        """``SourceQuerySet.failing_condition`` for this row."""
        return self.active and self.consecutive_failures >= settings.VEILLE_FAILURE_THRESHOLD

    @property
    def error_label(self) -> str:
        """The last error in plain words ("Le serveur a répondu 404")."""
        from .errors import error_message

        return error_message(self.last_error_code, self.last_status)


class Cluster(models.Model):
    """One story told by several items (usually from several sources).

    The fields below are kept up to date by ``veille.services.clustering`` and
    ``veille.services.cluster_triage`` so the inbox can list stories cheaply.
    """

    STATUS_TONES = TRIAGE_TONES

    representative = models.ForeignKey(
        "Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article représentatif"),
    )
    title = models.CharField(_("titre"), max_length=1000, blank=True)
    item_count = models.PositiveIntegerField(_("articles"), default=0)
    source_count = models.PositiveIntegerField(_("sources"), default=0)
    # First few source names, for "Quotidien A, Agence B (3 sources)" without a query.
    source_names = models.JSONField(_("noms des sources"), default=list, blank=True)
    first_published_at = models.DateTimeField(_("première publication"), null=True, blank=True)
    latest_published_at = models.DateTimeField(
        _("dernière publication"), null=True, blank=True, db_index=True
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=TriageStatus.choices, default=TriageStatus.NEW
    )
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, default=Importance.NORMAL
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("sujet")
        verbose_name_plural = _("sujets")
        ordering = ["-latest_published_at"]
        indexes = [
            models.Index(
                fields=["status", "-latest_published_at"], name="veille_cluster_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"


class Item(models.Model):
    """One entry of a feed, sanitised and deduplicated (unique key per source)."""

    STATUS_TONES = TRIAGE_TONES

    # Not indexed on its own: the unique key (source, dedup_key) and veille_item_source_idx
    # both start with source_id and answer every lookup by source (every index costs
    # each fetched row an insert).
    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("source"),
        db_index=False,
    )
    # sha256 of "g:<guid>", "u:<canonical url>" or "t:<title>|<date>" (see veille.items).
    dedup_key = models.CharField(_("clé de dédoublonnage"), max_length=64, editable=False)
    guid = models.CharField(_("GUID"), max_length=2000, blank=True)
    url = models.URLField(_("adresse"), max_length=2000, blank=True)
    title = models.CharField(_("titre"), max_length=1000)
    summary = models.TextField(_("résumé"), blank=True, help_text=_("HTML nettoyé."))
    content = models.TextField(_("contenu"), blank=True, help_text=_("HTML nettoyé."))
    # Plain text of the summary (or the start of the content): snippets, clustering, search.
    excerpt = models.TextField(_("extrait"), blank=True)
    author = models.CharField(_("auteur"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("publié le"))
    published_at_guessed = models.BooleanField(
        _("date estimée"),
        default=False,
        help_text=_("L'article n'avait pas de date : c'est celle de sa récupération."),
    )
    fetched_at = models.DateTimeField(_("récupéré le"), default=timezone.now)
    changed_at = models.DateTimeField(_("mis à jour le"), null=True, blank=True)
    language = models.CharField(_("langue"), max_length=8, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=TriageStatus.choices,
        default=TriageStatus.NEW,
    )
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, default=Importance.NORMAL
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trié par"),
        # Partial index in Meta (only triaged rows): fetched rows never enter it.
        db_index=False,
    )
    triaged_at = models.DateTimeField(_("trié le"), null=True, blank=True)
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="veille_items", verbose_name=_("thèmes")
    )
    countries = models.ManyToManyField(
        "core.Country", blank=True, related_name="veille_items", verbose_name=_("pays")
    )
    annotation_count = models.PositiveIntegerField(_("annotations"), default=0, editable=False)

    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("sujet"),
        # veille_item_cluster_idx (cluster, -published_at) answers the lookups by cluster.
        db_index=False,
    )
    # True when the item is alone or represents its cluster: the inbox lists these rows.
    is_cluster_lead = models.BooleanField(default=True, editable=False)
    # Story-clustering signature (veille.signatures): normalised title and excerpt
    # stems, and minhash band keys used to find the same story elsewhere.
    title_tokens = models.CharField(max_length=1000, blank=True, editable=False)
    text_tokens = models.TextField(blank=True, editable=False)
    lsh0 = models.BigIntegerField(null=True, editable=False)
    lsh1 = models.BigIntegerField(null=True, editable=False)
    lsh2 = models.BigIntegerField(null=True, editable=False)
    lsh3 = models.BigIntegerField(null=True, editable=False)
    lsh4 = models.BigIntegerField(null=True, editable=False)
    lsh5 = models.BigIntegerField(null=True, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "dedup_key"], name="veille_item_unique_key"),
        ]
        indexes = [
            models.Index(
                fields=["status", "is_cluster_lead", "-published_at"],
                name="veille_item_inbox_idx",
            ),
            models.Index(fields=["-published_at", "-id"], name="veille_item_published_idx"),
            # The inbox reads the newest articles of a triage status.
            models.Index(
                fields=["status", "-published_at", "-id"], name="veille_item_status_date_idx"
            ),
            models.Index(fields=["source", "-published_at"], name="veille_item_source_idx"),
            models.Index(fields=["language", "-published_at"], name="veille_item_language_idx"),
            models.Index(fields=["importance", "-published_at"], name="veille_item_importance_idx"),
            models.Index(fields=["cluster", "-published_at"], name="veille_item_cluster_idx"),
            # Deleting a user clears their triage marks (SET_NULL); new rows are untriaged.
            models.Index(
                fields=["triaged_by"],
                condition=Q(triaged_by__isnull=False),
                name="veille_item_triaged_by_idx",
            ),
            models.Index(fields=["lsh0"], name="veille_item_lsh0_idx"),
            models.Index(fields=["lsh1"], name="veille_item_lsh1_idx"),
            models.Index(fields=["lsh2"], name="veille_item_lsh2_idx"),
            models.Index(fields=["lsh3"], name="veille_item_lsh3_idx"),
            models.Index(fields=["lsh4"], name="veille_item_lsh4_idx"),
            models.Index(fields=["lsh5"], name="veille_item_lsh5_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Annotation(models.Model):
    """A team member's remark on an item."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="annotations", verbose_name=_("article")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="veille_annotations",
        verbose_name=_("auteur"),
    )
    body = models.TextField(_("annotation"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["item", "created_at"], name="veille_annotation_item_idx")]

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d}"


class WatchRule(models.Model):
    """A saved search (query + inbox filters) that raises alerts and feeds a digest/RSS."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="veille_watch_rules",
        verbose_name=_("propriétaire"),
    )
    name = models.CharField(_("nom"), max_length=200)
    query = models.CharField(_("recherche"), max_length=500, blank=True)
    # The inbox filter parameters (the same keys as the inbox query string).
    filters = models.JSONField(_("filtres"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    alert_in_app = models.BooleanField(_("alerte dans l'application"), default=True)
    digest_email = models.BooleanField(_("résumé quotidien par e-mail"), default=False)
    # Private RSS: the token is the credential; empty when revoked / never enabled.
    feed_token = models.CharField(
        _("jeton du flux privé"), max_length=64, blank=True, db_index=True, editable=False
    )
    feed_token_created_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Items with a larger id than this have not been evaluated against the rule yet.
    last_evaluated_item_id = models.BigIntegerField(default=0, editable=False)
    last_evaluated_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("règle de veille")
        verbose_name_plural = _("règles de veille")
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "name"], name="veille_rule_owner_idx")]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """An item (or story) that matched a watch rule, for the rule's owner."""

    rule = models.ForeignKey(
        WatchRule, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("règle")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="veille_alerts",
        verbose_name=_("destinataire"),
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("article"),
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("sujet"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "item"],
                condition=Q(item__isnull=False),
                name="veille_alert_unique_item",
            ),
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(cluster__isnull=False),
                name="veille_alert_has_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="veille_alert_unread_idx",
            ),
            models.Index(fields=["user", "-created_at"], name="veille_alert_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.created_at:%Y-%m-%d %H:%M}"


class AnalysisNote(models.Model):
    """A *note d'analyse*: Markdown body citing items, versioned, rendered to PDF."""

    STATUS_TONES = NOTE_TONES

    class Audience(models.TextChoices):
        INTERNAL = "internal", _("Interne")
        PARTNERS = "partners", _("Partenaires")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        REVIEW = "review", _("En relecture")
        PUBLISHED = "published", _("Publiée")

    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte (Markdown)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="veille_notes",
        verbose_name=_("auteur"),
    )
    cited_items = models.ManyToManyField(
        Item, blank=True, related_name="cited_in_notes", verbose_name=_("articles cités")
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="veille_notes", verbose_name=_("thèmes")
    )
    countries = models.ManyToManyField(
        "core.Country", blank=True, related_name="veille_notes", verbose_name=_("pays")
    )
    audience = models.CharField(
        _("public"), max_length=12, choices=Audience.choices, default=Audience.INTERNAL
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )

    class Meta:
        verbose_name = _("note d'analyse")
        verbose_name_plural = _("notes d'analyse")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="veille_note_status_idx"),
            models.Index(fields=["author", "-updated_at"], name="veille_note_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class NoteVersion(models.Model):
    """A saved state of a note: who changed it and when (the history)."""

    STATUS_TONES = NOTE_TONES

    note = models.ForeignKey(
        AnalysisNote, on_delete=models.CASCADE, related_name="versions", verbose_name=_("note")
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte (Markdown)"), blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=AnalysisNote.Status.choices)
    audience = models.CharField(_("public"), max_length=12, choices=AnalysisNote.Audience.choices)
    cited_item_ids = models.JSONField(_("articles cités"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur de la version"),
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version de note")
        verbose_name_plural = _("versions de notes")
        ordering = ["note", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="veille_noteversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.note} v{self.number}"


class OpmlImport(models.Model):
    """An OPML file being turned into sources by a worker (progress shown by polling)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En file d'attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    STATUS_TONES = {"queued": "neutral", "running": "info", "done": "success", "failed": "danger"}

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("importé par"),
    )
    filename = models.CharField(_("fichier"), max_length=255, blank=True)
    # The uploaded file, kept until the worker has read it.
    payload = models.TextField(blank=True, editable=False)
    default_kind = models.CharField(
        _("type par défaut"), max_length=20, choices=Source.Kind.choices, default=Source.Kind.MEDIA
    )
    default_language = models.CharField(
        _("langue par défaut"), max_length=8, choices=settings.CONTENT_LANGUAGES, blank=True
    )
    default_country = models.ForeignKey(
        "core.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pays par défaut"),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("entrées"), default=0)
    processed = models.PositiveIntegerField(_("traitées"), default=0)
    created_count = models.PositiveIntegerField(_("sources créées"), default=0)
    existing_count = models.PositiveIntegerField(_("déjà suivies"), default=0)
    error_count = models.PositiveIntegerField(_("entrées refusées"), default=0)
    # [{"line": 12, "title": "...", "url": "...", "reason": "..."}]
    errors = models.JSONField(_("erreurs"), default=list, blank=True)
    failure = models.CharField(_("raison de l'échec"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # The worker running the import holds it through a lease it extends while working
    # (core.jobs.Heartbeat); an expired lease means the worker died: the import resumes
    # after its last committed batch. `enqueued_at` is empty when the broker was down.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("import OPML")
        verbose_name_plural = _("imports OPML")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename or f"#{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed / self.total))
