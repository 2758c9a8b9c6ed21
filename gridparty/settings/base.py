"""Settings shared by every environment, read from the environment (django-environ).

With nothing set the project runs on a SQLite file inside the project, runs Celery
tasks in-process and prints e-mail to the console, so `make run` needs no service.
`DATABASE_URL` switches to PostgreSQL, `REDIS_URL` to a real Celery broker and cache.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

# The development key: the serving entry points refuse it (gridparty/startup.py).
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Set to False in prod: `load_demo` refuses to write the demo township there.
DEMO_DATA_ALLOWED = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "mptt",
    "import_export",
    "auditlog",
    "axes",
    # Our apps; dependencies point one way: grids <- members <- activities <- services.
    "grids",
    "members",
    "activities",
    "services",
    # The cadres' own pages (issue 23): above the apps whose data they show.
    "portal",
    # The project package hosts cross-app commands (load_demo).
    "gridparty",
]

MIDDLEWARE = [
    "gridparty.logs.RequestIdMiddleware",
    "gridparty.middleware.ProxiedClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "gridparty.middleware.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gridparty.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gridparty.middleware.HostileInputMiddleware",
    "gridparty.middleware.PrivateNoStoreMiddleware",
    "gridparty.middleware.IdleSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gridparty.middleware.PasswordAgeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that it sees the response of a refused login.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "gridparty.urls"
WSGI_APPLICATION = "gridparty.wsgi.application"
ASGI_APPLICATION = "gridparty.asgi.application"

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
                "django.template.context_processors.i18n",
                "gridparty.context_processors.place",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # The planner per connection (docs/scaling.md): no JIT (it costs more than it saves
    # on short queries); random_page_cost for data in memory or on SSD (the default 4
    # made a scoped search scan all 200k cadres: 138 → 22 ms); no parallel workers (under
    # load they take the cores other requests wait for, and are not niced).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off"
        f" -c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}"
        " -c max_parallel_workers_per_gather="
        f"{env.int('PG_MAX_PARALLEL_WORKERS_PER_GATHER', default=0)}"
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A background import holds SQLite's write lock for its whole transaction: other
    # writers wait for it rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down or unreachable must not hold a page for long
            # (grids.cache answers as if empty).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Sending a task to a broker that is down fails within seconds (the import then runs
# in a thread of the web process instead, members.imports.services._start).
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1,
}  # fmt: skip
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
# A task is acknowledged when it ends, one at a time per worker process, and a task
# whose worker died (killed, out of memory) goes back to the queue: every task is
# safe to run twice (imports and deliveries claim their rows).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Imports have their own queue: a 100k-row import never delays the reminders. Every
# worker command in this repository (make serve, the Procfile, docs/deploy.md, the
# test worker) consumes both; a large site runs a worker per queue.
CELERY_TASK_DEFAULT_QUEUE = "celery"
IMPORT_QUEUE = "imports"
CELERY_TASK_ROUTES = {
    "members.tasks.import_check": {"queue": IMPORT_QUEUE},
    "members.tasks.import_run": {"queue": IMPORT_QUEUE},
}
# The periodic schedule lives here, in code, reviewed like code.
CELERY_BEAT_SCHEDULE: dict = {
    "imports-sweep": {  # uploaded files older than IMPORT_FILE_MAX_AGE_HOURS
        "task": "members.tasks.imports_sweep",
        "schedule": 3600.0,
    },
    "reminders-scan": {  # the daily scan: rows for every reminder due
        "task": "services.tasks.reminders_scan_task",
        "schedule": crontab(hour=env.int("REMINDER_SCAN_HOUR", default=6), minute=0),
    },
    "reminders-deliver": {  # claim and deliver what the scan made (retries too)
        "task": "services.tasks.reminders_deliver_task",
        "schedule": 300.0,
    },
    "reminders-digest": {  # one e-mail a day per user who chose it
        "task": "services.tasks.digests_send_task",
        "schedule": crontab(hour=env.int("REMINDER_DIGEST_HOUR", default=7), minute=30),
    },
    "dashboard-warm": {  # home pages served from fresh aggregates (issue 18)
        "task": "gridparty.tasks.dashboard_warm_task",
        "schedule": float(env.int("DASHBOARD_CACHE_SECONDS", default=300)),
    },
    "visit-plans-refresh": {  # tiers change with age (an 80th birthday) overnight
        "task": "services.tasks.visit_plans_refresh_all",
        "schedule": crontab(
            hour=env.int("VISIT_PLANS_REFRESH_HOUR", default=1), minute=30
        ),
    },
    "heartbeat": {  # beat sent it and a worker ran it: /healthz/ready reports its age
        "task": "gridparty.tasks.heartbeat_task",
        "schedule": float(env.int("HEARTBEAT_SECONDS", default=60)),
    },
}

# Imports in the browser (members.imports). The uploaded files hold personal data:
# kept outside the web root (never under STATIC/MEDIA), mode 0600, deleted when the
# import ends and swept after a day in any case.
IMPORT_FILE_DIR = env.path("IMPORT_FILE_DIR", default=BASE_DIR / "var" / "imports")
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# What a workbook may expand to when unzipped (a zip bomb is refused before reading).
IMPORT_MAX_EXPANDED_BYTES = env.int(
    "IMPORT_MAX_EXPANDED_BYTES", default=300 * 1024 * 1024
)
# Files with more rows than this are checked and imported in the background.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)
IMPORT_FILE_MAX_AGE_HOURS = env.int("IMPORT_FILE_MAX_AGE_HOURS", default=24)
# An import still checking or importing this long after it started has stopped (its
# worker or thread died; the task's hard limit is 35 minutes): it is marked failed by
# the sweep and when its page is opened. All-or-nothing: nothing of it was saved.
IMPORT_STUCK_MINUTES = env.int("IMPORT_STUCK_MINUTES", default=45)

# How background imports run: "celery" (a worker; the default with REDIS_URL), "thread"
# (a thread of the web process: `make run` without a broker), "inline" (in the request).
IMPORT_RUNNER = env("IMPORT_RUNNER", default="celery" if REDIS_URL else "thread")
# Reminder rules switched off (their keys, see services.reminders.RULES).
REMINDER_RULES_OFF = env.list("REMINDER_RULES_OFF", default=[])
# Health check-ups: the next is due this long after the last; the list shows those
# due within the window, and the overdue.
HEALTH_CHECK_INTERVAL_DAYS = env.int("HEALTH_CHECK_INTERVAL_DAYS", default=365)
HEALTH_DUE_WINDOW_DAYS = env.int("HEALTH_DUE_WINDOW_DAYS", default=30)
# The coverage page's colours: green at or above, amber at or above, red below (%).
COVERAGE_GREEN = env.float("COVERAGE_GREEN", default=90.0)
COVERAGE_AMBER = env.float("COVERAGE_AMBER", default=70.0)
# Organizational life: participation below this rate (%) is highlighted; a yearly
# target of study hours (学时) per member, 0 = off (issue 16).
PARTICIPATION_THRESHOLD = env.float("PARTICIPATION_THRESHOLD", default=80.0)
STUDY_HOURS_TARGET = env.float("STUDY_HOURS_TARGET", default=0.0)
# A branch committee's term: five years for village and community branches (fixed by
# the rules), this many for other kinds of branch (issue 21).
BRANCH_TERM_YEARS_OTHER = env.int("BRANCH_TERM_YEARS_OTHER", default=3)
# The yearly review's grades: 优秀 / 合格 / 基本合格 / 不合格, or three without 基本合格.
REVIEW_BASIC_PASS = env.bool("REVIEW_BASIC_PASS", default=True)
# The dashboard's charts are kept this long per user (the page says how fresh).
# Dossier fields a township may leave out of its forms and profiles when it does not
# keep them (issue 19): DOSSIER_HIDDEN_FIELDS=native_place,education
DOSSIER_OPTIONAL_FIELDS = (
    "native_place",
    "marital_status",
    "education",
    "work_started_on",
    "medical_insurance",
    "designated_hospital",
    "designated_hospital2",
    "long_term_medicines",
    "monthly_pension",
)
DOSSIER_HIDDEN_FIELDS = [
    f
    for f in env.list("DOSSIER_HIDDEN_FIELDS", default=[])
    if f in DOSSIER_OPTIONAL_FIELDS
]
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Reports that read a whole township (coverage) are kept this long, with their time
# and a refresh link (issue 22: a third of a second each at 20,000 cadres). 0: off.
REPORT_CACHE_SECONDS = env.int("REPORT_CACHE_SECONDS", default=120)
# The page frame (the user's place in the tree, which menu entries to show) is kept
# this long per user and scope (gridparty.context_processors); 0 computes it per page.
FRAME_CACHE_SECONDS = env.int("FRAME_CACHE_SECONDS", default=300)
# The cadres' own pages (issue 23): the SMS channel for sign-in codes (a dotted path to
# a portal.sms.SMSChannel; the console channel writes the code to the log), how long a
# code, a printed link and a signed-in phone last, and the name the message signs with.
PORTAL_SMS_CHANNEL = env("PORTAL_SMS_CHANNEL", default="portal.sms.ConsoleSMS")
PORTAL_CODE_MINUTES = env.int("PORTAL_CODE_MINUTES", default=5)
PORTAL_LINK_DAYS = env.int("PORTAL_LINK_DAYS", default=30)
PORTAL_SESSION_DAYS = env.int("PORTAL_SESSION_DAYS", default=30)
PORTAL_SITE_NAME = env("PORTAL_SITE_NAME", default="老干部之家")
# Reading study material on the cadres' own pages counts as study hours (its minutes,
# in the handbook) where the township turns this on.
PORTAL_STUDY_COUNTS = env.bool("PORTAL_STUDY_COUNTS", default=False)
# Django's form renderer, with <select> lists written in Python (gridparty.forms_renderer).
FORM_RENDERER = "gridparty.forms_renderer.Renderer"
# A dashboard older than DASHBOARD_CACHE_SECONDS is still served (with its time) while
# one refresh runs; it is dropped after DASHBOARD_KEEP_SECONDS. The periodic warm-up
# refreshes the users who logged in within DASHBOARD_WARM_DAYS.
DASHBOARD_KEEP_SECONDS = env.int("DASHBOARD_KEEP_SECONDS", default=2 * 24 * 3600)
DASHBOARD_WARM_DAYS = env.int("DASHBOARD_WARM_DAYS", default=14)
# The wording of the 光荣在党50年 certificate: {name} {years} {township} {joined} {year}.
HONOUR_CERTIFICATE_TEXT = env.str(
    "HONOUR_CERTIFICATE_TEXT",
    default="{name} 同志：您于{joined}加入中国共产党，至今在党{years}年。"
    "值此建党纪念日之际，特授予“光荣在党50年”纪念章，感谢您对党的事业的忠诚与贡献。",
)
# Visit photos (services.photos): outside the web root, served by a scope-checked view.
VISIT_PHOTO_DIR = env.path("VISIT_PHOTO_DIR", default=BASE_DIR / "var" / "photos")
VISIT_PHOTO_MAX_BYTES = env.int("VISIT_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
# Meeting photos and PDFs (sign-in sheets, minutes), outside the web root too.
MEETING_FILE_DIR = env.path("MEETING_FILE_DIR", default=BASE_DIR / "var" / "meetings")
MEETING_FILE_MAX_BYTES = env.int("MEETING_FILE_MAX_BYTES", default=20 * 1024 * 1024)
MEETING_FILES_PER_MEETING = 20
# Files attached to notices and study material for the cadres' own pages (issue 23).
PORTAL_FILE_DIR = env.path("PORTAL_FILE_DIR", default=BASE_DIR / "var" / "portal")
# No task holds a worker for ever: each task sets its own limits (imports long,
# reminders short, see the tasks modules); these bound any task that does not.
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 12 * 60

# MLPS 2.0 (等保): at least 8 characters, three of four character classes, not like
# the username; the change date is recorded so administrators can demand a new one.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "grids.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "grids.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "grids.passwords.PasswordChangeRecorder"},
]
# Days after which a password must be changed; None = never (administrators decide).
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0) or None

# Sessions end after 30 idle minutes (and after 12 hours in any case).
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Login lockout by username, not IP (a whole township office shares one address):
# five failures lock the username for 30 minutes; a failure is forgotten 30 minutes
# after the last one. Officers unlock users in their scope.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gridparty.auth_views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# The reverse proxies whose X-Forwarded-For names the client (docs/deploy.md): nginx
# on the same host is 127.0.0.1. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Headers. The staff UI runs without inline script or style.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    # The Django admin uses inline style attributes; it gets its own, slightly wider
    # policy (gridparty.middleware.AdminContentSecurityPolicyMiddleware).
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Audit: who changed what (django-auditlog); access log and history are kept at least
# 6 months (Cybersecurity Law Art. 21); prune_audit never removes younger rows.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
AUDIT_MINIMUM_RETENTION_DAYS = 183
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="gridparty@localhost")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Every record carries the request id (gridparty.logs); production writes JSON lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gridparty.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Serve static files straight from the finders while developing (no collectstatic).
WHITENOISE_AUTOREFRESH = DEBUG

# Lockout is by username on purpose (a township office shares one IP address);
# axes warns that this lets an attacker rotate usernames, which it cannot guess.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Responses to logged-in users are never stored by browsers or proxies (personal data).
PRIVATE_NO_STORE = env.bool("PRIVATE_NO_STORE", default=True)

# Searches by ID number per user and hour (each is counted; longer than the last four
# characters they are reveals, see members/search.py).
ID_SEARCH_LIMIT_PER_HOUR = env.int("ID_SEARCH_LIMIT_PER_HOUR", default=60)

# Who may reveal a full value (each reveal is written to the access log): on pages,
# in the edit form, in exports and in searches alike (members.selectors.REVEAL_FIELDS).
REVEAL_ROLES = {
    "id_number": ["township_officer", "administrator"],
    "phone": [
        "township_officer",
        "administrator",
        "grid_worker",
        "community_worker",
        "branch_secretary",
    ],
    "health": [
        "township_officer",
        "administrator",
        "community_worker",
        "branch_secretary",
    ],
    # The monthly pension: the office, and the branch secretary who reckons dues.
    "pension": ["township_officer", "administrator", "branch_secretary"],
}

# A reminder claimed for delivery and not delivered within this time (its worker was
# killed) is taken again by the next run; longer than the delivery task's hard limit.
REMINDER_CLAIM_LEASE_SECONDS = env.int("REMINDER_CLAIM_LEASE_SECONDS", default=10 * 60)
