"""`make bench` (evaluation part): scoring a year for 2,000 units over 200,000 tasks.

Issue 5 asks that scoring a year for 2,000 units over 200,000 tasks finish in under 30 seconds
on SQLite and on PostgreSQL on a 2-core machine. This builds such a city in a scratch
database with bulk inserts: 1,500 departments and 500 districts; goals of 20 tasks (a goal and
19 leaf tasks) assigned from October 2025 to November 2026; about half closed in 2026 (one in
eight of those late), a few suspended or cancelled, the rest running, one in twelve past its
due; report cycles none / quarterly / monthly with nine reports in ten made on time; a third of
the tasks with a co-unit; 5,000 督办单, 500 failed 回头看, 2,000 表彰问责 records and 30,000
quality grades in 2026. Then it scores the year 2026 with the default scheme three times
(`period_score`, each run replacing the last one's rows) and records the median.

    python -m bench.evaluation                     # SQLite in a temporary folder
    DATABASE_URL=postgres://…/scratch python -m bench.evaluation   # PostgreSQL (emptied)
    python -m bench.evaluation --tasks 20000 --units 200 --runs 2

Figures go to bench-results/evaluation-<database>.json.
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

from bench.tick import _db_cpu_seconds, _db_version, _setup

YEAR = 2026
TODAY = dt.date(2027, 1, 15)


def _aware(day: dt.date, hour: int = 10):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def build_city(n_tasks: int, n_units: int, *, seed: int = 5) -> dict[str, int]:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from luoshi.evaluation.models import QualityGrade
    from luoshi.org.models import Role, Unit, UnitKind, User
    from luoshi.outcomes.models import OutcomeRecord
    from luoshi.rechecks.models import Recheck, RecheckState
    from luoshi.reports.models import ProgressReport
    from luoshi.supervision.models import NoticeState, SupervisionNotice
    from luoshi.tasks.cycles import window_containing
    from luoshi.tasks.models import AssignmentRole, Source, SourceKind, Task, TaskState, TaskUnit

    rng = random.Random(seed)
    root = Unit.objects.create(name="基准市人民政府", kind=UnitKind.GOVERNMENT, path="0001/")
    n_districts = n_units // 4
    Unit.objects.bulk_create(
        Unit(
            name=f"基准市第{i}{'区' if i <= n_districts else '局'}",
            kind=UnitKind.DISTRICT if i <= n_districts else UnitKind.DEPARTMENT,
            parent=root,
            path=f"0001/{i + 1:04d}/",
            sort_order=i,
        )
        for i in range(1, n_units + 1)
    )
    unit_ids = list(Unit.objects.exclude(pk=root.pk).values_list("id", flat=True))
    office = User.objects.create_user("bench_sup", role=Role.SUPERVISOR, unit=root)
    leader = User.objects.create_user("bench_leader", role=Role.LEADER, unit=root)
    sources = Source.objects.bulk_create(
        Source(
            kind=SourceKind.DOCUMENT, code=f"E-{i:05d}", title=f"基准来源 {i}", created_by=office
        )
        for i in range(max(1, n_tasks // 1000))
    )

    first_id = (Task.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    tasks: list[Task] = []
    links: list[TaskUnit] = []
    reports: list[ProgressReport] = []
    closed_ids: list[int] = []
    year_start, year_end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    cycles = ["none"] * 5 + ["quarterly"] * 3 + ["monthly"] * 2

    def add(tid: int, parent: Task | None, lead: int) -> Task:
        assigned_on = dt.date(2025, 10, 1) + dt.timedelta(days=rng.randint(0, 400))
        due = assigned_on + dt.timedelta(days=rng.randint(30, 400))
        odds = rng.random()
        state, closed_at, closed_late = TaskState.IN_PROGRESS, None, False
        if parent is not None and odds < 0.5:
            closed_on = assigned_on + dt.timedelta(days=rng.randint(10, 300))
            if rng.random() < 0.12:
                closed_on = due + dt.timedelta(days=rng.randint(1, 40))
            if closed_on < TODAY:
                state, closed_at, closed_late = TaskState.CLOSED, _aware(closed_on), closed_on > due
        elif odds < 0.53:
            state = TaskState.SUSPENDED
        elif odds < 0.55:
            state = TaskState.CANCELLED
        elif rng.random() < 0.08:
            due = min(due, TODAY - dt.timedelta(days=rng.randint(1, 120)))
            due = max(due, assigned_on + dt.timedelta(days=20))
        cycle = rng.choice(cycles)
        task = Task(
            id=tid,
            source_id=sources[tid % len(sources)].pk,
            parent=parent,
            path=f"{parent.path if parent else ''}{tid}/",
            depth=1 if parent else 0,
            code=f"E{tid:07d}",
            title=f"基准任务 {tid}",
            lead_unit_id=lead,
            lead_leader_id=leader.pk,
            state=state,
            due=due,
            report_cycle=cycle,
            assigned_at=_aware(assigned_on, 9),
            closed_at=closed_at,
            closed_late=closed_late,
            progress=100 if closed_at else rng.randint(0, 90),
        )
        tasks.append(task)
        units = [lead]
        if rng.random() < 0.33:
            co = rng.choice(unit_ids)
            if co != lead:
                units.append(co)
        for unit in units:
            links.append(
                TaskUnit(
                    task_id=tid,
                    unit_id=unit,
                    role=AssignmentRole.LEAD if unit == lead else AssignmentRole.CO,
                    acknowledged_at=task.assigned_at,
                )
            )
        if closed_at:
            closed_ids.append(tid)
        if cycle != "none" and parent is not None:
            last = min(closed_at.date() if closed_at else TODAY, year_end)
            probe = max(assigned_on, year_start)
            while probe <= last:
                w_start, w_end = window_containing(cycle, probe)
                for unit in units:
                    if rng.random() < 0.9:
                        day = min(
                            max(w_start, assigned_on) + dt.timedelta(days=rng.randint(0, 20)), w_end
                        )
                        reports.append(
                            ProgressReport(
                                task_id=tid,
                                unit_id=unit,
                                author_id=office.pk,
                                submitted_at=_aware(day),
                                report_date=day,
                                progress_text="按计划推进",
                                percent=50,
                            )
                        )
                probe = w_end + dt.timedelta(days=1)
        return task

    tid = first_id
    while len(tasks) < n_tasks:
        lead = rng.choice(unit_ids)
        goal = add(tid, None, lead)
        tid += 1
        for _ in range(19):
            if len(tasks) >= n_tasks:
                break
            add(tid, goal, rng.choice(unit_ids) if rng.random() < 0.3 else lead)
            tid += 1

    def year_day() -> dt.date:
        return year_start + dt.timedelta(days=rng.randint(0, 364))

    leaf_ids = [t.id for t in tasks if t.parent_id is not None]
    lead_of = {t.id: t.lead_unit_id for t in tasks}
    with transaction.atomic():
        Task.objects.bulk_create(tasks, batch_size=2000)
        TaskUnit.objects.bulk_create(links, batch_size=2000)
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
        notices = []
        for seq in range(1, 5001):
            t = rng.choice(leaf_ids)
            day = year_day()
            notices.append(
                SupervisionNotice(
                    task_id=t,
                    unit_id=lead_of[t],
                    year=YEAR,
                    seq=seq,
                    content="请加快推进",
                    state=NoticeState.ISSUED,
                    drafted_at=_aware(day),
                    issued_at=_aware(day, 11),
                    issued_by=office,
                )
            )
        SupervisionNotice.objects.bulk_create(notices, batch_size=2000)
        Recheck.objects.bulk_create(
            (
                Recheck(
                    task_id=t,
                    unit_id=lead_of[t],
                    due_on=year_day(),
                    state=RecheckState.FAILED,
                    requested_by=office,
                    requested_at=_aware(year_start),
                    verdict_by=office,
                    verdict_at=_aware(year_day()),
                )
                for t in rng.sample(closed_ids, min(500, len(closed_ids)))
            ),
            batch_size=2000,
        )
        OutcomeRecord.objects.bulk_create(
            (
                OutcomeRecord(
                    unit_id=lead_of[t],
                    task_id=t,
                    kind=rng.choice(
                        ["leader_commendation", "public_criticism", "commendation", "talk"]
                    ),
                    recorded_on=year_day(),
                    text="基准事由",
                    recorded_by=office,
                    created_at=_aware(year_start),
                )
                for t in rng.sample(leaf_ids, min(2000, len(leaf_ids)))
            ),
            batch_size=2000,
        )
        QualityGrade.objects.bulk_create(
            (
                QualityGrade(task_id=t, grade=rng.choice("AABBBCCD"), by=office, at=_aware(TODAY))
                for t in rng.sample(closed_ids, min(30000, len(closed_ids)))
            ),
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(no_style(), [Task, Unit]):
                cursor.execute(sql)
        cursor.execute("ANALYZE")
    return {
        "units": len(unit_ids),
        "tasks": len(tasks),
        "closed": len(closed_ids),
        "task_units": len(links),
        "reports": len(reports),
        "notices": 5000,
    }


def time_scoring(runs: int) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from luoshi.evaluation import services
    from luoshi.evaluation.models import EvaluationScheme, ScoreItem
    from luoshi.lib import clock

    scheme = EvaluationScheme.objects.get(name="默认考核方案")
    with clock.pinned_today(TODAY):
        period = services.period_create(
            actor=None, scheme=scheme, kind="year", start=dt.date(YEAR, 1, 1)
        )
        results = []
        for run in range(runs):
            cpu_db = _db_cpu_seconds()
            cpu = time.process_time()
            started = time.perf_counter()
            units = services.period_score(actor=None, period=period)
            seconds = round(time.perf_counter() - started, 2)
            results.append(
                {
                    "run": run + 1,
                    "seconds": seconds,
                    "python_cpu_s": round(time.process_time() - cpu, 2),
                    "load_average": round(os.getloadavg()[0], 1),
                    "db_cpu_s": round(_db_cpu_seconds() - cpu_db, 2),
                    "units": units,
                    "items": ScoreItem.objects.filter(period=period).count(),
                }
            )
            print(f"  run {run + 1}: {results[-1]}", flush=True)
        with CaptureQueriesContext(connection) as ctx:  # counted apart: capturing costs time
            services.period_score(actor=None, period=period)
        for r in results:
            r["queries"] = len(ctx.captured_queries)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="luoshi-bench-eval-") as data_dir:
        _setup(data_dir)
        from django.core.management import call_command
        from django.db import connection

        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        if connection.vendor == "postgresql":  # flush emptied the shipped scheme; put it back
            from importlib import import_module

            from django.apps import apps

            import_module("luoshi.evaluation.migrations.0002_default_scheme").create(apps, None)
        print(
            f"building {args.tasks:,} tasks, {args.units:,} units on {_db_version()} …", flush=True
        )
        started = time.perf_counter()
        city = build_city(args.tasks, args.units)
        build_s = round(time.perf_counter() - started, 1)
        print(f"  built in {build_s} s: {city}", flush=True)
        results = time_scoring(args.runs)
        out = {
            "machine": {
                "python": platform.python_version(),
                "database": _db_version(),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
            },
            "period": f"{YEAR} (year), scored on {TODAY}",
            "city": city,
            "build_s": build_s,
            "median_s": round(statistics.median(r["seconds"] for r in results), 2),
            "runs": results,
        }
        Path("bench-results").mkdir(exist_ok=True)
        Path(f"bench-results/evaluation-{connection.vendor}.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2, default=str)
        )
    print(
        f"{out['machine']['database']}, {out['machine']['cpus']} CPUs: scoring {YEAR} for "
        f"{city['units']:,} units over {city['tasks']:,} tasks — median {out['median_s']} s "
        f"of {args.runs}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
