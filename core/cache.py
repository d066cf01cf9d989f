"""The Redis cache, degraded to a miss while Redis is unreachable.

Redis is the broker and the cache. When it stops, Celery's callers already answer
clearly (`core.jobs.enqueue`); the cache must not turn every page that reads it (the
dashboard's charts, the request throttles) into a server error. This backend is Django's
`RedisCache` whose operations, when Redis cannot be reached, log a warning and behave
like an empty cache: reads miss, writes are dropped, `add` and `delete` say nothing was
done, `incr` finds no key. Pages recompute what they would have read; throttles count
from zero again (they let requests through rather than refuse everyone).

Connecting and reading are bounded (`socket_connect_timeout`, `socket_timeout`, one
second unless OPTIONS say otherwise), so a Redis that hangs costs a request one second,
not a worker.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# What each client operation returns when Redis is unreachable (an empty cache's answer).
_MISS = {
    "add": lambda *a: False,
    "get": lambda key, default: default,
    "set": lambda *a: None,
    "touch": lambda *a: False,
    "delete": lambda *a: False,
    "get_many": lambda *a: {},
    "has_key": lambda *a: False,
    "set_many": lambda *a: None,
    "delete_many": lambda *a: None,
    "clear": lambda *a: False,
}


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, OSError)


def _degrading(name: str, method):
    @functools.wraps(method)
    def wrapper(self, *args):
        try:
            return method(self, *args)
        except _unreachable_errors() as error:
            logger.warning("cache %s skipped: Redis unreachable (%s)", name, type(error).__name__)
            if name == "incr":
                raise ValueError("Key not found (cache unreachable).") from None
            return _MISS[name](*args)

    return wrapper


class DegradingRedisCacheClient(RedisCacheClient):
    pass


for _name in (*_MISS, "incr"):
    setattr(
        DegradingRedisCacheClient,
        _name,
        _degrading(_name, getattr(RedisCacheClient, _name)),
    )


class DegradingRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that survives a Redis outage."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient
        self._options = {"socket_connect_timeout": 1, "socket_timeout": 1, **self._options}
