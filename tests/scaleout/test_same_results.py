"""Two application processes and two workers against one PostgreSQL produce the same results
as one (issue 9): the same scripted scenario (scaleout/scenario.py) runs twice, each on a fresh
copy of one seeded database —

  (a) one gunicorn worker process and one huey consumer, with the defaults: the queue a SQLite
      file, the cache a table in the database;
  (b) gunicorn with two worker processes behind one address and TWO huey consumers, queue and
      cache in Redis —

then the day's scheduled work is queued four times (as four schedulers would) and the
deliveries job four times, and the business state of both runs is compared: tasks with their
states and lights, assignments, reports, closures, history events, notifications and
deliveries per person, e-mails sent per person, audit actions counted. They must be equal, the
day's tick and digest claimed and run once each, no history event duplicated, no e-mail sent
twice. Every process runs on the run's clock (scaleout/travel.py), so the result does not
depend on the day the test is run. The processes are stopped at the end, also on failure.
"""

from __future__ import annotations

import email
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from .conftest import REDIS_URL
from .scenario import run_scenario

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COPIES = 4  # schedulers racing for the day's work


def _db_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def _admin() -> psycopg.Connection:
    return psycopg.connect(_db_url("postgres"), autocommit=True)


def _env(run_dir: Path, db_name: str, run: str, *, redis: bool, anchor: float) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LUOSHI_QUEUE_URL", "LUOSHI_CACHE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=_db_url(db_name),
        LUOSHI_DATA_DIR=str(run_dir),
        DJANGO_SETTINGS_MODULE="scaleout.process_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), str(ROOT)]),
        LUOSHI_TEST_RUN=run,
        LUOSHI_TEST_ANCHOR=repr(anchor),
        LUOSHI_TEST_MAIL_DIR=str(run_dir / "mail"),
        LUOSHI_TEST_JOBS_LOG=str(run_dir / "jobs.log"),
    )
    if redis:
        env.update(LUOSHI_QUEUE_URL=REDIS_URL, LUOSHI_CACHE_URL=REDIS_URL)
    return env


def _harness(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "python"), "-m", "scaleout.harness", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode:
        raise AssertionError(f"harness {args} failed:\n{done.stderr[-3000:]}")
    return done.stdout


class Processes:
    """Started processes, each in its own process group; all stopped on exit."""

    def __init__(self):
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, cmd: list[str], env: dict, log: Path) -> None:
        with log.open("ab") as out:
            proc = subprocess.Popen(
                cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.procs.append((name, proc))

    def check_alive(self) -> None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                raise AssertionError(f"{name} exited with {proc.returncode}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for _name, proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _name, proc in self.procs:
            try:
                proc.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(condition, what: str, processes: Processes, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
            return response.status == 200 and json.load(response)["status"] == "ok"
    except OSError:
        return False


def _jobs(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def _mails(mail_dir: Path) -> Counter:
    sent: Counter = Counter()
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        # the file backend writes each message followed by a line of dashes
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                message = email.message_from_string(chunk)
                sent[message["To"]] += 1
    return sent


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """A seeded database (a copy of the migrated test database): its name and what the
    scenario needs (unit ids, the source, the supervisors' API tokens)."""
    from django.db import connection, connections

    with django_db_blocker.unblock():
        template = connection.settings_dict["NAME"]
        connections.close_all()
    name = f"{template}_scaleout"
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        # a copy needs the template to itself: connections an earlier test of this session
        # left open (threads) are ended first
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [template],
        )
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        seed_dir = tmp_path_factory.mktemp("seed")
        (seed_dir / "mail").mkdir()
        env = _env(seed_dir, name, "seed", redis=False, anchor=time.time() - 3600)
        yield name, json.loads(_harness(env, "seed"))
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(tmp_path: Path, world, label: str, *, web: int, consumers: int, redis: bool) -> dict:
    seeded, data = world
    run_dir = tmp_path / label
    (run_dir / "mail").mkdir(parents=True)
    db_name = f"{seeded}_{label}"
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
        admin.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{seeded}"')
    run = f"{label}-{uuid.uuid4().hex[:8]}"
    env = _env(run_dir, db_name, run, redis=redis, anchor=time.time())
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = run_dir / "jobs.log"
    timings, started = {}, time.monotonic()

    def lap(what: str) -> None:
        timings[what] = round(time.monotonic() - started - sum(timings.values()), 1)

    try:
        with Processes() as processes:
            web_env = {
                **env,
                "LUOSHI_BIND": f"127.0.0.1:{port}",
                "LUOSHI_WEB_WORKERS": str(web),
                "LUOSHI_ACCESS_LOG": str(run_dir / "access.log"),
                "LUOSHI_LOG_LEVEL": "warning",
            }
            gunicorn = [str(BIN / "gunicorn"), "-c", "python:luoshi.gunicorn_conf"]
            processes.start(
                "gunicorn",
                [*gunicorn, "scaleout.wsgi_travel:application"],
                web_env,
                run_dir / "gunicorn.log",
            )
            for n in range(consumers):
                processes.start(
                    f"consumer {n}",
                    [str(BIN / "python"), "-m", "scaleout.harness", "consume"],
                    env,
                    run_dir / f"consumer{n}.log",
                )
            _wait(lambda: _healthy(url), "the server's /healthz", processes)
            lap("start")
            outcome = run_scenario(url, data)
            lap("scenario")

            # the day's work, queued as four schedulers would; then the deliveries it made
            digest = json.loads(_harness(env, "settle", str(COPIES)))
            processes.check_alive()
            lap("jobs")
        print(f"run {label}: {timings} s, {outcome['reads']} page reads beside")
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        if redis:
            import redis as redis_lib

            client = redis_lib.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"*luoshi-{run}*"):
                client.delete(key)
    access = (run_dir / "access.log").read_text()
    return {
        "digest": digest,
        "mails": dict(_mails(run_dir / "mail")),
        "web_pids": set(re.findall(r"pid=<(\d+)>", access)),
        "jobs": _jobs(log),
        "outcome": outcome,
    }


# transaction=True: the test database is made (the runs copy it) and no transaction of this
# process holds it while it is copied
@pytest.mark.django_db(transaction=True)
def test_two_processes_and_two_workers_give_the_same_results_as_one(tmp_path, world):
    one = _run(tmp_path, world, "a", web=1, consumers=1, redis=False)
    two = _run(tmp_path, world, "b", web=2, consumers=2, redis=True)

    a, b = one["digest"], two["digest"]
    owners_b = b.pop("run_owners")
    a.pop("run_owners")
    # the same state, key by key (a readable failure), then as a whole
    for key in a:
        assert a[key] == b[key], f"{key} differs between one process and two"
    assert a == b
    assert one["mails"] == two["mails"]

    # the scenario did what it says (nothing above is vacuous)
    states = Counter(t[1] for t in a["tasks"])
    assert len(a["tasks"]) == 12 and states["closed"] == 2, states
    assert states["closure_requested"] == 2 and states["in_progress"] == 8, states
    assert len(a["reports"]) == 12
    lights = Counter(t[2] for t in a["tasks"])
    assert lights["blue"] == 2 and lights["yellow"] > 0, lights
    assert a["runs"] == [["digest", "2026-06-15", "done", 1], ["tick", "2026-06-15", "done", 1]]
    assert a["duplicate_events"] == []
    assert sum(n for *_key, n in a["notifications"]) > 0
    sent = [row for row in a["deliveries"] if row[1] == "email" and row[3] == "sent"]
    # every e-mail delivery sent exactly once: as many messages written as deliveries sent
    assert sum(row[-1] for row in sent) == sum(one["mails"].values()) > 0
    assert sum(row[-1] for row in sent) == sum(two["mails"].values())
    assert {"task.create", "task.assign", "report.submit"} <= {row[0] for row in a["audit"]}

    # (b) really was several processes: both web workers served, both consumers took jobs,
    # and the four racing copies of the day's work ran it once (one owner per claim)
    assert len(one["web_pids"]) == 1
    assert len(two["web_pids"]) == 2, two["web_pids"]
    assert len({j["pid"] for j in two["jobs"]}) == 2, two["jobs"]
    assert all(j["signal"] == "complete" for j in one["jobs"] + two["jobs"])
    assert len(owners_b) == 2
