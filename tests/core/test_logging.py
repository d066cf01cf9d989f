"""What `make run` prints: a refused request in one line, every line on one clock, and a
Ctrl-C that stops web, worker and beat cleanly (config/run_process.py, config/Procfile)."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_a_refusal_is_logged_in_one_line_without_its_traceback(client_for, viewer, caplog):
    url = reverse("veille:source_create")

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(viewer).get(url)

    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in refusals] == [f"Forbidden (Permission denied): {url}"]
    line = _formatter().format(refusals[0])
    assert "\n" not in line
    assert "Traceback" not in line


def _formatter() -> logging.Formatter:
    plain = settings.LOGGING["formatters"]["plain"]
    return logging.Formatter(plain["format"], plain["datefmt"])


def test_log_lines_are_on_the_app_clock_with_its_offset():
    record = logging.LogRecord("influence", logging.INFO, __file__, 1, "bonjour", None, None)

    line = _formatter().format(record)

    paris = datetime.fromtimestamp(record.created, ZoneInfo(settings.TIME_ZONE))
    assert line.startswith(paris.strftime("%Y-%m-%d %H:%M:%S%z"))
    assert os.environ["TZ"] == settings.TIME_ZONE


def test_make_run_prints_honchos_prefix_on_the_same_clock():
    makefile = (ROOT / "Makefile").read_text()

    assert f"APP_TIME_ZONE := {settings.TIME_ZONE}" in makefile
    assert "TZ=$(APP_TIME_ZONE) $(VENV)/bin/honcho" in makefile


def test_every_process_of_the_procfile_stops_through_run_process():
    lines = [line for line in (ROOT / "config" / "Procfile").read_text().splitlines() if line]

    assert {line.split(":")[0] for line in lines} == {"web", "worker", "beat"}
    for line in lines:
        command = line.split(":", 1)[1].strip()
        assert command.startswith("exec "), line  # the shell leaves: honcho signals us
        assert "config/run_process.py" in command, line
    worker = next(line for line in lines if line.startswith("worker:"))
    assert "REMAP_SIGTERM=SIGQUIT" in worker  # soft shutdown, within honcho's 5 s


# A command that starts a helper process (like Celery's pool or runserver's server) and
# notes in a file which signals each of them received; on SIGTERM it stops its helper
# itself (SIGUSR1) and exits 0.
COMMAND = """
import signal, subprocess, sys, time
notes = sys.argv[1]
helper = subprocess.Popen([sys.executable, "-c", '''
import signal, sys, time
stopping = []
def note(signum, frame):
    open(sys.argv[1], "a").write("helper got %s\\\\n" % signal.Signals(signum).name)
    stopping.append(signum)
signal.signal(signal.SIGTERM, note)
signal.signal(signal.SIGUSR1, note)
open(sys.argv[1], "a").write("helper ready\\\\n")
while signal.SIGUSR1 not in stopping:
    time.sleep(0.05)
''', notes])
def stop(signum, frame):
    open(notes, "a").write("command got SIGTERM\\n")
    time.sleep(0.2)
    helper.send_signal(signal.SIGUSR1)
    helper.wait()
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
time.sleep(60)
"""


def _run_and_stop_like_honcho(tmp_path, *options: str) -> tuple[int, list[str]]:
    notes = tmp_path / "notes.txt"
    wrapper = [sys.executable, str(ROOT / "config" / "run_process.py"), *options]
    command = [sys.executable, "-c", COMMAND, str(notes)]
    process = subprocess.Popen([*wrapper, *command], start_new_session=True)
    deadline = time.monotonic() + 20
    while "helper ready" not in (notes.read_text() if notes.exists() else ""):
        assert time.monotonic() < deadline, "the command did not start"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGTERM)  # what honcho does on Ctrl-C
    status = process.wait(timeout=20)
    return status, [line for line in notes.read_text().splitlines() if line != "helper ready"]


def test_the_signal_reaches_the_command_alone_which_stops_its_helpers_itself(tmp_path):
    status, notes = _run_and_stop_like_honcho(tmp_path)

    assert status == 0
    assert notes == ["command got SIGTERM", "helper got SIGUSR1"]


def test_with_group_the_whole_command_gets_the_signal(tmp_path):
    status, notes = _run_and_stop_like_honcho(tmp_path, "--group")

    assert status == 0
    assert sorted(notes) == ["command got SIGTERM", "helper got SIGTERM", "helper got SIGUSR1"]


def test_the_procfile_commands_exist():
    for line in (ROOT / "config" / "Procfile").read_text().splitlines():
        assert re.search(r"\.venv/bin/(python|celery) ", line), line
