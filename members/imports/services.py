"""Imports started in the browser: upload → check (a dry run) → confirm → import.

The same engines as the commands (members.roster for rosters, members.imports.tree and
.partners for the tree and the partners), the same rules and messages. Big files run
in the background (Celery, or a thread without a broker) with progress kept in the
cache; every phase is claimed atomically, so a task delivered twice runs once.
"""

import logging
import re
import threading
import uuid
import zipfile
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids import workbooks
from grids.cache import cache_delete, cache_get, cache_set
from grids.selectors import can_write, is_officer, scope_of

from .engines import ENGINES, Ambiguous, Unreadable
from .files import StoredUpload, UploadRefused, path_of, remove, store_upload, sweep
from .models import ImportJob, ImportKind, ImportStatus

logger = logging.getLogger(__name__)

ERRORS_KEPT = 1000  # errors stored with the job for the page; the error file has all
PROGRESS_TTL = 24 * 3600
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def may_import(user, kind: str) -> bool:
    """Rosters and meeting records: anyone who may change cadres (the engine keeps
    each row inside the user's scope). The tree and the partners: township officers and administrators."""
    if kind in (ImportKind.ROSTER, ImportKind.MEETINGS):
        return can_write(user)
    return is_officer(user)


def kinds_for(user) -> list[str]:
    return [k for k in ImportKind.values if k in ENGINES and may_import(user, k)]


# ---- progress (the cache: a background import's transaction is not yet visible) ----


def _progress_key(job_id) -> str:
    return f"import-progress:{job_id}"


def progress_report(job_id, counts: dict) -> None:
    cache_set(_progress_key(job_id), counts, PROGRESS_TTL)


def progress_of(job: ImportJob) -> dict:
    """What the job's page shows: status, and the counts while it runs."""
    counts = cache_get(_progress_key(job.pk)) or {}
    total = max(counts.get("total") or job.rows_total, counts.get("read", 0))
    # Each row is read and checked (and, importing, written): the bar counts each step.
    steps = ["read", "validated"]
    if job.status == ImportStatus.IMPORTING:
        steps.append("written")
    done = sum(counts.get(step, 0) for step in steps)
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.status not in (ImportStatus.PREVIEWING, ImportStatus.IMPORTING),
        "total": total,
        "read": counts.get("read", 0),
        "validated": counts.get("validated", 0),
        "written": counts.get("written", 0),
        "percent": min(100, round(100 * done / (total * len(steps)))) if total else 0,
    }


# ---- starting ----------------------------------------------------------------------


def import_job_create(
    *,
    user,
    uploaded,
    kind: str,
    mode: str = "create",
    skip_invalid: bool = False,
    default_unit=None,
    default_branch=None,
) -> ImportJob:
    """Store the upload and start checking it. UploadRefused (a Chinese message) when
    the file is not one we can read; PermissionDenied when the user may not import."""
    if not may_import(user, kind):
        raise PermissionDenied
    if mode not in ENGINES[kind].modes:
        raise ValueError(f"mode {mode} is not one of {ENGINES[kind].modes}")
    writable = scope_of(user).writable()
    for unit in (default_unit, default_branch):
        if unit is not None and not writable.contains(unit):
            raise PermissionDenied
    stored = store_upload(uploaded)
    rows = estimate_rows(path_of(stored.name), stored)
    options = {"default_unit": default_unit, "default_branch": default_branch}
    job = ImportJob.objects.create(
        kind=kind,
        mode=mode,
        skip_invalid=skip_invalid,
        **{k: v for k, v in options.items() if k in ENGINES[kind].options},
        user=user,
        file_name=Path(uploaded.name or "upload.xlsx").name[:255],
        file_sha256=stored.sha256,
        file_size=stored.size,
        stored_file=stored.name,
        rows_total=rows,
        background=rows > settings.IMPORT_BACKGROUND_ROWS,
    )
    _start(job, import_job_check)
    job.refresh_from_db()
    return job


def estimate_rows(path: Path, stored: StoredUpload) -> int:
    """Rows in the first sheet, from the sheet's own dimension record when it has one
    (read without opening the workbook), else from the file size."""
    if stored.format == "xlsx":
        try:
            with zipfile.ZipFile(path) as archive:
                names = sorted(
                    n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")
                )
                if names:
                    with archive.open(names[0]) as sheet:
                        match = _DIMENSION.search(sheet.read(4096))
                    if match:
                        return int(match.group(1) or 1)
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
    return stored.size // 60  # a roster row takes some 60-100 bytes in a workbook


def import_job_confirm(*, job: ImportJob, user) -> ImportJob:
    """The user confirms a checked file: import it (the same rows, for real)."""
    _own(job, user)
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.IMPORTING, updated_at=timezone.now()
    )
    if claimed:
        cache_delete(_progress_key(job.pk))
        _start(job, import_job_run)
    job.refresh_from_db()
    return job


class ChoiceRefused(ValueError):
    """A choice of columns that does not answer the question (message in Chinese)."""


def import_job_choose(*, job: ImportJob, user, chosen: dict[str, str]) -> ImportJob:
    """The user's answer where several columns could be one field (`chosen`: field
    key → the header of the column to use): the others are not used, and the file is
    checked again. ChoiceRefused when a field is left unanswered or a header is not
    one of its columns."""
    _own(job, user)
    question = (job.preview or {}).get("choose") or {}
    if job.status != ImportStatus.CHOOSING or not question:
        return job
    names = (job.preview or {}).get("fields") or {}
    column_map = dict(job.column_map or {})
    for key, headers in question.items():
        answer = chosen.get(key)
        if answer not in headers:
            raise ChoiceRefused(
                _("Choose the column to use for “%s”.") % names.get(key, key)
            )
        for header in headers:
            column_map[header] = key if header == answer else ""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHOOSING).update(
        status=ImportStatus.PREVIEWING, column_map=column_map, preview=None,
        updated_at=timezone.now(),
    )  # fmt: skip
    if claimed:
        job.refresh_from_db()
        _start(job, import_job_check)
    job.refresh_from_db()
    return job


def import_job_cancel(*, job: ImportJob, user) -> ImportJob:
    """Abandon a checked file: its files are deleted at once."""
    _own(job, user)
    ImportJob.objects.filter(
        pk=job.pk,
        status__in=[ImportStatus.PREVIEWED, ImportStatus.FAILED, ImportStatus.CHOOSING],
    ).update(status=ImportStatus.ABANDONED, finished_at=timezone.now())
    job.refresh_from_db()
    if job.status == ImportStatus.ABANDONED:
        _drop_files(job)
    return job


def _own(job: ImportJob, user) -> None:
    if job.user_id != user.pk or not may_import(user, job.kind):
        raise PermissionDenied


def _start(job: ImportJob, phase) -> None:
    """Run a phase now (small files, or IMPORT_RUNNER=inline), in a Celery task, or
    in a thread of this process when there is no broker."""
    runner = settings.IMPORT_RUNNER if job.background else "inline"
    if runner == "inline":
        phase(job.pk)
    elif runner == "thread":
        transaction.on_commit(lambda: _thread(phase, job.pk))
    else:
        transaction.on_commit(lambda: _send(phase, job.pk))


def _send(phase, job_id) -> None:
    """Hand the phase to a Celery worker; with the broker down, run it in a thread of
    this process instead (the job moves on, the page answers)."""
    # By name: members.tasks imports this module (no import cycle).
    task = (
        "members.tasks.import_check"
        if phase is import_job_check
        else "members.tasks.import_run"
    )
    try:
        current_app.send_task(task, args=[str(job_id)])
    except Exception as exc:  # kombu/redis connection errors, whatever the transport
        logger.warning(
            "import %s: the broker is unavailable (%s), running in this process",
            job_id, type(exc).__name__,
        )  # fmt: skip
        _thread(phase, job_id)


def _thread(phase, job_id) -> None:
    def run() -> None:
        try:
            phase(job_id)
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name=f"import-{job_id}", daemon=True).start()


# ---- the phases (also the Celery tasks' bodies) -----------------------------------


def import_job_check(job_id) -> None:
    """The dry run: counts, errors and the error file, nothing written."""
    job = _claim(job_id, ImportStatus.PREVIEWING)
    if job is None:
        return
    outcome = _run_engine(job, dry_run=True)
    if outcome is None:
        return
    if isinstance(outcome, Ambiguous):  # the user chooses, then it is checked again
        job.preview = {"choose": outcome.choices, "fields": outcome.fields}
        job.status = ImportStatus.CHOOSING
        job.save(update_fields=["preview", "status", "updated_at"])
        return
    result, error_file = outcome
    job.preview = _stored_result(result)
    job.error_file = error_file
    job.status = ImportStatus.PREVIEWED
    job.save(update_fields=["preview", "error_file", "status", "updated_at"])


def import_job_run(job_id) -> None:
    """The import itself, after the user confirmed. The upload is deleted after."""
    job = _claim(job_id, ImportStatus.IMPORTING)
    if job is None:
        return
    remove(job.error_file)
    outcome = _run_engine(job, dry_run=False)
    if isinstance(outcome, Ambiguous):  # the check settled the columns: not reached
        _fail(job, str(outcome))
        return
    if outcome is None:
        return
    result, error_file = outcome
    remove(job.stored_file)
    job.result = _stored_result(result)
    job.error_file = error_file
    job.stored_file = ""
    job.status = ImportStatus.DONE if result.written else ImportStatus.REFUSED
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "result",
            "error_file",
            "stored_file",
            "status",
            "finished_at",
            "updated_at",
        ]
    )


def _claim(job_id, status: str) -> ImportJob | None:
    """Take the phase for this run: a task delivered twice, or a second worker, finds
    it taken and does nothing."""
    token = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=status, claimed_at=None).update(
        claimed_at=token
    )
    if not claimed:
        return None
    return ImportJob.objects.get(pk=job_id)


def _run_engine(job: ImportJob, *, dry_run: bool):
    """(result, error file name); the ColumnsAmbiguous raised when the user has to
    choose columns; or None when the file could not be read (the job then says why).
    Nothing of the file's content is logged."""
    engine = ENGINES[job.kind]
    try:
        result = engine.run(
            path_of(job.stored_file),
            user=job.user,
            mode=job.mode,
            dry_run=dry_run,
            skip_invalid=job.skip_invalid,
            file_name=job.file_name,
            progress=lambda counts: progress_report(job.pk, counts),
            **{name: getattr(job, name) for name in engine.options},
        )
        error_file = ""
        if result.errors:
            error_file = _save_error_file(engine, result, only_bad_rows=job.skip_invalid)
    except Ambiguous as exc:
        return exc
    except (Unreadable, UploadRefused, OSError) as exc:
        _fail(job, str(exc) if not isinstance(exc, OSError) else _("The file is gone."))
        return None
    except Exception as exc:  # never a stuck job; the details stay out of the log
        logger.error("import %s failed: %s", job.pk, type(exc).__name__)
        _fail(
            job,
            _(
                "The file could not be processed. Nothing was saved. Check that it is the "
                "template's layout, or send it to the administrator."
            ),
        )
        return None
    finally:
        ImportJob.objects.filter(pk=job.pk).update(claimed_at=None)
    return result, error_file


def _fail(job: ImportJob, message: str) -> None:
    _drop_files(job)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED,
        message=message,
        stored_file="",
        error_file="",
        claimed_at=None,
        finished_at=timezone.now(),
    )


def _stored_result(result) -> dict:
    data = result.as_dict()
    data["error_count"] = len(data["errors"])
    data["errors"] = data["errors"][:ERRORS_KEPT]
    data["rows_read"] = result.rows_read
    data["refused"] = len(result.error_rows)
    return data


def _save_error_file(engine, result, *, only_bad_rows: bool) -> str:
    name = f"{uuid.uuid4().hex}.errors.xlsx"
    path = path_of(name)
    workbook = engine.error_workbook(result, only_bad_rows=only_bad_rows)
    workbooks.save(workbook, path)
    path.chmod(0o600)
    return name


def _drop_files(job: ImportJob) -> None:
    remove(job.stored_file)
    remove(job.error_file)
    ImportJob.objects.filter(pk=job.pk).update(stored_file="", error_file="")
    job.stored_file = job.error_file = ""


# ---- the daily sweep -----------------------------------------------------------------


def imports_unstick(*, now=None, job_id=None) -> int:
    """Mark failed the imports that stopped while checking or importing (a worker or
    thread that died): no job stays "in progress" for ever. Nothing of them was saved
    (each import is one transaction). Returns how many were marked."""
    now = now or timezone.now()
    limit = now - timezone.timedelta(minutes=settings.IMPORT_STUCK_MINUTES)
    stuck = ImportJob.objects.filter(
        status__in=[ImportStatus.PREVIEWING, ImportStatus.IMPORTING], updated_at__lt=limit
    )
    if job_id is not None:
        stuck = stuck.filter(pk=job_id)
    count = 0
    for job in stuck:
        _fail(
            job,
            _(
                "The background work on this file stopped before it finished. Nothing "
                "was saved. Upload the file again."
            ),
        )
        count += 1
    return count


def imports_sweep(*, now=None) -> int:
    """Delete uploaded and error files older than IMPORT_FILE_MAX_AGE_HOURS and mark
    unconfirmed imports abandoned; return how many files went. Idempotent."""
    now = now or timezone.now()
    imports_unstick(now=now)
    age = timezone.timedelta(hours=settings.IMPORT_FILE_MAX_AGE_HOURS)
    old = ImportJob.objects.filter(created_at__lt=now - age)
    old.filter(
        status__in=[
            ImportStatus.PREVIEWED,
            ImportStatus.PREVIEWING,
            ImportStatus.CHOOSING,
        ]
    ).update(  # fmt: skip
        status=ImportStatus.ABANDONED, finished_at=now
    )
    removed = 0
    for job in old.exclude(stored_file="", error_file=""):
        removed += sum(1 for name in (job.stored_file, job.error_file) if name)
        _drop_files(job)
    # And any file no job points to any more (a crash between writing and saving).
    return removed + sweep(age.total_seconds(), now=now.timestamp())


def error_file_path(job: ImportJob, user) -> Path | None:
    _own(job, user)
    return path_of(job.error_file) if job.error_file else None
