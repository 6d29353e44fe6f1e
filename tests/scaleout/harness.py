"""The processes of a scale-out run (PYTHONPATH=tests:. , DJANGO_SETTINGS_MODULE=
scaleout.process_settings, the run's environment: see test_same_results.py):

    python -m scaleout.harness seed            the people, units, source and API tokens
    python -m scaleout.harness consume         a huey consumer (2 threads, no scheduler)
    python -m scaleout.harness settle N        queue the day's work N times (as N schedulers
                                               would), then the deliveries job N times, each
                                               once the previous copies ran; then print the
                                               business state, canonical, as JSON

Each runs on the run's clock (scaleout/travel.py). A consumer appends a line per finished job
to LUOSHI_TEST_JOBS_LOG: its pid, the job and whether it failed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

PASSWORD = "Scale-out-2026"
UNITS = ["发展改革委", "财政局", "交通运输局", "教育局", "住房城乡建设局", "生态环境局"]


def _setup() -> None:
    from scaleout.travel import start_travel

    start_travel()
    os.environ["DJANGO_SETTINGS_MODULE"] = "scaleout.process_settings"
    import django

    django.setup()


def seed() -> dict:
    import datetime as dt

    from django.db import transaction

    from luoshi.api.tokens import token_create
    from luoshi.org.models import Role, UnitKind, User
    from luoshi.org.services import unit_create
    from luoshi.tasks.services.sources import source_create
    from scaleout.travel import DAY

    try:  # the default escalation ladder (an emptied test database may lack it)
        from luoshi.supervision.ladder import ladder_seed_defaults
    except ImportError:
        pass
    else:
        ladder_seed_defaults()

    def user(username, role, unit):
        return User.objects.create_user(
            username,
            password=PASSWORD,
            role=role,
            unit=unit,
            full_name=username,
            email=f"{username}@scaleout.example.cn",
        )

    with transaction.atomic():
        gov = unit_create(actor=None, name="扩容省人民政府", kind=UnitKind.GOVERNMENT)
        units = [
            unit_create(
                actor=None,
                name=f"扩容省{name}",
                short_name=name,
                kind=UnitKind.DEPARTMENT,
                parent=gov,
            )
            for name in UNITS
        ]
        sups = [user(f"sup{n}", Role.SUPERVISOR, gov) for n in (1, 2)]
        user("leader1", Role.LEADER, gov)
        for n, unit in enumerate(units):
            user(f"lly{n}", Role.LIAISON, unit)
            user(f"fzr{n}", Role.UNIT_HEAD, unit)
        source = source_create(
            actor=sups[0],
            kind="work_report",
            title="扩容验证：政府工作报告",
            code="2026-KR",
            issued_on=DAY - dt.timedelta(days=30),
        )
        tokens = {s.username: token_create(actor=s, name="scaleout")[1] for s in sups}
    # the default (database) cache's table: `luoshi migrate` makes it, a cloned test
    # database does not have it
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    return {"units": [u.pk for u in units], "source": source.code, "tokens": tokens}


def consume() -> None:
    from huey import signals
    from huey.contrib.djhuey import HUEY

    log = Path(os.environ["LUOSHI_TEST_JOBS_LOG"])
    lock = threading.Lock()

    def record(signal, task, exc=None):
        line = json.dumps({"pid": os.getpid(), "job": task.name, "signal": signal})
        with lock, log.open("a") as out:
            out.write(line + "\n")

    HUEY.signal(signals.SIGNAL_COMPLETE)(record)
    HUEY.signal(signals.SIGNAL_ERROR)(record)
    # polls an empty SQLite queue every second at most (huey's default backs off to 10 s)
    HUEY.create_consumer(workers=2, periodic=False, worker_type="thread", max_delay=1.0).run()


def _finished(job: str) -> int:
    log = Path(os.environ["LUOSHI_TEST_JOBS_LOG"])
    lines = log.read_text().splitlines() if log.exists() else []
    return sum(1 for line in lines if job in json.loads(line)["job"])


def settle(copies: int, timeout: float = 180) -> None:
    """Queue the day's work `copies` times (as that many schedulers would), wait until every
    copy has run; then the same with the deliveries job (sending what the day's work made)."""
    from luoshi.worker import jobs

    for wrapper, name in (
        (jobs.daily_work_when_due, "daily_work_when_due"),
        (jobs.deliveries_send, "deliveries_send"),
    ):
        for _ in range(copies):
            wrapper()
        deadline = time.monotonic() + timeout
        while _finished(name) < copies:
            if time.monotonic() > deadline:
                raise SystemExit(f"{name}: {_finished(name)} of {copies} copies ran")
            time.sleep(0.2)


def _counted(rows) -> list:
    return sorted([*key, n] for key, n in Counter(rows).items())


def digest() -> dict:
    from django.utils import timezone

    from luoshi.audit.models import AuditEvent
    from luoshi.notifications.models import Delivery, Notification
    from luoshi.reports.models import ProgressReport
    from luoshi.tasks.models import ClosureRequest, Task, TaskEvent, TaskUnit
    from luoshi.worker.models import ScheduledRun

    tasks = Task.objects.filter(source__code="2026-KR")
    events = TaskEvent.objects.filter(task__in=tasks).select_related("task")
    seen = Counter(
        (e.task.title, e.kind, timezone.localdate(e.at).isoformat(), json.dumps(e.data))
        for e in events
    )
    return {
        "tasks": sorted(
            [t.title, t.state, t.light, t.progress, t.lead_unit.name, str(t.due)]
            for t in tasks.select_related("lead_unit")
        ),
        "assignments": sorted(
            [a.task.title, a.unit.name, a.role, a.acknowledged_at is not None]
            for a in TaskUnit.objects.filter(task__in=tasks).select_related("task", "unit")
        ),
        "reports": sorted(
            [r.task.title, r.unit.name, r.percent, r.progress_text]
            for r in ProgressReport.objects.filter(task__in=tasks).select_related("task", "unit")
        ),
        "closures": sorted(
            [c.task.title, c.decision]
            for c in ClosureRequest.objects.filter(task__in=tasks).select_related("task")
        ),
        "events": _counted((e.task.title, e.kind) for e in events),
        "notifications": _counted(Notification.objects.values_list("recipient__username", "kind")),
        "deliveries": _counted(
            Delivery.objects.values_list("user__username", "channel", "kind", "status")
        ),
        "audit": _counted((a,) for a in AuditEvent.objects.values_list("action", flat=True)),
        "runs": sorted(
            [r.what, r.day.isoformat(), r.status, r.attempts] for r in ScheduledRun.objects.all()
        ),
        "run_owners": sorted(r.owner for r in ScheduledRun.objects.all()),
        "duplicate_events": sorted(list(k) for k, n in seen.items() if n > 1),
    }


def main(mode: str, *args: str) -> int:
    _setup()
    if mode == "seed":
        print(json.dumps(seed()))
    elif mode == "consume":
        consume()
    elif mode == "settle":
        settle(int(args[0]))
        print(json.dumps(digest(), ensure_ascii=False))
    else:
        raise SystemExit(f"unknown mode {mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
