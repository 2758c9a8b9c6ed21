from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gridparty.demo import DEMO_PASSWORD, USERS, load_demo
from gridparty.demo_portal import demo_portal_cadre


class Command(BaseCommand):
    help = "Load the demo township XX镇 (idempotent; refused under the prod settings)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "load_demo refuses to run under the production settings: "
                "demo accounts with a published password must never exist there."
            )
        counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "demo township loaded: "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
        )
        self.stdout.write(f"demo logins (password {DEMO_PASSWORD}):")
        for username, (role, unit, _superuser) in USERS.items():
            self.stdout.write(f"  {username:<10} {role.label} · {unit}")
        cadre = demo_portal_cadre()
        if cadre is not None:
            self.stdout.write(
                f"the cadres' own pages: /my/ with the mobile number {cadre.phone} "
                f"({cadre.name}); the sign-in code is written to the server's log"
            )
