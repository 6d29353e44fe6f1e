"""`luoshi tick [--today YYYY-MM-DD]`: one day's scheduled work as of a chosen date."""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.services import report_submit
from luoshi.tasks.models import Light, ReportCycle, SourceKind, Task, TaskEvent
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign
from luoshi.tasks.services.sources import source_create

DUE = dt.date(2026, 9, 30)


@pytest.fixture
def task(db):
    """A task due 2026-09-30, signed for and reported at 90% on 2026-09-25."""
    root = unit_create(actor=None, name="测试市人民政府", kind=UnitKind.GOVERNMENT)
    dept = unit_create(actor=None, name="测试市交通运输局", kind=UnitKind.DEPARTMENT, parent=root)
    office = User.objects.create_user("sup", password="pw-123456!", role=Role.SUPERVISOR)
    liaison = User.objects.create_user("lly", password="pw-123456!", role=Role.LIAISON, unit=dept)
    with clock.pinned_today(dt.date(2026, 9, 1)):
        source = source_create(actor=office, kind=SourceKind.DOCUMENT, title="测试文件")
        task = task_create(
            actor=office,
            source=source,
            title="完成城区道路改造",
            lead_unit=dept,
            due=DUE,
            report_cycle=ReportCycle.NONE,
        )
        task_assign(actor=office, task=task)
        assignment_acknowledge(actor=liaison, task=task)
    with clock.pinned_today(dt.date(2026, 9, 25)):
        report_submit(actor=liaison, task=task, progress_text="主体工程基本完成", percent=90)
    return task


def tick(*args: str) -> str:
    out = StringIO()
    call_command("tick", *args, stdout=out)
    return out.getvalue()


def test_tick_computes_lights_as_of_the_given_date_across_national_day(task):
    out = tick("--today", "2026-09-28")
    task.refresh_from_db()
    assert task.light == Light.YELLOW
    assert task.light_reasons == [{"code": "due_soon", "days": 2}]
    assert task.light_computed_on == dt.date(2026, 9, 28)
    assert "共 1 项任务" in out and "黄灯 1" in out and "休息日" not in out

    out = tick("--today", "2026-10-09")
    task.refresh_from_db()
    assert task.light == Light.RED
    # 1–7 October are the National Day holiday: only 8 and 9 October count as overdue days
    assert task.light_reasons == [{"code": "overdue", "days": 2}]
    assert "红灯 1" in out and "亮灯或进度变化 1 项" in out
    change = TaskEvent.objects.filter(task=task, kind="light_changed").order_by("-id").first()
    assert change.data["from"] == Light.YELLOW and change.data["to"] == Light.RED
    assert change.at.date() == dt.date(2026, 10, 9)


def test_tick_without_a_date_runs_for_the_clock_today(task):
    with clock.pinned_today(dt.date(2026, 9, 28)):
        tick()
    task.refresh_from_db()
    assert task.light == Light.YELLOW
    assert task.light_computed_on == dt.date(2026, 9, 28)


def test_tick_on_a_rest_day_recomputes_and_says_so(task):
    out = tick("--today", "2026-10-03")
    task.refresh_from_db()
    assert "2026-10-03 是休息日" in out
    assert task.light == Light.RED and task.light_computed_on == dt.date(2026, 10, 3)


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "2026-9-28", "20260928", ""])
def test_a_bad_date_is_refused_in_chinese_and_changes_nothing(task, bad):
    tick("--today", "2026-09-28")
    before = Task.objects.values_list("light", "light_reasons", "light_computed_on").get()
    events = TaskEvent.objects.count()
    with pytest.raises(CommandError) as excinfo:
        tick("--today", bad)
    message = str(excinfo.value)
    assert f"日期“{bad}”无效" in message and "YYYY-MM-DD" in message
    assert Task.objects.values_list("light", "light_reasons", "light_computed_on").get() == before
    assert TaskEvent.objects.count() == events


def test_a_bad_date_exits_non_zero_from_the_command_line(tmp_path):
    env = {**os.environ, "LUOSHI_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "luoshi.cli", "tick", "--today", "2026-02-30"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "日期“2026-02-30”无效" in result.stderr
    assert "例行工作完成" not in result.stdout
