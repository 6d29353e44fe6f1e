"""The task life cycle (DESIGN.md): 起草 → 已交办 → 办理中 → 申请办结 → 已办结, with 退回,
暂缓 and 撤销. Each function checks permission through access.policy, validates, changes
state in one transaction, writes the task's history and the audit log, and refreshes lights.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.org.models import Role, User
from luoshi.tasks.models import (
    OPEN_STATES,
    AssignmentRole,
    ClosureDecision,
    ClosureRequest,
    EventKind,
    Light,
    Task,
    TaskState,
)
from luoshi.tasks.services.history import task_event_record
from luoshi.tasks.services.refresh import task_refresh


def _lock(task: Task) -> Task:
    """Re-read the task under a row lock, so two concurrent actions cannot both pass the
    state check (PostgreSQL; on SQLite the IMMEDIATE transaction already serialises)."""
    return Task.objects.select_for_update(no_key=True).get(pk=task.pk)


def _set_state(task: Task, state: str, *extra_fields: str) -> None:
    task.state = state
    task.save(update_fields=["state", "updated_at", *extra_fields])


def _assign_problems(task: Task) -> list[str]:
    problems = []
    if task.lead_unit_id is None:
        problems.append(_("任务“%(code)s”未指定牵头单位。") % {"code": task.code})
    if task.due is None and not task.ongoing:
        problems.append(_("任务“%(code)s”未设完成时限（或标为长期坚持）。") % {"code": task.code})
    return problems


@transaction.atomic
def task_assign(*, actor: User, task: Task) -> list[Task]:
    """交办: a draft task, and every draft task below it, goes to its units for 签收."""
    task = _lock(task)
    policy.require(actor, "task.assign", task)
    drafts = list(
        Task.objects.filter(path__startswith=task.path, state=TaskState.DRAFT).order_by("path")
    )
    problems = [p for t in drafts for p in _assign_problems(t)]
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    for t in drafts:
        t.state = TaskState.ASSIGNED
        t.assigned_at = now
        t.start_date = t.start_date or timezone.localdate(now)
        t.save(update_fields=["state", "assigned_at", "start_date", "updated_at"])
        parts = sorted(
            t.assignments.select_related("unit"), key=lambda a: a.role != AssignmentRole.LEAD
        )
        units = [a.unit.name for a in parts]  # the lead unit first, then the co-units
        task_event_record(task=t, kind=EventKind.ASSIGNED, actor=actor, data={"units": units})
        audit_log(actor=actor, action="task.assign", obj=t, data={"units": units})
    for t in sorted(drafts, key=lambda x: -x.depth):
        task_refresh(t)
    return drafts


@transaction.atomic
def assignment_acknowledge(*, actor: User, task: Task) -> None:
    """签收: the actor's unit confirms it received the task. Once per unit."""
    task = _lock(task)
    mine = policy.own_assignment(actor, task)
    if mine is None:
        raise PermissionDenied(_("您所在单位不是该任务的承办单位，不能签收。"))
    if mine.acknowledged_at is not None:
        raise ValidationError(
            _("本单位已于 %(at)s 签收该任务，无需重复签收。")
            % {"at": timezone.localtime(mine.acknowledged_at).strftime("%Y-%m-%d %H:%M")}
        )
    if task.state not in OPEN_STATES:
        raise ValidationError(
            _("任务当前状态为“%(state)s”，不能签收。") % {"state": task.get_state_display()}
        )
    mine.acknowledged_at = clock.now()
    mine.acknowledged_by = actor
    mine.save(update_fields=["acknowledged_at", "acknowledged_by"])
    if mine.role == AssignmentRole.LEAD and task.state == TaskState.ASSIGNED:
        _set_state(task, TaskState.IN_PROGRESS)
    task_event_record(
        task=task,
        kind=EventKind.ACKNOWLEDGED,
        actor=actor,
        unit=mine.unit,
        data={"role": mine.role},
    )
    audit_log(actor=actor, action="task.acknowledge", obj=task, data={"unit": mine.unit.name})
    task_refresh(task)


@transaction.atomic
def closure_request(
    *, actor: User, task: Task, summary: str, files: Sequence[UploadedFile] = ()
) -> ClosureRequest:
    """申请办结: the lead unit says the task is done, with a summary and evidence."""
    from luoshi.reports.attachments import attachments_store, attachments_validate

    task = _lock(task)
    mine = policy.own_assignment(actor, task)
    if mine is None or mine.role != AssignmentRole.LEAD:
        raise PermissionDenied(_("只有牵头单位可以申请办结。"))
    if task.state == TaskState.CLOSURE_REQUESTED:
        raise ValidationError(_("该任务已申请办结，正在等待审核。"))
    if task.state != TaskState.IN_PROGRESS:
        raise ValidationError(
            _("任务当前状态为“%(state)s”，不能申请办结。") % {"state": task.get_state_display()}
        )
    if task.children.exclude(state__in=(TaskState.CLOSED, TaskState.CANCELLED)).exists():
        raise ValidationError(_("还有未办结的子任务，不能申请办结。"))
    if _head_pending_request(task) is not None:
        raise ValidationError(_("已提交办结申请，正在等待单位负责人审核。"))
    if not (summary or "").strip():
        raise ValidationError({"summary": _("请填写办结情况。")})
    attachments_validate(files)
    now = clock.now()
    # A liaison's request waits for the unit head where the setting asks for it; a head's own
    # request is approved by its maker.
    awaits_head = closure_needs_head_approval() and actor.role != Role.UNIT_HEAD
    request = ClosureRequest.objects.create(
        task=task,
        unit=mine.unit,
        summary=summary.strip(),
        requested_by=actor,
        requested_at=now,
        decision=ClosureDecision.HEAD_PENDING if awaits_head else ClosureDecision.PENDING,
        head_approved_by=None if awaits_head or actor.role != Role.UNIT_HEAD else actor,
        head_approved_at=None if awaits_head or actor.role != Role.UNIT_HEAD else now,
    )
    attachments_store(files, actor=actor, closure_request=request)
    task_event_record(
        task=task,
        kind=EventKind.CLOSURE_REQUESTED,
        actor=actor,
        unit=mine.unit,
        message=request.summary,
        data={"request": request.pk, "files": len(files), "awaits_head": awaits_head},
    )
    audit_log(actor=actor, action="task.closure.request", obj=task, data={"request": request.pk})
    if not awaits_head:
        _send_up(task)
    return request


def closure_needs_head_approval() -> bool:
    return bool(settings.LUOSHI.get("CLOSURE_NEEDS_HEAD_APPROVAL", False))


def _head_pending_request(task: Task) -> ClosureRequest | None:
    return task.closure_requests.filter(decision=ClosureDecision.HEAD_PENDING).first()


def _send_up(task: Task) -> None:
    """The request goes to the office: the task enters 申请办结."""
    task.returned_at = None
    _set_state(task, TaskState.CLOSURE_REQUESTED, "returned_at")
    task_refresh(task)


def _head_review_target(actor: User, task: Task) -> ClosureRequest:
    request = _head_pending_request(task)
    if request is None:
        raise ValidationError(_("没有待单位负责人审核的办结申请。"))
    policy.require(actor, "task.head_review", task)
    return request


@transaction.atomic
def closure_head_approve(*, actor: User, task: Task, comment: str = "") -> ClosureRequest:
    """单位负责人同意上报: the unit head sends the liaison's closure request to the office."""
    task = _lock(task)
    request = _head_review_target(actor, task)
    request.decision = ClosureDecision.PENDING
    request.head_approved_by, request.head_approved_at = actor, clock.now()
    request.save(update_fields=["decision", "head_approved_by", "head_approved_at"])
    task_event_record(
        task=task,
        kind=EventKind.HEAD_APPROVED,
        actor=actor,
        unit=request.unit,
        message=comment.strip(),
        data={"request": request.pk},
    )
    audit_log(
        actor=actor, action="task.closure.head_approve", obj=task, data={"request": request.pk}
    )
    _send_up(task)
    return request


@transaction.atomic
def closure_head_return(*, actor: User, task: Task, reason: str) -> ClosureRequest:
    """单位负责人退回: the request never goes up; the liaison sees the reason."""
    task = _lock(task)
    request = _head_review_target(actor, task)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("退回时请填写理由。")})
    now = clock.now()
    request.decision = ClosureDecision.RETURNED
    request.decided_by, request.decided_at, request.comment = actor, now, reason.strip()
    request.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    task.returned_at = now
    task.save(update_fields=["returned_at"])
    task_event_record(
        task=task,
        kind=EventKind.HEAD_RETURNED,
        actor=actor,
        unit=request.unit,
        message=request.comment,
        data={"request": request.pk},
    )
    audit_log(actor=actor, action="task.closure.head_return", obj=task, data={"reason": reason})
    return request


def _pending_request(task: Task) -> ClosureRequest:
    request = task.closure_requests.filter(decision=ClosureDecision.PENDING).first()
    if request is None:
        raise ValidationError(_("没有待审核的办结申请。"))
    return request


@transaction.atomic
def closure_verify(*, actor: User, task: Task, comment: str = "") -> Task:
    """审核通过 (销号): the office accepts the closure; the task is closed (blue)."""
    task = _lock(task)
    if task.state != TaskState.CLOSURE_REQUESTED:
        raise ValidationError(_("任务不在“申请办结”状态，不能审核。"))
    policy.require(actor, "task.verify", task)
    request = _pending_request(task)
    now = clock.now()
    request.decision = ClosureDecision.APPROVED
    request.decided_by, request.decided_at, request.comment = actor, now, comment.strip()
    request.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    task.closed_at = now
    task.closed_late = bool(task.due and not task.ongoing and timezone.localdate(now) > task.due)
    task.progress = 100
    task.light = Light.BLUE
    task.light_reasons = []
    _set_state(
        task, TaskState.CLOSED, "closed_at", "closed_late", "progress", "light", "light_reasons"
    )
    task_event_record(
        task=task,
        kind=EventKind.CLOSED,
        actor=actor,
        message=request.comment,
        data={"request": request.pk, "late": task.closed_late},
    )
    audit_log(
        actor=actor,
        action="task.closure.approve",
        obj=task,
        data={"request": request.pk, "late": task.closed_late},
    )
    task_refresh(task)
    return task


@transaction.atomic
def closure_return(*, actor: User, task: Task, reason: str) -> Task:
    """退回: the office refuses the closure; the task goes back to 办理中 with the reason."""
    task = _lock(task)
    if task.state != TaskState.CLOSURE_REQUESTED:
        raise ValidationError(_("任务不在“申请办结”状态，不能退回。"))
    policy.require(actor, "task.return", task)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("退回时请填写理由。")})
    request = _pending_request(task)
    now = clock.now()
    request.decision = ClosureDecision.RETURNED
    request.decided_by, request.decided_at, request.comment = actor, now, reason.strip()
    request.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    task.returned_at = now
    _set_state(task, TaskState.IN_PROGRESS, "returned_at")
    task_event_record(
        task=task,
        kind=EventKind.RETURNED,
        actor=actor,
        message=request.comment,
        data={"request": request.pk},
    )
    audit_log(actor=actor, action="task.closure.return", obj=task, data={"reason": reason})
    task_refresh(task)
    return task


def _reason_required(reason: str) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写理由。")})
    return reason.strip()


@transaction.atomic
def task_suspend(*, actor: User, task: Task, reason: str) -> Task:
    """暂缓: the task stops being chased (no light) until resumed."""
    task = _lock(task)
    policy.require(actor, "task.suspend", task)
    reason = _reason_required(reason)
    previous = task.state
    task.light, task.light_reasons = Light.NONE, []
    _set_state(task, TaskState.SUSPENDED, "light", "light_reasons")
    task_event_record(
        task=task,
        kind=EventKind.SUSPENDED,
        actor=actor,
        message=reason,
        data={"previous": previous},
    )
    audit_log(actor=actor, action="task.suspend", obj=task, data={"reason": reason})
    task_refresh(task)
    return task


@transaction.atomic
def task_resume(*, actor: User, task: Task) -> Task:
    task = _lock(task)
    policy.require(actor, "task.resume", task)
    suspended = task.events.filter(kind=EventKind.SUSPENDED).order_by("-at", "-id").first()
    previous = (suspended.data.get("previous") if suspended else None) or TaskState.IN_PROGRESS
    _set_state(task, previous)
    task_event_record(task=task, kind=EventKind.RESUMED, actor=actor, data={"state": previous})
    audit_log(actor=actor, action="task.resume", obj=task)
    task_refresh(task)
    return task


@transaction.atomic
def task_cancel(*, actor: User, task: Task, reason: str) -> Task:
    """撤销: the task is withdrawn. It stays in the record, with the reason."""
    task = _lock(task)
    policy.require(actor, "task.cancel", task)
    reason = _reason_required(reason)
    open_children = Task.objects.filter(
        path__startswith=task.path, state__in=(*OPEN_STATES, TaskState.DRAFT, TaskState.SUSPENDED)
    ).exclude(pk=task.pk)
    for child in open_children:
        child.light, child.light_reasons = Light.NONE, []
        _set_state(child, TaskState.CANCELLED, "light", "light_reasons")
        task_event_record(task=child, kind=EventKind.CANCELLED, actor=actor, message=reason)
    task.light, task.light_reasons = Light.NONE, []
    _set_state(task, TaskState.CANCELLED, "light", "light_reasons")
    task_event_record(task=task, kind=EventKind.CANCELLED, actor=actor, message=reason)
    audit_log(actor=actor, action="task.cancel", obj=task, data={"reason": reason})
    task_refresh(task)
    return task


@transaction.atomic
def task_reopen(*, actor: User, task: Task, reason: str, due: dt.date | None = None) -> Task:
    """重新办理: a closed task goes back to 办理中 (e.g. after a failed 回头看), optionally with a
    new 完成时限 for the rectification. closed_at is cleared; the earlier closure stays in the
    history (its 审核通过 entry, its approved closure request). A closed parent reopens too,
    since a closed task cannot have an open sub-task."""
    task = _lock(task)
    if task.state != TaskState.CLOSED:
        raise ValidationError(
            _("只有已办结的任务可以重新办理；该任务当前状态为“%(state)s”。")
            % {"state": task.get_state_display()}
        )
    policy.require(actor, "task.reopen", task)
    reason = _reason_required(reason)
    if due is not None and due <= clock.today():
        raise ValidationError({"due": _("新的完成时限须晚于今天。")})
    ancestor_ids = [int(p) for p in task.path.strip("/").split("/")[:-1] if p]
    closed_ancestors = Task.objects.select_for_update(no_key=True).filter(
        pk__in=ancestor_ids, state=TaskState.CLOSED
    )
    for t in [task, *closed_ancestors.order_by("-depth")]:
        data = {
            "closed_at": t.closed_at.isoformat() if t.closed_at else None,
            "late": t.closed_late,
        }
        fields = ["closed_at", "closed_late"]
        if t is task and due is not None:
            data.update(old_due=t.due.isoformat() if t.due else None, new_due=due.isoformat())
            t.due, t.ongoing = due, False
            fields += ["due", "ongoing"]
        if t is not task:
            data["child"] = task.code
        t.closed_at, t.closed_late = None, False
        _set_state(t, TaskState.IN_PROGRESS, *fields)
        task_event_record(task=t, kind=EventKind.REOPENED, actor=actor, message=reason, data=data)
        audit_log(actor=actor, action="task.reopen", obj=t, data={"reason": reason, **data})
    task_refresh(task)
    return task
