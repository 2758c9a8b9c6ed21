import datetime

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gridparty.models import SyntheticDataset
from gridparty.synthetic import database_is_empty, seed_synthetic


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic district: N cadres, 10·N visits over 24 "
        "months, check-ups, a year of meetings, staff users. Same seed → same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cadres", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--anchor",
            type=datetime.date.fromisoformat,
            default=None,
            help="the 'today' of the data set (YYYY-MM-DD); default: today",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="empty the whole database first (every table, users included)",
        )

    def handle(self, *args, cadres, seed, anchor, reset, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_synthetic refuses to run under the production settings."
            )
        if cadres < 1:
            raise CommandError("--cadres must be at least 1")
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        elif not database_is_empty():
            raise CommandError(
                "The database is not empty. Use a database of its own for synthetic data "
                "(e.g. DATABASE_URL=postgres://…/gridparty_bench), or pass --reset to empty "
                "this one first."
            )
        result = seed_synthetic(cadres=cadres, seed=seed, anchor=anchor)
        SyntheticDataset.objects.create(
            seed=seed,
            cadres=cadres,
            anchor=anchor or datetime.date.today(),
            seconds=result.seconds,
            bench_worker=result.bench_worker,
            counts=result.counts,
        )
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<24} {count:>10,}")
        for name, seconds in result.timings.items():
            self.stdout.write(f"  {name:<24} {seconds:>9.1f} s")
        self.stdout.write(
            f"seeded {cadres:,} cadres (seed {seed}) in {result.seconds:.1f} s; "
            f"community worker with {result.bench_worker_cadres} cadres: "
            f"{result.bench_worker} (password Synthetic-2026)"
        )
