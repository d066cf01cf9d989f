"""Render a briefing now, in this process, through the same PDF job as the workers.

    python manage.py briefing_render --month 2026-11 [--audience internal|partners]
        [--lang fr|en] [--user USERNAME] --out briefing.pdf

The edition is created if it does not exist (with no introduction). Testimony uses are
recorded in the name of --user, else of the coordinator in charge of scheduled briefings
(INFLUENCE_BRIEFING_OWNER). Prints the page count, the time and the size; exits non-zero
with the reason when the render fails.
"""

from __future__ import annotations

import re
import shutil
import time

from django.core.management.base import BaseCommand, CommandError

from core.files import private_path
from core.models import PdfJob, User


class Command(BaseCommand):
    help = "Render a monthly briefing to a PDF file (same code path as the workers)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--audience", choices=["internal", "partners"], default="internal")
        parser.add_argument("--lang", choices=["fr", "en"], default="fr")
        parser.add_argument("--user", default="", help="username who answers for the edition")
        parser.add_argument("--out", required=True, help="where to write the PDF")

    def handle(self, *args, **options):
        from core.templatetags.core_tags import pdf_job_error
        from influence.services.briefings import briefing_render_now, month_bounds

        found = re.fullmatch(r"(\d{4})-(\d{2})", options["month"])
        if not found or not 1 <= int(found[2]) <= 12:
            raise CommandError("--month must be YYYY-MM, e.g. 2026-11")
        start, end = month_bounds(int(found[1]), int(found[2]))
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['user']!r}")
        started = time.monotonic()
        try:
            briefing, job = briefing_render_now(
                start=start,
                end=end,
                audience=options["audience"],
                language=options["lang"],
                user=user,
            )
        except Exception as error:
            raise CommandError(f"render failed: {type(error).__name__}: {error}") from error
        elapsed = time.monotonic() - started
        if job.status != PdfJob.Status.READY:
            raise CommandError(f"render failed: {pdf_job_error(job)}")
        shutil.copyfile(private_path(job.file_name), options["out"])
        self.stdout.write(
            f"briefing {options['month']} {options['audience']} {options['lang']} "
            f"(#{briefing.pk}): {job.page_count} pages, {elapsed:.1f} s, "
            f"{job.size_bytes / 1024:.0f} KiB -> {options['out']}"
        )
