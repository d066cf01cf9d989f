"""Run every benchmark of tests/bench/ and print one table of their key numbers.

    .venv/bin/python tests/bench/run_all.py [--quick] [--only NAME,NAME] [--docs PATH]

`make bench` runs this (`make bench BENCH_QUICK=1`: `--quick`). Each benchmark is a
script run in its own process with `--summary-json`, its output kept in
`.local/bench/<name>.log`; the table is built from the JSON files. `--quick` runs every
script at small scales (minutes, not an hour), on databases of their own (suffix
`_quick`), so a quick run never mixes with the full-scale corpora some scripts keep.

The table goes to standard output and, with `--docs`, replaces the "Latest table" section
of that file (docs/benchmarks.md), with the date, the mode and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = ROOT / ".venv" / "bin" / "python"
LOGS = ROOT / ".local" / "bench"
PG = "postgres://postgres@127.0.0.1:5432"
START, END = "<!-- latest-table:start -->", "<!-- latest-table:end -->"


@dataclass
class Bench:
    name: str
    full: list[str]
    quick: list[str]
    rows: Callable[[dict], list[tuple[str, str]]]
    quick_db: str = ""  # the quick run's database (scripts that keep their corpus)
    env: dict[str, str] = field(default_factory=dict)


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def _ingest_rows(s: dict) -> list[tuple[str, str]]:
    rows = []
    for run, found in s["runs"].items():
        farm, clustering = run.split("/")
        if clustering != "on" and f"{farm}/on" in s["runs"]:
            continue  # the table shows the real configuration (clustering on)
        cells = []
        rounds = [label for label in found if label not in ("stories", "duplicates", "big")]
        warm = [label for label in rounds if label.startswith("warm")]
        for label in rounds:
            if label.startswith("warm") and label != warm[-1]:
                continue  # the last warm round: everything answers 304
            name = "new" if label.startswith("new") else label.rstrip("0123456789")
            numbers = found[label]
            added, wall = numbers["added"], numbers["wall"]
            rate = f", {added / wall:,.0f} items/s" if added else ""
            cells.append(f"{name} {wall:.1f} s (+{added:,}{rate})")
        cells.append(f"duplicates {found.get('duplicates', '?')}")
        rows.append(
            (f"Ingest, {farm} farm ({s['sources']} feeds × {s['entries']})", "; ".join(cells))
        )
        if "big" in found:
            big = found["big"]
            rows.append((f"Ingest, one {big['entries']:,}-entry feed", f"{big['wall']:.1f} s"))
    return rows


def _search_rows(s: dict) -> list[tuple[str, str]]:
    return [
        (
            f"Inbox search at {s['items']:,} items ({s['requests']} requests, view)",
            f"p95 {_ms(s['view_p95_ms'])}, max {_ms(s['view_max_ms'])} "
            f"(p50 {_ms(s['view_p50_ms'])})",
        )
    ]


def _dashboard_rows(s: dict) -> list[tuple[str, str]]:
    rows = []
    for label, key in (
        ("Dashboard, chart cache cold", "dashboard (view, chart cache cold)"),
        ("Dashboard, chart cache warm", "dashboard (view, chart cache warm)"),
        ("Coherence matrix 15×10 (view)", "coherence matrix 15×10 (view)"),
    ):
        t = s["timings"].get(key)
        if t:
            rows.append(
                (
                    f"{label} ({s['items']:,} articles, {s['testimonies']:,} testimonies)",
                    f"p95 {_ms(t['p95_ms'])}, {t['queries']} queries",
                )
            )
    return rows


def _briefing_rows(s: dict) -> list[tuple[str, str]]:
    return [
        (
            f"Monthly briefing PDF render ({len(s['runs'])} renders, FR and EN)",
            f"max {s['seconds_max']:.1f} s (median {s['seconds_median']:.1f} s), "
            f"peak memory {s['peak_rss_mb_max']} MB",
        )
    ]


def _records_rows(s: dict) -> list[tuple[str, str]]:
    page = s["pages"].get("list, coordinator", {})
    csv = s["exports"].get("csv", {})
    return [
        (
            f"Testimony list, coordinator ({s.get('testimonies', 0):,} testimonies)",
            f"p95 {_ms(page.get('p95_ms', 0))}, {page.get('queries', '?')} queries; "
            f"CSV export {_ms(csv.get('p50_ms', 0))}; photo pipeline "
            f"{_ms(s.get('media_pipeline_p50_ms', 0))}",
        )
    ]


def _submit_rows(s: dict) -> list[tuple[str, str]]:
    whole = s.get("whole") or {}
    return [
        (
            f"Testimony submission, {s['clients']} officers at once "
            f"({s['photo_mb']:g} MB photo, 6 steps)",
            f"p95 {_ms(whole.get('p95_ms', 0))} (p50 {_ms(whole.get('p50_ms', 0))}); "
            f"{'none lost' if s['ok'] else 'FAILED'}",
        )
    ]


def _stories_rows(s: dict) -> list[tuple[str, str]]:
    return [
        (
            f"Demo stories replayed ({s['articles']} articles)",
            f"{s['stories_found']} found for {s['demo_stories']}; wrong merges "
            f"{s['wrong_merges']}, split {s['split']}, missed {s['missed']}",
        )
    ]


def _load_rows(s: dict) -> list[tuple[str, str]]:
    total = s["total"] or {}
    rows = [
        (
            f"Load test, {s['users']} users × {s['seconds']} s (all requests)",
            f"p95 {_ms(total.get('p95_ms', 0))} (p50 {_ms(total.get('p50_ms', 0))}), "
            f"{total.get('requests', 0):,} requests, errors {total.get('error_rate', 1):.1%}",
        )
    ]
    for entry in s["endpoints"]:
        if entry["name"] in ("dashboard", "inbox search", "triage") or entry["type"] == "FLOW":
            rows.append(
                (
                    f"  load: {entry['name']}",
                    f"p95 {_ms(entry['p95_ms'])} (p50 {_ms(entry['p50_ms'])}), "
                    f"{entry['requests']} requests, {entry['failures']} failed",
                )
            )
    return rows


def _plaidoyer_rows(s: dict) -> list[tuple[str, str]]:
    sizes = s["sizes"]
    scale = (
        f"{sizes['stakeholders']:,} stakeholders, {sizes['interactions']:,} interactions, "
        f"{sizes['actions']:,} actions"
    )
    return [
        (
            f"Stakeholder search ({scale})",
            f"p95 {_ms(s['search']['p95_ms'])}, {s['search']['queries']} queries",
        ),
        (
            f"Action board ({scale})",
            f"p95 {_ms(s['board']['p95_ms'])}, {s['board']['queries']} queries",
        ),
    ]


QUICK_INGEST = [
    "--clustering",
    "on",
    "--sources",
    "20",
    "--entries",
    "20",
    "--new",
    "2",
    "--previous",
    "20",
    "--big",
    "0",
]

BENCHES = [
    Bench(
        "veille_ingest",
        full=[],
        quick=QUICK_INGEST,
        rows=_ingest_rows,
    ),
    Bench(
        "veille_search",
        full=["--items", "200000"],
        quick=["--items", "20000", "--runs", "1", "--slowest", "0"],
        rows=_search_rows,
        quick_db="influence_bench_search_quick",
    ),
    Bench(
        "influence_dashboard",
        full=["--seed"],
        quick=["--seed", "--scale-divisor", "32", "--runs", "15"],
        rows=_dashboard_rows,
        quick_db="influence_infl_bench_quick",
    ),
    Bench("briefing", full=[], quick=["--runs", "1"], rows=_briefing_rows),
    Bench(
        "temoignages_records",
        full=[],
        quick=["--testimonies", "1000", "--runs", "5"],
        rows=_records_rows,
        quick_db="influence_bench_temoignages_quick",
    ),
    Bench(
        "temoignages_submit",
        full=[],
        quick=["--clients", "10", "--photo-mb", "1", "--workers", "2"],
        rows=_submit_rows,
    ),
    Bench("veille_demo_stories", full=[], quick=[], rows=_stories_rows),
    Bench(
        "plaidoyer",
        full=["--seed"],
        quick=["--seed", "--scale", "50", "--runs", "15"],
        rows=_plaidoyer_rows,
        quick_db="influence_plaid_bench_quick",
    ),
    Bench("load", full=[], quick=["--users", "10", "--seconds", "20"], rows=_load_rows),
]


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({model}), {memory:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"PostgreSQL {pg or '?'}"
    )


def run(bench: Bench, quick: bool) -> tuple[dict | None, float, str]:
    LOGS.mkdir(parents=True, exist_ok=True)
    summary = LOGS / f"{bench.name}.json"
    summary.unlink(missing_ok=True)
    log = LOGS / f"{bench.name}.log"
    env = {**os.environ, **bench.env}
    if quick and bench.quick_db:
        env["BENCH_DATABASE_URL"] = f"{PG}/{bench.quick_db}"
    args = bench.quick if quick else bench.full
    command = [str(PY), str(ROOT / "tests" / "bench" / f"{bench.name}.py"), *args]
    command += ["--summary-json", str(summary)]
    print(f"→ {bench.name} {' '.join(args)}", flush=True)
    started = time.monotonic()
    with log.open("w") as out:
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - started
    status = "ok" if done.returncode == 0 else f"exit {done.returncode}"
    print(f"  {status} in {elapsed:.0f} s (log: {log.relative_to(ROOT)})", flush=True)
    data = json.loads(summary.read_text()) if summary.exists() else None
    return data, elapsed, status


def table(results: list[tuple[Bench, dict | None, float, str]], quick: bool) -> str:
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{'quick mode (`make bench BENCH_QUICK=1`, small scales)' if quick else 'full scale (`make bench`)'}; "  # noqa: E501
        f"load average at the end {os.getloadavg()[0]:.2f}.",
        f"Machine: {machine()}.",
        "",
        "| benchmark | measure | result |",
        "|---|---|---|",
    ]
    for bench, data, elapsed, status in results:
        if data is None:
            lines.append(f"| `{bench.name}` | — | **failed** ({status}, see .local/bench/) |")
            continue
        for index, (measure, value) in enumerate(bench.rows(data)):
            note = "" if status == "ok" else f" (**{status}**)"
            name = f"`{bench.name}` ({elapsed:.0f} s)" if index == 0 else ""
            lines.append(f"| {name} | {measure} | {value}{note} |")
    return "\n".join(lines)


def write_docs(path: Path, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    block = f"{START}\n{text}\n{END}"
    if START in content and END in content:
        before, rest = content.split(START, 1)
        after = rest.split(END, 1)[1]
        content = before + block + after
    else:
        intro = (
            "## Latest table\n\n`make bench` (or `make bench BENCH_QUICK=1`) runs every script "
            "below and writes this table; the sections after it keep each benchmark's "
            "history and analysis.\n\n"
        )
        head, sep, rest = content.partition("\n## ")
        content = head + "\n" + intro + block + "\n\n" + sep.lstrip("\n") + rest
        if not sep:
            content = content.rstrip() + "\n"
    path.write_text(content, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scales")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--docs", type=Path, help="write the table into this Markdown file")
    args = parser.parse_args()
    chosen = [b for b in BENCHES if not args.only or b.name in args.only.split(",")]
    known = {p.stem for p in (ROOT / "tests" / "bench").glob("*.py")}
    helpers = {"__init__", "run_all", "locustfile", "veille_corpus", "veille_worker", "databases"}
    missing = known - helpers - {b.name for b in BENCHES}
    if missing:
        print(f"benchmarks not in run_all.BENCHES: {sorted(missing)}")
        return 2
    results = []
    started = time.monotonic()
    for bench in chosen:
        data, elapsed, status = run(bench, args.quick)
        results.append((bench, data, elapsed, status))
    text = table(results, args.quick)
    print()
    print(text)
    print(f"\nall benchmarks in {time.monotonic() - started:.0f} s")
    if args.docs and args.only:
        print(f"--only: {args.docs} left as it was (its table is of a run of every benchmark)")
    elif args.docs:
        write_docs(args.docs, text)
        print(f"table written to {args.docs}")
    return 0 if all(status == "ok" for *_, status in results) else 1


if __name__ == "__main__":
    sys.exit(main())
