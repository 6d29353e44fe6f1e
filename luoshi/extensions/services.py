"""申请延期 and its decision (同意 / 不同意).

extension_request   the lead unit asks for a later due date, with a reason
extension_approve   同意: by the office; for a task of high priority with a lead leader the
                    office's 同意 routes the request on to that leader, whose 同意 changes the due
extension_refuse    不同意, with the reason, at either stage

Each is one transaction: it re-reads the task under a row lock, checks the permission through
access.policy, validates, writes the task's history and the audit log, and notifies. Only the
final 同意 changes Task.due (extension_apply); the old due stays in the request and in the
history entry (extension_approved, data old/new). No step changes the task's state.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.extensions.models import (
    OPEN_EXTENSION_STATES,
    ExtensionRequest,
    ExtensionState,
)
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import User
from luoshi.tasks.models import EventKind, Priority, Task, TaskState
from luoshi.tasks.services.history import task_event_record
from luoshi.tasks.services.refresh import task_refresh

# Tasks of these priorities go to the lead leader after the office's 同意.
HIGH_PRIORITIES = (Priority.HIGH, Priority.URGENT)

REASON_MAX = 2000


def _lock_task(task_id: int) -> Task:
    return Task.objects.select_for_update(no_key=True).get(pk=task_id)


def _lock_request(request: ExtensionRequest) -> tuple[ExtensionRequest, Task]:
    task = _lock_task(request.task_id)
    request = ExtensionRequest.objects.select_for_update(no_key=True).get(pk=request.pk)
    request.task = task
    return request, task


def _url(request: ExtensionRequest) -> str:
    return reverse("extensions:detail", args=[request.pk])


def _words(task: Task) -> dict[str, str]:
    return {"code": task.code, "title": task.title}


def office_people(task: Task) -> list[User]:
    """The office staff who may decide on this task (in their scope)."""
    candidates = User.objects.filter(is_active=True, role__in=policy.OFFICE_ROLES)
    return [u for u in candidates if policy.can_view_task(u, task)]


def unit_people(task: Task, unit_id: int | None) -> list[User]:
    """The liaisons and heads of a unit on this task."""
    if unit_id is None:
        return []
    return list(User.objects.filter(is_active=True, unit_id=unit_id, role__in=policy.UNIT_ROLES))


def _needs_leader(task: Task) -> bool:
    leader = task.lead_leader
    return task.priority in HIGH_PRIORITIES and leader is not None and leader.is_active


@transaction.atomic
def extension_request(
    *, actor: User, task: Task, new_due: dt.date | None, reason: str
) -> ExtensionRequest:
    """申请延期: the lead unit asks to move the task's 完成时限 to `new_due`."""
    task = _lock_task(task.pk)
    if task.ongoing or task.due is None:
        raise ValidationError(_("长期坚持的任务没有完成时限，不能申请延期。"))
    if task.state != TaskState.IN_PROGRESS:
        raise ValidationError(
            _("任务当前状态为“%(state)s”，不能申请延期。") % {"state": task.get_state_display()}
        )
    if ExtensionRequest.objects.filter(task=task, state__in=OPEN_EXTENSION_STATES).exists():
        raise ValidationError(_("已有一项延期申请正在审批，请等待结果后再申请。"))
    policy.require(actor, "task.request_extension", task)
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写延期理由。")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("延期理由不能超过 %(n)d 字。") % {"n": REASON_MAX}
    if not isinstance(new_due, dt.date) or isinstance(new_due, dt.datetime):
        errors["new_due"] = _("请填写申请延至的日期。")
    elif new_due <= task.due:
        errors["new_due"] = _("申请延至的日期须晚于当前完成时限（%(due)s）。") % {
            "due": task.due.isoformat()
        }
    elif new_due <= clock.today():
        errors["new_due"] = _("申请延至的日期须晚于今天。")
    if errors:
        raise ValidationError(errors)
    mine = policy.own_assignment(actor, task)
    request = ExtensionRequest(
        task=task,
        unit=mine.unit,
        requested_by=actor,
        requested_at=clock.now(),
        reason=reason,
        old_due=task.due,
        new_due=new_due,
    )
    request.full_clean()
    request.save()
    data = {"request": request.pk, "old": task.due.isoformat(), "new": new_due.isoformat()}
    task_event_record(
        task=task,
        kind=EventKind.EXTENSION_REQUESTED,
        actor=actor,
        unit=mine.unit,
        message=reason,
        data=data,
    )
    audit_log(actor=actor, action="task.extension.request", obj=task, data=data)
    words = {
        **_words(task),
        "unit": mine.unit.name,
        "old": task.due.isoformat(),
        "new": new_due.isoformat(),
    }
    notify(
        recipients=office_people(task),
        kind=NotificationKind.EXTENSION,
        title=_("延期申请待审核：%(code)s %(title)s") % words,
        body=_("%(unit)s申请将完成时限由 %(old)s 延至 %(new)s。") % words,
        task=task,
        url=_url(request),
        dedupe_key=f"extension:{request.pk}:requested",
    )
    return request


def _decidable(actor: User, request: ExtensionRequest, task: Task) -> None:
    """Refuse a decision on a request that is no longer open, or by someone else than the
    stage's decider."""
    if not request.is_open:
        raise ValidationError(
            _("该延期申请已办理（%(state)s），不能重复审批。")
            % {"state": request.get_state_display()}
        )
    policy.require(actor, "task.decide_extension", task)


@transaction.atomic
def extension_approve(
    *, actor: User, request: ExtensionRequest, comment: str = ""
) -> ExtensionRequest:
    """同意. The office's 同意 on a task of high priority with a lead leader goes on to that
    leader; otherwise (and the leader's 同意) the task's due changes."""
    request, task = _lock_request(request)
    _decidable(actor, request, task)
    comment = (comment or "").strip()
    now = clock.now()
    if request.state == ExtensionState.PENDING:
        request.office_by, request.office_at, request.office_comment = actor, now, comment
        if _needs_leader(task):
            request.state = ExtensionState.LEADER_PENDING
            request.leader = task.lead_leader
            request.save(
                update_fields=["state", "office_by", "office_at", "office_comment", "leader"]
            )
            audit_log(
                actor=actor,
                action="task.extension.forward",
                obj=task,
                data={"request": request.pk, "leader": str(task.lead_leader)},
            )
            notify(
                recipients=[task.lead_leader],
                kind=NotificationKind.EXTENSION,
                title=_("延期申请待您审批：%(code)s %(title)s") % _words(task),
                body=_("%(unit)s申请将完成时限由 %(old)s 延至 %(new)s，督查室已同意。")
                % {
                    "unit": request.unit.name,
                    "old": request.old_due.isoformat(),
                    "new": request.new_due.isoformat(),
                },
                task=task,
                url=_url(request),
                dedupe_key=f"extension:{request.pk}:leader",
            )
            return request
    else:
        request.leader_at, request.leader_comment = now, comment
    return _apply(actor, request, task, comment)


def _apply(actor: User, request: ExtensionRequest, task: Task, comment: str) -> ExtensionRequest:
    """The final 同意: Task.due moves to the requested date; the old one stays in history."""
    if task.state in (TaskState.CLOSED, TaskState.CANCELLED):
        raise ValidationError(
            _("任务当前状态为“%(state)s”，不能再延期。") % {"state": task.get_state_display()}
        )
    if task.ongoing or task.due is None:
        raise ValidationError(_("长期坚持的任务没有完成时限，不能延期。"))
    if request.new_due <= task.due:
        raise ValidationError(
            _(
                "申请延至的日期（%(new)s）已不晚于当前完成时限（%(due)s），请不同意后由单位重新申请。"
            )
            % {"new": request.new_due.isoformat(), "due": task.due.isoformat()}
        )
    old_due = task.due
    request.state = ExtensionState.APPROVED
    request.decided_at = clock.now()
    request.save()
    task.due = request.new_due
    task.due_extended = True
    task.save(update_fields=["due", "due_extended", "updated_at"])
    data = {
        "request": request.pk,
        "old": old_due.isoformat(),
        "new": request.new_due.isoformat(),
    }
    if request.leader_id:
        data["office"] = str(request.office_by)
    task_event_record(
        task=task, kind=EventKind.EXTENSION_APPROVED, actor=actor, message=comment, data=data
    )
    audit_log(actor=actor, action="task.extension.approve", obj=task, data=data)
    task_refresh(task)
    notify(
        recipients=unit_people(task, request.unit_id),
        kind=NotificationKind.EXTENSION,
        title=_("延期申请已同意：%(code)s %(title)s") % _words(task),
        body=_("完成时限由 %(old)s 延至 %(new)s。") % data,
        task=task,
        url=_url(request),
        dedupe_key=f"extension:{request.pk}:decided",
    )
    return request


@transaction.atomic
def extension_refuse(*, actor: User, request: ExtensionRequest, comment: str) -> ExtensionRequest:
    """不同意, with the reason: the request ends; the task keeps its due."""
    request, task = _lock_request(request)
    _decidable(actor, request, task)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("不同意时请填写理由。")})
    now = clock.now()
    if request.state == ExtensionState.PENDING:
        request.office_by, request.office_at, request.office_comment = actor, now, comment
    else:
        request.leader_at, request.leader_comment = now, comment
    request.state = ExtensionState.REFUSED
    request.decided_at = now
    request.save()
    data = {"request": request.pk, "new": request.new_due.isoformat()}
    task_event_record(
        task=task, kind=EventKind.EXTENSION_REFUSED, actor=actor, message=comment, data=data
    )
    audit_log(
        actor=actor,
        action="task.extension.refuse",
        obj=task,
        data={**data, "reason": comment},
    )
    notify(
        recipients=unit_people(task, request.unit_id),
        kind=NotificationKind.EXTENSION,
        title=_("延期申请未获同意：%(code)s %(title)s") % _words(task),
        body=comment,
        task=task,
        url=_url(request),
        dedupe_key=f"extension:{request.pk}:decided",
    )
    return request
