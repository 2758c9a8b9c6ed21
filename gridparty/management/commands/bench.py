import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gridparty import bench_dues, bench_imports, bench_portal  # noqa: F401  (register their benchmarks)
from gridparty.bench import BENCH_CADRES, BENCH_SEED, BENCHMARKS, BenchContext
from gridparty.models import SyntheticDataset
from gridparty.synthetic import SYNTHETIC_VERSION, database_is_empty, seed_synthetic


class Command(BaseCommand):
    help = (
        "Seed (or reuse) the synthetic district on the PostgreSQL database named by "
        "DATABASE_URL and print each benchmark as `BENCH <name> <value> <unit>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cadres", type=int, default=BENCH_CADRES)
        parser.add_argument("--seed", type=int, default=BENCH_SEED)
        parser.add_argument(
            "--only", default="", help="comma-separated benchmark names (default: all)"
        )

    def handle(self, *args, cadres, seed, only="", **options):
        if connection.vendor != "postgresql" and cadres > 20_000:
            raise CommandError(
                "make bench needs PostgreSQL for the large data set: set "
                "DATABASE_URL=postgres://postgres@127.0.0.1:5432/gridparty_bench "
                "(a database of its own; it is emptied and seeded)."
            )
        ctx = self._dataset(cadres, seed)
        chosen = {n.strip() for n in only.split(",") if n.strip()}
        for bench in BENCHMARKS:
            if chosen and bench.__name__ not in chosen:
                continue
            for name, value, unit in bench(ctx):
                self.stdout.write(f"BENCH {name} {value} {unit}")

    def _dataset(self, cadres: int, seed: int) -> BenchContext:
        marker = SyntheticDataset.objects.order_by("-pk").first()
        if (
            marker and marker.cadres == cadres and marker.seed == seed
            and (marker.counts or {}).get("version") == SYNTHETIC_VERSION
        ):  # fmt: skip
            self.stdout.write(
                f"# reusing the synthetic data set (seed {seed}, {cadres:,} cadres) seeded "
                f"{marker.created_at:%Y-%m-%d %H:%M}; its seed time was measured then"
            )
            return BenchContext(cadres, seed, marker.bench_worker, marker.seconds, True)
        if marker is None and not database_is_empty():
            raise CommandError(
                "This database holds data that is not a synthetic data set; make bench "
                "will not empty it. Point DATABASE_URL at a database of its own."
            )
        if marker is not None:
            self.stdout.write("# a different synthetic data set is here: emptying it")
            call_command("flush", interactive=False, verbosity=0)
        self.stdout.write(f"# seeding {cadres:,} cadres (seed {seed}) …")
        result = seed_synthetic(cadres=cadres, seed=seed)
        SyntheticDataset.objects.create(
            seed=seed,
            cadres=cadres,
            anchor=datetime.date.today(),
            seconds=result.seconds,
            bench_worker=result.bench_worker,
            counts={**result.counts, "version": SYNTHETIC_VERSION},
        )
        self.stdout.write(
            f"# community worker with {result.bench_worker_cadres} cadres: {result.bench_worker}"
        )
        return BenchContext(cadres, seed, result.bench_worker, result.seconds, False)
