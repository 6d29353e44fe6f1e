"""Luoshi settings: one module, driven by the environment; SQLite by default.

Environment variables:
  DATABASE_URL        postgres://user@host/db switches to PostgreSQL (default: SQLite in ./var)
  LUOSHI_DATA_DIR     where the SQLite file and uploads live (default: ./var)
  SECRET_KEY          signing key (default: a random key kept in $LUOSHI_DATA_DIR/secret_key)
  DEBUG               "1" for development tracebacks (default off, also under `make run`)
  ALLOWED_HOSTS       comma separated
  LUOSHI_QUEUE_URL    the background worker's queue: redis://host:6379/0 for production with
                      several workers (default: a SQLite file in $LUOSHI_DATA_DIR, no server)
  LUOSHI_CACHE_URL    the shared cache (rate limits, cockpit figures): redis://host:6379/1 with
                      several machines; db:// (the default: a table in the database) or
                      locmem:// (one process only) — luoshi/lib/cache_conf.py
  LUOSHI_DB_CONN_MAX_AGE       seconds a PostgreSQL connection is kept between requests (60)
  LUOSHI_DB_STATEMENT_TIMEOUT  milliseconds after which PostgreSQL cancels a statement (none;
                      `luoshi serve` sets 30000 for the web processes)
  LUOSHI_DB_POOL      "MIN,MAX": psycopg's connection pool per process instead of persistent
                      connections (needs psycopg[pool]); docs/SCALE.md
  EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL,
  DEFAULT_FROM_EMAIL, EMAIL_TIMEOUT   outgoing mail (SMTP) for notifications
  LUOSHI_SITE_URL     the address users open Luoshi at (links in e-mails and group robots)
  LUOSHI_SMS_GATEWAY, LUOSHI_SMS_URL, LUOSHI_SMS_TOKEN   the SMS gateway (default: the log)
  LUOSHI_HTTPS        "1" when served over HTTPS behind a proxy: HSTS, secure cookies, redirect
                      (LUOSHI_SSL_REDIRECT, LUOSHI_HSTS_SECONDS, LUOSHI_HSTS_SUBDOMAINS tune it)
"""

import os
from pathlib import Path

import dj_database_url

from luoshi.lib.cache_conf import cache_settings
from luoshi.worker.conf import huey_settings

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LUOSHI_DATA_DIR", BASE_DIR.parent / "var"))

DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "luoshi.org",
    "luoshi.workcal",
    "luoshi.audit",
    "luoshi.tasks",
    "luoshi.reports",
    "luoshi.notifications",
    "luoshi.extensions",
    "luoshi.rechecks",
    "luoshi.supervision",
    "luoshi.ledger",
    "luoshi.extraction",
    "luoshi.meetings",
    "luoshi.bulletins",
    "luoshi.evaluation",
    "luoshi.policies",
    "luoshi.outcomes",
    "luoshi.cadres",
    "luoshi.search",
    "luoshi.cockpit",
    "luoshi.api",
    "luoshi.campaigns",
    "luoshi.clues",
    "luoshi.security",
    "luoshi.backup",
    "ninja",  # django-ninja: its Swagger UI files served from here, no CDN (docs/API.md)
    "luoshi.home",
    "luoshi.demo",
    "luoshi.generator",  # `luoshi generate`: a synthetic province for benchmarks (issue 9)
    "huey.contrib.djhuey",
    "luoshi.worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy, CORP; no-store for logged-in pages (docs/HARDENING.md)
    "luoshi.lib.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "luoshi.lib.request_context.RequestContextMiddleware",
    "luoshi.access.middleware.LoginRequiredMiddleware",
    # idle timeout, session lifetime, and the pages a half-logged-in user may reach
    "luoshi.security.middleware.SessionGuardMiddleware",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi.access.context.access_context",
            ],
        },
    },
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated on first start and kept on disk
    (readable by the owner only), so sessions survive restarts and no key is in the code."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

# --- database -----------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    # Several processes (gunicorn workers, huey consumers) each keep a connection between
    # requests, checked before reuse after an idle spell (docs/SCALE.md).
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=int(os.environ.get("LUOSHI_DB_CONN_MAX_AGE", 60)),
            conn_health_checks=True,
        )
    }
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    if os.environ.get("LUOSHI_DB_STATEMENT_TIMEOUT"):
        _pg_options["options"] = " ".join(
            filter(
                None,
                [
                    _pg_options.get("options", ""),
                    f"-c statement_timeout={int(os.environ['LUOSHI_DB_STATEMENT_TIMEOUT'])}",
                ],
            )
        )
    if os.environ.get("LUOSHI_DB_POOL"):
        _pool_min, _pool_max = (int(n) for n in os.environ["LUOSHI_DB_POOL"].split(","))
        _pg_options["pool"] = {"min_size": _pool_min, "max_size": _pool_max, "timeout": 10}
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "luoshi.sqlite3",
            "OPTIONS": {
                # IMMEDIATE: a writer takes the lock at BEGIN, so two writers queue on the
                # busy timeout instead of failing with "database is locked" on upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The length, complexity and history rules read the 安全管理员's policy (luoshi/security).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "luoshi.security.validators.PolicyLengthValidator"},
    {"NAME": "luoshi.security.validators.PolicyComplexityValidator"},
    {"NAME": "luoshi.security.validators.NotContainingUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "luoshi.security.validators.PasswordHistoryValidator"},
]
# 身份鉴别 (docs/SECURITY.md): the second factor at log-in (always for the three
# administrators; for everyone when the policy says so), and the forced change of an expired
# or administrator-set password. The test settings turn both off for the older tests.
LUOSHI_ENFORCE_TOTP = os.environ.get("LUOSHI_ENFORCE_TOTP", "1") == "1"
LUOSHI_ENFORCE_PASSWORD_CHANGE = os.environ.get("LUOSHI_ENFORCE_PASSWORD_CHANGE", "1") == "1"

# --- i18n / time -------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploads --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The project-wide assets (luoshi/static: layout CSS, htmx) live outside any app's folder.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads live outside the web root and are only served through an access-checked view.
MEDIA_ROOT = DATA_DIR / "uploads"
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind HTTPS (LUOSHI_HTTPS=1, docs/HARDENING.md): HSTS, cookies only over TLS, plain HTTP
# redirected; the reverse proxy must set X-Forwarded-Proto and strip it from clients.
HTTPS = os.environ.get("LUOSHI_HTTPS", "0") == "1"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("LUOSHI_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("LUOSHI_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("LUOSHI_HSTS_SUBDOMAINS", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # An intranet host cannot be on the browsers' HSTS preload list: the preload flag is not
    # sent and Django's reminder about it (security.W021) is silenced on purpose.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- outgoing mail (notifications) ------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", 10))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "luoshi@localhost")

# --- background worker (luoshi/worker): huey ---------------------------------------------------
HUEY = huey_settings(queue_url=os.environ.get("LUOSHI_QUEUE_URL", ""), data_dir=DATA_DIR)

# --- cache, shared by every process (luoshi/lib/cache_conf.py) and sessions -----------------
CACHES = cache_settings(cache_url=os.environ.get("LUOSHI_CACHE_URL", ""))
# Sessions stay in the database whatever the cache: they survive a Redis restart, and ending a
# user's sessions (log-out elsewhere, lockout) is one place, the session table (docs/SCALE.md).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"worker": {"format": "[%(asctime)s] %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "worker": {"class": "logging.StreamHandler", "formatter": "worker"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # the worker's log (var/worker.log under `make run`): each job started and finished, and
    # the daily work's counts
    "loggers": {
        "huey": {"handlers": ["worker"], "level": "INFO", "propagate": False},
        "luoshi.worker": {"handlers": ["worker"], "level": "INFO", "propagate": False},
    },
}

# --- audit, backup, encryption at rest (docs/AUDIT.md, docs/BACKUP.md) --------------------
# How long audit rows must be kept, in days: at least 180 (等保 level 3), checked at start-up.
# The app never deletes audit rows (the table is append-only); archive with `luoshi audit export`.
LUOSHI_AUDIT_RETENTION_DAYS = os.environ.get("LUOSHI_AUDIT_RETENTION_DAYS", "180")
# The daily check of the audit chain (the worker); a break notifies the audit administrators.
LUOSHI_AUDIT_VERIFY_DAILY = os.environ.get("LUOSHI_AUDIT_VERIFY_DAILY", "1") == "1"
# Nightly backups by the worker: on with "1", into LUOSHI_BACKUP_DIR, keeping the newest N.
LUOSHI_BACKUP_NIGHTLY = os.environ.get("LUOSHI_BACKUP_NIGHTLY", "0") == "1"
LUOSHI_BACKUP_DIR = Path(os.environ.get("LUOSHI_BACKUP_DIR", DATA_DIR / "backups"))
LUOSHI_BACKUP_KEEP = int(os.environ.get("LUOSHI_BACKUP_KEEP", 7))
# Sensitive fields (User.phone, …) encrypted at rest when a key is set. LUOSHI_FIELD_KEY:
# "id:base64key[,id:base64key…]", the first encrypts, all decrypt (rotation);
# LUOSHI_FIELD_CIPHER: sm4 (SM4-GCM, default) or aes (AES-256-GCM).
LUOSHI_FIELD_KEY = os.environ.get("LUOSHI_FIELD_KEY", "")
LUOSHI_FIELD_CIPHER = os.environ.get("LUOSHI_FIELD_CIPHER", "sm4")

# --- product rules (DESIGN.md); thresholds are settings ----------------------------------------
LUOSHI = {
    # yellow when due within this many working days
    "DUE_SOON_WORKING_DAYS": int(os.environ.get("LUOSHI_DUE_SOON_WORKING_DAYS", 3)),
    # yellow when elapsed share of the period minus reported percent exceeds this many points
    "LAG_POINTS": int(os.environ.get("LUOSHI_LAG_POINTS", 30)),
    # attachments
    "ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,
    "ATTACHMENT_EXTENSIONS": [
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "wps",
        "et",
        "ofd",
        "txt",
        "jpg",
        "jpeg",
        "png",
        "zip",
    ],
    "TASK_CODE_PREFIX": "RW",
    # 单位负责人审核: a liaison's closure request waits for the unit head's approval before it
    # goes to the office (DESIGN.md, roles). Off: it goes straight up.
    "CLOSURE_NEEDS_HEAD_APPROVAL": os.environ.get("LUOSHI_CLOSURE_NEEDS_HEAD_APPROVAL", "0") == "1",
    # Notifications (luoshi/notifications/conf.py lists the rest, with their defaults).
    "SITE_URL": os.environ.get("LUOSHI_SITE_URL", "").rstrip("/"),
    "SMS_GATEWAY": os.environ.get(
        "LUOSHI_SMS_GATEWAY", "luoshi.notifications.channels.sms.ConsoleGateway"
    ),
    "SMS_URL": os.environ.get("LUOSHI_SMS_URL", ""),
    "SMS_TOKEN": os.environ.get("LUOSHI_SMS_TOKEN", ""),
    # 督查活动 (docs/CAMPAIGNS.md): default working days a 督查通知 goes out before the start
    # (each inspection may change it), and working days a unit has for its 陈述申辩
    "CAMPAIGN_NOTICE_DAYS_AHEAD": int(os.environ.get("LUOSHI_CAMPAIGN_NOTICE_DAYS_AHEAD", 3)),
    "CAMPAIGN_STATEMENT_DAYS": int(os.environ.get("LUOSHI_CAMPAIGN_STATEMENT_DAYS", 5)),
}
