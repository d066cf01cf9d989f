"""Shared by the testimonies tests (parts A and B).

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
def _private_storage(settings, tmp_path):
    """Each test writes its private files in its own temporary folder."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT
