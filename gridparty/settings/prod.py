"""Production: every secret from the environment; passes `manage.py check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, env

DEBUG = False
DEMO_DATA_ALLOWED = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# The load balancer's health checks may come over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
# Behind the reverse proxy of docs/deploy.md (nginx on this host), its
# X-Forwarded-For names the client for the access log and the lockout records.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

# E-mail leaves the machine: SMTP unless another real backend is named. The console,
# file, in-memory and dummy backends would print or drop reminders (with names and
# dates of elderly people) instead: production refuses to start with them.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
_NOT_FOR_PRODUCTION = ("console", "filebased", "locmem", "dummy")
if any(f".{name}." in EMAIL_BACKEND + "." for name in _NOT_FOR_PRODUCTION):
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND} does not send e-mail; production needs a real "
        "backend (SMTP: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
        "EMAIL_USE_TLS; see docs/deploy.md)."
    )
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Static files with hashed names (collectstatic writes the manifest), compressed, served
# by WhiteNoise with far-future cache headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per line, each with its request id (gridparty.logs).
LOGGING["formatters"]["json"] = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
LOGGING["handlers"]["console"]["formatter"] = "json"
LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")

# Connections are kept between requests and checked before reuse, so a database that
# restarted costs one reconnect, not an error page (issue 22).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# The Celery worker and beat log through the same handlers (JSON lines).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
