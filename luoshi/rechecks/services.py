"""回头看: scheduling, the lead unit's answer, and the office's verdict.

recheck_schedule  the office sets a date (3 or 6 months after the closure, or a chosen date)
                  on a closed task; the lead unit is told
recheck_answer    once due (daily.run_daily), the lead unit says the result holds, with
                  evidence files
recheck_confirm   the office accepts: 回头看通过
recheck_fail      the office finds the result did not hold: 回头看未通过, and the task is
                  reopened (lifecycle.task_reopen: 已办结 → 办理中)
recheck_cancel    the office calls off a re-check not yet answered, with a reason: 已取消

Each is one transaction that re-reads the task and the re-check under a row lock, checks the
permission through access.policy, validates, writes history and the audit log, and notifies.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.extensions.services import office_people, unit_people
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import User
from luoshi.rechecks.models import (
    CANCELLABLE_RECHECK_STATES,
    Recheck,
    RecheckEvidence,
    RecheckState,
)
from luoshi.reports.attachments import attachments_validate, uploads_store
from luoshi.tasks.models import EventKind, Task, TaskState
from luoshi.tasks.services.history import task_event_record
from luoshi.tasks.services.lifecycle import task_reopen
from luoshi.workcal.services import WorkCalendar

TEXT_MAX = 5000
MONTH_CHOICES = (3, 6)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day where it is shorter (08-31 + 6 →
    02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recheck_date_after(task: Task, months: int, cal: WorkCalendar | None = None) -> dt.date:
    """`months` after the task's closure, moved to the next working day when it falls on a
    weekend or holiday."""
    cal = cal or WorkCalendar()
    closed_on = timezone.localdate(task.closed_at) if task.closed_at else clock.today()
    return cal.add_working_days(add_months(closed_on, months), 0)


def _url(recheck: Recheck) -> str:
    return reverse("rechecks:detail", args=[recheck.pk])


def _words(task: Task) -> dict[str, str]:
    return {"code": task.code, "title": task.title}


def _lock(recheck: Recheck) -> tuple[Recheck, Task]:
    task = Task.objects.select_for_update(no_key=True).get(pk=recheck.task_id)
    recheck = (
        Recheck.objects.select_for_update(of=("self",), no_key=True)
        .select_related("unit")
        .get(pk=recheck.pk)
    )
    recheck.task = task
    return recheck, task


@transaction.atomic
def recheck_schedule(
    *,
    actor: User,
    task: Task,
    months: int | None = None,
    due_on: dt.date | None = None,
    note: str = "",
) -> Recheck:
    """安排回头看 on a closed task: `months` (3 or 6) after its closure, or on `due_on`."""
    task = Task.objects.select_for_update(no_key=True).get(pk=task.pk)
    if task.state != TaskState.CLOSED:
        raise ValidationError(
            _("只有已办结的任务可以安排回头看；该任务当前状态为“%(state)s”。")
            % {"state": task.get_state_display()}
        )
    existing = policy.open_recheck(task)
    if existing is not None:
        raise ValidationError(
            _("该任务已安排回头看（%(date)s），不能重复安排。")
            % {"date": existing.due_on.isoformat()}
        )
    policy.require(actor, "task.schedule_recheck", task)
    if (months is None) == (due_on is None):
        raise ValidationError({"due_on": _("请选择回头看时间：3个月后、6个月后或指定日期。")})
    if months is not None:
        if months not in MONTH_CHOICES:
            raise ValidationError({"due_on": _("回头看时间只能选 3 个月后或 6 个月后。")})
        due_on = recheck_date_after(task, months)
    if due_on <= clock.today():
        raise ValidationError(
            {"due_on": _("回头看日期（%(date)s）须晚于今天。") % {"date": due_on.isoformat()}}
        )
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": _("回头看要求不能超过 %(n)d 字。") % {"n": TEXT_MAX}})
    if task.lead_unit_id is None:
        raise ValidationError(_("任务未指定牵头单位，无法安排回头看。"))
    recheck = Recheck(
        task=task,
        unit_id=task.lead_unit_id,
        due_on=due_on,
        note=note,
        requested_by=actor,
        requested_at=clock.now(),
    )
    recheck.full_clean()
    recheck.save()
    data = {"recheck": recheck.pk, "due_on": due_on.isoformat()}
    if months:
        data["months"] = months
    task_event_record(
        task=task, kind=EventKind.RECHECK_SCHEDULED, actor=actor, message=note, data=data
    )
    audit_log(actor=actor, action="task.recheck.schedule", obj=task, data=data)
    notify(
        recipients=unit_people(task, recheck.unit_id),
        kind=NotificationKind.RECHECK,
        title=_("已安排回头看：%(code)s %(title)s") % _words(task),
        body=_("回头看定于 %(date)s，届时请反馈落实情况并附佐证材料。")
        % {"date": due_on.isoformat()},
        task=task,
        url=_url(recheck),
        dedupe_key=f"recheck:{recheck.pk}:scheduled",
    )
    return recheck


def _store_evidence(files: Sequence[UploadedFile], *, actor: User, recheck: Recheck) -> None:
    uploads_store(files, model=RecheckEvidence, actor=actor, recheck=recheck)


@transaction.atomic
def recheck_answer(
    *, actor: User, recheck: Recheck, answer: str, files: Sequence[UploadedFile] = ()
) -> Recheck:
    """The lead unit's answer to a due re-check: how the result holds, with evidence."""
    recheck, task = _lock(recheck)
    if recheck.state == RecheckState.SCHEDULED:
        raise ValidationError(
            _("回头看定于 %(date)s，到期后再反馈。") % {"date": recheck.due_on.isoformat()}
        )
    if recheck.state != RecheckState.DUE:
        raise ValidationError(
            _("该回头看已是“%(state)s”，不能再反馈。") % {"state": recheck.get_state_display()}
        )
    policy.require(actor, "task.confirm_recheck", task)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写落实情况。")})
    if len(answer) > TEXT_MAX:
        raise ValidationError({"answer": _("落实情况不能超过 %(n)d 字。") % {"n": TEXT_MAX}})
    attachments_validate(files)
    recheck.answer, recheck.answered_by, recheck.answered_at = answer, actor, clock.now()
    recheck.state = RecheckState.SUBMITTED
    recheck.save(update_fields=["answer", "answered_by", "answered_at", "state"])
    _store_evidence(files, actor=actor, recheck=recheck)
    audit_log(
        actor=actor,
        action="task.recheck.answer",
        obj=task,
        data={"recheck": recheck.pk, "files": len(files)},
    )
    notify(
        recipients=office_people(task),
        kind=NotificationKind.RECHECK,
        title=_("回头看情况待核验：%(code)s %(title)s") % _words(task),
        body=answer[:500],
        task=task,
        url=_url(recheck),
        dedupe_key=f"recheck:{recheck.pk}:answered",
    )
    return recheck


def _verdict_target(actor: User, recheck: Recheck) -> tuple[Recheck, Task]:
    recheck, task = _lock(recheck)
    if recheck.state not in (RecheckState.DUE, RecheckState.SUBMITTED):
        if recheck.state == RecheckState.SCHEDULED:
            raise ValidationError(
                _("回头看定于 %(date)s，尚未到期。") % {"date": recheck.due_on.isoformat()}
            )
        raise ValidationError(
            _("该回头看已是“%(state)s”，不能重复核验。") % {"state": recheck.get_state_display()}
        )
    policy.require(actor, "task.verify_recheck", task)
    return recheck, task


def _decide(recheck: Recheck, actor: User, state: str, comment: str) -> None:
    recheck.state = state
    recheck.verdict_by, recheck.verdict_at, recheck.verdict_comment = actor, clock.now(), comment
    recheck.save(update_fields=["state", "verdict_by", "verdict_at", "verdict_comment"])


@transaction.atomic
def recheck_confirm(*, actor: User, recheck: Recheck, comment: str = "") -> Recheck:
    """回头看通过: the office accepts the lead unit's answer; the task stays closed."""
    recheck, task = _verdict_target(actor, recheck)
    if recheck.state != RecheckState.SUBMITTED:
        raise ValidationError(_("牵头单位尚未反馈落实情况，不能核验通过。"))
    comment = (comment or "").strip()
    _decide(recheck, actor, RecheckState.CONFIRMED, comment)
    data = {"recheck": recheck.pk, "due_on": recheck.due_on.isoformat()}
    task_event_record(
        task=task, kind=EventKind.RECHECK_CONFIRMED, actor=actor, message=comment, data=data
    )
    audit_log(actor=actor, action="task.recheck.confirm", obj=task, data=data)
    notify(
        recipients=unit_people(task, recheck.unit_id),
        kind=NotificationKind.RECHECK,
        title=_("回头看通过：%(code)s %(title)s") % _words(task),
        body=comment,
        task=task,
        url=_url(recheck),
        dedupe_key=f"recheck:{recheck.pk}:decided",
    )
    return recheck


@transaction.atomic
def recheck_fail(
    *, actor: User, recheck: Recheck, comment: str, due: dt.date | None = None
) -> Recheck:
    """回头看未通过: the result did not hold. The task is reopened (办理中), with `due` as the
    new 完成时限 for the rectification when given; the reason is required."""
    recheck, task = _verdict_target(actor, recheck)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("未通过时请填写理由。")})
    _decide(recheck, actor, RecheckState.FAILED, comment)
    data = {"recheck": recheck.pk, "due_on": recheck.due_on.isoformat()}
    task_event_record(
        task=task, kind=EventKind.RECHECK_FAILED, actor=actor, message=comment, data=data
    )
    audit_log(actor=actor, action="task.recheck.fail", obj=task, data=data)
    task_reopen(actor=actor, task=task, reason=comment, due=due)
    notify(
        recipients=unit_people(task, recheck.unit_id),
        kind=NotificationKind.RECHECK,
        title=_("回头看未通过，任务重新办理：%(code)s %(title)s") % _words(task),
        body=comment,
        task=task,
        url=reverse("tasks:detail", args=[task.pk]),
        dedupe_key=f"recheck:{recheck.pk}:decided",
    )
    return recheck


@transaction.atomic
def recheck_cancel(*, actor: User, recheck: Recheck, reason: str) -> Recheck:
    """取消回头看: the office calls off a re-check the lead unit has not answered yet, with a
    reason. The row stays, marked 已取消 (append-only); the task's history says so, and the
    lead unit, told when it was scheduled, is told it is off."""
    recheck, task = _lock(recheck)
    if recheck.state not in CANCELLABLE_RECHECK_STATES:
        if recheck.state == RecheckState.SUBMITTED:
            raise ValidationError(_("牵头单位已反馈落实情况，请核验，不能取消。"))
        raise ValidationError(
            _("该回头看已是“%(state)s”，不能取消。") % {"state": recheck.get_state_display()}
        )
    policy.require(actor, "task.cancel_recheck", task)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消理由。")})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"reason": _("取消理由不能超过 %(n)d 字。") % {"n": TEXT_MAX}})
    was = recheck.state
    recheck.state = RecheckState.CANCELLED
    recheck.cancelled_by, recheck.cancelled_at, recheck.cancel_reason = actor, clock.now(), reason
    recheck.save(update_fields=["state", "cancelled_by", "cancelled_at", "cancel_reason"])
    data = {"recheck": recheck.pk, "due_on": recheck.due_on.isoformat(), "was": was}
    task_event_record(
        task=task, kind=EventKind.RECHECK_CANCELLED, actor=actor, message=reason, data=data
    )
    audit_log(actor=actor, action="task.recheck.cancel", obj=task, data=data)
    notify(
        recipients=unit_people(task, recheck.unit_id),
        kind=NotificationKind.RECHECK,
        title=_("回头看已取消：%(code)s %(title)s") % _words(task),
        body=reason,
        task=task,
        url=_url(recheck),
        dedupe_key=f"recheck:{recheck.pk}:cancelled",
    )
    return recheck
