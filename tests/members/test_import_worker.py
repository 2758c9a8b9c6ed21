"""A background import through a real Celery worker and Redis (issue 7).

The worker is a separate process sharing the test database, so the test needs
PostgreSQL (skipped on SQLite) and a reachable Redis: without one it is skipped with
the reason, except under CI=true, where that is a failure.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from gridparty.celery import app as celery_app
from members.imports import services
from members.imports.models import ImportJob, ImportStatus
from members.models import Cadre

from .roster_files import id_number, write_roster

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90


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
        for k in ("broker_url", "task_always_eager", "task_default_queue")
    }
    celery_app.conf.update(
        broker_url=url, task_always_eager=False, task_default_queue=queue
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": url,
        "IMPORT_FILE_DIR": str(import_files),
        "DJANGO_SETTINGS_MODULE": "gridparty.settings.test",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "gridparty", "worker", "--pool=solo",
         "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
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


def wait_for(job: ImportJob, *statuses: str, process) -> ImportJob:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        assert process.poll() is None, "the worker died"
        time.sleep(0.2)
    raise AssertionError(f"still {job.status} after {WAIT_SECONDS} s")


def upload_file(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_a_big_file_is_checked_and_imported_by_the_worker(
    cast, tmp_path, worker, settings
):
    header = ["姓名", "身份证号", "所属支部"]
    rows = [[f"后台{i}", id_number(), "社区A党支部"] for i in range(60)]
    path = write_roster(tmp_path / "big.xlsx", header, rows)
    job = services.import_job_create(
        user=cast.officer, uploaded=upload_file(path), kind="roster"
    )
    assert job.background and job.status == ImportStatus.PREVIEWING
    job = wait_for(job, ImportStatus.PREVIEWED, ImportStatus.FAILED, process=worker)
    assert job.status == ImportStatus.PREVIEWED, job.message
    assert (
        job.preview["created"] == 60 and not Cadre.objects.filter(name="后台0").exists()
    )
    if os.environ.get("REDIS_URL"):  # the cache is shared with the worker
        progress = services.progress_of(job)
        assert progress["finished"] and progress["validated"] == 60

    job = services.import_job_confirm(job=job, user=cast.officer)
    job = wait_for(job, ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED,
                   process=worker)  # fmt: skip
    assert job.status == ImportStatus.DONE and job.result["created"] == 60
    assert Cadre.objects.filter(name__startswith="后台").count() == 60
    assert job.stored_file == "" and list(Path(settings.IMPORT_FILE_DIR).iterdir()) == []

    # A file the worker cannot read fails with its message, and the worker goes on.
    settings.IMPORT_BACKGROUND_ROWS = 0
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    bad = services.import_job_create(
        user=cast.officer, uploaded=upload_file(empty), kind="roster"
    )
    bad = wait_for(bad, ImportStatus.FAILED, ImportStatus.PREVIEWED, process=worker)
    assert bad.status == ImportStatus.FAILED and bad.message
    again = write_roster(
        tmp_path / "again.xlsx", header, [["之后", id_number(), "社区A党支部"]]
    )
    job = services.import_job_create(
        user=cast.officer, uploaded=upload_file(again), kind="roster"
    )
    job = wait_for(job, ImportStatus.PREVIEWED, ImportStatus.FAILED, process=worker)
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 1
