"""Real processes on loopback for the reliability tests and the load benchmark.

    stack = Stack(workdir, database_url=..., env={"JOB_LEASE_SECONDS": "3"})
    stack.start_redis()                  # its own redis-server on a free port
    base = stack.start_web()             # gunicorn (config.wsgi), waits for /healthz
    worker = stack.start_worker()        # a Celery worker (celery + pdf queues), waits
                                         # until it says it is ready
    stack.kill(worker)                   # SIGKILL to its whole process group
    stack.redis.stop(); stack.redis.start()
    stack.close()                        # stops whatever is still running

    cluster = PostgresCluster()          # its own PostgreSQL cluster (initdb, pg_ctl) in a
    cluster.init(); cluster.start()      # temporary folder, as the postgres user when root

Every process gets its own session (process group), so a kill reaches a worker's pool
children too, and its output goes to a log file in `workdir` (shown when a wait fails).
Nothing here touches the machine's own PostgreSQL or Redis.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Variables of the calling test run that must not leak into the processes it starts.
_PRIVATE_PREFIXES = ("PYTEST_", "DJANGO_", "CELERY_", "DATABASE_", "CACHE_", "TEST_")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child process in its own session, logging to a file."""

    def __init__(self, name: str, args: list[str], *, env: dict, log: Path, user: str = ""):
        self.name, self.log = name, log
        if user:
            args = ["runuser", "-u", user, "--", *args]
        self._log_file = log.open("ab")
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pid = self.popen.pid

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_text(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL the process and every process of its group (a worker's pool children)."""
        self.signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self._wait_group_gone()

    def stop(self, timeout: float = 10) -> None:
        if self.alive:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
        # Children left behind by a parent that died first.
        self.signal_group(signal.SIGKILL)
        self._wait_group_gone()
        self._log_file.close()

    def _wait_group_gone(self) -> None:
        def gone() -> bool:
            try:
                os.killpg(self.pid, 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                return False
            return False

        with contextlib.suppress(TimeoutError):
            wait_until(gone, timeout=10, what=f"{self.name} gone")


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """redis-server on a port of its own, no persistence (`--save '' --appendonly no`)."""

    def __init__(self, workdir: Path, *, port: int | None = None):
        self.workdir, self.port = workdir, port or free_port()
        self.process: Process | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        command = [
            "redis-server",
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.workdir),
        ]  # fmt: skip
        self.process = Process(
            "redis",
            command,
            env=dict(os.environ),
            log=self.workdir / "redis.log",
        )
        wait_until(lambda: _redis_ping(self.port), timeout=15, what="redis answers PING")

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        wait_until(lambda: not _redis_ping(self.port), timeout=10, what="redis stopped")


class PostgresCluster:
    """A throwaway PostgreSQL cluster: initdb in `workdir`, listening on 127.0.0.1:`port`
    (trust authentication, unix socket in `workdir`). Run as the postgres user when the
    caller is root, as PostgreSQL refuses to run as root."""

    def __init__(self, *, port: int | None = None):
        # Its own folder under the system's temporary directory: the postgres user must
        # reach it (pytest's folders belong to the caller alone).
        self.workdir = Path(tempfile.mkdtemp(prefix="influence-pg-"))
        self.port = port or free_port()
        self.data = self.workdir / "data"
        self.socket_dir = self.workdir / "socket"
        self.user = "postgres" if os.geteuid() == 0 else ""
        self.running = False

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = list(args)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(
            command, cwd="/", timeout=timeout, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stdout}{done.stderr}")

    def init(self) -> None:
        self.socket_dir.mkdir(exist_ok=True)
        if self.user:
            shutil.chown(self.workdir, self.user)
            shutil.chown(self.socket_dir, self.user)
        self._run(
            str(PG_BIN / "initdb"),
            "-D", str(self.data),
            "-U", "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D", str(self.data),
            "-l", str(self.workdir / "postgres.log"),
            "-o", options,
            "-w", "start",
        )  # fmt: skip
        self.running = True

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.running = False

    def destroy(self) -> None:
        if self.running:
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def database_url(settings_dict: dict) -> str:
    """postgres://… of a Django connection's settings (the test database)."""
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "postgres")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password)}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


class Stack:
    """The application's processes (Redis, gunicorn, Celery workers) for one test."""

    def __init__(self, workdir: Path, *, database_url: str, env: dict[str, str] | None = None):
        self.workdir = workdir
        self.private_root = workdir / "private"
        self.private_root.mkdir(parents=True, exist_ok=True)
        (workdir / "local").mkdir(exist_ok=True)
        self.redis = RedisServer(workdir)
        self.database_url = database_url
        self.extra_env = env or {}
        self.processes: list[Process] = []
        self.web: Process | None = None
        self.base_url = ""
        self._workers = 0

    # --- environment --------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(_PRIVATE_PREFIXES)}
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "false",
            "SECRET_KEY": "processes-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REQUIRE_2FA": "false",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.redis.url(0),
            "CACHE_URL": self.redis.url(1),
            "PRIVATE_STORAGE_ROOT": str(self.private_root),
            "LOCAL_DATA_DIR": str(self.workdir / "local"),
            "VEILLE_FETCH_ALLOWLIST": "127.0.0.1",
            "LOG_LEVEL": "INFO",
            **self.extra_env,
        }

    # --- processes ----------------------------------------------------------------------

    def start_redis(self) -> str:
        self.redis.start()
        return self.redis.url(0)

    def start_web(self, *, workers: int = 2, timeout: int = 30) -> str:
        port = free_port()
        command = [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers", str(workers),
            "--bind", f"127.0.0.1:{port}",
            "--timeout", str(timeout),
            "--graceful-timeout", "3",
            "--backlog", "512",
        ]  # fmt: skip
        self.web = self._spawn("gunicorn", command)
        self.base_url = f"http://127.0.0.1:{port}"
        wait_until(
            lambda: self._healthy(self.base_url),
            timeout=90,
            what=f"gunicorn answers /healthz\n{self._tail(self.web)}",
            interval=0.2,
        )
        return self.base_url

    def start_worker(self, *, concurrency: int = 1, queues: str = "celery,pdf") -> Process:
        self._workers += 1
        command = [
            str(BIN / "celery"),
            "-A", "config",
            "worker",
            f"--queues={queues}",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=worker{self._workers}@%h",
        ]  # fmt: skip
        worker = self._spawn(f"worker{self._workers}", command)
        wait_until(
            lambda: " ready." in worker.log_text() or not worker.alive,
            timeout=90,
            what=f"{worker.name} ready",
            interval=0.1,
        )
        if not worker.alive:
            raise RuntimeError(f"{worker.name} died at start:\n{self._tail(worker)}")
        return worker

    def kill(self, process: Process) -> None:
        process.kill()
        self.processes.remove(process)

    def close(self) -> None:
        for process in reversed(self.processes):
            with contextlib.suppress(Exception):
                process.stop()
        self.processes.clear()
        with contextlib.suppress(Exception):
            self.redis.stop()

    def _spawn(self, name: str, args: list[str]) -> Process:
        process = Process(name, args, env=self.env(), log=self.workdir / f"{name}.log")
        self.processes.append(process)
        return process

    @staticmethod
    def _healthy(base_url: str) -> bool:
        import httpx

        try:
            return httpx.get(base_url + "/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    @staticmethod
    def _tail(process: Process | None, lines: int = 40) -> str:
        if process is None:
            return ""
        return "\n".join(process.log_text().splitlines()[-lines:])

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{self._tail(p)}" for p in self.processes)

    # --- talking to it ------------------------------------------------------------------

    def client(self):
        import httpx

        return httpx.Client(base_url=self.base_url, timeout=30, follow_redirects=False)

    def login(self, username: str, password: str):
        """An httpx client with a logged-in session (through the login form)."""
        client = self.client()
        page = client.get("/compte/connexion/")
        response = client.post(
            "/compte/connexion/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": csrf(page)},
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {username} answered {response.status_code}")
        return client

    def send_task(self, name: str, *args, queue: str = "celery") -> None:
        """Send a task by name to this stack's broker (what beat does)."""
        from celery import Celery

        # An explicit connection: Celery prefers CELERY_BROKER_URL from the environment
        # (the test run's own broker) to the `broker` argument.
        app = Celery("processes", set_as_current=False)
        try:
            with app.connection_for_write(self.redis.url(0)) as connection:
                app.send_task(name, args=args, queue=queue, connection=connection)
        finally:
            app.close()


def csrf(response) -> str:
    match = CSRF_RE.search(response.text)
    if not match:
        raise RuntimeError(f"no CSRF token on {response.url} ({response.status_code})")
    return match.group(1)


def password_hash(password: str) -> str:
    """A hash that every settings module verifies (the test settings hash with MD5 only;
    the processes verify PBKDF2 and rehash with Argon2 at the first login)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    return PBKDF2PasswordHasher().encode(password, "processes-salt", iterations=1000)
