import datetime

from django.core.management.base import BaseCommand, CommandError

from temoignages import conf
from temoignages.services import retention_run


class Command(BaseCommand):
    help = (
        "Anonymise (or delete, per TEMOIGNAGES_RETENTION_ACTION) the testimonies past their "
        "retention date, with their files on disk. --dry-run only lists what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go; change nothing."
        )
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD), e.g. to preview next month.",
        )

    def handle(self, *args, dry_run: bool, date: str | None, **options):
        on = None
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD") from exc
        outcomes = retention_run(on=on, dry_run=dry_run)
        verb = "would be" if dry_run else "was"
        action = {"anonymise": "anonymised", "delete": "deleted"}[conf.retention_action()]
        held = [o for o in outcomes if o.action == "hold"]
        for outcome in outcomes:
            if outcome.action == "hold":
                self.stdout.write(
                    self.style.ERROR(
                        f"{outcome.reference} held, check its dates by hand ({outcome.reason})"
                    )
                )
            else:
                self.stdout.write(
                    f"{outcome.reference} {verb} {action} ({outcome.files_removed} file(s))"
                )
        summary = f"{len(outcomes) - len(held)} testimony(ies) {verb} {action}."
        if held:
            summary += f" {len(held)} held for a person to check."
        self.stdout.write(self.style.WARNING(summary) if dry_run else self.style.SUCCESS(summary))
