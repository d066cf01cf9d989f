"""Shared by the testimonies tests.

pytest collects every function whose name starts with "test" and every class starting
with "Test": `testimony_usability`, `testimony_submit`, `Testimony`, `TestimonyFactory`…
imported into a test module would be collected as tests. Names starting with
"testimon" (testimony, testimonies…) are never tests here.
"""


def pytest_pycollect_makeitem(collector, name, obj):
    if name.lower().startswith("testimon"):
        return []
    return None
