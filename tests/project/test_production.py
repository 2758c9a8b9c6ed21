"""Production configuration (issue 22): queues and limits of the Celery tasks, the
health checks, request ids in the logs."""

import json
import logging
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from gridparty.celery import app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _our_tasks() -> dict:
    app.loader.import_default_modules()
    apps = ("grids.", "members.", "activities.", "services.", "gridparty.")
    return {name: task for name, task in app.tasks.items() if name.startswith(apps)}


def test_imports_have_their_own_queue_and_every_task_its_limits():
    tasks = _our_tasks()
    assert (
        "members.tasks.import_run" in tasks
        and "services.tasks.reminders_deliver_task" in tasks
    )

    def queue(name):
        return app.amqp.router.route({}, name)["queue"].name

    assert (
        queue("members.tasks.import_check")
        == queue("members.tasks.import_run")
        == "imports"
    )
    assert queue("services.tasks.reminders_deliver_task") == "celery"
    assert queue("services.tasks.reminders_scan_task") == "celery"
    for name, task in tasks.items():
        assert task.soft_time_limit and task.time_limit, name
        assert task.soft_time_limit < task.time_limit, name
        assert not getattr(task, "autoretry_for", ()), f"{name} retries blindly"
    # Imports long, reminders short; a claim outlives the delivery task.
    assert tasks["members.tasks.import_run"].time_limit >= 30 * 60
    assert tasks["services.tasks.reminders_deliver_task"].time_limit <= 5 * 60
    assert (
        tasks["services.tasks.reminders_deliver_task"].time_limit
        < settings.REMINDER_CLAIM_LEASE_SECONDS
    )
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_reject_on_worker_lost and app.conf.task_acks_late
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks


def test_every_worker_command_consumes_both_queues():
    procfile = (ROOT / "Procfile").read_text()
    (worker,) = [line for line in procfile.splitlines() if line.startswith("worker:")]
    assert re.search(r"-Q celery,imports\b", worker)
    assert "-Q celery,imports" in (ROOT / "docs" / "deploy.md").read_text()


def test_live_answers_without_login_and_ready_reports(client):
    live = client.get(reverse("healthz_live"))
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = client.get(reverse("healthz_ready"))
    body = ready.json()
    assert ready.status_code == 200, body
    assert body["status"] == "ok"
    assert {k for k, v in body["checks"].items() if v["ok"]} == {
        "database",
        "cache",
        "broker",
    }
    assert body["reminder_scan"] == {"last": None, "late": True}
    assert "no-cache" in ready["Cache-Control"] or "max-age=0" in ready["Cache-Control"]


def test_ready_reports_the_last_scan_and_the_heartbeat(client):
    from gridparty.tasks import heartbeat_task
    from services.reminders import reminders_scan

    reminders_scan()
    heartbeat_task()
    body = client.get(reverse("healthz_ready")).json()
    assert body["reminder_scan"]["late"] is False and body["reminder_scan"]["last"]
    assert 0 <= body["beat_heartbeat_age_s"] < 60


def test_ready_is_503_when_the_broker_is_down(client, settings):
    # A broker that refuses connections (nothing listens on port 1).
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz_ready"))
    finally:
        app.conf.broker_url = saved
    body = response.json()
    assert response.status_code == 503, body
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert body["worker_answers"] is False


@pytest.mark.django_db(transaction=True)
def test_ready_is_503_when_the_database_is_down(client):
    if connection.vendor != "postgresql":
        pytest.skip("an unreachable server is a PostgreSQL notion (SQLite is a file)")
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 1  # nothing listens there
    try:
        response = client.get(reverse("healthz_ready"))
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
    body = response.json()
    assert response.status_code == 503, body
    assert body["checks"]["database"]["ok"] is False
    assert body["reminder_scan"]["last"] is None


def test_each_response_has_a_request_id_and_the_logs_carry_it(client, caplog, cast):
    given = client.get(reverse("healthz_live"), HTTP_X_REQUEST_ID="proxy-given-id-0001")
    assert given["X-Request-ID"] == "proxy-given-id-0001"
    # A malformed id from outside is replaced, never echoed.
    bad = client.get(reverse("healthz_live"), HTTP_X_REQUEST_ID="<script>\n")
    assert re.fullmatch(r"[0-9a-f]{32}", bad["X-Request-ID"])
    # A log line written inside a request carries its id.
    client.force_login(cast.officer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-me-0000042")
    assert response.status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.request_id == "trace-me-0000042" for r in records)


def test_production_logs_are_json_lines_with_the_request_id():
    import subprocess
    import sys

    code = (
        "import logging, django; django.setup();"
        "from gridparty.logs import _request_id; _request_id.set('abc12345');"
        "logging.getLogger('gridparty').warning('查房 %s', 1)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gridparty.settings.prod",
           "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.gov.cn"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    line = json.loads(out.stderr.strip().splitlines()[-1])
    assert line["message"] == "查房 1" and line["request_id"] == "abc12345"
    assert line["level"] == "WARNING" and line["logger"] == "gridparty"


def test_the_dashboard_warns_officers_when_the_daily_scan_has_not_run(client, cast):
    import datetime

    from django.utils import timezone

    from services.models import ReminderScan
    from services.reminders import reminders_scan

    client.force_login(cast.officer)
    page = client.get(reverse("home")).content.decode()
    assert 'id="scan-late"' in page and "从未运行" in page
    reminders_scan()
    assert 'id="scan-late"' not in client.get(reverse("home")).content.decode()
    ReminderScan.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=27))
    page = client.get(reverse("home")).content.decode()
    assert 'id="scan-late"' in page and "超过一天" in page
    # Workers do not run the system: they are not told.
    client.force_login(cast.grid_a)
    assert 'id="scan-late"' not in client.get(reverse("home")).content.decode()


def test_the_client_address_comes_from_the_trusted_proxy_only(rf, settings):
    from gridparty.middleware import ProxiedClientAddressMiddleware

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    seen = []
    middleware = ProxiedClientAddressMiddleware(
        lambda r: seen.append(r.META["REMOTE_ADDR"])
    )
    for remote, header in [
        ("127.0.0.1", "6.6.6.6, 10.8.0.7"),  # nginx appended the client last
        ("10.1.1.1", "6.6.6.6"),  # not from the proxy: the header is ignored
        ("127.0.0.1", "not-an-address"),
    ]:
        middleware(rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=header))
    assert seen == ["10.8.0.7", "10.1.1.1", "127.0.0.1"]
