"""Logging helpers used by the LOGGING setting."""

from __future__ import annotations

import logging


class RefusalsInOneLine(logging.Filter):
    """A refused request (403) is logged as one line, without the traceback of the
    PermissionDenied that produced it: a refusal is expected behaviour, audited by the
    403 handler, not an error to debug."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
