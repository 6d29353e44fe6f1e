"""`make bench` (办会办文 part): a large meeting's items to tasks, and a large instruction's
办理情况 draft.

A 常务会议 of `--items` agreed items (default 100; real minutes have 5–30), each with a lead
unit typed by name and two co-units, recorded through the grid (names matched, deadlines
read), then turned into tasks and assigned in one step; and an instruction with as many
tasks, each reported once, whose report draft is composed. Each step runs in a fresh scratch
SQLite database `--runs` times; the median and the slowest are reported, with SQL counts.

    python -m bench.meetings
    python -m bench.meetings --items 200 --runs 3

Figures go to bench-results/meetings.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 3, 2)


def _world(items: int):
    from django.core.management import call_command

    from luoshi.lib import clock
    from luoshi.org.models import Role, UnitKind, User
    from luoshi.org.services import unit_create

    call_command("flush", interactive=False, verbosity=0)
    with clock.pinned_today(DAY):
        gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
        units = [
            unit_create(
                actor=None,
                name=f"示范市第{n}局",
                short_name=f"市第{n}局",
                kind=UnitKind.DEPARTMENT,
                parent=gov,
            )
            for n in range(1, 41)
        ]
        sup = User.objects.create_user("sup", role=Role.SUPERVISOR, unit=gov, full_name="督查")
        mayor = User.objects.create_user("mayor", role=Role.LEADER, unit=gov, full_name="市长")
        liaisons = [
            User.objects.create_user(f"l{n}", role=Role.LIAISON, unit=u, full_name=f"联络员{n}")
            for n, u in enumerate(units)
        ]
    return sup, mayor, units, liaisons


def _grid_post(items: int):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for n in range(items):
        data.appendlist("item_text", f"推进第{n}项重点工作，确保按期完成。")
        data.appendlist("item_lead", f"市第{n % 40 + 1}局")
        data.appendlist("item_co", f"市第{(n + 1) % 40 + 1}局、示范市第{(n + 2) % 40 + 1}局")
        data.appendlist("item_due", ("6月底前", "三季度末", "年底前", "长期坚持")[n % 4])
        data.appendlist("item_leader", "")
    return data


def _time(fn) -> tuple[float, int, object]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log keeps 9,000 queries: a full one would count none
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
    return elapsed, len(ctx.captured_queries), result


def _one_run(items: int) -> dict:
    from luoshi.lib import clock
    from luoshi.meetings.forms import ItemGrid, grid_rows
    from luoshi.meetings.services import (
        instruction_create,
        instruction_report_draft,
        meeting_create,
        meeting_generate_tasks,
        meeting_items_add,
    )
    from luoshi.reports.services import report_submit
    from luoshi.tasks.services.editing import task_create
    from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign

    sup, mayor, units, liaisons = _world(items)
    out = {}
    with clock.pinned_today(DAY):
        meeting = meeting_create(actor=sup, name="第1次常务会议", held_on=DAY, chair=mayor)

        def record():
            grid = ItemGrid(grid_rows(_grid_post(items)), year=DAY.year)
            assert grid.is_valid(), [r.errors for r in grid.rows if r.errors][:3]
            return meeting_items_add(actor=sup, meeting=meeting, rows=grid.items)

        out["record_items"] = _time(record)
        out["generate_and_assign"] = _time(
            lambda: meeting_generate_tasks(actor=sup, meeting=meeting, assign=True)
        )
        instruction = instruction_create(
            actor=sup, leader=mayor, text="请办。", given_on=DAY, doc_title="来文"
        )
        for n in range(items):
            unit = units[n % 40]
            task = task_create(
                actor=sup,
                source=instruction.source,
                title=f"批示任务{n}",
                lead_unit=unit,
                due=dt.date(2026, 6, 30),
            )
            task_assign(actor=sup, task=task)
            assignment_acknowledge(actor=liaisons[n % 40], task=task)
            report_submit(actor=liaisons[n % 40], task=task, progress_text="已推进。", percent=30)
        out["report_draft"] = _time(lambda: instruction_report_draft(instruction))
    return {k: (t, q) for k, (t, q, _) in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ["LUOSHI_DATA_DIR"] = tempfile.mkdtemp(prefix="luoshi-bench-meetings-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    runs = [_one_run(args.items) for _ in range(args.runs)]
    steps = {}
    for step in runs[0]:
        times = [r[step][0] for r in runs]
        steps[step] = {
            "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3),
            "queries": runs[-1][step][1],
        }
    results = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg()[0],
        },
        "items": args.items,
        "runs": args.runs,
        "steps": steps,
    }
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "meetings.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
