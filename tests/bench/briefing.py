"""Benchmark: render a heavy monthly briefing and measure the rendering process.

    .venv/bin/python tests/bench/briefing.py [--runs 3]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/influence_brief_bench, dropped and created again) and
fills the previous month with: 500 articles marked relevant or important (about 390
stories: some told by two or three sources; 25 sources; French, English and Arabic
titles; 14 themes; 8 countries), 6 published analysis notes, 20 testimony extracts
cleared by the gate (4 in Arabic), 12 political events in the two months after, 12
objectives with markers, and 40 advocacy actions contributed by a stand-in section
(plaidoyer's own section is not there yet) with its own chart: 4 charts in all.

Each render runs `manage.py briefing_render` (the same PDF job as the workers) in a
fresh child process, French then English, `--runs` times each; the parent reads the
child's peak resident memory from `wait4`. Prints time, pages and peak RSS per run, and
the load average (the machine is shared). Targets: < 15 s and < 600 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/influence_brief_bench"
)
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

ITEMS = 500
EXTRACTS = 20
ACTIONS = 40
TEMPLATES = ROOT / "tests" / "bench" / "templates"


# --- The stand-in for plaidoyer's section ---------------------------------------------------


def stand_in_section():
    """40 advocacy actions and a chart, as plaidoyer will contribute them."""
    from django.utils.translation import gettext_lazy

    from core.charts import bar_chart
    from core.extensions import BriefingPart, BriefingSection

    kinds = ["Note de position", "Rencontre privée", "Lettre conjointe", "Audition", "Rapport"]
    statuses = ["Terminée", "En cours", "Planifiée"]

    def build(period):
        actions = [
            {
                "title": f"{kinds[n % len(kinds)]} — mineurs et détention ({n + 1})",
                "status": statuses[n % 3],
                "when": period.start.replace(day=1 + n % 28),
                "outcome": "Engagement écrit d'un cabinet ministériel à revoir la circulaire."
                if n % 4 == 0
                else "",
            }
            for n in range(ACTIONS)
        ]
        counts = [sum(1 for a in actions if a["status"] == s) for s in statuses]
        chart = bar_chart(
            title="Actions de plaidoyer par statut",
            description="Nombre d'actions de la période par statut.",
            labels=statuses,
            values=counts,
        )
        return BriefingPart(
            template="bench/actions.html",
            context={"actions": actions, "chart": chart},
            figures=[("Actions de plaidoyer terminées", counts[0], counts[0] - 3)],
        )

    return BriefingSection(
        key="bench.actions",
        title=gettext_lazy("Actions de plaidoyer"),
        build=build,
        order=30,
    )


# --- Data -----------------------------------------------------------------------------------


def recreate_database() -> None:
    import psycopg

    name = BENCH_URL.rsplit("/", 1)[1]
    admin = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed() -> str:
    """Fill the previous month; returns it as YYYY-MM."""
    import datetime
    import random

    import django

    django.setup()
    from django.core.management import call_command

    from core.models import Country, Theme, User
    from influence.models import PoliticalEvent
    from temoignages.models import Testimony
    from tests.influence.briefing_data import in_month, last_month, quoted_testimony
    from tests.influence.factories import marker, objective, unit_strategy
    from tests.veille.factories import AnalysisNoteFactory, ItemFactory, SourceFactory
    from veille.models import AnalysisNote, Cluster, Importance, TriageStatus

    random.seed(12)
    call_command("migrate", verbosity=0)
    from core.extensions import registry

    registry.seeders["core.users"].seed(scale=1, stdout=None)
    coordinator = User.objects.get(username="coordination")
    start, end = last_month()
    themes = list(Theme.objects.all()[:14])
    countries = list(
        Country.objects.filter(code__in=["FR", "LY", "TN", "IT", "GR", "NE", "ES", "MT"])
    )
    sources = [SourceFactory(name=f"Source de veille {n + 1}") for n in range(25)]
    titles = [
        "Naufrage au large de {place} : {n} personnes portées disparues",
        "Interceptions en Méditerranée centrale : {n} personnes ramenées à {place}",
        "Unaccompanied children wait {n} days for guardianship in {place}",
        "غرق قارب مهاجرين قبالة {place_ar} وفقدان {n} شخصا",
        "Centres de rétention : {n} signalements de violences à {place}",
    ]
    places = ["Zuwara", "Sfax", "Lampedusa", "Calais", "Marseille", "Tripoli", "Malte"]
    places_ar = ["زوارة", "صفاقس", "طرابلس", "لامبيدوزا"]
    made = 0
    story = 0
    while made < ITEMS:
        story += 1
        size = 1 if story % 4 else 3 if story % 8 == 0 else 2
        size = min(size, ITEMS - made)
        template = titles[story % len(titles)]
        title = template.format(
            place=places[story % len(places)], place_ar=places_ar[story % 4], n=story % 97 + 3
        )
        day = 1 + story % 28
        cluster = Cluster.objects.create(title=title) if size > 1 else None
        for index in range(size):
            ItemFactory(
                source=sources[(story + index) % len(sources)],
                title=title if index == 0 else f"{title} ({index + 1})",
                language="ar" if "{place_ar}" in template else "fr",
                published_at=in_month(day, 8 + index),
                status=TriageStatus.RELEVANT,
                importance=[
                    Importance.NORMAL,
                    Importance.NOTABLE,
                    Importance.HIGH,
                    Importance.CRITICAL,
                ][story % 4],
                cluster=cluster,
                is_cluster_lead=index == 0,
                themes=[themes[story % len(themes)], themes[(story * 3) % len(themes)]],
                countries=[countries[story % len(countries)]],
            )
            made += 1
    for n in range(6):
        note = AnalysisNoteFactory(
            title=f"Note d'analyse {n + 1} : évolution des interceptions",
            author=coordinator,
            status=AnalysisNote.Status.PUBLISHED,
            body="## Constat\n\n" + "Les interceptions augmentent. " * 20,
        )
        AnalysisNote.objects.filter(pk=note.pk).update(published_at=in_month(3 + n * 4))
    for n in range(EXTRACTS):
        if n % 5 == 4:
            quoted_testimony(
                "كنا أكثر من مئتي شخص في غرفة واحدة ولم يكن هناك طبيب " * 2, language="ar"
            )
        else:
            quoted_testimony(
                "« On nous a dit que nous étions majeurs sans regarder nos papiers. Nous avons "
                f"dormi dehors pendant {n + 2} semaines avant que le juge nous écoute. »"
            )
    assert Testimony.objects.count() == EXTRACTS
    for n in range(12):
        PoliticalEvent.objects.create(
            title=f"Échéance politique {n + 1} : vote sur le règlement retour",
            kind=PoliticalEvent.Kind.VOTE,
            start=end + datetime.timedelta(days=3 + n * 4),
            country=countries[n % len(countries)],
        )
    unit = unit_strategy(status="validated")
    for n in range(12):
        goal = objective(unit, f"Objectif {n + 1} : protéger les mineurs aux frontières",
                         due_on=end + datetime.timedelta(days=30 * (n + 1)))  # fmt: skip
        for m in range(4):
            reached = marker(goal, f"Marqueur {m + 1}", reached=m < n % 4)
            if reached.reached_on:
                reached.reached_on = start + datetime.timedelta(days=m * 5)
                reached.save(update_fields=["reached_on"])
    return start.strftime("%Y-%m")


# --- Rendering --------------------------------------------------------------------------------


def render_child(month: str, language: str, out: str) -> None:
    """In a fresh process: register the stand-in section, then the real command."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from core.extensions import register

    settings.TEMPLATES[0]["DIRS"] = [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]
    register(stand_in_section())
    call_command("briefing_render", month=month, lang=language, out=out)


def render(month: str, language: str, private: str) -> tuple[float, int, str]:
    out = os.path.join(private, f"briefing-{language}.pdf")
    env = {**os.environ, "PRIVATE_STORAGE_ROOT": private}
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, __file__, "--render-child", month, language, out],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - started
    output = child.stdout.read() + child.stderr.read()
    if status != 0:
        raise SystemExit(f"render failed:\n{output}")
    line = next(x for x in output.splitlines() if x.startswith("briefing "))
    return elapsed, usage.ru_maxrss // 1024, line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--render-child", nargs=3, metavar=("MONTH", "LANG", "OUT"))
    parser.add_argument("--summary-json", type=Path, help="write the key numbers there (JSON)")
    args = parser.parse_args()
    if args.render_child:
        render_child(*args.render_child)
        return
    recreate_database()
    started = time.monotonic()
    month = seed()
    print(f"seeded {month} in {time.monotonic() - started:.1f} s")
    runs = []
    with tempfile.TemporaryDirectory() as private:
        for language in ("fr", "en"):
            for run in range(args.runs):
                load = os.getloadavg()
                elapsed, rss, line = render(month, language, private)
                print(
                    f"{language} run {run + 1}: {line.split(': ', 1)[1].split(' -> ')[0]}; "
                    f"process {elapsed:.1f} s wall, peak RSS {rss} MB; "
                    f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
                )
                runs.append({"language": language, "seconds": elapsed, "peak_rss_mb": rss})
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if args.summary_json:
        args.summary_json.write_text(
            json.dumps(
                {
                    "bench": "briefing",
                    "runs": runs,
                    "seconds_max": max(r["seconds"] for r in runs),
                    "seconds_median": statistics.median(r["seconds"] for r in runs),
                    "peak_rss_mb_max": max(r["peak_rss_mb"] for r in runs),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
