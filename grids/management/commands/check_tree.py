from django.core.management.base import BaseCommand, CommandError

from grids.services import tree_problems, tree_rebuild


class Command(BaseCommand):
    help = "Verify the MPTT columns of the organization tree against the parent links."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Rebuild the MPTT columns from the parent links when a problem is found.",
        )

    def handle(self, *args, fix: bool = False, **options):
        problems = tree_problems()
        if not problems:
            self.stdout.write(self.style.SUCCESS("tree OK"))
            return
        for problem in problems[:50]:
            self.stderr.write(problem)
        if len(problems) > 50:
            self.stderr.write(f"... and {len(problems) - 50} more")
        if fix:
            tree_rebuild()
            remaining = tree_problems()
            if remaining:
                raise CommandError(f"{len(remaining)} problems remain after rebuild")
            self.stdout.write(self.style.WARNING(f"fixed {len(problems)} problems"))
            return
        raise CommandError(f"{len(problems)} tree problems found")
