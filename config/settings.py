"""
Settings for the Aurora Business Network.

Everything that differs between a laptop, CI and production is read from the
environment (12-factor style). With no environment at all the project runs on
the embedded default: a SQLite file, the database search backend and Celery
tasks executed eagerly in-process, so `make demo` needs no services.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

# The default lets a laptop run without configuration; config.deploy_checks
# refuses to serve with it (or with an empty key) unless DEBUG is on, which
# is why bandit's hard-coded-password finding does not apply.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-change-me"  # nosec B105
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The addresses a form may be posted from, with their scheme ("https://network.example.org").
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- HTTPS -----------------------------------------------------------------------

# One switch for a site served over HTTPS: redirect plain HTTP, mark the
# cookies secure and tell browsers (HSTS) never to try HTTP again. Off by
# default so a laptop and the tests run on plain http://127.0.0.1.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
# Behind a proxy that ends TLS, the request arrives over HTTP; the proxy says
# which it was. Only set this where the proxy overwrites the header a client sends.
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "django_htmx",
    "allauth",
    "allauth.account",
    "axes",
    "directory",
    "search",
    "matching",
    "health",
]

MIDDLEWARE = [
    # First: a probe is answered before host checks, the HTTPS redirect and
    # sessions, so a load balancer may ask by address over plain HTTP.
    "health.middleware.HealthProbeMiddleware",
    "config.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A lost database answers 503 with Retry-After (API and pages), not 500.
    "config.unavailable.DatabaseUnavailableMiddleware",
    "config.api.RejectNullCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the outcome of every sign-in attempt the views made.
    "config.login_lockout.LoginLockoutMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide layout (base.html) and the account pages' look.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while an import or a task writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out and concurrent attempts before a password is checked.
    "config.login_lockout.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("ko", "한국어"),
    ("zh-hant", "繁體中文"),
    ("pl", "Polski"),
    ("am", "አማርኛ"),
]
# Django ships no Amharic locale; its name must be known before LANGUAGES can use it.
LANG_INFO.setdefault("am", {"bidi": False, "code": "am", "name": "Amharic", "name_local": "አማርኛ"})
# The project's own strings first, then Amharic for the Django and allauth strings
# the pages show (neither ships an Amharic catalogue).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "libraries"]
TIME_ZONE = "America/Denver"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic gathers the files (the image sets it); unset elsewhere,
# where the development server and the tests serve them from the apps.
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=None)
# The image collects the static files once, with hashed names, and WhiteNoise
# serves them with far-future caching; elsewhere files are served as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("DJANGO_STATIC_MANIFEST", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Content-Security-Policy (django-csp) ---------------------------------------------

# Scripts and styles come only from this site's own files: no inline script or
# style attribute, so injected markup cannot run or restyle a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Accounts (django-allauth) -------------------------------------------------

# Firms sign in with the email they verified; staff and demo accounts may also
# use their username.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "directory.accounts.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Aurora Business Network] "
# Sign-up is limited per address; sign-in failures are django-axes' business
# (below), so allauth's own failure counter, which staff cannot clear, is off.
ACCOUNT_RATE_LIMITS = {
    "signup": env("SIGNUP_RATE", default="10/h/ip"),
    "login_failed": False,
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "me"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# --- Sign-in lockout (django-axes) -----------------------------------------------

# After this many wrong passwords for one account within the cool-off, every
# sign-in to it (pages, API token, admin) answers 429 until the cool-off ends
# or staff delete the attempt under Admin › Axes › Access attempts.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "config.login_lockout.account_key"
AXES_LOCKOUT_CALLABLE = "config.login_lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Attempts refused during a lockout are not counted, so the count is the number
# of passwords actually tried, and the cool-off runs from the last real one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
# Client addresses for throttles and lockouts. With no proxy in front (the
# default), only the socket's address counts: an X-Forwarded-For header is then
# whatever the client chose to write, and trusting it would let anyone reset
# their allowance with each request.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
if not TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = [
    # config.login_lockout.LoginLockoutMiddleware does axes.middleware.AxesMiddleware's
    # job, for DRF requests too (whose lockout flag AxesMiddleware cannot see).
    "axes.W002",
    # Counted per account on purpose, whatever the address or browser: a firm's
    # office behind one address must not lock its colleagues out. allauth's
    # per-address limit on sign-in ("login", 30 a minute) slows spraying.
    "axes.W006",
]

# --- The network -----------------------------------------------------------

# The city this installation serves; every other city is a partner of it.
HOME_CITY = env("HOME_CITY", default="Aurora")
# A published profile must be re-confirmed by its owner this often...
PROFILE_FRESHNESS_DAYS = env.int("PROFILE_FRESHNESS_DAYS", default=365)
# ...and the owner is reminded this many days before it lapses.
PROFILE_REMINDER_DAYS = env.int("PROFILE_REMINDER_DAYS", default=14)
# Hosts many unrelated firms share (social networks, site builders, blog
# platforms): a website on one of these, or a subdomain of one, says nothing
# about which firm it is, so it never marks two profiles as duplicates.
DUPLICATE_IGNORED_DOMAINS = env.list("DUPLICATE_IGNORED_DOMAINS", default=[
    "facebook.com", "fb.com", "instagram.com", "linkedin.com", "x.com", "twitter.com", "youtube.com",
    "tiktok.com", "linktr.ee", "wa.me", "t.me", "line.me", "kakao.com", "naver.com", "daum.net",
    "wixsite.com", "blogspot.com", "wordpress.com", "weebly.com", "square.site", "business.site",
    "sites.google.com", "google.com", "github.io",
])
# Two names in the same city whose folded forms are at least this similar
# (difflib ratio, 0..1) are flagged as a likely duplicate.
DUPLICATE_NAME_SIMILARITY = env.float("DUPLICATE_NAME_SIMILARITY", default=0.9)

# --- Search ------------------------------------------------------------------

SEARCH_BACKEND = env("SEARCH_BACKEND", default="database")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="http://127.0.0.1:9200")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="aurora_")
ELASTICSEARCH_REPLICAS = env.int("ELASTICSEARCH_REPLICAS", default=0)
ELASTICSEARCH_SHARDS = env.int("ELASTICSEARCH_SHARDS", default=1)
# With Elasticsearch's security on: the user the network signs in as.
ELASTICSEARCH_USERNAME = env("ELASTICSEARCH_USERNAME", default="")
ELASTICSEARCH_PASSWORD = env("ELASTICSEARCH_PASSWORD", default="")

# --- Matching --------------------------------------------------------------------

# Pair partner-city firms with each other too, not only with home-city firms.
MATCH_PARTNER_TO_PARTNER = env.bool("MATCH_PARTNER_TO_PARTNER", default=False)
# Feature weights override matching.engine.DEFAULT_WEIGHTS key by key, e.g.
# MATCHING_WEIGHTS=code_overlap=0.5,trade_roles=0.1
MATCHING_WEIGHTS = {k: float(v) for k, v in env.dict("MATCHING_WEIGHTS", default={}).items()}
MATCHING_THRESHOLD = env.float("MATCHING_THRESHOLD", default=0.35)
MATCHING_CANDIDATES_PER_FIRM = env.int("MATCHING_CANDIDATES_PER_FIRM", default=30)
# At most this many open introductions (requested, proposed, approved) per firm; matching fills to it, best first.
MATCHING_OPEN_PROPOSALS_PER_FIRM = env.int("MATCHING_OPEN_PROPOSALS_PER_FIRM", default=5)
MATCHING_CHUNK_SIZE = env.int("MATCHING_CHUNK_SIZE", default=200)
MATCHING_COOLING_OFF_DAYS = env.int("MATCHING_COOLING_OFF_DAYS", default=180)
# A run still "running" after this long died without closing; the next run may start.
MATCHING_RUN_TIMEOUT_HOURS = env.int("MATCHING_RUN_TIMEOUT_HOURS", default=6)

# --- Celery --------------------------------------------------------------------

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker there is nobody to run a task later, so run it now.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Each task goes to the queue of its kind of work (config.celery.TASK_QUEUES:
# indexing, matching, email), so each kind has workers of its own and a long
# matching run never holds up a confirmation email. The prefix lets several
# installations, or tests, share one Redis.
CELERY_QUEUE_PREFIX = env("CELERY_QUEUE_PREFIX", default="")
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died before acknowledging it is delivered again after
# visibility_timeout seconds. Kombu's other Redis options may be set too, e.g.
# CELERY_BROKER_TRANSPORT_OPTIONS=visibility_timeout=600,unacked_restore_interval=5
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    **{k: int(v) for k, v in env.dict("CELERY_BROKER_TRANSPORT_OPTIONS", default={}).items()},
}
# A request that queues a task must not hang when Redis is away: try briefly,
# then give up (the outbox row is committed; beat retries within a minute).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat records each task it sends at once (not every three minutes), which is
# what its container's health check reads (manage.py beat_health).
CELERY_BEAT_SYNC_EVERY = 1
# Workers log through LOGGING above (JSON lines, with the task id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "drain-search-outbox": {
        "task": "search.tasks.drain_outbox",
        "schedule": 60.0,
    },
    "drop-lapsed-profiles-from-search": {
        "task": "search.tasks.queue_lapsed_profiles",
        "schedule": crontab(hour=3, minute=15),
    },
    "nightly-matching-run": {
        "task": "matching.tasks.run_matching",
        "schedule": crontab(hour=2, minute=30),
    },
    "remind-and-expire-introductions": {
        "task": "matching.tasks.remind_and_expire_introductions",
        "schedule": crontab(minute=10),
    },
    "introduction-followups": {
        "task": "matching.tasks.send_introduction_followups",
        "schedule": crontab(hour=9, minute=0),
    },
    "send-unsent-emails": {
        "task": "matching.tasks.send_unsent_emails",
        "schedule": 300.0,
    },
    "remind-owners-of-expiring-profiles": {
        "task": "directory.tasks.remind_expiring_profiles",
        "schedule": crontab(hour=7, minute=0),
    },
    # Early, so the digest of yesterday's new firms is waiting at the start of the day.
    "saved-search-digests": {
        "task": "search.tasks.send_saved_search_digests",
        "schedule": crontab(hour=6, minute=0),
    },
}

# --- Introductions ------------------------------------------------------------------

INTRODUCTION_REQUESTS_PER_DAY = env.int("INTRODUCTION_REQUESTS_PER_DAY", default=10)
INTRODUCTION_REMINDER_DAYS = env.int("INTRODUCTION_REMINDER_DAYS", default=7)
INTRODUCTION_EXPIRE_DAYS = env.int("INTRODUCTION_EXPIRE_DAYS", default=21)
INTRODUCTION_FOLLOWUP_DAYS = [int(d) for d in env.list("INTRODUCTION_FOLLOWUP_DAYS", default=["30", "90"])]
# Links in emails point here.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Email ---------------------------------------------------------------------

EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Aurora Business Network <network@localhost>")
# The mail server of the SMTP backend (django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
# STARTTLS on the submission port (587); EMAIL_USE_SSL for implicit TLS (465).
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Cache ---------------------------------------------------------------------

# Throttle counters and sign-in claims live here: give every web process the
# same one in production (CACHE_URL=redis://host:6379/1); the default is per process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- API -----------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "PAGE_SIZE": 20,
    # Rates for the throttles in config.throttling ("20/minute", "100/hour").
    # The directory page shares "search" with the API.
    "DEFAULT_THROTTLE_RATES": {
        "search": env("SEARCH_RATE", default="60/minute"),
        "introduction_requests": env("INTRODUCTION_REQUEST_RATE", default="20/hour"),
    },
    # 0 means REMOTE_ADDR alone (None would trust the whole X-Forwarded-For).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Aurora Business Network API",
    "DESCRIPTION": (
        "Directory and trade-matching service for Aurora, Colorado and its "
        "sister and friendship cities."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # What a client sends and what it gets back differ (required, read-only, blank).
    "COMPONENT_SPLIT_REQUEST": True,
    # Two models have a status; name each set of choices after its model.
    "ENUM_NAME_OVERRIDES": {
        "BusinessStatusEnum": "directory.models.Business.Status",
        "IntroductionStatusEnum": "matching.models.Introduction.Status",
        "ProfileFlagStatusEnum": "directory.models.ProfileFlag.Status",
        "ProfileFlagReasonEnum": "directory.models.ProfileFlag.Reason",
        # A profile's trade roles and the trade-role filter a saved search keeps.
        "TradeRolesEnum": "directory.models.Business.TradeRole",
    },
}

# --- Logs and errors -------------------------------------------------------------------

# JSON lines on stdout, one object a record, each with the request (or task) id
# it belongs to; plain text on a development machine.
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.json_logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The client logs every request at INFO; failures still come through.
        "elastic_transport": {"level": "WARNING"},
    },
}

SESSION_COOKIE_AGE = int(timedelta(days=14).total_seconds())

# Errors go to Sentry when a DSN is given; no personal data is sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# --- Health --------------------------------------------------------------------

# /readyz answers 503 when the oldest change not yet in the search engine is older than this.
READY_OUTBOX_LAG_SECONDS = env.int("READY_OUTBOX_LAG_SECONDS", default=600)
# Each dependency /readyz asks must answer within this many seconds.
READY_TIMEOUT_SECONDS = env.float("READY_TIMEOUT_SECONDS", default=2.0)

# The production guard: `check --deploy` and the WSGI/ASGI entry points refuse
# the development key (see config.deploy_checks).
import config.deploy_checks  # noqa: E402,F401
