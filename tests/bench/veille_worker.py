"""A Celery worker process for the ingest benchmark, with story clustering on or off.

    python tests/bench/veille_worker.py [--no-clustering] <celery worker arguments>

With ``--no-clustering`` the feed pipeline stores every new article alone: no
signatures, no candidate query, no comparison, no cluster. That is the baseline the
cost of clustering is measured against (same fetch, parse, sanitise and COPY path).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _switch_clustering_off() -> None:
    from veille.services import clustering

    def assign(**kwargs):
        return clustering.Assignment()

    clustering.assign = assign
    if hasattr(clustering, "sign_changed"):
        clustering.sign_changed = lambda **kwargs: None


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    argv = sys.argv[1:]
    off = "--no-clustering" in argv
    argv = [a for a in argv if a != "--no-clustering"]
    import django

    django.setup()
    if off:
        _switch_clustering_off()
    from celery.__main__ import main as celery_main

    sys.argv = ["celery", *argv]
    celery_main()


if __name__ == "__main__":
    main()
