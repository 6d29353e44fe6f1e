"""Creating and editing tasks, and decomposing a task into many children at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.org.models import Role, Unit, User
from luoshi.tasks.models import (
    AssignmentRole,
    EventKind,
    Indicator,
    Milestone,
    Priority,
    ReportCycle,
    Source,
    Task,
    TaskState,
    TaskUnit,
)
from luoshi.tasks.services.history import task_event_record
from luoshi.tasks.services.refresh import task_refresh

EDITABLE_FIELDS = (
    "title",
    "content",
    "category",
    "priority",
    "lead_leader",
    "lead_unit",
    "owner",
    "start_date",
    "due",
    "ongoing",
    "due_text",
    "report_cycle",
    "report_day",
)


def next_task_code(*, source: Source, parent: Task | None) -> str:
    if parent is None:
        prefix, width = source.code, 3
        siblings = Task.objects.filter(source=source, parent__isnull=True)
    else:
        prefix, width = parent.code, 2
        siblings = Task.objects.filter(parent=parent)
    # Two people adding tasks under the same parent at once must not draw the same number:
    # lock the parent (or the source) row first. SQLite's immediate transactions already
    # serialise writers; on PostgreSQL this row lock does.
    lock = Task.objects.filter(pk=parent.pk) if parent else Source.objects.filter(pk=source.pk)
    list(lock.select_for_update(no_key=True).values_list("pk", flat=True))
    taken = set(siblings.values_list("code", flat=True))
    n = siblings.count() + 1
    while (
        f"{prefix}-{n:0{width}d}" in taken
        or Task.objects.filter(code=f"{prefix}-{n:0{width}d}").exists()
    ):
        n += 1
    return f"{prefix}-{n:0{width}d}"


def _check_people(lead_leader: User | None, owner: User | None, lead_unit: Unit | None) -> dict:
    errors: dict[str, list[str]] = {}
    if lead_leader is not None and lead_leader.role != Role.LEADER:
        errors.setdefault("lead_leader", []).append(_("牵头领导必须是领导角色的用户。"))
    if owner is not None and lead_unit is not None and owner.unit_id != lead_unit.id:
        errors.setdefault("owner", []).append(_("责任人必须是牵头单位的人员。"))
    return errors


def validate_task_fields(
    *,
    title: str,
    lead_unit: Unit | None,
    co_units: Sequence[Unit],
    start_date: dt.date | None,
    due: dt.date | None,
    ongoing: bool,
    report_cycle: str,
    report_day: int | None,
    priority: str,
    parent: Task | None,
    milestones: Sequence[dict],
    lead_leader: User | None = None,
    owner: User | None = None,
) -> dict[str, list[str]]:
    """All the rules a task's own fields must satisfy; returns errors by field (Chinese)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (title or "").strip():
        add("title", _("请填写任务名称。"))
    if lead_unit is not None and not lead_unit.is_active:
        add("lead_unit", _("牵头单位“%(name)s”已停用。") % {"name": lead_unit.name})
    if lead_unit is not None and any(u.pk == lead_unit.pk for u in co_units):
        add("co_units", _("牵头单位不能同时是配合单位。"))
    if len({u.pk for u in co_units}) != len(co_units):
        add("co_units", _("配合单位有重复。"))
    if ongoing and due is not None:
        add("due", _("长期坚持的任务不设完成时限。"))
    if start_date and due and due < start_date:
        add("due", _("完成时限不能早于开始日期。"))
    if parent is not None and due and parent.due and not parent.ongoing and due > parent.due:
        add("due", _("子任务的完成时限不能晚于上级任务（%(due)s）。") % {"due": parent.due})
    if report_cycle not in ReportCycle.values:
        add("report_cycle", _("未知的反馈周期。"))
    if report_cycle == ReportCycle.MONTHLY_DAY and not (report_day and 1 <= report_day <= 28):
        add("report_day", _("“每月N日前”须填写 1 到 28 之间的日期。"))
    if priority not in Priority.values:
        add("priority", _("未知的优先级。"))
    for i, m in enumerate(milestones, start=1):
        if not (m.get("title") or "").strip():
            add("milestones", _("第 %(n)d 个时间节点缺少内容。") % {"n": i})
        if not isinstance(m.get("due"), dt.date):
            add("milestones", _("第 %(n)d 个时间节点缺少日期。") % {"n": i})
        elif due and m["due"] > due:
            add("milestones", _("第 %(n)d 个时间节点晚于完成时限。") % {"n": i})
    for field, messages in _check_people(lead_leader, owner, lead_unit).items():
        for message in messages:
            add(field, message)
    return errors


def _decimal(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(
            _("%(label)s“%(value)s”不是数字。") % {"label": label, "value": value}
        ) from exc


def _set_path(task: Task) -> None:
    parent_path = task.parent.path if task.parent_id else ""
    task.path = f"{parent_path}{task.pk}/"
    task.depth = task.parent.depth + 1 if task.parent_id else 0
    task.save(update_fields=["path", "depth"])


def _create_one(
    *, actor: User, source: Source, parent: Task | None, fields: dict[str, Any], sort_order: int
) -> Task:
    co_units = list(fields.pop("co_units", []) or [])
    milestones = list(fields.pop("milestones", []) or [])
    indicators = list(fields.pop("indicators", []) or [])
    task = Task(
        source=source,
        parent=parent,
        created_by=actor,
        sort_order=sort_order,
        code=fields.pop("code", "") or next_task_code(source=source, parent=parent),
        **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS},
    )
    if task.ongoing:
        task.due = None
    task.full_clean(exclude=["path", "depth"])
    task.save()
    _set_path(task)
    if task.lead_unit_id:
        TaskUnit.objects.create(task=task, unit=task.lead_unit, role=AssignmentRole.LEAD)
    for unit in co_units:
        TaskUnit.objects.create(task=task, unit=unit, role=AssignmentRole.CO)
    for i, m in enumerate(milestones):
        Milestone.objects.create(
            task=task,
            title=m["title"].strip(),
            due=m["due"],
            target=m.get("target", ""),
            sort_order=i,
        )
    for i, ind in enumerate(indicators):
        Indicator.objects.create(
            task=task,
            name=ind["name"].strip(),
            measure_unit=ind.get("measure_unit", ""),
            baseline=_decimal(ind.get("baseline"), _("基期值")),
            target=_decimal(ind.get("target"), _("目标值")),
            current=_decimal(ind.get("current"), _("当前值")),
            sort_order=i,
        )
    task_event_record(task=task, kind=EventKind.CREATED, actor=actor, data={"code": task.code})
    audit_log(actor=actor, action="task.create", obj=task, data={"code": task.code})
    return task


def _field_errors(*, parent: Task | None, fields: dict[str, Any]) -> dict[str, list[str]]:
    return validate_task_fields(
        title=fields.get("title", ""),
        lead_unit=fields.get("lead_unit"),
        co_units=list(fields.get("co_units") or []),
        start_date=fields.get("start_date"),
        due=fields.get("due"),
        ongoing=bool(fields.get("ongoing")),
        report_cycle=fields.get("report_cycle", ReportCycle.MONTHLY),
        report_day=fields.get("report_day"),
        priority=fields.get("priority", Priority.NORMAL),
        parent=parent,
        milestones=list(fields.get("milestones") or []),
        lead_leader=fields.get("lead_leader"),
        owner=fields.get("owner"),
    )


@transaction.atomic
def task_create(*, actor: User, source: Source, parent: Task | None = None, **fields: Any) -> Task:
    """Create one task (state 起草) under a source, optionally under a parent task.

    Fields: title, content, category, priority, lead_leader, lead_unit, co_units (units),
    owner, start_date, due, ongoing, due_text, report_cycle, report_day,
    milestones ([{title, due, target}]), indicators ([{name, measure_unit, baseline, target}]).
    """
    policy.require(actor, "task.create")
    if parent is not None:
        policy.require(actor, "task.decompose", parent)
        if parent.source_id != source.id:
            raise ValidationError(_("子任务必须与上级任务属于同一来源。"))
    errors = _field_errors(parent=parent, fields=fields)
    if errors:
        raise ValidationError(errors)
    order = parent.children.count() if parent else source.tasks.filter(parent=None).count()
    task = _create_one(
        actor=actor, source=source, parent=parent, fields=dict(fields), sort_order=order
    )
    if parent is not None and parent.state != TaskState.DRAFT:
        task_refresh(parent)
    return task


@transaction.atomic
def tasks_create_children(*, actor: User, parent: Task, rows: Iterable[dict]) -> list[Task]:
    """Decompose: create many children under `parent` at once, like filling ledger rows.

    All or nothing: if any row is invalid, nothing is created and the ValidationError maps
    "row N" to that row's messages.
    """
    policy.require(actor, "task.decompose", parent)
    rows = [dict(r) for r in rows]
    if not rows:
        raise ValidationError(_("请至少填写一行子任务。"))
    errors: dict[str, list[str]] = {}
    for n, row in enumerate(rows, start=1):
        row_errors = _field_errors(parent=parent, fields=row)
        if row_errors:
            errors[f"row{n}"] = [m for ms in row_errors.values() for m in ms]
    if errors:
        raise ValidationError(errors)
    start = parent.children.count()
    created = [
        _create_one(
            actor=actor, source=parent.source, parent=parent, fields=row, sort_order=start + i
        )
        for i, row in enumerate(rows)
    ]
    task_event_record(
        task=parent,
        kind=EventKind.UPDATED,
        actor=actor,
        # No message: the history shows the words in the reader's language (event_text).
        data={"children": [t.code for t in created]},
    )
    if parent.state != TaskState.DRAFT:
        task_refresh(parent)
    return created


@transaction.atomic
def task_update(
    *, actor: User, task: Task, co_units: Sequence[Unit] | None = None, **changes: Any
) -> Task:
    """Change a task's fields. Every change is kept in the task's history (old → new)."""
    policy.require(actor, "task.edit", task)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if (
        task.state != TaskState.DRAFT
        and "lead_unit" in changes
        and (changes["lead_unit"] != task.lead_unit)
    ):
        raise ValidationError({"lead_unit": _("任务已交办，不能更换牵头单位。")})
    current_co = [a.unit for a in task.assignments.filter(role=AssignmentRole.CO)]
    new_co = list(co_units) if co_units is not None else current_co
    if task.state != TaskState.DRAFT and not {u.pk for u in current_co} <= {u.pk for u in new_co}:
        raise ValidationError({"co_units": _("任务已交办，只能增加配合单位，不能移除。")})
    merged = {f: getattr(task, f) for f in EDITABLE_FIELDS} | changes
    if merged.get("ongoing"):
        merged["due"] = None
    errors = _field_errors(
        parent=task.parent,
        fields={**merged, "co_units": new_co, "milestones": []},
    )
    if errors:
        raise ValidationError(errors)
    diff: dict[str, list[str]] = {}
    for field, value in merged.items():
        old = getattr(task, field)
        if old != value:
            diff[field] = [
                str(old) if old is not None else "",
                str(value) if value is not None else "",
            ]
            setattr(task, field, value)
    task.full_clean(exclude=["path", "depth"])
    if diff:
        task.save(update_fields=[*diff.keys(), "updated_at"])
        if "lead_unit" in diff:
            task.assignments.filter(role=AssignmentRole.LEAD).delete()
            TaskUnit.objects.create(task=task, unit=task.lead_unit, role=AssignmentRole.LEAD)
    added = [u for u in new_co if u.pk not in {c.pk for c in current_co}]
    removed = [u for u in current_co if u.pk not in {c.pk for c in new_co}]
    for unit in added:
        TaskUnit.objects.create(task=task, unit=unit, role=AssignmentRole.CO)
    if removed:
        task.assignments.filter(unit__in=removed, role=AssignmentRole.CO).delete()
    if added or removed:
        diff["co_units"] = [
            "、".join(u.name for u in current_co),
            "、".join(u.name for u in new_co),
        ]
    if diff:
        task_event_record(task=task, kind=EventKind.UPDATED, actor=actor, data={"changes": diff})
        audit_log(actor=actor, action="task.update", obj=task, data={"changes": diff})
        if task.state != TaskState.DRAFT:
            task_refresh(task)
    return task


@transaction.atomic
def milestone_complete(*, actor: User, milestone: Milestone, on: dt.date) -> Milestone:
    task = milestone.task
    policy.require(actor, "task.milestone", task)
    if milestone.completed_on is not None:
        raise ValidationError(_("该时间节点已标记完成。"))
    milestone.completed_on = on
    milestone.save(update_fields=["completed_on"])
    task_event_record(
        task=task,
        kind=EventKind.MILESTONE_DONE,
        actor=actor,
        message=milestone.title,
        data={"milestone": milestone.pk, "on": on.isoformat()},
    )
    audit_log(actor=actor, action="task.milestone.complete", obj=milestone)
    task_refresh(task)
    return milestone
