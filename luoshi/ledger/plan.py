"""The import plan: rows → what will be created or changed → one transaction that does it.

Used by the ledger import and by extraction from documents alike:

    plan = plan_from_rows(rows, actor=user, year=2026, resolutions={"市园林局": unit_id})
    plan.blocking        # problems that must be resolved before committing
    plan_commit(actor=user, plan=plan, source=source)   # all or nothing

A row is a dict; every key but `title` is optional:

    title        str          任务名称 (without its numbering)
    content      str          具体内容
    lead_units   list[str] | str   牵头单位 names as written (a str is split on 、，;； and
                                   line breaks); the first matched unit leads, any others
                                   become co-units (with a warning)
    co_units     list[str] | str   配合单位 names as written
    due          date | ISO str | None   the deadline if already known
    due_text     str          the deadline's words (parsed with lib.deadlines when `due`
                              and `ongoing` are not given)
    ongoing      bool         长期坚持
    due_value    date | str   an Excel cell (a date cell or words); used when due_text is empty
    path         list[str]    numbering path, e.g. ["一", "（一）", "2"]; a row's parent is the
                              row with the longest proper prefix of its path
    lead_leader  str          牵头领导 (a leader's full name, or surname + title: 李副市长)
    progress     str          进展情况 (new progress words)
    percent      str | int    进度 (%)
    code         str          任务编号: an existing task's code makes this a round-trip row
                              (compared with the task: a diff), an unknown code is a problem
    row          int          where the row came from (Excel row number), for messages

Units are matched with luoshi.org.matching; a name the matcher cannot place is a blocking
problem until the user resolves it (`resolutions`: name → unit id, or 0 to drop the name).
Nothing here writes until `plan_commit`.

Preview fragment for other pages: {% include "ledger/_plan.html" with plan=plan %}.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import (
    CharField,
    DateField,
    DecimalField,
    JSONField,
    OuterRef,
    Subquery,
    TimeField,
    UUIDField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.lib.bulk import insert_new, insert_rows
from luoshi.lib.deadlines import DeadlineError, parse_deadline
from luoshi.org.matching import UnitMatcher, split_unit_names, unit_matcher
from luoshi.org.models import Role, Unit, User
from luoshi.search.indexing import index_tasks
from luoshi.tasks.models import (
    AssignmentRole,
    EventKind,
    Source,
    Task,
    TaskEvent,
    TaskState,
    TaskUnit,
)

NEW, CHANGE, SAME = "new", "change", "same"
TITLE_MAX = Task._meta.get_field("title").max_length
DUE_TEXT_MAX = Task._meta.get_field("due_text").max_length


@dataclass
class PlanRow:
    index: int
    row: int | None
    path: list[str]
    parent: int | None  # index of the parent row in the plan
    title: str
    content: str
    lead_unit: Unit | None
    co_units: list[Unit]
    lead_leader: User | None
    leader_text: str
    due: dt.date | None
    ongoing: bool
    due_text: str
    progress: str
    percent: int | None
    unmatched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # blocking
    warnings: list[str] = field(default_factory=list)
    task: Task | None = None  # round trip: the task with this row's code
    kind: str = NEW
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # label → (old, new)
    change_values: dict[str, Any] = field(default_factory=dict)  # task_update kwargs
    submit_progress: bool = False  # round trip by the task's own unit: a progress report

    @property
    def depth(self) -> int:
        return max(len(self.path) - 1, 0)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unmatched


@dataclass
class Plan:
    rows: list[PlanRow]
    unmatched: list[str]  # every unmatched name, once, in order of appearance

    @property
    def blocking(self) -> list[str]:
        out = []
        for r in self.rows:
            where = (
                _("第 %(n)s 行") % {"n": r.row} if r.row else _("第 %(n)s 项") % {"n": r.index + 1}
            )
            out.extend(f"{where}：{p}" for p in r.problems)
        if self.unmatched:
            out.append(
                _("有 %(n)d 个单位名称未匹配：%(names)s。请为每个名称选择单位，或选择“不导入”。")
                % {"n": len(self.unmatched), "names": "、".join(self.unmatched)}
            )
        return out

    @property
    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, CHANGE: 0, SAME: 0, "progress": 0}
        for r in self.rows:
            counts[r.kind] += 1
            if r.submit_progress:
                counts["progress"] += 1
        return counts

    @property
    def unchanged(self) -> bool:
        c = self.counts
        return c[NEW] == 0 and c[CHANGE] == 0 and c["progress"] == 0


# --- building the plan -----------------------------------------------------------------------


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        out: list[str] = []
        for v in value:
            out.extend(split_unit_names(v))
        return out
    return split_unit_names(value)


class _Leaders:
    """Leaders by full name, and by surname + title (李副市长)."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[User]] = {}
        for user in User.objects.filter(role=Role.LEADER, is_active=True):
            keys = {user.full_name}
            if user.full_name and user.title:
                keys.add(user.full_name[0] + user.title)
            for key in keys - {""}:
                self.by_name.setdefault(key, []).append(user)

    def match(self, text: str) -> User | None:
        found = self.by_name.get((text or "").strip().replace(" ", ""), [])
        return found[0] if len(found) == 1 else None


@functools.lru_cache(maxsize=4096)
def _parse_deadline(text: str, year: int):
    """parse_deadline, once per distinct words (a ledger repeats 年底前 hundreds of times)."""
    return parse_deadline(text, year=year)


def _due(row: Mapping, year: int) -> tuple[dt.date | None, bool, str, str | None]:
    """(due, ongoing, due_text, problem)."""
    cell = row.get("due_value")
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):  # an Excel date cell
        return cell, False, f"{cell.year}年{cell.month}月{cell.day}日", None
    due_text = (row.get("due_text") or "").strip()
    due = row.get("due")
    if isinstance(due, str) and due:
        try:
            due = dt.date.fromisoformat(due)
        except ValueError:
            return None, False, due_text, _("完成时限“%(t)s”不是日期。") % {"t": due}
    if due or row.get("ongoing"):
        return due or None, bool(row.get("ongoing")) and not due, due_text, None
    if not due_text:
        return None, False, "", None
    try:
        d = _parse_deadline(due_text, year)
    except DeadlineError as exc:
        return None, False, due_text, " ".join(exc.messages)
    return d.due, d.ongoing, d.text, None


def _percent(value: Any) -> tuple[int | None, str | None]:
    if value in (None, ""):
        return None, None
    text = str(value).strip().rstrip("%％")
    try:
        number = float(text)
    except ValueError:
        return None, _("进度“%(v)s”不是数字。") % {"v": value}
    if 0 < number <= 1 and "." in text:
        number *= 100  # a percent-formatted cell holds 0.4
    if not 0 <= number <= 100:
        return None, _("进度“%(v)s”应在 0 到 100 之间。") % {"v": value}
    return round(number), None


def plan_from_rows(
    rows: Iterable[Mapping],
    *,
    actor: User | None = None,
    year: int | None = None,
    resolutions: Mapping[str, int] | None = None,
    matcher: UnitMatcher | None = None,
) -> Plan:
    """Match units and leaders, parse deadlines, build the tree and compare rows carrying a
    task code with their task. Reads the database, writes nothing."""
    year = year or clock.today().year
    matcher = matcher or unit_matcher()
    resolutions = {k: int(v) for k, v in (resolutions or {}).items() if str(v).strip() != ""}
    resolved_units = {u.pk: u for u in Unit.objects.filter(pk__in=set(resolutions.values()))}
    leaders = _Leaders()
    unit_user = actor is not None and policy.is_unit_user(actor)
    rows = list(rows)
    codes = [str(r.get("code") or "").strip() for r in rows]
    tasks_by_code: dict[str, Task] = {}
    if any(codes):
        visible = policy.visible_tasks(actor) if actor is not None else Task.objects.all()
        for t in visible.filter(code__in=[c for c in codes if c]).select_related(
            "lead_unit", "lead_leader"
        ):
            tasks_by_code[t.code] = t
    co_by_task: dict[int, list[Unit]] = {}
    if tasks_by_code:
        for a in (
            TaskUnit.objects.filter(task__in=tasks_by_code.values(), role=AssignmentRole.CO)
            .select_related("unit")
            .order_by("id")
        ):
            co_by_task.setdefault(a.task_id, []).append(a.unit)

    plan_rows: list[PlanRow] = []
    all_unmatched: list[str] = []
    index_by_path: dict[tuple, int] = {}

    matched: dict[str, Unit | None] = {}  # a name is looked up once per plan

    def units_of(names: list[str], pr: PlanRow) -> list[Unit]:
        found: list[Unit] = []
        for name in names:
            if name in resolutions:
                unit = resolved_units.get(resolutions[name])
                if unit is None:  # 0: drop this name on purpose
                    continue
            else:
                if name not in matched:
                    matched[name] = matcher.match(name)
                unit = matched[name]
            if unit is None:
                if name not in pr.unmatched:
                    pr.unmatched.append(name)
                if name not in all_unmatched:
                    all_unmatched.append(name)
            elif unit not in found:
                found.append(unit)
        return found

    for i, row in enumerate(rows):
        path = [str(p) for p in (row.get("path") or [])] or [f"#{i + 1}"]
        parent = None
        for cut in range(len(path) - 1, 0, -1):
            if tuple(path[:cut]) in index_by_path:
                parent = index_by_path[tuple(path[:cut])]
                break
        index_by_path[tuple(path)] = i
        due, ongoing, due_text, due_problem = _due(row, year)
        percent, percent_problem = _percent(row.get("percent"))
        leader_text = (row.get("lead_leader") or "").strip()
        pr = PlanRow(
            index=i,
            row=row.get("row"),
            path=path,
            parent=parent,
            title=(row.get("title") or "").strip(),
            content=(row.get("content") or "").strip(),
            lead_unit=None,
            co_units=[],
            lead_leader=leaders.match(leader_text) if leader_text else None,
            leader_text=leader_text,
            due=due,
            ongoing=ongoing,
            due_text=due_text[:DUE_TEXT_MAX],
            progress=(row.get("progress") or "").strip(),
            percent=percent,
        )
        leads = units_of(_names(row.get("lead_units")), pr)
        cos = units_of(_names(row.get("co_units")), pr)
        if leads:
            pr.lead_unit = leads[0]
            if len(leads) > 1:
                pr.warnings.append(
                    _("有多个牵头单位：%(first)s 作为牵头单位，%(rest)s 作为配合单位。")
                    % {
                        "first": leads[0].display_name,
                        "rest": "、".join(u.display_name for u in leads[1:]),
                    }
                )
        pr.co_units = [u for u in [*leads[1:], *cos] if u != pr.lead_unit]
        pr.co_units = list(dict.fromkeys(pr.co_units))
        if leader_text and pr.lead_leader is None:
            pr.warnings.append(
                _("牵头领导“%(name)s”没有对应的领导账号，将不设牵头领导。") % {"name": leader_text}
            )
        if not pr.title:
            pr.problems.append(_("缺少任务名称。"))
        elif len(pr.title) > TITLE_MAX:
            pr.problems.append(_("任务名称超过 %(n)d 个字。") % {"n": TITLE_MAX})
        for problem in (due_problem, percent_problem):
            if problem:
                pr.problems.append(problem)
        if parent is not None:
            p = plan_rows[parent]
            if pr.due and p.due and not p.ongoing and pr.due > p.due:
                pr.problems.append(
                    _("完成时限（%(due)s）晚于上级任务（%(parent)s）。")
                    % {"due": pr.due, "parent": p.due}
                )
        code = codes[i]
        if code:
            task = tasks_by_code.get(code)
            if task is None:
                pr.problems.append(_("任务编号“%(code)s”不存在或您无权查看。") % {"code": code})
            else:
                pr.task = task
                _compare(pr, task, co_by_task.get(task.pk, []))
        if unit_user:
            _unit_rules(pr, actor)
        elif pr.task is not None and pr.progress:
            pr.warnings.append(_("进展情况由承办单位填报，本次不提交。"))
        plan_rows.append(pr)
    return Plan(rows=plan_rows, unmatched=all_unmatched)


def _unit_rules(pr: PlanRow, actor: User) -> None:
    """A unit's liaison or head re-importing its ledger: only progress on its own tasks."""
    if pr.task is None:
        if not pr.problems:
            pr.problems.append(_("单位只能填报已有任务（有任务编号的行）的进展，不能新建任务。"))
        return
    if pr.changes:
        pr.warnings.append(
            _("单位不能修改任务内容，以下改动不会保存：%(fields)s。")
            % {"fields": "、".join(pr.changes)}
        )
        pr.changes, pr.change_values, pr.kind = {}, {}, SAME
    if pr.progress:
        if policy.can(actor, "task.report", pr.task):
            pr.submit_progress = True
        else:
            pr.problems.append(policy.denial_message("task.report", actor, pr.task))


def _names_text(units: Iterable[Unit]) -> str:
    return "、".join(u.display_name for u in units)


def _compare(pr: PlanRow, task: Task, co_units: list[Unit]) -> None:
    """Round trip: what this row would change on its task (only fields the row carries)."""
    labels = {
        "title": _("任务名称"),
        "content": _("具体内容"),
        "lead_unit": _("牵头单位"),
        "co_units": _("配合单位"),
        "due": _("完成时限"),
        "lead_leader": _("牵头领导"),
    }
    if pr.title and pr.title != task.title:
        pr.changes[labels["title"]] = (task.title, pr.title)
        pr.change_values["title"] = pr.title
    if pr.content != task.content:
        pr.changes[labels["content"]] = (task.content, pr.content)
        pr.change_values["content"] = pr.content
    if pr.lead_unit is not None and pr.lead_unit != task.lead_unit:
        old = task.lead_unit.display_name if task.lead_unit else ""
        pr.changes[labels["lead_unit"]] = (old, pr.lead_unit.display_name)
        pr.change_values["lead_unit"] = pr.lead_unit
    if {u.pk for u in pr.co_units} != {u.pk for u in co_units}:
        pr.changes[labels["co_units"]] = (_names_text(co_units), _names_text(pr.co_units))
        pr.change_values["co_units"] = pr.co_units
    same_words = bool(pr.due_text) and pr.due_text == task.due_text
    if not same_words and (pr.due, pr.ongoing) != (task.due, task.ongoing):
        old = _("长期坚持") if task.ongoing else (task.due.isoformat() if task.due else "")
        new = _("长期坚持") if pr.ongoing else (pr.due.isoformat() if pr.due else "")
        pr.changes[labels["due"]] = (old, new)
        pr.change_values.update(due=pr.due, ongoing=pr.ongoing, due_text=pr.due_text)
    if pr.lead_leader is not None and pr.lead_leader != task.lead_leader:
        old = task.lead_leader.display_name if task.lead_leader else ""
        pr.changes[labels["lead_leader"]] = (old, pr.lead_leader.display_name)
        pr.change_values["lead_leader"] = pr.lead_leader
    pr.kind = CHANGE if pr.changes else SAME


# --- committing ------------------------------------------------------------------------------


def _db_value(f, value):
    if isinstance(f, JSONField):
        return json.dumps(value, cls=f.encoder, ensure_ascii=False)
    return f.get_db_prep_save(value, connection)


def _preparer(f, conn):
    """How one column's value goes to the database: text, numbers, booleans and ids as they
    are; dates through the backend's adapter; JSON as its text."""
    if isinstance(f, JSONField):
        return lambda v: json.dumps(v, cls=f.encoder, ensure_ascii=False)
    if isinstance(f, DateField | DecimalField | TimeField | UUIDField):  # DateTimeField too
        return lambda v: f.get_db_prep_save(v, conn)
    return None


def _allocate_ids(n: int) -> list[int] | None:
    """n ids for new tasks, taken before inserting them so that their paths can be written
    with the rows (no second pass over 5,000 rows and their indexes). PostgreSQL draws them
    from the table's sequence; SQLite, whose writers are serialised (this transaction holds
    the write lock), continues after the highest id it ever gave. Other databases: None."""
    table = Task._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, n],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            top = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(top, row[0] if row else 0) + 1
            return list(range(start, start + n))
    return None


def _insert_tasks(tasks: list[Task], *, with_ids: bool = False) -> None:
    """INSERT the new tasks with lib.bulk (one array per column on PostgreSQL, bound on the
    server), with their ids when already given, and give each its id. Model instances through
    bulk_create cost several times the insert itself at 5,000 rows."""
    conn = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in Task._meta.concrete_fields if with_ids or not f.primary_key]
    preparers = [(f, _preparer(f, conn)) for f in fields]
    rows = []
    for t in tasks:
        row = []
        for f, prepare in preparers:
            value = f.pre_save(t, add=True)
            row.append(prepare(value) if prepare is not None and value is not None else value)
        rows.append(tuple(row))
    by_code = {t.code: t for t in tasks}
    made = insert_new(Task, tuple(f.attname for f in fields), rows, ("id", "code"))
    if len(made) != len(tasks):
        raise ValidationError(_("任务编号冲突，请重试。"))
    for pk, code in made:
        by_code[code].pk = pk
        by_code[code]._state.adding = False


def _insert_by_level(new_rows: list, created: dict, parent_of: dict) -> None:
    """Without ids drawn beforehand: insert level by level (children need their parent's
    id), then set each level's paths with one UPDATE (the parent's path + the new id)."""
    by_depth: dict[int, list[Task]] = {}
    depth_of: dict[int, int] = {}
    for r in new_rows:
        d = 0
        if r.parent is not None and r.parent in created:
            d = depth_of[r.parent] + 1
        depth_of[r.index] = d
        by_depth.setdefault(d, []).append(created[r.index])
    for d in sorted(by_depth):
        level = by_depth[d]
        for t in level:
            p = parent_of.get(id(t))
            t.parent_id = p.pk if p is not None else None
            t.depth = p.depth + 1 if p is not None else 0
        _insert_tasks(level)
        ids = [t.pk for t in level]
        parent_path = Subquery(Task.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
        for start in range(0, len(ids), 2000):
            Task.objects.filter(pk__in=ids[start : start + 2000]).update(
                path=Concat(
                    Coalesce(parent_path, Value("")),
                    Cast("id", output_field=CharField()),
                    Value("/"),
                )
            )
        for t in level:
            p = parent_of.get(id(t))
            t.path = f"{p.path if p is not None else ''}{t.pk}/"


def _code_counter(source: Source, parent: Task | None) -> tuple[str, int, int, set[str]]:
    if parent is None:
        prefix, width = source.code, 3
        siblings = Task.objects.filter(source=source, parent__isnull=True)
    else:
        prefix, width = parent.code, 2
        siblings = Task.objects.filter(parent=parent)
    taken = set(Task.objects.filter(code__startswith=f"{prefix}-").values_list("code", flat=True))
    return prefix, width, siblings.count(), taken


@transaction.atomic
def plan_commit(
    *,
    actor: User,
    plan: Plan,
    source: Source,
    import_label: str = "",
) -> dict[str, int]:
    """Write the plan in one transaction: new rows become draft tasks under `source` (codes in
    next_task_code's scheme: SOURCE-001, its children -01 …), with their lead and co-units;
    round-trip rows change their task through task_update (the office) or submit the progress
    words as a progress report (the task's own unit). All or nothing."""
    from luoshi.reports.services import report_submit
    from luoshi.tasks.services.editing import task_update
    from luoshi.tasks.services.refresh import task_refresh

    if plan.blocking:
        raise ValidationError(plan.blocking)
    office = policy.is_office_user(actor)
    new_rows = [r for r in plan.rows if r.kind == NEW]
    if new_rows and not office:
        raise ValidationError(_("只有督查室人员可以通过台账新建任务。"))
    if any(r.kind == CHANGE for r in plan.rows) and not office:
        raise ValidationError(_("只有督查室人员可以修改任务内容；单位只能填报进展情况。"))
    if new_rows:
        policy.require(actor, "task.create")
    now = clock.now()
    # lock the source row so two imports into one source cannot draw the same codes
    list(
        Source.objects.select_for_update(no_key=True)
        .filter(pk=source.pk)
        .values_list("pk", flat=True)
    )

    # 1. new tasks, parents before children (the plan is in sheet order)
    counters: dict[Any, list] = {}  # parent key → [prefix, width, last number, codes taken]
    touched_parents: list[Task] = []  # existing tasks that get new children
    parent_of: dict[int, Task] = {}  # id(new task) → its parent (new or existing)
    created: dict[int, Task] = {}
    order: list[Task] = []
    for r in new_rows:
        parent_task = None
        if r.parent is not None:
            p = plan.rows[r.parent]
            parent_task = created.get(p.index) or p.task
        if parent_task is None:
            key = ("top",)
        elif parent_task.pk is None:
            key = ("new", r.parent)
        else:
            key = ("task", parent_task.pk)
        if key not in counters:
            if key[0] == "task":
                policy.require(actor, "task.decompose", parent_task)
                touched_parents.append(parent_task)
            if key[0] == "new":
                counters[key] = [parent_task.code, 2, 0, set()]
            else:
                counters[key] = list(_code_counter(source, parent_task))
        prefix, width, count, taken = counters[key]
        n = count + 1
        while f"{prefix}-{n:0{width}d}" in taken:
            n += 1
        counters[key][2] = n
        code = f"{prefix}-{n:0{width}d}"
        taken.add(code)
        task = Task(
            source=parent_task.source if parent_task is not None else source,
            sort_order=n - 1,
            code=code,
            title=r.title,
            content=r.content,
            lead_leader=r.lead_leader,
            lead_unit=r.lead_unit,
            due=None if r.ongoing else r.due,
            ongoing=r.ongoing,
            due_text=r.due_text,
            created_by=actor,
            state=TaskState.DRAFT,
        )
        created[r.index] = task
        order.append(task)
        if parent_task is not None:
            parent_of[id(task)] = parent_task
    if order:
        ids = _allocate_ids(len(order))
        if ids is not None:
            # ids first, so every path is written with its row, in one INSERT
            for t, pk in zip(order, ids, strict=True):
                p = parent_of.get(id(t))
                t.pk = pk
                t.parent_id = p.pk if p is not None else None
                t.depth = p.depth + 1 if p is not None else 0
                t.path = f"{p.path if p is not None else ''}{pk}/"
            _insert_tasks(order, with_ids=True)
        else:
            _insert_by_level(new_rows, created, parent_of)
        assignments = []
        for r in new_rows:
            t = created[r.index]
            if r.lead_unit is not None:
                assignments.append((t.pk, r.lead_unit.pk, AssignmentRole.LEAD.value, 0))
            for u in r.co_units:
                assignments.append((t.pk, u.pk, AssignmentRole.CO.value, 0))
        insert_rows(TaskUnit, ("task_id", "unit_id", "role", "progress"), assignments)
        at = _db_value(TaskEvent._meta.get_field("at"), now)
        insert_rows(
            TaskEvent,
            ("task_id", "kind", "at", "actor_id", "message", "data"),
            [
                (
                    t.pk,
                    EventKind.CREATED.value,
                    at,
                    actor.pk,
                    "",
                    json.dumps({"code": t.code, "import": import_label}, ensure_ascii=False),
                )
                for t in order
            ],
        )

    for parent_task in touched_parents:
        if parent_task.state != TaskState.DRAFT:
            task_refresh(parent_task)
    # tasks inserted in bulk do not pass through task_event_record: index them here, so that
    # an imported ledger is found by search at once
    index_tasks(order)

    # 2. changes (the office) and progress (the task's own unit)
    changed = progress = 0
    for r in plan.rows:
        if r.task is None:
            continue
        if r.kind == CHANGE:
            values = dict(r.change_values)
            co = values.pop("co_units", None)
            task_update(actor=actor, task=r.task, co_units=co, **values)
            changed += 1
        if r.submit_progress:
            report_submit(
                actor=actor,
                task=r.task,
                progress_text=r.progress,
                percent=r.percent if r.percent is not None else r.task.progress,
            )
            progress += 1
    result = {"created": len(order), "changed": changed, "progress": progress}
    if not any(result.values()):
        return result  # 无变化: nothing written
    audit_log(
        actor=actor,
        action="ledger.import",
        obj=source,
        data={**result, "import": import_label, "codes": [t.code for t in order][:50]},
    )
    return result
