"""Waiting for a state outside the browser (a row a worker writes, a file it removes, an
email it sends): poll with a deadline, never sleep a fixed time and hope.

In the browser, Playwright's `expect` does this (tests/test_browser_waits.py)."""

import time
from collections.abc import Callable
from typing import Any


def wait_until(
    predicate: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.05
) -> Any:
    """Poll `predicate` until it returns something truthy (returned), or fail after
    `timeout` seconds saying `what` was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"still waiting after {timeout:.0f} s: {what}")
        time.sleep(interval)
