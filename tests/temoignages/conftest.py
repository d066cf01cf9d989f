"""Shared by the testimonies tests.

pytest collects every function whose name starts with "test" and every class starting
with "Test": `testimony_usability`, `testimony_submit`, `Testimony`, `TestimonyFactory`…
imported into a test module would be collected as tests. Names starting with
"testimon" (testimony, testimonies…) are never tests here.
"""

import pytest


def pytest_pycollect_makeitem(collector, name, obj):
    if name.lower().startswith("testimon"):
        return []
    return None


@pytest.fixture(autouse=True)
def _private_storage(request):
    """Each test writes its private files in its own temporary folder (the tests using
    `demo_data` share the module's, where the demo's photos are)."""
    from django.conf import settings as django_settings

    if "demo_data" in request.fixturenames:
        return django_settings.PRIVATE_STORAGE_ROOT
    settings = request.getfixturevalue("settings")
    settings.PRIVATE_STORAGE_ROOT = request.getfixturevalue("tmp_path") / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Transactional tests empty the database afterwards, and the serialized rollback does
    not always bring the reference data back (e.g. after a live-server test): load the
    countries, sites and themes again before any other fixture needs them (idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        import io

        from django.core.management import call_command

        request.getfixturevalue("transactional_db")
        call_command("load_reference_data", stdout=io.StringIO())
