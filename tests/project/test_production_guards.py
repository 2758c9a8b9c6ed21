"""Production refuses what would expose personal data (issue 14): the serving entry
points with DEBUG on or the development key, e-mail backends that send nothing, and
caching of personal pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PROD = {
    "DJANGO_SETTINGS_MODULE": "gridparty.settings.prod",
    "SECRET_KEY": "a-long-random-production-key-for-the-test-only-9f3k2j1h",
    "ALLOWED_HOSTS": "gridparty.example.gov.cn",
}


def run(code: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in (
        "DJANGO_SETTINGS_MODULE", "GRIDPARTY_DEVELOPMENT", "SECRET_KEY", "EMAIL_BACKEND",
        "DEBUG", "ALLOWED_HOSTS")}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("module", ["gridparty.wsgi", "gridparty.asgi"])
def test_the_serving_entry_points_refuse_development_settings(module):
    refused = run(f"import {module}", DJANGO_SETTINGS_MODULE="gridparty.settings.dev")
    assert refused.returncode != 0
    assert "refuses to start" in refused.stderr and "DEBUG is on" in refused.stderr
    # The development key alone (DEBUG off) is refused too.
    refused = run(
        f"import {module}", DJANGO_SETTINGS_MODULE="gridparty.settings.dev", DEBUG="false"
    )
    assert refused.returncode != 0 and "development SECRET_KEY" in refused.stderr
    # Said explicitly, development starts.
    allowed = run(
        f"import {module}",
        DJANGO_SETTINGS_MODULE="gridparty.settings.dev",
        GRIDPARTY_DEVELOPMENT="1",
    )
    assert allowed.returncode == 0, allowed.stderr
    # Production settings with a key of their own start.
    assert run(f"import {module}", **PROD).returncode == 0
    # Without DJANGO_SETTINGS_MODULE they mean production (which needs its key).
    missing = run(f"import {module}")
    assert missing.returncode != 0 and "SECRET_KEY" in missing.stderr


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_celery_refuses_development_settings(command, tmp_path):
    base = {k: v for k, v in os.environ.items() if k != "GRIDPARTY_DEVELOPMENT"}
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "gridparty", command, "-l", "warning",
         *(["--pool=solo"] if command == "worker" else ["-s", str(tmp_path / "s")])],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**base, "DJANGO_SETTINGS_MODULE": "gridparty.settings.dev",
             "REDIS_URL": "", "CELERY_BROKER_URL": "memory://"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "refuses to start the Celery" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    ],
)
def test_production_refuses_e_mail_backends_that_send_nothing(backend):
    refused = run("import django; django.setup()", **PROD, EMAIL_BACKEND=backend)
    assert refused.returncode != 0 and "EMAIL_BACKEND" in refused.stderr


def test_production_sends_e_mail_over_smtp_by_default():
    result = run(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND)",
        **PROD,
    )
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def test_personal_pages_exports_and_photos_are_not_stored(client, cast, settings):
    production = run(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PRIVATE_NO_STORE)",
        **PROD,
    )
    assert production.stdout.strip() == "True"
    settings.PRIVATE_NO_STORE = True
    client.force_login(cast.officer)
    for url in (
        reverse("home"),
        reverse("members:cadre_list"),
        reverse("members:cadre_detail", args=[cast.cadre_a.pk]),
        reverse("members:cadre_export"),
        reverse("coverage") + "?format=xlsx",
        reverse("health:record", args=[cast.cadre_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    # Static files stay cacheable.
    assert "no-store" not in client.get("/static/css/gridparty.css").get(
        "Cache-Control", ""
    )
