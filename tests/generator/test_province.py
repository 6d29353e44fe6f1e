"""The generated province: its shape, its proportions, and the same rows for the same seed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from luoshi.extensions.models import ExtensionRequest, ExtensionState
from luoshi.meetings.models import Meeting
from luoshi.org.models import Role, Unit, UnitKind, User
from luoshi.reports.models import ProgressReport
from luoshi.supervision.models import NoticeSequence, SupervisionNotice
from luoshi.tasks.models import Light, Source, Task, TaskState, TaskUnit

from .conftest import TODAY, generate


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def test_unit_tree_and_people(province):
    assert Unit.objects.count() == 120
    root = Unit.objects.get(parent=None)
    assert root.name == "江东省人民政府"
    assert Unit.objects.filter(parent=root, kind=UnitKind.OFFICE).count() == 1
    assert Unit.objects.filter(parent=root, kind=UnitKind.DEPARTMENT).count() == 10
    city = Unit.objects.filter(parent=root, kind=UnitKind.DISTRICT).order_by("id").first()
    county = Unit.objects.filter(parent=city, kind=UnitKind.DISTRICT).order_by("id").first()
    assert Unit.objects.filter(parent=city, kind=UnitKind.DEPARTMENT).count() == 20
    assert Unit.objects.filter(parent=county, kind=UnitKind.STREET).count() == 10
    for unit in Unit.objects.exclude(kind__in=[UnitKind.GOVERNMENT, UnitKind.OFFICE])[:40]:
        assert unit.path.startswith(root.path)
        roles = set(User.objects.filter(unit=unit).values_list("role", flat=True))
        assert {Role.LIAISON, Role.UNIT_HEAD} <= roles
    scoped = User.objects.filter(role=Role.SUPERVISOR, scope_unit=city).get()
    assert scoped.unit == city
    assert User.objects.filter(role=Role.LEADER, scope_unit=None).count() == 3
    assert User.objects.get(username="dcs1").check_password("Luoshi-2026")


def test_states_lights_and_reports_in_proportion(province):
    tasks = Task.objects.count()
    assert tasks == 1000
    states = dict(Task.objects.values_list("state").annotate(n=Count("id")))
    assert 0.50 < share(states[TaskState.IN_PROGRESS], tasks) < 0.85
    assert 0.12 < share(states[TaskState.CLOSED], tasks) < 0.35
    stopped = states.get(TaskState.SUSPENDED, 0) + states.get(TaskState.CANCELLED, 0)
    assert stopped > 0 and share(stopped, tasks) < 0.12
    closed = Task.objects.filter(state=TaskState.CLOSED)
    assert 0.03 < share(closed.filter(closed_late=True).count(), closed.count()) < 0.35
    assert Task.objects.filter(depth=0).exists() and Task.objects.filter(depth=2).exists()

    # lights as the engine computes them: every open task lit, closed ones blue
    open_tasks = Task.objects.filter(state__in=[TaskState.IN_PROGRESS, TaskState.ASSIGNED])
    assert not open_tasks.filter(light=Light.NONE).exists()
    assert not closed.exclude(light=Light.BLUE).exists()
    lights = dict(open_tasks.values_list("light").annotate(n=Count("id")))
    assert lights[Light.GREEN] > lights.get(Light.RED, 0) > 0
    assert lights.get(Light.YELLOW, 0) > 0

    # about as many reports as asked, none after today, late ones among them
    reports = ProgressReport.objects.count()
    assert 8500 < reports < 11500
    assert not ProgressReport.objects.filter(report_date__gt=TODAY).exists()
    assert province["counts"]["progressreport"] == reports


def test_last_report_matches_the_history(province):
    per_pair = {
        (r["task_id"], r["unit_id"]): r["last"]
        for r in ProgressReport.objects.values("task_id", "unit_id").annotate(
            last=Max("report_date")
        )
    }
    links = TaskUnit.objects.values_list("task_id", "unit_id", "last_report_on")
    checked = 0
    for task_id, unit_id, last in links:
        assert per_pair.get((task_id, unit_id)) == last
        checked += 1
    assert checked > 1000
    for task in Task.objects.exclude(last_report_on=None).select_related()[:200]:
        assert per_pair[(task.id, task.lead_unit_id)] == task.last_report_on
    # not yet signed for: no reports, no acknowledgement
    waiting = TaskUnit.objects.filter(task__state=TaskState.ASSIGNED)
    assert not waiting.exclude(acknowledged_at=None).exists()


def test_supervision_extensions_and_sources(province):
    assert Source.objects.values("kind").distinct().count() >= 4
    assert Meeting.objects.exists()
    assert Meeting.objects.first().items.filter(task__isnull=False).exists()
    notices = SupervisionNotice.objects.all()
    assert notices.exists()
    year = notices.order_by("-seq").first().year
    assert NoticeSequence.objects.get(year=year).last == notices.filter(year=year).count()
    approved = ExtensionRequest.objects.filter(state=ExtensionState.APPROVED)
    assert approved.exists()
    for ext in approved.select_related("task")[:20]:
        assert ext.task.due == ext.new_due > ext.old_due
        assert ext.task.due_extended


def _snapshot() -> dict:
    return {
        "units": list(Unit.objects.order_by("id").values_list("id", "name", "parent_id", "path")),
        "users": list(
            User.objects.order_by("id").values_list("id", "username", "password", "role")
        ),
        "tasks": list(
            Task.objects.order_by("id").values_list(
                "id",
                "code",
                "title",
                "parent_id",
                "lead_unit_id",
                "state",
                "due",
                "light",
                "progress",
                "last_report_on",
                "closed_at",
                "report_cycle",
            )
        ),
        "links": list(
            TaskUnit.objects.order_by("task_id", "unit_id").values_list(
                "task_id", "unit_id", "role", "acknowledged_at", "last_report_on"
            )
        ),
        "reports": list(
            ProgressReport.objects.order_by("id").values_list(
                "id",
                "task_id",
                "unit_id",
                "submitted_at",
                "report_date",
                "percent",
                "progress_text",
            )
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_same_seed_same_rows_other_seed_other_rows():
    # "same ids on an empty database": a transactional test that ran before may have left
    # the reports' sequence moved on, which only flush resets
    call_command("flush", interactive=False, verbosity=0)
    generate(units=60, tasks=300, reports=3000, seed=11)
    first = _snapshot()
    call_command("flush", interactive=False, verbosity=0)
    generate(units=60, tasks=300, reports=3000, seed=11)
    assert _snapshot() == first
    call_command("flush", interactive=False, verbosity=0)
    generate(units=60, tasks=300, reports=3000, seed=12)
    other = _snapshot()
    assert other["units"] == first["units"]  # the tree depends on the size only
    assert other["tasks"] != first["tasks"] and other["reports"] != first["reports"]
    assert len(other["tasks"]) == 300


def test_history_runs_a_year_back(province):
    first = Task.objects.order_by("assigned_at").first().assigned_at.date()
    last = Task.objects.order_by("-assigned_at").first().assigned_at.date()
    assert dt.date(2025, 6, 14) <= first < last <= TODAY
    assert (last - first).days > 180  # spread over the year, not bunched at one end
    assert Task.objects.filter(due__lt=TODAY, state=TaskState.IN_PROGRESS).exists()
