"""Demo content for the run command and benchmarks.

Each app may provide `<app>.demo.seed(scale=N, stdout=...)`; this command calls them in
order. Every seed is idempotent at a given scale: running it twice changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

from core import demo as core_demo

APP_SEEDS = (
    "influence.demo.seed",
    "veille.demo.seed",
    "plaidoyer.demo.seed",
    "temoignages.demo.seed",
)


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo content; idempotent at a given scale."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Create N times more content (benchmarks)."
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, scale: int, quiet_logins: bool, **options):
        if scale < 1:
            scale = 1
        translation.activate("fr")
        with transaction.atomic():
            core_demo.seed(scale=scale, stdout=self.stdout)
        for path in APP_SEEDS:
            try:
                seed = import_string(path)
            except ImportError:
                continue
            seed(scale=scale, stdout=self.stdout)
        if not quiet_logins:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password: {core_demo.DEMO_PASSWORD})")
            for username, where in core_demo.describe():
                self.stdout.write(f"  {username:<20} {where}")
