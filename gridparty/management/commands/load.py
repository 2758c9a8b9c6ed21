from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gridparty.loadrun import TARGET_P95_MS, TARGET_RPS, load_run
from gridparty.models import SyntheticDataset


class Command(BaseCommand):
    help = (
        "Load test (make load): a working morning against gunicorn and a worker on a copy "
        "of the synthetic district; prints BENCH load_* figures and checks every "
        "acknowledged visit is stored once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--time", type=int, default=120, help="seconds per run")
        parser.add_argument("--import-rows", type=int, default=10_000)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--gunicorn-workers", type=int, default=None)
        parser.add_argument(
            "--find-max",
            action="store_true",
            help="then find the most users for which the targets hold (up by 25, down by 10)",
        )

    def handle(self, *args, users, time, import_rows, port, gunicorn_workers, find_max,
               **options):  # fmt: skip
        if connection.vendor != "postgresql" or not SyntheticDataset.objects.exists():
            raise CommandError(
                "make load needs the synthetic district on PostgreSQL: run `make bench` "
                "first with the same DATABASE_URL (a database of its own)."
            )
        best, tried = None, set()
        while users > 0 and users not in tried:
            tried.add(users)
            result = load_run(users=users, seconds=time, import_rows=import_rows, port=port,
                              gunicorn_workers=gunicorn_workers)  # fmt: skip
            self._print(result)
            if result.holds:
                best = max(best or 0, result.users)
            if not find_max:
                break
            # Up by 25 while the targets hold; down by 10 until they do.
            if result.holds:
                users += 25
            elif best is None:
                users -= 10
            else:
                break
        if find_max:
            self.stdout.write(f"BENCH load_max_users_holding {best or 0} users")

    def _print(self, r):
        self.stdout.write(
            f"# {r.users} users: {r.requests} requests in the steady state; visits "
            f"acknowledged {r.visits_acknowledged}, not stored exactly once "
            f"{r.visits_not_once}; the 10k import: {r.import_status}; slowest p95: "
            + ", ".join(f"{n} {ms:.0f} ms" for n, ms in r.slowest)
        )
        for name, value, unit in [
            ("load_users", r.users, "users"),
            ("load_rps", r.rps, "req/s"),
            ("load_p95_ms", r.p95_ms, "ms"),
            ("load_p99_ms", r.p99_ms, "ms"),
            ("load_errors", r.errors, "errors"),
            ("load_visits_not_stored_once", r.visits_not_once, "visits"),
        ]:
            self.stdout.write(f"BENCH {name} {value} {unit}")
        verdict = "holds" if r.holds else "does not hold"
        self.stdout.write(
            f"# p95 < {TARGET_P95_MS} ms with 0 errors at {r.users} users: {verdict}"
        )
        if r.users >= 50:
            met = r.holds and r.rps >= TARGET_RPS
            self.stdout.write(
                f"# issue 22's target (50 users, ≥ {TARGET_RPS} req/s, p95 < {TARGET_P95_MS} "
                f"ms, 0 errors): {'met' if met else 'not met'}"
            )
