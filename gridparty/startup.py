"""The guard of the serving entry points (WSGI, ASGI, the Celery worker and beat).

A production process started without DJANGO_SETTINGS_MODULE, or with the development
settings, would run with DEBUG on (tracebacks with personal data to any visitor) or
with the development SECRET_KEY (forgeable sessions). These entry points refuse to
start so, unless the environment says explicitly that this is development
(GRIDPARTY_DEVELOPMENT=1). `manage.py` (runserver, the commands) is the developer's
tool and keeps the development settings as its default.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SWITCH = "GRIDPARTY_DEVELOPMENT"
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"


def refuse_unsafe_start(entry_point: str) -> None:
    if os.environ.get(DEVELOPMENT_SWITCH) == "1":
        return
    problems = []
    if settings.DEBUG:
        problems.append("DEBUG is on")
    if settings.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        problems.append("the development SECRET_KEY is in use")
    if problems:
        raise ImproperlyConfigured(
            f"gridparty refuses to start the {entry_point} entry point: "
            f"{' and '.join(problems)} (settings {settings.SETTINGS_MODULE}). "
            "Use DJANGO_SETTINGS_MODULE=gridparty.settings.prod with a SECRET_KEY "
            f"(docs/deploy.md), or set {DEVELOPMENT_SWITCH}=1 on a developer's machine."
        )
