"""Numbers several parts of one page ask for, computed once per request.

The navigation badge, a dashboard card and a section's home often show the same count
("testimonies awaiting review", "unread alerts"). They are kept on the request's user
object — a fresh object for every request, like Django's permission cache — so the page
asks the database once, and the first part that counts (often a card that gets the total
with its rows, in the same query) tells the others with `remember`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def _store(owner) -> dict:
    return owner.__dict__.setdefault("_request_memo", {})


def remember(owner, key: str, value: T) -> T:
    _store(owner)[key] = value
    return value


def memo(owner, key: str, compute: Callable[[], T]) -> T:
    store = _store(owner)
    if key not in store:
        store[key] = compute()
    return store[key]
