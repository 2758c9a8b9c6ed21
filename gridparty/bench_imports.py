"""Re-import figures (issue 19): 100,000 cadres imported (not timed), then the same
roster imported again in update mode — once with every row changing a field (the
phone), once unchanged. Each run in a process of its own (its peak memory its own),
rolled back; the median of three."""

import statistics
from collections.abc import Iterable

from .bench import BenchContext, Figure, _roster_file, _run_import, benchmark

ROWS = 100_000


@benchmark
def roster_reimport_figures(ctx: BenchContext) -> Iterable[Figure]:
    from grids.models import StaffAssignment, StaffRole

    officer = (
        StaffAssignment.objects.filter(role=StaffRole.TOWNSHIP_OFFICER)
        .order_by("unit__tree_id", "unit__lft")
        .values_list("user__username", flat=True)
        .first()
    )
    first = _roster_file(ROWS)
    for label, second in (
        ("changed", _roster_file(ROWS, phone_shift=1)),
        ("unchanged", first),
    ):
        runs = [_run_import(first, officer, reimport=second) for _ in range(3)]
        assert all(r["errors"] == 0 and r["rows"] == ROWS for r in runs), runs
        yield (
            f"reimport_100k_{label}_s",
            round(statistics.median(r["seconds"] for r in runs), 2),
            "s",
        )
        yield (
            f"reimport_100k_{label}_peak_mb",
            round(max(r["peak_mb"] for r in runs)),
            "MB",
        )
        yield (f"reimport_100k_{label}_queries", runs[0]["queries"], "queries")
