"""Influence tasks: thin wrappers over the services, taking primary keys, safe to run twice.

- `schedule_monthly_briefing` (beat, the 1st at `INFLUENCE_BRIEFING_HOUR`, Europe/Paris):
  the previous month's internal briefing, once;
- `notify_briefing_ready`: the subscribers' email once a render is ready (once per render).

The render itself is core's `render_pdf_job` on the `pdf` queue.
"""

from __future__ import annotations

from core.tasks import DB_ERRORS, db_task


@db_task(soft_time_limit=60, time_limit=90)
def schedule_monthly_briefing(regenerate: bool = False) -> int | None:
    """Create (if needed) and queue the previous month's internal briefing; returns the
    briefing's id (the render is asked only when none is ready or under way)."""
    from .services.briefings import briefing_schedule_month

    briefing, _job = briefing_schedule_month(regenerate=regenerate)
    return briefing.pk


@db_task(
    soft_time_limit=120,
    time_limit=150,
    autoretry_for=(*DB_ERRORS, OSError),
    retry_backoff_max=600,
    max_retries=5,
)
def notify_briefing_ready(briefing_id: int, job_id: int) -> int:
    from .services.briefings import briefing_notify

    return briefing_notify(briefing_id=briefing_id, job_id=job_id)
