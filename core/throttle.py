"""Fixed-window request counters in the Django cache (Redis in production).

    if not throttle.allow("password-reset-ip", ip, limit=10, period=3600): ...

Keys hold a hash of the value, never the value itself (an address, an IP). With the
local-memory cache of `make run` each process counts on its own; with Redis
(`CACHE_URL`) the count is shared by every web process.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def hit(scope: str, value: str, *, period: int) -> int:
    """Count one request for `value` in the current window and return the count."""
    key = _key(scope, value)
    cache.add(key, 0, timeout=period)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=period)
        return 1


def allow(scope: str, value: str, *, limit: int, period: int) -> bool:
    """True while `value` has made at most `limit` requests in this window (this one too)."""
    return hit(scope, value, period=period) <= limit
