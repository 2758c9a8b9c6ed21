"""A background import through a real Celery worker and Redis (issue 7).

The worker is a separate process sharing the test database, so the test needs
PostgreSQL (skipped on SQLite) and a reachable Redis: without one it is skipped with
the reason, except under CI=true, where that is a failure.
"""

import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from members.imports import services
from members.imports.models import ImportJob, ImportStatus
from members.models import Cadre

from .roster_files import id_number, write_roster

pytestmark = pytest.mark.django_db(transaction=True)
WAIT_SECONDS = 90


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


def test_a_worker_killed_in_the_middle_of_an_import_leaves_none_or_all(
    cast, tmp_path, worker, settings
):
    """All-or-nothing: the import is one transaction, so a worker killed while it
    writes leaves no row of it; the job is then marked failed, never stuck."""
    import datetime
    import signal

    from django.utils import timezone

    if not os.environ.get("REDIS_URL"):
        pytest.skip("the worker's progress is read from the shared Redis cache")
    total = 20_000
    header = ["姓名", "身份证号", "所属支部"]
    rows = [[f"断电{i}", id_number(), "社区A党支部"] for i in range(total)]
    path = write_roster(tmp_path / "kill.xlsx", header, rows)
    before = Cadre.objects.count()
    job = services.import_job_create(
        user=cast.officer, uploaded=upload_file(path), kind="roster"
    )
    job = wait_for(job, ImportStatus.PREVIEWED, ImportStatus.FAILED, process=worker)
    assert job.status == ImportStatus.PREVIEWED, job.message
    job = services.import_job_confirm(job=job, user=cast.officer)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if services.progress_of(job)["written"] > 0 or worker.poll() is not None:
            break
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)  # in the middle of writing, as a power cut
    worker.wait(timeout=30)
    job.refresh_from_db()
    created = Cadre.objects.count() - before
    assert created in (0, total)
    print(f"killed with {job.status}: {created} rows")
    if job.status == ImportStatus.IMPORTING:
        assert created == 0
        later = timezone.now() + datetime.timedelta(
            minutes=settings.IMPORT_STUCK_MINUTES + 1
        )
        assert services.imports_unstick(now=later) == 1
        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED and "没有保存" in job.message
