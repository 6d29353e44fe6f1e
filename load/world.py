"""The load test's scratch city, built with bulk inserts: one government, `units`
departments, each with a liaison account and one assigned, signed task whose weekly report
is due (last report eight days ago), with one indicator; an office account and two leaders
who read while the units report.

Runs inside a process set up by load.rush (Django configured on the scratch database).
"""

from __future__ import annotations

import datetime as dt

PASSWORD = "Load-Rush-2026"


def world_build(*, units: int) -> dict:
    """Insert the city; return the plan the locustfile needs (accounts, task and indicator
    ids)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from luoshi.lib import clock
    from luoshi.org.models import Role, Unit, UnitKind, User
    from luoshi.org.services import unit_create
    from luoshi.tasks.models import (
        AssignmentRole,
        Indicator,
        ReportCycle,
        Source,
        SourceKind,
        Task,
        TaskState,
        TaskUnit,
    )
    from luoshi.tasks.services.refresh import lights_refresh_all

    today = clock.today()
    now = clock.now()
    assigned_at = now - dt.timedelta(days=30)
    password = make_password(PASSWORD)  # one hash for every scratch account
    with transaction.atomic():
        root = unit_create(actor=None, name="压测市人民政府", kind=UnitKind.GOVERNMENT)
        depts = Unit.objects.bulk_create(
            Unit(name=f"压测市第{i:04d}局", kind=UnitKind.DEPARTMENT, parent=root, sort_order=i)
            for i in range(units)
        )
        for unit in depts:
            unit.path = f"{root.path}{unit.pk:05d}/"
        Unit.objects.bulk_update(depts, ["path"], batch_size=1000)
        office = User(username="load_office", role=Role.SUPERVISOR, unit=root, password=password)
        leaders = [
            User(username=f"load_leader{i}", role=Role.LEADER, unit=root, password=password)
            for i in range(2)
        ]
        liaisons = [
            User(
                username=f"load_l{i:04d}",
                role=Role.LIAISON,
                unit=unit,
                password=password,
                full_name=f"联络员{i:04d}",
            )
            for i, unit in enumerate(depts)
        ]
        User.objects.bulk_create([office, *leaders, *liaisons], batch_size=1000)
        people = {u.username: u for u in User.objects.filter(username__startswith="load_")}
        source = Source.objects.create(
            kind=SourceKind.values[0],
            code="YC-2026",
            title="压测任务来源",
            issued_on=today - dt.timedelta(days=40),
            created_by=people["load_office"],
        )
        tasks = Task.objects.bulk_create(
            (
                Task(
                    source=source,
                    code=f"YC-{i:05d}",
                    title=f"压测任务 {i:04d}：推进重点项目建设",
                    lead_unit=unit,
                    owner=people[f"load_l{i:04d}"],
                    lead_leader=people[f"load_leader{i % 2}"],
                    state=TaskState.IN_PROGRESS,
                    due=today + dt.timedelta(days=60),
                    report_cycle=ReportCycle.WEEKLY,
                    last_report_on=today - dt.timedelta(days=8),
                    progress=20,
                    assigned_at=assigned_at,
                )
                for i, unit in enumerate(depts)
            ),
            batch_size=1000,
        )
        for task in tasks:
            task.path = f"{task.pk}/"
        Task.objects.bulk_update(tasks, ["path"], batch_size=1000)
        TaskUnit.objects.bulk_create(
            (
                TaskUnit(
                    task=task,
                    unit=unit,
                    role=AssignmentRole.LEAD,
                    acknowledged_at=assigned_at + dt.timedelta(hours=2),
                    acknowledged_by=people[f"load_l{i:04d}"],
                    progress=20,
                    last_report_on=today - dt.timedelta(days=8),
                )
                for i, (task, unit) in enumerate(zip(tasks, depts, strict=True))
            ),
            batch_size=1000,
        )
        indicators = Indicator.objects.bulk_create(
            (
                Indicator(task=task, name="完成投资", measure_unit="亿元", baseline=0, target=100)
                for task in tasks
            ),
            batch_size=1000,
        )
    lights_refresh_all(today=today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "password": PASSWORD,
        "liaisons": [
            {"username": f"load_l{i:04d}", "task": task.pk, "indicator": ind.pk}
            for i, (task, ind) in enumerate(zip(tasks, indicators, strict=True))
        ],
        "readers": [
            {"username": "load_office", "cockpit": True},
            {"username": "load_leader0", "cockpit": True},
            {"username": "load_leader1", "cockpit": True},
        ],
        "tasks": [t.pk for t in tasks],
    }
