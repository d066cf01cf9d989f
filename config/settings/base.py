"""Settings shared by every environment.

Everything that differs between machines comes from the environment (django-environ);
see `.env.example` and the README for the full list. The defaults here are the secure
ones: DEBUG off, no hosts allowed, 2FA required. `local.py` relaxes them for a laptop,
`production.py` refuses to start without its secrets.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

# Runtime data of the embedded default (SQLite, broker folders, private files). Importing
# the settings creates nothing: `core.local_data` makes the folders a process needs when
# Django starts.
LOCAL_DATA_DIR = Path(env.str("LOCAL_DATA_DIR", default=str(BASE_DIR / ".local")))

# --- Core -------------------------------------------------------------------------------

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # Nationality and route countries: ISO codes with their French (and Arabic) names.
    "django_countries",
    "core",
    "influence",
    "veille",
    "plaidoyer",
    "temoignages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.IdleTimeoutMiddleware",
    "core.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# No DATABASE_URL: embedded SQLite in WAL mode so that web, worker and beat can share it.

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{LOCAL_DATA_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout
        # instead of failing with "database is locked" when a reader upgrades.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Redis (CACHE_URL=redis://…) through a backend that answers like an empty cache while
# Redis is unreachable, instead of failing the pages that read it (core/cache.py).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.DegradingRedisCache"

# --- Authentication ---------------------------------------------------------------------

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.authentication.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
# Argon2id first; a password stored with another hasher is rehashed at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor authentication (django-otp): required for coordinators and staff when on.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Influence · Unité Migration"
RECOVERY_CODES_COUNT = 10

# Sessions: database-backed, idle timeout enforced by core.middleware.IdleTimeoutMiddleware.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Brute-force protection (django-axes): lock the (username, IP) pair, never the username
# alone, so nobody can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.auth.lockout"
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
AXES_VERBOSE = False
# Password-reset emails: at most this many per address and per client IP in a window,
# whether or not an account has the address (the answer never tells).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=10)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)
# Trust X-Forwarded-For (last hop) only behind a known reverse proxy.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Languages of *content* (feeds, testimonies, notes): Arabic is right-to-left.
CONTENT_LANGUAGES = [
    ("fr", _("Français")),
    ("en", _("Anglais")),
    ("ar", _("Arabe")),
    ("it", _("Italien")),
    ("es", _("Espagnol")),
]

# --- Static and private files -----------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(LOCAL_DATA_DIR / "staticfiles")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(LOCAL_DATA_DIR / "media"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Rooted at PRIVATE_STORAGE_ROOT; see core.files.
    "private": {"BACKEND": "core.files.PrivateStorage"},
}
# Private files (testimony media, signed consent forms, generated PDFs) live here, outside
# any URL; they are served only by views that check permission.
PRIVATE_STORAGE_ROOT = Path(
    env.str("PRIVATE_STORAGE_ROOT", default=str(LOCAL_DATA_DIR / "private"))
)
# With nginx in front, set to the internal location prefix to serve private files by
# X-Accel-Redirect instead of streaming them through Django.
PRIVATE_STORAGE_X_ACCEL_PREFIX = env.str("PRIVATE_STORAGE_X_ACCEL_PREFIX", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Field-level encryption -------------------------------------------------------------
# Comma-separated Fernet keys, newest first; older keys still decrypt (rotation), and
# `manage.py rotate_encryption_keys` re-encrypts with the newest.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# --- Email ------------------------------------------------------------------------------

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="influence@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------
# No CELERY_BROKER_URL: Celery's filesystem transport, nothing to install.

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(LOCAL_DATA_DIR / "broker" / "queue"),
        "data_folder_out": str(LOCAL_DATA_DIR / "broker" / "queue"),
        "processed_folder": str(LOCAL_DATA_DIR / "broker" / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Memory ceiling of a worker child, in KiB: a child whose resident memory went past it
# is replaced after its task (a PDF render lays out a whole document in memory; the
# monthly briefing peaks around 200 MB, see docs/benchmarks.md). 0 disables it.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = (
    env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000) or None
)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_TASK_DEFAULT_QUEUE = "celery"
# PDF rendering has its own queue so a slow render never delays feed fetching.
CELERY_TASK_ROUTES = {"*.tasks.render_*": {"queue": "pdf"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Stopping a worker waits this long for its running tasks before ending them (they are
# delivered again: acks_late). 0: wait for them to finish (Celery's warm shutdown). The
# worker of `make run` is given a few seconds, so that Ctrl-C stops it within honcho's
# grace period (config/Procfile).
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = env.float("CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT", default=0.0)
# Keep a worker's DB connection between tasks; the task_postrun hook in config/celery.py
# closes it when it is unusable or older than CONN_MAX_AGE.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1_000_000)
CELERY_BEAT_SCHEDULE_FILENAME = str(LOCAL_DATA_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE

# --- Security headers -------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4). No inline script or style attribute anywhere:
# scripts carry the request nonce, widths and colours come from classes or from JS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The field app's service worker (/temoignages/sw.js) and its manifest.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        # Feed content may embed videos from these hosts only (sandboxed iframes kept by
        # the veille sanitiser); nothing else can be framed.
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://www.dailymotion.com",
        ],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# --- Logging: no sensitive content in logs ----------------------------------------------

# One format and one clock for every process (web, worker, beat): local time of TIME_ZONE
# (Django sets the process's TZ from it) with its UTC offset, e.g. 2026-11-30 17:24:25+0100.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S%z",
        }
    },
    "filters": {"refusals_in_one_line": {"()": "core.logs.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Everything goes to the root handler once (Django's own console handler would
        # print its records a second time when DEBUG is on).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # runserver's request lines, in the same format and clock as the rest.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Request bodies never reach the logs; only status lines do, a refusal in one line.
        "django.request": {"level": "WARNING", "filters": ["refusals_in_one_line"]},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Application settings ---------------------------------------------------------------

# Background jobs (core.jobs, core.pdf_jobs, OPML imports): a running job holds a lease
# that its worker extends every third of it; a job whose lease expired (worker killed) is
# given to another worker by the sweeper (every minute) or when someone looks at it. A
# queued job whose message did not reach a worker within JOB_REQUEUE_AFTER_SECONDS is
# sent again. A PDF is tried at most PDF_JOB_MAX_ATTEMPTS times.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=45)
JOB_REQUEUE_AFTER_SECONDS = env.int("JOB_REQUEUE_AFTER_SECONDS", default=90)
PDF_JOB_MAX_ATTEMPTS = env.int("PDF_JOB_MAX_ATTEMPTS", default=3)
PDF_JOB_SOFT_TIME_LIMIT = env.int("PDF_JOB_SOFT_TIME_LIMIT", default=120)
PDF_JOB_TIME_LIMIT = env.int("PDF_JOB_TIME_LIMIT", default=150)

SITE_NAME = "Influence"
# Absolute address of the site, for links in emails sent by workers (no request there).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
PAGINATE_BY = 25
FORM_RENDERER = "core.forms.FormRenderer"

# --- Influence (strategies, messages, calendar) -----------------------------------------
# Weights of the objective priority: impact, feasibility and urgency raise it, operational
# risk lowers it (scores 1–5; the formula is shown on the objective pages).
INFLUENCE_PRIORITY_WEIGHTS = {
    "impact": env.float("INFLUENCE_WEIGHT_IMPACT", default=0.35),
    "feasibility": env.float("INFLUENCE_WEIGHT_FEASIBILITY", default=0.25),
    "urgency": env.float("INFLUENCE_WEIGHT_URGENCY", default=0.25),
    "operational_risk": env.float("INFLUENCE_WEIGHT_RISK", default=0.15),
}
# An objective is "at risk" when its deadline is this close (or past) and less than this
# share of its progress markers is reached.
INFLUENCE_AT_RISK_DAYS = env.int("INFLUENCE_AT_RISK_DAYS", default=90)
INFLUENCE_AT_RISK_PERCENT = env.int("INFLUENCE_AT_RISK_PERCENT", default=50)
# Approving a key message needs a second person (not its author) when true.
INFLUENCE_MESSAGES_FOUR_EYES = env.bool("INFLUENCE_MESSAGES_FOUR_EYES", default=True)
# Messages whose validity ends within this many days are flagged for review.
INFLUENCE_MESSAGE_EXPIRING_DAYS = env.int("INFLUENCE_MESSAGE_EXPIRING_DAYS", default=30)
# A political event with no planned action this many days before it is a missed window.
INFLUENCE_MISSED_WINDOW_DAYS = env.int("INFLUENCE_MISSED_WINDOW_DAYS", default=60)
# Models whose objects may be ticked as evidence of a progress marker ("app.model").
INFLUENCE_EVIDENCE_MODELS = env.list(
    "INFLUENCE_EVIDENCE_MODELS",
    default=["veille.item", "veille.analysisnote", "plaidoyer.advocacyaction", "plaidoyer.outcome"],
)
# Monthly briefing: beat renders the previous month's internal briefing on the 1st at
# this local hour, in this language; a render may take this many seconds in a worker.
INFLUENCE_BRIEFING_HOUR = env.int("INFLUENCE_BRIEFING_HOUR", default=6)
INFLUENCE_BRIEFING_LANGUAGE = env.str("INFLUENCE_BRIEFING_LANGUAGE", default="fr")
INFLUENCE_BRIEFING_TIME_LIMIT = env.int("INFLUENCE_BRIEFING_TIME_LIMIT", default=300)
# Who answers for a scheduled briefing (its testimony uses are recorded in their name):
# this username, or else the longest-standing active unit-wide coordinator.
INFLUENCE_BRIEFING_OWNER = env.str("INFLUENCE_BRIEFING_OWNER", default="")

# --- Veille (feeds) ---------------------------------------------------------------------
# Hosts or CIDRs the fetcher may reach even though they are not globally routable
# (tests, internal feeds), comma-separated: "127.0.0.1,feeds.intranet.example,10.2.0.0/16".
VEILLE_FETCH_ALLOWLIST = env.list("VEILLE_FETCH_ALLOWLIST", default=[])
VEILLE_USER_AGENT = env.str(
    "VEILLE_USER_AGENT",
    default="InfluenceVeille/1.0 (feed reader of the Migration Unit intranet)",
)
VEILLE_FETCH_MAX_BYTES = env.int("VEILLE_FETCH_MAX_BYTES", default=5 * 1024 * 1024)
VEILLE_FETCH_CONNECT_TIMEOUT = env.float("VEILLE_FETCH_CONNECT_TIMEOUT", default=5.0)
VEILLE_FETCH_READ_TIMEOUT = env.float("VEILLE_FETCH_READ_TIMEOUT", default=15.0)
VEILLE_FETCH_TOTAL_TIMEOUT = env.float("VEILLE_FETCH_TOTAL_TIMEOUT", default=45.0)
# A source is flagged as failing (health view, dashboard) after this many errors in a row.
VEILLE_FAILURE_THRESHOLD = env.int("VEILLE_FAILURE_THRESHOLD", default=5)
# How many due sources the dispatcher hands out per run (every minute).
VEILLE_DISPATCH_BATCH = env.int("VEILLE_DISPATCH_BATCH", default=500)

# --- Veille (desk: inbox, watch rules, digests, notes) ---------------------------------
# The inbox ranks and groups at most this many of the newest matching articles per
# request, so a very common word never ranks the whole corpus (see veille.selectors.items).
VEILLE_SEARCH_CANDIDATES = env.int("VEILLE_SEARCH_CANDIDATES", default=500)
# Local hour (Europe/Paris, 0–23) at which the daily digest emails are sent.
VEILLE_DIGEST_HOUR = env.int("VEILLE_DIGEST_HOUR", default=7)
# Articles fetched less than this long ago are evaluated again by the next watch-rule
# run (a fetch transaction still open when the rules ran cannot be missed).
VEILLE_RULES_SETTLE_SECONDS = env.int("VEILLE_RULES_SETTLE_SECONDS", default=600)
# Absolute address of the site, for the links in digest emails (no request there).
VEILLE_SITE_URL = env.str("VEILLE_SITE_URL", default="http://127.0.0.1:8000")

# --- Témoignages (records: retention, media, consent) -----------------------------------
# Days a testimony is kept after collection, per sensitivity, before the daily retention
# task anonymises it (or deletes it, see TEMOIGNAGES_RETENTION_ACTION).
TEMOIGNAGES_RETENTION_DAYS = {
    "standard": env.int("TEMOIGNAGES_RETENTION_DAYS_STANDARD", default=5 * 365),
    "confidential": env.int("TEMOIGNAGES_RETENTION_DAYS_CONFIDENTIAL", default=3 * 365),
    "strict": env.int("TEMOIGNAGES_RETENTION_DAYS_STRICT", default=2 * 365),
}
TEMOIGNAGES_RETENTION_ACTION = env.str("TEMOIGNAGES_RETENTION_ACTION", default="anonymise")
# Upload limits per kind of medium, in megabytes.
TEMOIGNAGES_MEDIA_MAX_BYTES = {
    "photo": env.int("TEMOIGNAGES_MAX_PHOTO_MB", default=15) * 1024 * 1024,
    "audio": env.int("TEMOIGNAGES_MAX_AUDIO_MB", default=50) * 1024 * 1024,
    "video": env.int("TEMOIGNAGES_MAX_VIDEO_MB", default=200) * 1024 * 1024,
    "document": env.int("TEMOIGNAGES_MAX_DOCUMENT_MB", default=20) * 1024 * 1024,
}
# Larger images are refused as possible decompression bombs.
TEMOIGNAGES_MAX_IMAGE_PIXELS = env.int("TEMOIGNAGES_MAX_IMAGE_PIXELS", default=50_000_000)
# ffmpeg strips audio/video metadata when found on PATH; empty disables it.
TEMOIGNAGES_FFMPEG_BINARY = env.str("TEMOIGNAGES_FFMPEG_BINARY", default="ffmpeg")
# Validity of a consent recorded without an expiry date, and the renewal warning window.
TEMOIGNAGES_CONSENT_DEFAULT_MONTHS = env.int("TEMOIGNAGES_CONSENT_DEFAULT_MONTHS", default=24)
TEMOIGNAGES_CONSENT_EXPIRING_DAYS = env.int("TEMOIGNAGES_CONSENT_EXPIRING_DAYS", default=30)
# The earliest plausible collection date (ISO format): an earlier one is refused at input
# as a typo (0001-01-01 would otherwise set a retention date centuries back).
TEMOIGNAGES_EARLIEST_COLLECTION_DATE = date.fromisoformat(
    env.str("TEMOIGNAGES_EARLIEST_COLLECTION_DATE", default="2000-01-01")
)

# --- Periodic tasks (Celery beat) -------------------------------------------------------

# Each app adds its periodic tasks below, in its own block; they read the app settings
# above.
CELERY_BEAT_SCHEDULE = {
    # core
    "core-clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
    "core-purge-old-login-attempts": {
        "task": "core.tasks.purge_old_login_attempts",
        "schedule": crontab(minute=27, hour=3),
    },
    "core-sweep-pdf-jobs": {
        "task": "core.tasks.sweep_pdf_jobs",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # veille
    "veille-dispatch-due-sources": {
        "task": "veille.tasks.dispatch_due_sources",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "veille-evaluate-watch-rules": {
        "task": "veille.tasks.evaluate_watch_rules",
        "schedule": 120.0,
        "options": {"expires": 110},
    },
    "veille-send-digests": {
        "task": "veille.tasks.send_digests",
        "schedule": crontab(minute=0, hour=VEILLE_DIGEST_HOUR),
        "options": {"expires": 3600},
    },
    "veille-refresh-theme-chart": {
        "task": "veille.tasks.refresh_theme_chart",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # temoignages
    "temoignages-retention-sweep": {
        "task": "temoignages.tasks.retention_sweep",
        "schedule": crontab(minute=37, hour=3),
        "options": {"expires": 6 * 3600},
    },
    # influence
    "influence-monthly-briefing": {
        "task": "influence.tasks.schedule_monthly_briefing",
        "schedule": crontab(minute=0, hour=INFLUENCE_BRIEFING_HOUR, day_of_month=1),
        "options": {"expires": 12 * 3600},
    },
}
