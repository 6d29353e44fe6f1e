"""`province_generate`: plan a province in memory with one seeded random.Random, write it
with the bulk writer in one transaction, then light every task with the engine's own
refresh and index tasks and sources for search.

Same seed and dates → same rows (ids included, on an empty database)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.translation import gettext as _

from luoshi.generator import extras, reports, units
from luoshi.generator.plan import GenerateError, Options
from luoshi.generator.tasks import TaskPlanner
from luoshi.generator.writer import (
    Table,
    finish_bulk_load,
    indexes_deferred,
    next_id,
    prepare_bulk_load,
)
from luoshi.lib import clock
from luoshi.meetings.models import Meeting, MeetingItem
from luoshi.org.models import Unit, User
from luoshi.reports.models import ProgressReport
from luoshi.supervision.models import SupervisionNotice
from luoshi.tasks.models import Source, Task, TaskEvent, TaskUnit

PASSWORD = "Luoshi-2026"  # every generated account's password (a test province, not real)

TASK_FIELDS = (
    "id", "source_id", "parent_id", "path", "depth", "sort_order", "code", "title", "category",
    "priority", "lead_leader_id", "lead_unit_id", "owner_id", "start_date", "due", "ongoing",
    "report_cycle", "report_day", "state", "progress", "last_report_on", "assigned_at",
    "closed_at", "closed_late", "due_extended", "created_by_id",
)  # fmt: skip


def database_is_empty() -> bool:
    return not (Unit.objects.exists() or User.objects.exists() or Task.objects.exists())


def province_generate(
    opts: Options, *, force: bool = False, say: Callable[[str], None] = lambda _: None
) -> dict:
    if not database_is_empty() and not force:
        raise GenerateError(
            _("数据库中已有单位、用户或任务，生成的数据会与之混在一起。确需写入请加 --force。")
        )
    rng = random.Random(opts.seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    prefix = "" if database_is_empty() else f"G{next_id(Unit)}-"
    unit_rows = units.plan_units(opts.units, next_id(Unit), prefix)
    people = units.plan_people(
        unit_rows,
        next_id(User),
        make_password(PASSWORD, salt=f"luoshi{opts.seed}"),
        opts.now,
        rng,
        prefix.lower(),
    )
    planner = TaskPlanner(rng, opts, unit_rows, people, (next_id(Task), next_id(Source)), prefix)
    planner.plan()
    tasks = planner.tasks
    natural = reports.natural_count(tasks, opts.today)
    factor = opts.reports / natural if natural else 0.0
    if factor < 1:
        say(
            _("提示：按反馈周期约应有 %(n)d 条填报，要求 %(r)d 条，缺报比例将高于常见水平。")
            % {"n": natural, "r": opts.reports}
        )
    timings["plan_s"] = time.perf_counter() - started

    def table(model, fields):
        made = Table(model, fields, opts.now)
        tables.append(made)
        return made

    tables: list[Table] = []
    prepare_bulk_load()
    # (not Task: it refers to itself, and SQLite checks a new parent row against its children)
    bulky = [ProgressReport, TaskUnit, TaskEvent]
    with transaction.atomic(), indexes_deferred(bulky):
        mark = time.perf_counter()
        t = table(Unit, ("id", "name", "short_name", "kind", "parent_id", "path", "sort_order"))
        for u in unit_rows:
            t.add((u.id, u.name, u.short_name, u.kind, u.parent_id, u.path, u.sort_order))
        t = table(User, units.USER_FIELDS)
        for row in people.rows:
            t.add(row)
        office = people.supervisors[0]
        t = table(Source, ("id", "kind", "code", "title", "issued_on", "issuer", "created_by_id"))
        for s in planner.sources:
            t.add((s.id, s.kind, s.code, s.title, s.issued_on, s.issuer, office))
        # Task's table is made (and so flushed) before the extension requests that point at
        # it: the foreign keys may already be checked at once (a caller's transaction that
        # went through indexes_deferred before), but the requests must be planned first,
        # since an approved one marks its task as extended.
        task_table = table(Task, TASK_FIELDS)
        extras.extensions(table, tasks, people, rng, opts.today)
        for r in tasks:
            task_table.add(_task_row(r, office))
        # parents before children: with SQLite's deferred foreign keys a parent row written
        # after its children is checked against the child table (without its index here)
        _flush(tables)
        t = table(ProgressReport, reports.REPORT_FIELDS)
        report_plan = reports.ReportPlanner(rng, opts.today, factor, people.liaison)
        for row in report_plan.rows(tasks):
            t.add(row)
        _flush(tables)
        _last_reports(tasks)
        timings["tasks_reports_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        extras.assignments_and_history(table, tasks, people, rng, report_plan.last)
        extras.milestones_and_indicators(table, tasks, rng, opts.today)
        extras.notices(table, tasks, people, rng, opts.today, next_id(SupervisionNotice))
        extras.rechecks_and_outcomes(table, tasks, people, rng, opts.today)
        extras.meetings(
            table, planner.sources, tasks, people, (next_id(Meeting), next_id(MeetingItem))
        )
        _flush(tables)
        timings["extras_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    finish_bulk_load([Unit, User, Source, Task, SupervisionNotice, Meeting, MeetingItem])
    timings["analyze_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    from luoshi.tasks.services.refresh import lights_refresh_all

    with clock.pinned_today(opts.today):
        lights = lights_refresh_all(today=opts.today)
    timings["lights_s"] = time.perf_counter() - mark
    indexed = {}
    if opts.search:
        mark = time.perf_counter()
        with clock.pinned_today(opts.today):
            indexed = _index(tasks, planner.sources)
        timings["search_s"] = time.perf_counter() - mark
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM too, as autovacuum would soon after a bulk load; until then no
        # page is marked all-visible and every count reads the whole table, not its index
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    timings["total_s"] = time.perf_counter() - started
    counts = {f"{t.model._meta.model_name}": 0 for t in tables}
    for t in tables:
        counts[t.model._meta.model_name] += t.count
    return {
        "counts": counts,
        "lights": lights,
        "indexed": indexed,
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "natural_reports": round(natural),
    }


def _last_reports(tasks) -> None:
    """Each task's last report and progress, known once its reports are planned."""
    rows = [(r.last_report_on, r.progress, r.id) for r in tasks if r.last_report_on or r.progress]
    quote = connection.ops.quote_name
    table = quote(Task._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f"UPDATE {table} SET last_report_on = %s, progress = %s WHERE id = %s"
        with connection.connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    else:
        sql = f"UPDATE {table} SET last_report_on = ?, progress = ? WHERE id = ?"
        connection.connection.executemany(sql, rows)


def _flush(tables: list[Table]) -> None:
    for t in tables:
        t.flush()


def _task_row(r, office: int) -> tuple:
    assigned_at = extras.at(r.assigned_on, 1)
    closed_at = extras.at(r.closed_on, 6) if r.closed_on else None
    return (
        r.id, r.source_id, r.parent_id, r.path, r.depth, 0, r.code, r.title, r.category,
        r.priority, r.lead_leader, r.lead_unit, r.owner, r.start_date, r.due, r.ongoing,
        r.cycle, r.report_day, r.state, r.progress, r.last_report_on, assigned_at, closed_at,
        r.closed_late, r.due_extended, office,
    )  # fmt: skip


def _index(tasks, sources) -> dict[str, int]:
    """Tasks and sources into the search index (reports are left out: 2,000,000 of them
    would take longer than the rest of the build; `luoshi search-reindex` adds them)."""
    from luoshi.search.indexing import index_source, index_tasks

    batch = 5000
    ids = [t.id for t in tasks]
    for start in range(0, len(ids), batch):
        index_tasks(Task.objects.filter(id__in=ids[start : start + batch]))
    for source in Source.objects.filter(id__in=[s.id for s in sources]):
        index_source(source)
    return {"tasks": len(ids), "sources": len(sources)}


def today_default() -> dt.date:
    return clock.today()
