"""Faults of the worker (issue 3): a worker killed in the middle of the day's tick, and two
workers running the same day's tick at once. Real processes on the real test database; after
each, every step has been done exactly once: nothing lost (a further run finds nothing left to
do) and nothing twice (no history event, notification or claim repeated)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from luoshi.notifications.models import Notification
from luoshi.tasks.models import EventKind, Task, TaskEvent, TaskState
from luoshi.tasks.services.tick import daily_tick

from .conftest import DAY, build_world, duplicate_events

ROOT = Path(__file__).resolve().parents[2]
LADDER_KINDS = [
    EventKind.REMINDED,
    EventKind.URGED,
    EventKind.NOTICE_DRAFTED,
    EventKind.LEADER_NOTIFIED,
    EventKind.BULLETIN_LISTED,
]
pytestmark = pytest.mark.django_db(transaction=True)


def _env(tmp_path: Path, *, slow: float) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)]),
        "LUOSHI_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "LUOSHI_TEST_QUEUE": str(tmp_path / "queue.sqlite3"),
        "LUOSHI_TEST_DONE": str(tmp_path / "done"),
        "LUOSHI_TEST_SLOW": str(slow),
    }


def _start(mode: str, env: dict[str, str], tmp_path: Path, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "worker.harness", mode, DAY.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=open(tmp_path / f"{name}.out", "w"),
        stderr=open(tmp_path / f"{name}.err", "w"),
    )


def _wait_for(condition, proc: subprocess.Popen, timeout: float = 120, done=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, "the worker stopped before the awaited moment"
        if done is not None and done.exists():
            raise AssertionError(f"the job ended before the awaited moment: {done.read_text()}")
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.02)


def _lit_events() -> int:
    return TaskEvent.objects.filter(kind=EventKind.LIGHT_CHANGED).count()


def _ladder_events() -> int:
    return TaskEvent.objects.filter(kind__in=LADDER_KINDS).count()


def _snapshot() -> dict[str, int]:
    counts = {"events": TaskEvent.objects.count(), "notifications": Notification.objects.count()}
    try:
        from luoshi.supervision.models import EscalationStep, Urge
    except ImportError:
        return counts
    return {**counts, "steps": EscalationStep.objects.count(), "urges": Urge.objects.count()}


def _assert_every_step_exactly_once() -> None:
    """Nothing twice: no repeated history event, and every lit task lit once. Nothing lost: one
    more run of the tick finds nothing left to do."""
    assert duplicate_events() == []
    lit = set(Task.objects.exclude(light="").values_list("id", flat=True))
    events = list(
        TaskEvent.objects.filter(kind=EventKind.LIGHT_CHANGED).values_list("task_id", flat=True)
    )
    assert sorted(events) == sorted(lit)  # the world starts unlit: one change per lit task
    before = _snapshot()
    summary = daily_tick(today=DAY)
    assert summary["changed"] == 0
    assert _snapshot() == before


@pytest.mark.parametrize("during", ["lights", "ladder"])
def test_a_worker_killed_in_the_middle_of_the_tick_leaves_nothing_done_twice(tmp_path, during):
    world = build_world()
    open_tasks = Task.objects.exclude(state=TaskState.CLOSED).count()
    assert world["open"] == open_tasks > 100
    env = _env(tmp_path, slow=0.03)
    done = tmp_path / "done"

    worker = _start("consume", env, tmp_path, "first")
    try:
        if during == "lights":  # somewhere inside the lights step, after some batches
            target = random.randint(10, world["tasks"] // 2)
            _wait_for(lambda: _lit_events() >= target, worker, done=done)
        else:  # once the ladder has written its first steps
            _wait_for(lambda: _ladder_events() > 0, worker, done=done)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert not done.exists(), "the tick finished before the kill: nothing was tested"
    ladder_at_kill = _ladder_events()
    if during == "lights":
        assert 0 < _lit_events() < world["tasks"]
    else:
        assert _lit_events() == world["tasks"]

    # The killed job is gone from the queue with its worker; the next periodic check (the day
    # is not marked done) queues it again, as this restart does.
    worker = _start("consume", {**env, "LUOSHI_TEST_SLOW": "0"}, tmp_path, "second")
    try:
        _wait_for(done.exists, worker)
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
    assert done.read_text() == "ok", done.read_text()
    assert _ladder_events() > ladder_at_kill  # the kill left ladder work undone
    _assert_every_step_exactly_once()


def test_two_workers_ticking_the_same_day_at_once_do_each_step_once(tmp_path):
    world = build_world()
    env = _env(tmp_path, slow=0.01)
    workers = [_start("tick", env, tmp_path, f"w{i}") for i in range(2)]
    for worker in workers:
        try:
            worker.wait(240)
        finally:
            if worker.poll() is None:
                worker.kill()
    errors = [(tmp_path / f"w{i}.err").read_text() for i in range(2)]
    assert [w.returncode for w in workers] == [0, 0], errors
    assert not any("database is locked" in e for e in errors), errors
    assert _lit_events() == world["tasks"]
    assert _ladder_events() > 0
    _assert_every_step_exactly_once()
