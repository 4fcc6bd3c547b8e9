"""Complete settings for the Flemingsberg plan portal.

Everything that varies between machines is read from the environment. The
defaults are safe: DEBUG is off, there is no production secret, and the
database is an embedded SQLite file. ``dev.py`` and ``test.py`` only override.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# ---------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Put it in the environment or in .env "
        "(`make run` writes a random one for development)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets a page in the site's layout that says how to send it again.
CSRF_FAILURE_VIEW = "flemingsberg.errors.csrf_failure"

# Response headers (tests/flemingsberg/test_security_headers.py): the
# Content-Security-Policy is further down; HSTS is set in production.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the portal never uses, switched off for its pages and any
# frame in them (django-permissions-policy's middleware), including
# ad tracking (interest-cohort, its successor browsing-topics). Only names that
# Chromium knows: an unknown one ("bluetooth") earns a console error per page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "storage-access",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ]
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("BEHIND_TLS_PROXY", default=False)
    else None
)

# ---------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------

INSTALLED_APPS = [
    "flemingsberg.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its widget templates, for FORM_RENDERER below.
    "django.forms",
    "django_filters",
    "django_tables2",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "django_tasks",
    "flemingsberg.apps.TaskQueueConfig",
    "stakeholders",
    "plans",
    "flemingsberg",
]

# The header middleware sits above WhiteNoise, so that static files carry the
# same headers as pages, and above everything that can answer early (an error
# page for a bad Host header comes from CommonMiddleware).
MIDDLEWARE = [
    # A repeated anonymous PDF download, answered with the whole stack's
    # headers as it gave them the first time, while the data stay the same.
    "plans.caching.KeptDownloadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the shared cache: under the header middleware
    # (a kept page gets them too), above sessions and the views it saves.
    "plans.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "flemingsberg.urls"
# Form widgets are rendered through TEMPLATES, so that templates/django/forms/
# can make Django's selects valid HTML (a placeholder option where required).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "flemingsberg.wsgi.application"
ASGI_APPLICATION = "flemingsberg.asgi.application"

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
                "flemingsberg.context_processors.navigation",
                "flemingsberg.context_processors.other_languages",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's queries are short; PostgreSQL's JIT compiler spent longer
    # compiling the dashboard's aggregates (~35 ms) than running them.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by the web server and the task worker:
    # with a write-ahead log, pages and downloads read on while a render or
    # an edit is written, instead of waiting for the writer's lock.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["init_command"] = "PRAGMA journal_mode=WAL;"
    # A transaction takes the write lock when it begins and waits its turn
    # behind the other writers (up to ``timeout`` seconds), rather than fail
    # with "database is locked" when another write came between its read and
    # its write.
    _options["transaction_mode"] = "IMMEDIATE"
    _options.setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Cache (file-based by default so several app servers on one host share it)
# ---------------------------------------------------------------------------

CACHES = {
    "default": env.cache(
        "CACHE_URL", default=f"filecache://{BASE_DIR / '.cache' / 'django'}"
    ),
}
# Several portals (or test runs) on one Redis keep apart by a prefix of their own.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")

# Whole public pages for anonymous visitors (plans.caching), kept under the
# data generation: seconds an entry may outlive its generation (0 turns the
# page cache off), and the views (URL names or namespaces) whose pages are kept.
# Every app server must share the cache above (Redis, or the file cache on one
# host): a cache of each process's own would not see another's edits.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_VIEWS = ["plans", "accessibility"]

# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "plans:home"

# Failed sign-ins before a pause (flemingsberg.proxy.failure_limit): per user
# name at one address, and per address across user names.
SIGN_IN_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_FAILURE_LIMIT = "flemingsberg.proxy.failure_limit"
AXES_COOLOFF_TIME = 1  # hours
# Lock the combination, so one person's typos do not lock out a whole office.
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
# The visitor's address: X-Forwarded-For is believed only from these proxies.
AXES_CLIENT_IP_CALLABLE = "flemingsberg.proxy.client_ip"
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# django-axes' own admin pages name their rows in English (its models'
# __str__); lock-outs are listed and lifted with `manage.py axes_list_attempts`
# and `manage.py axes_reset` (docs/deployment.md), and expire by themselves.
AXES_ENABLE_ADMIN = False

# ---------------------------------------------------------------------------
# Internationalisation: Swedish first, English second
# ---------------------------------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["flemingsberg.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files
# ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

# ---------------------------------------------------------------------------
# Content Security Policy (django-csp 4): no inline styles or scripts
# ---------------------------------------------------------------------------

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# ---------------------------------------------------------------------------
# The portal's public address (links inside PDFs point here)
# ---------------------------------------------------------------------------

PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000/")
if not PORTAL_URL.endswith("/"):
    PORTAL_URL += "/"

# ---------------------------------------------------------------------------
# Background tasks (django-tasks, the backport of Django 6's tasks framework)
# ---------------------------------------------------------------------------

# The queue is a table in the portal's own database; `python manage.py
# db_worker` runs its tasks on any host that reaches the database
# (docs/deployment.md, "Task worker").
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    },
}
# PDFs are rendered by the task worker (plans.services.stored_pdfs): seconds a
# render may take, renders at once across all workers, attempts before a
# failing document waits for the next change, and the first pause between
# attempts (doubled each time).
PDF_RENDER_TIMEOUT = env.float("PDF_RENDER_TIMEOUT", default=300)
PDF_MAX_CONCURRENT_RENDERS = env.int("PDF_MAX_CONCURRENT_RENDERS", default=2)
PDF_RENDER_ATTEMPTS = env.int("PDF_RENDER_ATTEMPTS", default=4)
PDF_RETRY_SECONDS = env.float("PDF_RETRY_SECONDS", default=15)
# Seconds between two renders of one document: a change within this time of
# the last render waits for the rest of it (a burst of edits, one render).
PDF_RENDER_INTERVAL = env.float("PDF_RENDER_INTERVAL", default=10)
# Stored PDFs are sent from files on each host's disk, named by checksum
# (plans.services.pdf_files); the database stays the source.
PDF_FILES_DIR = env.path("PDF_FILES_DIR", default=BASE_DIR / ".cache" / "pdfs")
# When nginx runs on the same host and serves PDF_FILES_DIR at an internal
# location (docs/deployment.md), the path of that location: a download then
# answers with X-Accel-Redirect and nginx sends the file. Empty: gunicorn
# sends the bytes itself.
PDF_FILES_URL = env.str("PDF_FILES_URL", default="")
# When nginx runs on the same host as the web app and the task worker: the
# directory where the public PDFs are published as files at the paths of
# their URLs, for nginx to send to anonymous visitors without asking the
# portal (plans.services.published_pdfs, `manage.py nginx_published_pdfs`).
# Empty: every download goes to the portal.
PDF_PUBLISHED_DIR = env.str("PDF_PUBLISHED_DIR", default="")

# ---------------------------------------------------------------------------
# Email (console by default)
# ---------------------------------------------------------------------------

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# EMAIL_URL=smtp+tls://user:password@mail.example.se:587 sends through an SMTP
# server (django-environ's email_url: smtp://, smtp+tls://, smtp+ssl://); it
# sets the backend, host, port, user, password and TLS in one value.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="planportal@localhost")

# Of an uploaded file (the admin's import of action items is the only one), no
# more than this is kept; the form says how big the file was.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "flemingsberg.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# ---------------------------------------------------------------------------
# Third-party apps
# ---------------------------------------------------------------------------

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Import and export need their own permissions (plans.import_actionitem, …),
# which only the editor group holds.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Rows an Excel user has emptied (but not deleted) are not rows to import.
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
# The uploaded file waits between preview and confirmation in the shared cache,
# not on one app server's disk.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
