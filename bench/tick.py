"""`make bench` (tick part): one day's tick over 200,000 open tasks.

Issue 3 asks that one day's tick over 200,000 open tasks finish in under 60 seconds on SQLite
and on PostgreSQL on a 2-core machine. This builds such a city in a scratch database with
bulk inserts (a tree of goals → tasks → sub-tasks, lead and co-units, every report cycle, time
nodes; about one task in 25 past its due date, most units reporting on time, some a window
behind and a few never, as the office sees them on an ordinary day), then
times `daily_tick` three times for one date: the first run lights every task (they start with
no light), the later runs find almost nothing to change. Each step of the tick is timed too.

    python -m bench.tick                      # SQLite in a temporary folder
    DATABASE_URL=postgres://…/scratch python -m bench.tick   # PostgreSQL (the database is emptied)
    python -m bench.tick --tasks 20000 --runs 3

Figures go to bench-results/tick-<database>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

TODAY = dt.date(2026, 6, 15)  # a Monday, with 端午节 (19 June) ahead
# the length of each report cycle's window, in days
CYCLE_DAYS = {
    "none": 30,
    "weekly": 7,
    "semimonthly": 15,
    "monthly": 30,
    "quarterly": 91,
    "monthly_day": 30,
}


def _setup(data_dir: str) -> None:
    os.environ["LUOSHI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings_test")
    import django

    django.setup()


def _db_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def _db_cpu_seconds() -> float:
    """CPU seconds used so far by this connection's PostgreSQL server process (it runs on this
    machine), so the figures can tell our work from the server's; 0 on SQLite (in-process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def build_city(n_open: int, *, seed: int = 3) -> dict[str, int]:
    """Insert a city with `n_open` open tasks (plus about 5% closed ones) and return counts."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from luoshi.org.models import Role, Unit, UnitKind, User
    from luoshi.org.services import unit_create
    from luoshi.reports.models import ProgressReport
    from luoshi.tasks.models import (
        AssignmentRole,
        Milestone,
        ReportCycle,
        Source,
        SourceKind,
        Task,
        TaskState,
        TaskUnit,
    )

    rng = random.Random(seed)
    root = unit_create(actor=None, name="基准市人民政府", kind=UnitKind.GOVERNMENT)
    units = [
        unit_create(actor=None, name=f"基准市第{i}局", kind=UnitKind.DEPARTMENT, parent=root)
        for i in range(1, 41)
    ] + [
        unit_create(actor=None, name=f"基准市第{i}区", kind=UnitKind.DISTRICT, parent=root)
        for i in range(1, 11)
    ]
    office = User.objects.create_user("bench_sup", role=Role.SUPERVISOR, unit=root)
    leader = User.objects.create_user("bench_leader", role=Role.LEADER, unit=root)
    liaisons = {
        u.pk: User.objects.create_user(f"bench_lly_{u.pk}", role=Role.LIAISON, unit=u)
        for u in units
    }
    unit_ids = [u.pk for u in units]

    sources = Source.objects.bulk_create(
        Source(
            kind=rng.choice(list(SourceKind.values)),
            code=f"B-{i:05d}",
            title=f"基准来源 {i}",
            issued_on=TODAY - dt.timedelta(days=rng.randint(30, 400)),
            created_by=office,
        )
        for i in range(max(1, n_open // 400))
    )
    cycles = [
        (ReportCycle.MONTHLY, 40),
        (ReportCycle.NONE, 15),
        (ReportCycle.WEEKLY, 10),
        (ReportCycle.SEMIMONTHLY, 10),
        (ReportCycle.QUARTERLY, 15),
        (ReportCycle.MONTHLY_DAY, 10),
    ]
    cycle_names = [c for c, _ in cycles]
    cycle_weights = [w for _, w in cycles]
    open_states = [TaskState.IN_PROGRESS] * 8 + [TaskState.ASSIGNED, TaskState.CLOSURE_REQUESTED]

    first_id = (Task.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    tasks: list[Task] = []
    units_of: list[tuple[int, int, list[int]]] = []  # (task id, lead unit, co-units)
    milestones: list[Milestone] = []
    reports: list[ProgressReport] = []
    next_id = first_id

    def add(parent: Task | None, depth: int) -> Task:
        nonlocal next_id
        tid = next_id
        next_id += 1
        closed = rng.random() < 0.05
        assigned_on = TODAY - dt.timedelta(days=rng.randint(10, 300))
        start = assigned_on if rng.random() < 0.5 else None
        ongoing = rng.random() < 0.08
        # about one task in twenty-five is past its due date; the rest are due within 16 months
        overdue = rng.random() < 0.04
        due_in = rng.randint(-40, -1) if overdue else rng.randint(0, 480)
        due = None if ongoing else TODAY + dt.timedelta(days=due_in)
        cycle = rng.choices(cycle_names, cycle_weights)[0]
        # most units report on time; some missed the last window, a few never reported
        period = CYCLE_DAYS[cycle]
        odds = rng.random()
        if odds < 0.80:
            last_report = TODAY - dt.timedelta(days=rng.randint(1, max(1, period - 3)))
        elif odds < 0.92:
            last_report = TODAY - dt.timedelta(days=rng.randint(period, 2 * period))
        else:
            last_report = None
        if last_report is not None:
            last_report = max(last_report, assigned_on)
        reported = last_report is not None
        lead = rng.choice(unit_ids)
        assigned_at = timezone.make_aware(
            dt.datetime.combine(assigned_on, dt.time(9, rng.randint(0, 59)))
        )
        task = Task(
            id=tid,
            source_id=sources[tid % len(sources)].pk,
            parent=parent,
            path=f"{parent.path if parent else ''}{tid}/",
            depth=depth,
            code=f"B{tid:07d}",
            title=f"基准任务 {tid}",
            lead_unit_id=lead,
            owner_id=liaisons[lead].pk,
            lead_leader_id=leader.pk,
            state=TaskState.CLOSED if closed else rng.choice(open_states),
            start_date=start,
            due=due,
            ongoing=ongoing,
            report_cycle=cycle,
            report_day=rng.randint(1, 28) if cycle == ReportCycle.MONTHLY_DAY else None,
            last_report_on=last_report,
            progress=100 if closed else (rng.randint(0, 95) if reported else 0),
            assigned_at=assigned_at,
            closed_at=assigned_at + dt.timedelta(days=20) if closed else None,
        )
        tasks.append(task)
        co = rng.sample(unit_ids, k=rng.choice([0, 0, 1, 2]))
        units_of.append((tid, lead, [u for u in co if u != lead]))
        if due and rng.random() < 0.2:
            for k in range(rng.randint(1, 3)):
                ms_due = assigned_on + dt.timedelta(days=rng.randint(15, 200))
                done = ms_due < TODAY and rng.random() < 0.95
                milestones.append(
                    Milestone(
                        task_id=tid,
                        title=f"节点 {k + 1}",
                        due=ms_due,
                        completed_on=ms_due if done else None,
                        sort_order=k,
                    )
                )
        if reported:
            reports.append(
                ProgressReport(
                    task_id=tid,
                    unit_id=lead,
                    author_id=liaisons[lead].pk,
                    submitted_at=timezone.make_aware(dt.datetime.combine(last_report, dt.time(10))),
                    report_date=last_report,
                    progress_text="按计划推进",
                    percent=task.progress,
                )
            )
        return task

    # goal → 9 tasks → about 10 sub-tasks each: about 100 tasks per goal
    total = int(n_open / 0.95)
    while len(tasks) < total:
        goal = add(None, 0)
        for _ in range(9):
            if len(tasks) >= total:
                break
            mid = add(goal, 1)
            for _ in range(rng.randint(8, 12)):
                if len(tasks) >= total:
                    break
                add(mid, 2)

    with transaction.atomic():
        Task.objects.bulk_create(tasks, batch_size=2000)
        TaskUnit.objects.bulk_create(
            (
                TaskUnit(
                    task_id=tid,
                    unit_id=unit,
                    role=AssignmentRole.LEAD if unit == lead else AssignmentRole.CO,
                    acknowledged_at=tasks[tid - first_id].assigned_at,
                    acknowledged_by_id=liaisons[unit].pk,
                )
                for tid, lead, co in units_of
                for unit in [lead, *co]
            ),
            batch_size=2000,
        )
        Milestone.objects.bulk_create(milestones, batch_size=2000)
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Task]):
                cursor.execute(sql)
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "tasks": len(tasks),
        "open": Task.objects.exclude(state=TaskState.CLOSED).count(),
        "units": len(units),
        "milestones": len(milestones),
        "reports": len(reports),
        "goals": sum(1 for t in tasks if t.depth == 0),
        "unit_count": Unit.objects.count(),
    }


def time_tick(today: dt.date, runs: int, only: list[str] | None = None) -> list[dict]:
    from luoshi.tasks.services.tick import daily_tick

    results = []
    for _ in range(runs):
        timings: dict[str, float] = {}
        started, cpu, db_cpu = time.perf_counter(), time.process_time(), _db_cpu_seconds()
        summary = daily_tick(today=today, only=only, timings=timings)
        results.append(
            {
                "seconds": round(time.perf_counter() - started, 2),
                "cpu_s": round(time.process_time() - cpu, 2),
                "db_server_cpu_s": round(_db_cpu_seconds() - db_cpu, 2),
                "load_average": os.getloadavg(),
                "steps": {k: round(v, 2) for k, v in timings.items()},
                "changed": summary.get("changed", 0),
                "summary": summary,
            }
        )
        last = results[-1]
        print(
            f"  run {len(results)}: {last['seconds']:.2f} s (CPU {last['cpu_s']} s here, "
            f"{last['db_server_cpu_s']} s in the database server; "
            f"load {last['load_average'][0]:.1f}), {last['changed']} lights changed, "
            f"steps {last['steps']}",
            flush=True,
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000, help="open tasks to create")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--steps", help="only these steps of the tick, comma separated (default: all)"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="luoshi-bench-tick-") as data_dir:
        _setup(data_dir)
        from django.core.management import call_command
        from django.db import connection

        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        print(f"building {args.tasks:,} open tasks on {_db_version()} …", flush=True)
        started = time.perf_counter()
        city = build_city(args.tasks)
        build_s = round(time.perf_counter() - started, 1)
        print(f"  built in {build_s} s: {city}", flush=True)
        only = args.steps.split(",") if args.steps else None
        results = time_tick(TODAY, args.runs, only)
        later = [r["seconds"] for r in results[1:]] or [results[0]["seconds"]]
        out = {
            "machine": {
                "python": platform.python_version(),
                "database": _db_version(),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
            },
            "today": TODAY.isoformat(),
            "steps": only or "all",
            "city": city,
            "build_s": build_s,
            "median_s": round(statistics.median(r["seconds"] for r in results), 2),
            "first_run_s": results[0]["seconds"],
            "later_runs_median_s": round(statistics.median(later), 2),
            "runs": results,
        }
        Path("bench-results").mkdir(exist_ok=True)
        Path(f"bench-results/tick-{connection.vendor}.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2, default=str)
        )
    print(
        f"{out['machine']['database']}, {out['machine']['cpus']} CPUs, "
        f"Python {out['machine']['python']}: daily tick over {city['open']:,} open tasks — "
        f"median {out['median_s']} s of {args.runs} (first run {out['first_run_s']} s, "
        f"later runs {out['later_runs_median_s']} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
