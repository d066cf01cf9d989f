"""The lock files agree with pyproject.toml (`make lock` was run after a change)."""

import re
import tomllib
from pathlib import Path

from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = _PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} has no hash in {name}"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_dependency_is_pinned_within_its_range_in_both_locks():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    base, full = _pins("base.txt"), _pins("dev.txt")

    for requirement in runtime:
        name = canonicalize_name(requirement.name)
        assert name in base, f"{name} is missing from requirements/base.txt: run make lock"
        assert base[name] in requirement.specifier, f"{name}=={base[name]} ∉ {requirement}"
        assert full.get(name) == base[name], f"{name}: base.txt and dev.txt disagree"
    for requirement in dev:
        name = canonicalize_name(requirement.name)
        assert name in full, f"{name} is missing from requirements/dev.txt: run make lock"
        assert full[name] in requirement.specifier, f"{name}=={full[name]} ∉ {requirement}"
    # Everything the runtime lock needs is in the development lock, at the same version.
    assert {n: v for n, v in full.items() if n in base} == base
