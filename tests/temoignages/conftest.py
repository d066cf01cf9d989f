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
