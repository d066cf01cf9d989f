"""The Redis cache answers like an empty cache while Redis is unreachable."""

import uuid

import pytest
from django.conf import settings

from core import throttle
from core.cache import DegradingRedisCache
from tests.processes import free_port


def _cache(url: str) -> DegradingRedisCache:
    return DegradingRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 0.5}})


def test_an_unreachable_redis_reads_as_a_miss_and_drops_writes():
    cache = _cache(f"redis://127.0.0.1:{free_port()}/1")  # nothing listens there
    assert cache.get("chart", "recompute") == "recompute"
    cache.set("chart", [1, 2, 3])
    assert cache.add("chart", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("chart") is False
    assert cache.delete("chart") is False
    assert cache.touch("chart") is False
    cache.set_many({"a": 1})
    cache.delete_many(["a"])
    with pytest.raises(ValueError, match="not found"):
        cache.incr("hits")
    assert cache.get_or_set("chart", lambda: "fresh") == "fresh"


def test_throttles_let_requests_through_while_redis_is_unreachable(monkeypatch):
    monkeypatch.setattr(throttle, "cache", _cache(f"redis://127.0.0.1:{free_port()}/1"))
    assert all(throttle.allow("reset-ip", "10.0.0.1", limit=1, period=60) for _ in range(3))


def test_a_reachable_redis_is_an_ordinary_cache():
    cache = _cache(settings.CELERY_BROKER_URL)
    key = f"test-cache-{uuid.uuid4().hex}"
    try:
        cache.set(key, {"weeks": [1, 2]}, 30)
        assert cache.get(key) == {"weeks": [1, 2]}
        assert cache.add(key, "other") is False
        cache.set(f"{key}-n", 1, 30)
        assert cache.incr(f"{key}-n") == 2
    finally:
        cache.delete_many([key, f"{key}-n"])
