"""Health checks for the proxy, the load balancer and the monitoring (issue 22).

`/healthz/live`: the process answers (no database touched). `/healthz/ready`: the
database, the cache and the broker answer → 200, else 503; the body (JSON) also
reports, without failing on them, the last daily reminder scan, the age of the beat
heartbeat and whether a worker answers. Neither needs a login nor shows personal
data."""

import datetime
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from services.models import ReminderScan

from .tasks import HEARTBEAT_KEY

# The daily scan is late when the last one finished more than this long ago.
SCAN_LATE = datetime.timedelta(hours=26)


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        check()
    except Exception as exc:  # any failure to reach it is "down", with its kind
        return {"ok": False, "error": type(exc).__name__, "ms": _ms(started)}
    return {"ok": True, "ms": _ms(started)}


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set("gridparty:healthz", "1", timeout=10)
    if cache.get("gridparty:healthz") != "1":
        raise ConnectionError("the cache did not keep a value")


def _broker() -> None:
    from .celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # no broker: tasks run in the web process
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _worker() -> bool | None:
    """Whether a worker answers a ping (None: tasks run in-process, no worker)."""
    from .celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    try:
        return bool(app.control.ping(timeout=0.5))
    except Exception:  # the broker is down: reported as such above
        return False


def last_scan() -> datetime.datetime | None:
    try:
        return (
            ReminderScan.objects.order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
    except Exception:  # the database is down: reported as such
        return None


def scan_is_late(last: datetime.datetime | None, now=None) -> bool:
    """Whether the daily reminder scan (last finished at `last`) has not finished in
    the last 26 hours: beat or the worker is down, or the scan fails."""
    return last is None or (now or timezone.now()) - last > SCAN_LATE


def _heartbeat_age() -> int | None:
    try:
        stamp = cache.get(HEARTBEAT_KEY)
    except Exception:
        return None
    if not stamp:
        return None
    return round(
        (timezone.now() - datetime.datetime.fromisoformat(stamp)).total_seconds()
    )


@never_cache
@require_GET
def ready(request):
    checks = {
        "database": _timed(_database),
        "cache": _timed(_cache),
        "broker": _timed(_broker),
    }
    ok = all(c["ok"] for c in checks.values())
    scan = last_scan() if checks["database"]["ok"] else None
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": checks,
        # Reported, never failing the check: a late scan is the dashboard's warning.
        "reminder_scan": {
            "last": scan.isoformat() if scan else None,
            "late": scan_is_late(scan),
        },
        "beat_heartbeat_age_s": _heartbeat_age() if checks["cache"]["ok"] else None,
        "worker_answers": _worker() if checks["broker"]["ok"] else False,
    }
    return JsonResponse(body, status=200 if ok else 503)
