"""Run one process of config/Procfile so that stopping it is clean.

honcho stops a process by sending SIGTERM to its whole process group. Celery's worker
would then lose its pool processes under a running task (``WorkerLostError``) while it
begins its own warm shutdown, and honcho would SIGKILL whatever is still running five
seconds later. Here the command runs in a session of its own and the signal reaches it
alone: Celery lets its running tasks finish and stops its pool itself. With ``--group``
the whole command's group gets it (Django's runserver: its reloader and its server both
exit). The exit status is the command's.

    python config/run_process.py [--group] command [args…]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def main(argv: list[str]) -> int:
    group = argv[:1] == ["--group"]
    command = argv[1:] if group else argv
    if not command:
        sys.stderr.write(__doc__)
        return 2
    child = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - the Procfile's own command

    def stop(signum, frame):
        try:
            if group:
                os.killpg(child.pid, signal.SIGTERM)
            else:
                child.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
