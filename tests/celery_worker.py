"""A real Celery worker for integration tests: a separate process sharing the test
database (so PostgreSQL only) and the local Redis. Without Redis the test is skipped
with the reason, except under CI=true, where that is a failure."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from gridparty.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def _redis_problem(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure to reach it
        return f"Redis at {url} is not reachable ({type(exc).__name__})"
    return None


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def worker(settings, import_files):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process shares the test database only on PostgreSQL")
    url = _redis_url()
    problem = _redis_problem(url)
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Celery worker test cannot run in CI: {problem}")
        pytest.skip(problem)
    queue = f"gridparty-test-{uuid.uuid4().hex[:8]}"
    settings.IMPORT_RUNNER = "celery"
    settings.IMPORT_BACKGROUND_ROWS = 10
    saved = {
        k: celery_app.conf[k]
        for k in ("broker_url", "task_always_eager", "task_default_queue", "task_routes")
    }
    # Both queues, as every worker command of the project consumes them: the default
    # one and the imports' own (CELERY_TASK_ROUTES), each private to this test.
    imports_queue = f"{queue}-imports"
    routes = {name: {"queue": imports_queue} for name in settings.CELERY_TASK_ROUTES}
    celery_app.conf.update(
        broker_url=url, task_always_eager=False, task_default_queue=queue,
        task_routes=routes,
    )  # fmt: skip
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": url,
        "IMPORT_FILE_DIR": str(import_files),
        "DJANGO_SETTINGS_MODULE": "gridparty.settings.test",
        "GRIDPARTY_DEVELOPMENT": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "gridparty", "worker", "--pool=solo",
         "-Q", f"{queue},{imports_queue}", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)
        celery_app.conf.update(saved)
