from django.core.management.base import BaseCommand

from core.models import Country, Site, Theme
from core.reference_data import load


class Command(BaseCommand):
    help = "Create the missing countries, sites and themes (idempotent; edits are kept)."

    def handle(self, *args, **options):
        created = load(Country, Site, Theme)
        self.stdout.write(
            "Reference data: {countries} countries, {sites} sites, {themes} themes created.".format(
                **created
            )
        )
