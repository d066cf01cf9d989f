"""Every module of the project's apps can be the first one imported.

The `services` and `selectors` packages re-export their modules from `__init__`, so
importing one module of a package loads the whole package: an import cycle between a
package and a module it uses (the feed parser and `services.clustering`, the inbox
FilterSet and `selectors.search`) only shows when that module happens to be imported
first. A fresh interpreter imports each module first, in turn.
"""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import importlib, pkgutil, sys, traceback
import django
from django.apps import apps
from django.conf import settings

django.setup()
from pathlib import Path
root = Path(settings.BASE_DIR).resolve()
# Project apps sit at the project's root (the virtualenv may live inside it too).
local = [c.name for c in apps.get_app_configs() if Path(c.path).resolve().parent == root]
keep = {f"{app}{suffix}" for app in local for suffix in ("", ".apps", ".models")}

def purge():
    for name in list(sys.modules):
        if name.split(".")[0] in local and name not in keep:
            del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if parent in sys.modules and hasattr(sys.modules[parent], child):
                delattr(sys.modules[parent], child)

names = [
    info.name
    for app in local
    for info in pkgutil.walk_packages(importlib.import_module(app).__path__, app + ".")
    if ".migrations" not in info.name
    and not info.name.endswith(".admin")  # registering a model twice is refused
    and info.name not in keep
]
failed = []
for name in names:
    purge()
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name)
        traceback.print_exc(limit=-4)
print(f"{len(names)} modules, failed: {failed}")
sys.exit(1 if failed or len(names) < 50 else 0)
"""


def test_every_module_imports_first_on_its_own():
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=root,
        env={
            **os.environ,
            "PYTHONPATH": str(root),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": "sqlite://:memory:",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
