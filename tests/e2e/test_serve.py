"""`make serve` (issue 22): gunicorn, a Celery worker on both queues and beat under the
production settings; static files with hashed names served by WhiteNoise."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.celery_worker import _database_url, _redis_problem, _redis_url

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.mark.django_db(transaction=True)
def test_make_serve_runs_web_worker_and_beat_with_hashed_static_files():
    if connection.vendor != "postgresql":
        pytest.skip("the served processes share the test database only on PostgreSQL")
    problem = _redis_problem(_redis_url())
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": _redis_url(),
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(["make", "serve"], cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, body = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stdout.read()
            try:
                status, _, raw = _get(f"{base}/healthz/ready")
                body = json.loads(raw)
                if status == 200 and body["worker_answers"]:
                    break
            except OSError:
                pass
            time.sleep(1)
        else:
            raise AssertionError(f"make serve never became ready: {body}")
        # The production settings: DEBUG off (a 404 is the product's page).
        status, headers, page = _get(f"{base}/accounts/login/")
        assert status == 200 and headers["Server"].startswith("gunicorn")
        stylesheet = re.search(r"/static/css/gridparty\.[0-9a-f]{12}\.css", page.decode())
        assert stylesheet, "the page names the hashed stylesheet"
        status, headers, css = _get(base + stylesheet.group(0))
        assert status == 200 and b".card" in css
        assert "immutable" in headers["Cache-Control"]
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(f"{base}/static/css/gridparty.css.map-none")
        assert missing.value.code == 404
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
    # The three processes ran: gunicorn, a worker on both queues, beat.
    assert "Starting gunicorn" in output
    assert re.search(r"\.> imports\s", output) and re.search(r"\.> celery\s", output)
    assert "beat: Starting" in output
