"""A real Luoshi server process (gunicorn) for tests and the load test.

    with LuoshiServer(data_dir=tmp, database_url=None, workers=2, threads=4) as server:
        requests go to server.url (http://127.0.0.1:<port>)
        server.kill()        # SIGKILL the master and every worker at once (a crash)
        server.start()       # start again on the same port, wait until it answers

The listening socket is opened here (port 0: the OS picks a free port) and handed to
gunicorn as `fd://N`, so the port stays the same across restarts and no other process can
take it in between. gunicorn runs in its own process group; kill() and stop() signal the
whole group, so no orphaned worker keeps answering after a "crash". The process is always
stopped on exit of the `with` block, also when a test fails.

app (default luoshi.wsgi:application; the crash test uses tests.support.crash_wsgi), env
(extra variables) and extra_args (more gunicorn options) adapt it.

The server's environment: LUOSHI_DATA_DIR=data_dir, DATABASE_URL (or none: SQLite in
data_dir, or the file sqlite_path), DJANGO_SETTINGS_MODULE=settings (default
tests.support.server_settings: the test settings, plain static files, no collectstatic
needed). The caller migrates the database first (migrate(), or pytest-django's test
database with `transactional_db`, whose commits the server sees).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def server_env(
    *,
    data_dir: Path | str,
    database_url: str | None = None,
    sqlite_path: Path | str | None = None,
    settings: str = "",
) -> dict[str, str]:
    """The environment for a Luoshi process on this data dir and database: DATABASE_URL for
    PostgreSQL, else SQLite in data_dir or at sqlite_path (e.g. pytest-django's test
    database file, through tests.support.server_settings)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "LUOSHI_SQLITE_PATH", "DJANGO_SETTINGS_MODULE")
    }
    env["LUOSHI_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = settings or "tests.support.server_settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    if database_url:
        env["DATABASE_URL"] = database_url
    elif sqlite_path:
        env["LUOSHI_SQLITE_PATH"] = str(sqlite_path)
    return env


def migrate(*, data_dir: Path | str, database_url: str | None = None, settings: str = "") -> None:
    """`luoshi migrate` on that data dir / database (in a child process, as the server sees it)."""
    subprocess.run(
        [str(BIN / "python"), "-m", "luoshi.cli", "migrate", "--noinput", "-v", "0"],
        env=server_env(data_dir=data_dir, database_url=database_url, settings=settings),
        cwd=ROOT,
        check=True,
    )


class LuoshiServer:
    def __init__(
        self,
        *,
        data_dir: Path | str,
        database_url: str | None = None,
        sqlite_path: Path | str | None = None,
        settings: str = "",
        workers: int = 2,
        threads: int = 4,
        timeout: int = 60,
        extra_args: list[str] | None = None,
        log_path: Path | str | None = None,
        app: str = "luoshi.wsgi:application",
        env: dict[str, str] | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.env = server_env(
            data_dir=data_dir, database_url=database_url, sqlite_path=sqlite_path, settings=settings
        )
        self.env.update(env or {})
        self.app = app
        self.workers, self.threads, self.timeout = workers, threads, timeout
        self.extra_args = list(extra_args or [])
        self.log_path = Path(log_path) if log_path else self.data_dir / "gunicorn.log"
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1024)
        self.sock.set_inheritable(True)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    # --- life cycle ---------------------------------------------------------------------------

    def command(self) -> list[str]:
        return [
            str(BIN / "gunicorn"),
            self.app,
            "--bind",
            f"fd://{self.sock.fileno()}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-class",
            "gthread",
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            *self.extra_args,
        ]

    def start(self, wait: float = 60.0) -> LuoshiServer:
        if self.running():
            raise RuntimeError("the server is already running")
        self.starts += 1
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed below
        try:
            self.proc = subprocess.Popen(
                self.command(),
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=[self.sock.fileno()],
                start_new_session=True,  # its own process group: kill() reaches every worker
            )
        finally:
            log.close()
        self.wait_ready(wait)
        return self

    def wait_ready(self, wait: float) -> None:
        """Until the log-in page answers 200 (every worker may not be up yet; one is enough)."""
        deadline = time.monotonic() + wait
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                code = self.proc.returncode
                raise RuntimeError(f"gunicorn exited with {code}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
                last = exc
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer in {wait:.0f} s ({last}): {self.log_tail()}")

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _signal_group(self, sig: int) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        """SIGKILL the master and all workers at once: a crash, nothing gets to clean up."""
        self._signal_group(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=30)
        self._reap_group()

    def stop(self) -> None:
        """A graceful stop (SIGTERM), SIGKILL after ten seconds."""
        if self.proc is None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.proc.wait(timeout=30)
        self._reap_group()

    def _reap_group(self) -> None:
        """Workers may outlive a killed master for a moment: wait until the group is gone."""
        if self.proc is None:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except (ProcessLookupError, PermissionError):
                return
            self._signal_group(signal.SIGKILL)
            time.sleep(0.05)

    def close(self) -> None:
        self.stop()
        self.sock.close()

    def __enter__(self) -> LuoshiServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""
