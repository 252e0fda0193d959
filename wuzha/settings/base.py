"""Settings shared by every environment, read from environment variables.

Every value that differs between machines comes from the environment (or a `.env` file next to
manage.py); typed helpers fail loudly on a bad value instead of guessing.
"""
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY 未设置:DEBUG 关闭时必须通过环境变量提供 SECRET_KEY。")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105 (DEBUG only)
# Personal data (ID numbers, phones) is encrypted with these Fernet keys, newest first; the keyed hash
# for exact search uses its own key. Neither is SECRET_KEY. See README "Personal data".
WUZHA_PII_KEYS = env.list("WUZHA_PII_KEYS", default=[])
WUZHA_PII_HASH_KEY = env.str("WUZHA_PII_HASH_KEY", default="")
if not WUZHA_PII_KEYS or not WUZHA_PII_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "WUZHA_PII_KEYS / WUZHA_PII_HASH_KEY 未设置:DEBUG 关闭时必须通过环境变量提供个人信息加密密钥。"
        )
    # DEBUG only: a fixed development key, so `make run` needs no setup. Never used in production.
    WUZHA_PII_KEYS = WUZHA_PII_KEYS or ["J9BPxaC-eMXqZfWffTCERwg0puwJTDsKAl-tpjocyzs="]
    WUZHA_PII_HASH_KEY = WUZHA_PII_HASH_KEY or "dev-only-pii-hash-key"  # noqa: S105 (DEBUG only)
# Behind a reverse proxy, the request header holding the client's address for the access log
# (e.g. HTTP_X_REAL_IP, set by nginx with `proxy_set_header X-Real-IP $remote_addr`); empty: REMOTE_ADDR.
WUZHA_CLIENT_IP_HEADER = env.str("WUZHA_CLIENT_IP_HEADER", default="")
# Uploaded imports never confirmed are deleted (with their file) after this many hours (sites.tasks.import_jobs_purge).
WUZHA_IMPORT_UNCONFIRMED_HOURS = env.int("WUZHA_IMPORT_UNCONFIRMED_HOURS", default=24)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "sites.apps.SitesConfig",
    "campaigns.apps.CampaignsConfig",
    "inspections.apps.InspectionsConfig",
]

MIDDLEWARE = [
    "wuzha.lib.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wuzha.lib.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wuzha.lib.http.NoStoreForUsersMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wuzha.urls"
WSGI_APPLICATION = "wuzha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sites.context_processors.portal",
                "sites.context_processors.reminders",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept-alive connection that the database dropped is detected and replaced before a request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first: new and re-hashed passwords use it; the others only read old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes first: it refuses locked-out usernames and IPs before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sites.auth.DemoAwareModelBackend",
]
# Lockout (MLPS 2.0 身份鉴别): the 5th failure of one username from one IP locks that pair for 30 minutes;
# the IP alone locks only at the 30th failure (many usernames tried), so one person's typos never lock an
# office behind one address (sites/lockout.py: axes compares every combination with one limit).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
WUZHA_IP_FAILURE_LIMIT = env.int("WUZHA_IP_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "sites.lockout.IpAndPairHandler"
AXES_LOCKOUT_CALLABLE = "sites.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The lock lasts 30 minutes from the 5th failure; attempts during the lock do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
# Seeded demo accounts share one published password: refused unless DEBUG or explicitly allowed.
WUZHA_ALLOW_DEMO_LOGINS = env.bool("WUZHA_ALLOW_DEMO_LOGINS", default=DEBUG)
WUZHA_DEMO_GROUP = "演示账号"
# Second factor (TOTP): anyone may enrol; staff (is_staff or the 综治办 role) must when this is on.
WUZHA_REQUIRE_2FA_FOR_STAFF = env.bool("WUZHA_REQUIRE_2FA_FOR_STAFF", default=False)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# MEDIA_URL is never routed: files are served by their records' views (wuzha/lib/media.py). In production the
# view answers with X-Accel-Redirect into this internal nginx location (README, "Serving media"); empty: it
# streams the file itself (development, tests).
WUZHA_MEDIA_ACCEL = env.str("WUZHA_MEDIA_ACCEL", default="")
if WUZHA_MEDIA_ACCEL and not (WUZHA_MEDIA_ACCEL.startswith("/") and WUZHA_MEDIA_ACCEL.endswith("/")):
    raise ImproperlyConfigured(f"WUZHA_MEDIA_ACCEL 须以 / 开头和结尾,如 /protected/(当前为 {WUZHA_MEDIA_ACCEL!r})。")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: with no broker configured, tasks run in-process (eagerly), so `make run` needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How long Redis keeps a delivered-but-unacknowledged task (its worker died) before giving it to
# another worker; longer than the longest task. JSON in the environment (the fault tests shorten it).
CELERY_BROKER_TRANSPORT_OPTIONS = env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={"visibility_timeout": 3600})
CELERY_IMPORTS = ["sites.audit_tasks"]
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "audit-purge-daily": {"task": "sites.audit_tasks.audit_purge_task", "schedule": 24 * 60 * 60},
    "outbox-flush": {"task": "sites.audit_tasks.outbox_flush_task", "schedule": 60},
    "bulletin-reminders-daily": {"task": "campaigns.tasks.bulletin_reminders", "schedule": 24 * 60 * 60},
    "rectifications-escalate-daily": {"task": "inspections.tasks.escalate_overdue_rectifications", "schedule": 24 * 60 * 60},
    # Reminders (issue 8): each job is idempotent (upsert by user + key), so a missed or doubled run is harmless.
    "reminders-keypersons-daily": {"task": "sites.tasks.keyperson_reminders_task", "schedule": crontab(hour=7, minute=30)},
    "reminders-obligations-daily": {"task": "campaigns.tasks.obligation_reminders", "schedule": crontab(hour=7, minute=30)},
    "reminders-rectifications-daily": {"task": "inspections.tasks.rectification_reminders", "schedule": crontab(hour=7, minute=30)},
    "import-jobs-purge-hourly": {"task": "sites.tasks.import_jobs_purge", "schedule": 60 * 60},
}
CELERY_BROKER_CONNECTION_TIMEOUT = 4  # a page that queues a task never waits long for an unreachable broker

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("CACHE_URL")}
        if env.str("CACHE_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sessions (MLPS 2.0): 30 minutes idle, 8 hours at most after login, enforced server-side by
# wuzha.lib.sessions.SessionTimeoutMiddleware; the cookie dies with the browser.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
WUZHA_SESSION_IDLE_SECONDS = env.int("WUZHA_SESSION_IDLE_SECONDS", default=30 * 60)
WUZHA_SESSION_ABSOLUTE_SECONDS = env.int("WUZHA_SESSION_ABSOLUTE_SECONDS", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy: everything from our own origin, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Audit trail (MLPS 2.0 安全审计): kept at least 180 days; the purge job removes only older rows.
WUZHA_AUDIT_RETENTION_DAYS = env.int("WUZHA_AUDIT_RETENTION_DAYS", default=180)
if WUZHA_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("WUZHA_AUDIT_RETENTION_DAYS 不得少于 180 天(网络安全法第二十一条)。")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="wuzha@localhost")
# Reminders (issue 8) also go out by e-mail, to users with an address, when this is on.
WUZHA_REMINDER_EMAIL = env.bool("WUZHA_REMINDER_EMAIL", default=False)
WUZHA_SITE_URL = env.str("WUZHA_SITE_URL", default="http://127.0.0.1:8000")  # the link in reminder mails

# Logs carry the request id and never an ID-card number or a mobile number (masked by a filter).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal": {"()": "wuzha.lib.logging.MaskPersonalDataFilter"},
        "request_id": {"()": "wuzha.lib.logging.RequestIdFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "mask_personal"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# ---- REST API (issue 11): DRF + drf-spectacular; see wuzha/api.py --------------------------------
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wuzha.api_policy.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wuzha.api_policy.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wuzha.api_policy.IdCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["wuzha.api_policy.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_TOKEN", default="2000/hour"),
        "user": env.str("API_RATE_USER", default="2000/hour"),
        "anon": env.str("API_RATE_ANON", default="60/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "wuzha.api.WuzhaAutoSchema",
    "EXCEPTION_HANDLER": "wuzha.api_policy.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "无诈创建 API",
    "DESCRIPTION": "无诈创建平台的数据接口(第 1 版)。与网页使用同一套角色与辖区:辖区外的记录一律返回 404。"
    "认证:会话,或请求头 `Authorization: Token <密钥>`。列表使用游标翻页(`cursor` 参数),按令牌限流。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name per choice set used by several serializers (`spectacular --fail-on-warn` insists).
    "ENUM_NAME_OVERRIDES": {"SiteKindEnum": "sites.models.Site.Kind"},
}
# ---- end REST API --------------------------------------------------------------------------------
