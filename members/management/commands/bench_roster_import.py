"""One timed roster import in a transaction that is rolled back (used by `make bench`,
in a process of its own so that its peak memory is its own)."""

import json
import resource
import time
from pathlib import Path

import tablib
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from grids.bulk import set_constraints
from members.roster.baseline import BaselineCadreResource
from members.roster.importer import import_roster


class Command(BaseCommand):
    help = "Time one import of FILE (rolled back); print JSON."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True)
        parser.add_argument("--baseline", action="store_true")
        parser.add_argument(
            "--reimport",
            help="import FILE first (not timed), then time an update import of this file",
        )

    def handle(self, *args, file, user, baseline, reimport=None, **options):
        actor = get_user_model().objects.get(username=user)
        with transaction.atomic():
            if reimport:
                first = import_roster(file, user=actor)
                assert not first.errors, first.errors[:3]
                file = reimport
            self._timed(file, actor, baseline, mode="update" if reimport else "create")
            transaction.set_rollback(True)

    def _timed(self, file, actor, baseline, mode):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            if baseline:
                with open(file, "rb") as fh:
                    dataset = tablib.Dataset().load(fh.read(), format="xlsx")
                result = BaselineCadreResource().import_data(
                    dataset, dry_run=False, raise_errors=False
                )
                rows = result.totals.get("new", 0) + result.totals.get("update", 0)
                errors = len(result.row_errors()) + len(result.invalid_rows)
            else:
                result = import_roster(file, user=actor, mode=mode)
                rows = result.created + result.updated + result.unchanged
                errors = len(result.errors)
            # What COMMIT would still do (deferred foreign-key checks) is timed too,
            # though the transaction is then rolled back.
            set_constraints("IMMEDIATE")
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        peak_mb = _peak_rss_mb()
        self.stdout.write(json.dumps({"seconds": seconds, "rows": rows, "errors": errors,
                                      "queries": len(queries), "peak_mb": peak_mb}))  # fmt: skip


def _peak_rss_mb() -> float:
    """This process's own peak resident memory. ru_maxrss is not: Linux carries the
    parent's peak over into a child across fork and exec, so a child of the (large)
    bench process would report the parent's size."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
