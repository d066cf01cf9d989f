"""Demo content for the run command and benchmarks.

Every app contributes a seeder (`core.extensions.Seeder`); this command runs them in
order, saying what each does and how long it took. Every seeder is idempotent at a given
scale: running the command twice changes nothing.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import translation

from core import demo as core_demo
from core.extensions import registry


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo content; idempotent at a given scale."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Create N times more content (benchmarks)."
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, scale: int, quiet_logins: bool, **options):
        scale = max(scale, 1)
        translation.activate("fr")
        verbose = options["verbosity"] >= 1
        for seeder in registry.demo_seeders():
            if verbose:
                self.stdout.write(f"Demo data: {seeder.key}…")
            started = time.monotonic()
            seeder.seed(scale=scale, stdout=self.stdout)
            if verbose:
                self.stdout.write(f"  {seeder.key} ready in {time.monotonic() - started:.1f} s")
        if not quiet_logins:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password: {core_demo.DEMO_PASSWORD})")
            for username, where in core_demo.describe():
                self.stdout.write(f"  {username:<20} {where}")
