"""All settings come from the environment; defaults give a working laptop install on SQLite."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from clearline.core import headers
from clearline.core.limits import LARGEST_REQUEST_BYTES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CLEARLINE_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    """Read a setting; NAME_FILE, when set, names a file holding the value (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = env(name, "").strip()
    if raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and env_bool("CLEARLINE_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # A stable per-install key, so sessions survive restarts of a laptop install.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        SECRET_KEY = key_file.read_text().strip()
    else:
        from django.core.management.utils import get_random_secret_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = get_random_secret_key()
        key_file.write_text(SECRET_KEY)
        key_file.chmod(0o600)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Unset, the address `clearline serve` listens on (CLEARLINE_BIND), so links in the demo's
# mails and messages lead back to it; 0.0.0.0 is reached as 127.0.0.1 from this machine.
_bind = env("CLEARLINE_BIND", "127.0.0.1:8000").replace("0.0.0.0:", "127.0.0.1:")  # noqa: S104
SITE_URL = env("SITE_URL", f"http://{_bind}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' scripts from our own static files, not a CDN
    "clearline.core",
    "clearline.accounts",
    "clearline.incidents",
    "clearline.updates",
    "clearline.statuspage",
    "clearline.desk",
    "clearline.promises",
    "clearline.channels",
    "clearline.brief",
    "clearline.notify",
    "clearline.reviews",
    "clearline.reviews.reports",
    "clearline.loop",
    "anymail",  # mail providers' bounce and complaint webhooks (and their sending backends)
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "clearline.core.middleware.RequestLimits",  # first: a too-large request costs nothing
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the sign-in page saying so
]

# Django's own ceiling on a body it reads; each address's own limit is in core/limits.py.
DATA_UPLOAD_MAX_MEMORY_SIZE = LARGEST_REQUEST_BYTES

ROOT_URLCONF = "clearline.urls"
WSGI_APPLICATION = "clearline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'clearline.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the worker read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sign-in throttling (django-axes), on /login/ and /admin/login/ alike. Failures count per
# username *and* address: guessing one person's password from one place stops after a few
# tries, yet nobody can lock a colleague out from elsewhere by typing their name (on the worst
# day, an attacker must not be able to keep the commander off the desk). API tokens are not
# passwords and are not counted. `clearline unlock USERNAME` or the admin lifts a lockout.
AUTHENTICATION_BACKENDS = [
    "clearline.accounts.throttling.SignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("CLEARLINE_SIGN_IN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CLEARLINE_SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clearline.accounts.throttling.locked_out"
# Behind deploy/nginx.conf every request comes from nginx: the person's address is the one
# nginx appends to X-Forwarded-For. Set CLEARLINE_BEHIND_PROXY only when a proxy sets it.
AXES_CLIENT_IP_CALLABLE = "clearline.accounts.throttling.client_address"
CLEARLINE_BEHIND_PROXY = env_bool("CLEARLINE_BEHIND_PROXY", False)
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/desk/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads (the organisation's logo); never served from here: reports embed it.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
CLEARLINE_SNAPSHOT_DIR = Path(env("CLEARLINE_SNAPSHOT_DIR", str(VAR_DIR / "snapshot")))
# After this many seconds the app re-renders a snapshot on the next public request (when the
# database answers); a publish re-renders at once.
CLEARLINE_SNAPSHOT_MAX_AGE = env_int("CLEARLINE_SNAPSHOT_MAX_AGE", 300)

# Background jobs run through django-tasks. "database" (the default): the jobs are rows in the
# same database, claimed by `clearline worker`; on PostgreSQL add workers on any machine, on
# SQLite run one (SQLite lets one process write at a time). "rq": the jobs go to Redis at
# CLEARLINE_REDIS_URL through django-tasks-rq, for installations that outgrow the database queue.
CLEARLINE_TASK_BACKEND = env("CLEARLINE_TASK_BACKEND", "database").strip().lower()
CLEARLINE_REDIS_URL = env("CLEARLINE_REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
if CLEARLINE_TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"CLEARLINE_TASK_BACKEND must be database or rq, not {CLEARLINE_TASK_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[CLEARLINE_TASK_BACKEND], "QUEUES": ["default"]}}
# A job may run for up to ten minutes (a large import's fan-out batch) before RQ stops it.
RQ_QUEUES = {"default": {"URL": CLEARLINE_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
if CLEARLINE_TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")  # the RQ backend's system check asks for it
# How often each worker queues the promise check (reminders for updates due soon or overdue).
CLEARLINE_PROMISE_CHECK_SECONDS = env_int("CLEARLINE_PROMISE_CHECK_SECONDS", 60)
# Business days an account owner has to follow up with a key account after a resolution.
CLEARLINE_FOLLOW_UP_BUSINESS_DAYS = env_int("CLEARLINE_FOLLOW_UP_BUSINESS_DAYS", 2)
# How often each worker checks that the public snapshot shows what the database holds (and
# retries writing it, backing off to once a minute while the folder stays unwritable).
CLEARLINE_SNAPSHOT_CHECK_SECONDS = env_int("CLEARLINE_SNAPSHOT_CHECK_SECONDS", 10)
# How long an idle worker waits before it looks at the queue again: a publish reaches the public
# snapshot within about this plus one render (one indexed query per look).
CLEARLINE_WORKER_POLL_SECONDS = env_float("CLEARLINE_WORKER_POLL_SECONDS", 0.2)
# How often each web process reads the last public change, so that it renders a page itself
# when the worker is late or cannot write the snapshot files (0: never).
CLEARLINE_SNAPSHOT_WATCH_SECONDS = env_float("CLEARLINE_SNAPSHOT_WATCH_SECONDS", 1.0)

# Subscribers: how long a confirmation link works, and the private networks webhooks may reach
# (comma-separated CIDRs; empty: only public addresses).
CLEARLINE_CONFIRM_HOURS = env_int("CLEARLINE_CONFIRM_HOURS", 48)
CLEARLINE_WEBHOOK_ALLOWED_NETWORKS = [
    n for n in env("CLEARLINE_WEBHOOK_ALLOWED_NETWORKS", "").split(",") if n.strip()
]
# How many subscribe requests one client address may make in the window (then 429).
CLEARLINE_SUBSCRIBE_LIMIT = env_int("CLEARLINE_SUBSCRIBE_LIMIT", 10)
CLEARLINE_SUBSCRIBE_WINDOW_SECONDS = env_int("CLEARLINE_SUBSCRIBE_WINDOW_SECONDS", 600)

# Delivery to subscribers (clearline.notify.sending). A failed attempt is retried after a random
# wait of up to base·2^(attempt-1) seconds (capped); after the last attempt it is a dead letter.
CLEARLINE_DELIVERY_ATTEMPTS = env_int("CLEARLINE_DELIVERY_ATTEMPTS", 8)
CLEARLINE_RETRY_BASE_SECONDS = env_int("CLEARLINE_RETRY_BASE_SECONDS", 30)
CLEARLINE_RETRY_CAP_SECONDS = env_int("CLEARLINE_RETRY_CAP_SECONDS", 3600)
# How long a worker holds the messages it claimed; a killed worker's claim lapses after this.
CLEARLINE_DELIVERY_LEASE_SECONDS = env_int("CLEARLINE_DELIVERY_LEASE_SECONDS", 120)
# How often each worker queues the sending of due retries and lapsed claims.
CLEARLINE_RETRY_CHECK_SECONDS = env_int("CLEARLINE_RETRY_CHECK_SECONDS", 15)
# Messages per job; a job's webhooks go out side by side.
CLEARLINE_EMAIL_BATCH = env_int("CLEARLINE_EMAIL_BATCH", 500)
# SMTP connections each send job keeps open to the mail server, side by side.
CLEARLINE_EMAIL_CONNECTIONS = max(1, env_int("CLEARLINE_EMAIL_CONNECTIONS", 3))
CLEARLINE_WEBHOOK_BATCH = env_int("CLEARLINE_WEBHOOK_BATCH", 50)
CLEARLINE_WEBHOOK_CONNECT_TIMEOUT = env_int("CLEARLINE_WEBHOOK_CONNECT_TIMEOUT", 3)
CLEARLINE_WEBHOOK_TIMEOUT = env_int("CLEARLINE_WEBHOOK_TIMEOUT", 10)  # the whole request
# An endpoint that has failed for this many days without a success is switched off.
CLEARLINE_ENDPOINT_DISABLE_DAYS = env_int("CLEARLINE_ENDPOINT_DISABLE_DAYS", 3)

# The tracker that mirrors action items (Jira, Linear, a script of your own): each item created
# or closed is posted there, signed per Standard Webhooks with the secret (whsec_…). Empty: none.
# It is reached like a subscriber's endpoint: public addresses only, unless
# CLEARLINE_WEBHOOK_ALLOWED_NETWORKS allows it; the delivery settings above apply.
CLEARLINE_ACTIONS_WEBHOOK_URL = env("CLEARLINE_ACTIONS_WEBHOOK_URL").strip()
CLEARLINE_ACTIONS_WEBHOOK_SECRET = env("CLEARLINE_ACTIONS_WEBHOOK_SECRET").strip()
if CLEARLINE_ACTIONS_WEBHOOK_URL and not CLEARLINE_ACTIONS_WEBHOOK_SECRET.startswith("whsec_"):
    raise ImproperlyConfigured(
        "CLEARLINE_ACTIONS_WEBHOOK_URL needs CLEARLINE_ACTIONS_WEBHOOK_SECRET, a whsec_ secret "
        "the tracker verifies the signatures with"
    )

EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A send that hangs must not outlive a reminder's claim (promises.services.CLAIM_LEASE).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "status@clearline.invalid")
if env("EMAIL_BACKEND"):
    EMAIL_BACKEND = env("EMAIL_BACKEND")
# A mail provider through django-anymail: EMAIL_BACKEND names it (for example
# anymail.backends.postmark.EmailBackend) and each ANYMAIL_<NAME> variable becomes
# ANYMAIL["<NAME>"] (ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET="user:password" for
# the provider's tracking webhook at /anymail/<provider>/tracking/).
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}
# Where the file backend (what `make run` uses when no mail server is set) writes each email.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
# The same security headers as the public snapshot files (clearline.core.headers).
X_FRAME_OPTIONS = headers.SECURITY_HEADERS["X-Frame-Options"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = headers.SECURITY_HEADERS["Referrer-Policy"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = headers.SECURITY_HEADERS["Cross-Origin-Opener-Policy"]
CONTENT_SECURITY_POLICY = {"DIRECTIVES": headers.CONTENT_SECURITY_POLICY}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SITE_URL.startswith("https://"))
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    # HSTS whenever the site is served over https; a laptop install on http never sends it.
    SECURE_HSTS_SECONDS = env_int(
        "SECURE_HSTS_SECONDS", headers.HSTS_SECONDS if SITE_URL.startswith("https://") else 0
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # axes: wrong passwords and lockouts are warnings; its note on every good sign-in is not.
    # django_tasks notes each job started and finished, the periodic checks every few seconds
    # among them; a job that fails is an error and still shows.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": env("CLEARLINE_TASK_LOG_LEVEL", "WARNING")},
    },
}

# The page's own public address is always an acceptable host (feeds are rendered for it).
_site_host = SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
if _site_host and "*" not in ALLOWED_HOSTS and _site_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_site_host)
