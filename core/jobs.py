"""What every background job shares: sending it without losing it, and a lease.

- `enqueue(task, *args)` hands a task to the broker after the caller wrote its row; when
  the broker is unreachable it logs and returns False instead of raising, so the request
  answers with a clear message and a sweeper sends the job later (nothing is lost).
- `Heartbeat` extends a row's lease while a worker holds it; a worker killed with SIGKILL
  stops extending it, and the sweeper that finds the lease expired gives the job to
  another worker within one lease (a minute or two), not after a fixed long delay.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)


def broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError

    return (OperationalError, OSError)


def enqueue(task, *args, **options) -> bool:
    """`task.apply_async(args, **options)`; False (logged) when the broker is unreachable."""
    try:
        task.apply_async(args, **options)
    except broker_errors() as error:
        logger.warning("%s not sent: broker unreachable (%s)", task.name, type(error).__name__)
        return False
    return True


class Heartbeat(threading.Thread):
    """While running, pushes `rows.update(<field>=now + seconds)` every third of the lease.

    `rows` is a queryset that only matches while this worker still holds the job (e.g.
    filtered on the claim token or attempt number), so a reclaimed job is left alone.
    Use as a context manager around the work.
    """

    def __init__(self, rows, *, seconds: int, field: str = "lease_expires_at"):
        super().__init__(daemon=True, name=f"lease-{rows.model._meta.label_lower}")
        self.rows, self.seconds, self.field = rows, seconds, field
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = max(1.0, self.seconds / 3)
        try:
            while not self.stopped.wait(interval):
                self.rows.update(**{self.field: timezone.now() + timedelta(seconds=self.seconds)})
        except Exception:  # a lost database only shortens the lease
            logger.warning("lease of %s not extended", self.rows.model._meta.label_lower)
        finally:
            connection.close()

    def __enter__(self) -> Heartbeat:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.join(timeout=5)
