"""Fixtures of the veille tests: the local feed server and the fetch allowlist."""

import pytest

from tests.veille.feedserver import FeedServer


@pytest.fixture(scope="session")
def feed_server():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def allow_local(settings):
    """Let the fetcher reach 127.0.0.1 (the feed server); the guard stays on otherwise."""
    settings.VEILLE_FETCH_ALLOWLIST = ["127.0.0.1"]
    return settings


@pytest.fixture
def no_allowlist(settings):
    settings.VEILLE_FETCH_ALLOWLIST = []
    return settings
