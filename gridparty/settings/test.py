from .base import *  # noqa: F403

DEBUG = False
# Fast hashing: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Imports run in the test itself (tests that need a thread or a worker say so).
IMPORT_RUNNER = "inline"
# Reports are computed on every request (tests that keep them say so).
REPORT_CACHE_SECONDS = 0
FRAME_CACHE_SECONDS = 0
