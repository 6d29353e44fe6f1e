"""Crash test: a real server (gunicorn, tests/support/server.py) on the test database file (or
the PostgreSQL test database) takes progress reports from several liaisons at once and is
killed with SIGKILL mid-stream — at the same moment one request is held inside its write
transaction (tests/support/crash_wsgi.py). After the restart:

- every report the server acknowledged (302 to the task page) is there exactly once, with
  all its parts: the indicator value, the attachment (row and file, same SHA-256), the
  history event and the audit row;
- the report held inside the transaction is not there at all, nor any part of it;
- nothing is half-written: every report in the database has all its parts;
- a client that saw its request fail retries with the same form key and gets exactly one
  report (no loss, no duplicate);
- SQLite: PRAGMA integrity_check is "ok" and no foreign key dangles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.db import connection

from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.models import Attachment, IndicatorValue, ProgressReport
from luoshi.tasks.models import EventKind, Task, TaskEvent
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign
from luoshi.tasks.services.sources import source_create
from tests.support.crash_wsgi import PAUSE_MARK
from tests.support.server import LuoshiServer

pytestmark = pytest.mark.django_db(transaction=True)

LIAISONS = 6
PER_LIAISON = 4  # at least, and each liaison goes on until the server is back
KILL_AFTER = 8  # acknowledged reports before the kill
PASSWORD = "pw-Crash-2026"


@dataclass
class Liaison:
    username: str
    task_pk: int
    indicator_pk: int
    acked: dict[str, str] = field(default_factory=dict)  # form key -> attachment sha256
    failures: int = 0  # requests that failed visibly (connection refused/reset, 5xx)
    errors: list[str] = field(default_factory=list)


def _build_world() -> list[Liaison]:
    sup_unit = unit_create(actor=None, name="崩溃市人民政府", kind=UnitKind.GOVERNMENT)
    sup = User.objects.create_user(
        "crash_sup", password=PASSWORD, role=Role.SUPERVISOR, unit=sup_unit
    )
    source = source_create(actor=sup, kind="work_report", title="崩溃测试任务来源", code="CR")
    people = []
    for n in range(LIAISONS):
        unit = unit_create(
            actor=None, name=f"崩溃市第{n}局", kind=UnitKind.DEPARTMENT, parent=sup_unit
        )
        user = User.objects.create_user(
            f"crash_l{n}", password=PASSWORD, role=Role.LIAISON, unit=unit
        )
        task = task_create(
            actor=sup,
            source=source,
            title=f"崩溃测试任务{n}",
            lead_unit=unit,
            co_units=[],
            due=clock.today() + dt.timedelta(days=180),
            indicators=[{"name": "完成数", "measure_unit": "个", "target": 100}],
        )
        task_assign(actor=sup, task=task)
        assignment_acknowledge(actor=user, task=task)
        people.append(Liaison(user.username, task.pk, task.indicators.get().pk))
    return people


def _database_args(tmp_path: Path) -> dict:
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"sqlite_path": conf["NAME"]}
    user = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
    host = f"{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}"
    return {"database_url": f"postgres://{user}@{host}/{conf['NAME']}"}


def _login(server: LuoshiServer, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{server.url}/login/", timeout=30)
    answer = session.post(
        f"{server.url}/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    assert (
        "/login/" not in answer.headers["Location"]
        and "/security/" not in answer.headers["Location"]
    ), answer.headers["Location"]
    return session


def _submit(server, session, who: Liaison, key: str, text: str, n: int) -> bool:
    """One POST of the 填报 form; True when the server acknowledged it (302 to the task)."""
    body = f"进展材料 {key}\n".encode()
    answer = session.post(
        f"{server.url}/reports/tasks/{who.task_pk}/new/",
        data={
            "progress_text": text,
            "percent": str(min(10 + n, 100)),
            f"indicator_{who.indicator_pk}": str(n),
            "submit_key": key,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        files={"files": (f"材料{n}.txt", body, "text/plain")},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code == 302 and answer.headers["Location"] == f"/tasks/{who.task_pk}/":
        who.acked[key] = hashlib.sha256(body).hexdigest()
        return True
    if answer.status_code >= 500:
        return False
    who.errors.append(f"{answer.status_code}: {answer.text[:300]}")
    raise AssertionError(who.errors[-1])


def _liaison_run(server, who: Liaison, deadline: float, restarted: threading.Event) -> None:
    """Log in, then report again and again (PER_LIAISON at least, and on until the server
    is back after the kill); a failed request is retried with the same key (as a browser's
    resubmission would) until it is acknowledged."""
    session = None
    n = 0
    while n < PER_LIAISON or not restarted.is_set():
        n += 1
        key = uuid.uuid4().hex
        while time.monotonic() < deadline:
            try:
                session = session or _login(server, who.username)
                if _submit(server, session, who, key, f"第{n}次进展（{key}）", n):
                    break
                who.failures += 1
            except (requests.ConnectionError, requests.Timeout):
                who.failures += 1
            time.sleep(0.2)
        else:
            who.errors.append(f"report {n} never acknowledged")
            return
        time.sleep(0.1)


def _paused_submit(server, session, who: Liaison, key: str, outcome: dict) -> None:
    try:
        outcome["acked"] = _submit(server, session, who, key, f"{PAUSE_MARK} {key}", 99)
    except (requests.ConnectionError, requests.Timeout) as exc:
        outcome["failed"] = repr(exc)


def _report_is_whole(report: ProgressReport, data_dir: Path, sha: str | None = None) -> None:
    assert IndicatorValue.objects.filter(report=report).count() == 1, report.pk
    attachment = Attachment.objects.get(report=report)
    stored = (data_dir / "uploads" / attachment.file.name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == attachment.sha256
    if sha is not None:
        assert attachment.sha256 == sha
    events = TaskEvent.objects.filter(task_id=report.task_id, kind=EventKind.REPORTED)
    assert [e for e in events if e.data.get("report") == report.pk], report.pk
    audit = AuditEvent.objects.filter(action="report.submit", object_id=str(report.pk))
    assert audit.count() == 1, report.pk


def test_sigkill_mid_stream_loses_and_half_writes_nothing(tmp_path):
    people = _build_world()
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    pause_file = tmp_path / "paused"
    server = LuoshiServer(
        data_dir=data_dir,
        workers=2,
        threads=4,
        app="tests.support.crash_wsgi:application",
        env={"LUOSHI_PAUSE_FILE": str(pause_file)},
        **_database_args(tmp_path),
    )
    try:
        server.start(wait=90)
        held_session = _login(server, people[0].username)
        deadline = time.monotonic() + 150
        restarted = threading.Event()
        threads = [
            threading.Thread(
                target=_liaison_run, args=(server, who, deadline, restarted), daemon=True
            )
            for who in people[1:]
        ]
        for t in threads:
            t.start()
        while sum(len(p.acked) for p in people) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sum(len(p.acked) for p in people) >= KILL_AFTER, [p.errors for p in people]

        # One request held inside its write transaction, then SIGKILL while the others go on.
        held, outcome = uuid.uuid4().hex, {}
        paused = threading.Thread(
            target=_paused_submit,
            args=(server, held_session, people[0], held, outcome),
            daemon=True,
        )
        paused.start()
        while not pause_file.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert pause_file.exists(), server.log_tail()
        acked_before_kill = sum(len(p.acked) for p in people)
        server.kill()
        paused.join(timeout=30)
        assert "failed" in outcome and "acked" not in outcome, outcome

        server.start(wait=90)
        restarted.set()
        for t in threads:
            t.join(timeout=max(1.0, deadline - time.monotonic()))
        assert not any(t.is_alive() for t in threads)
    finally:
        server.close()

    assert all(not p.errors for p in people), [p.errors for p in people]
    assert sum(p.failures for p in people) > 0, "the kill was seen by no client"
    assert acked_before_kill >= KILL_AFTER
    acked = {key: sha for p in people for key, sha in p.acked.items()}
    assert all(len(p.acked) >= PER_LIAISON for p in people[1:])
    assert acked_before_kill < len(acked), "reports acknowledged after the restart too"

    # every acknowledged report exactly once, whole; the held one not at all
    reports = {r.submit_key: r for r in ProgressReport.objects.all()}
    assert set(reports) == set(acked)
    for key, sha in acked.items():
        _report_is_whole(reports[key], data_dir, sha)
    assert not ProgressReport.objects.filter(progress_text__contains=PAUSE_MARK).exists()
    assert not TaskEvent.objects.filter(task_id=people[0].task_pk, kind=EventKind.REPORTED)
    assert AuditEvent.objects.filter(action="report.submit").count() == len(acked)
    # nothing half-written: no part without its report
    report_ids = set(ProgressReport.objects.values_list("pk", flat=True))
    assert set(IndicatorValue.objects.values_list("report_id", flat=True)) <= report_ids
    assert (
        set(Attachment.objects.exclude(report=None).values_list("report_id", flat=True))
        <= report_ids
    )
    event_reports = {e.data["report"] for e in TaskEvent.objects.filter(kind=EventKind.REPORTED)}
    assert event_reports == report_ids
    for p in people[1:]:
        latest = ProgressReport.objects.filter(task_id=p.task_pk).order_by("-id").first()
        assert Task.objects.get(pk=p.task_pk).progress == latest.percent

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)]
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []
