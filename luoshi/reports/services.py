"""填报: progress reports. A report is never edited or deleted; a correction is a new one.

The lead unit's report sets the task's progress and its indicators' current values; a
co-unit's report records its own part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.org.models import User
from luoshi.reports.attachments import attachments_store, attachments_validate
from luoshi.reports.models import IndicatorValue, ProgressReport
from luoshi.tasks.models import AssignmentRole, EventKind, Task, TaskState
from luoshi.tasks.services.history import task_event_record
from luoshi.tasks.services.refresh import task_refresh

REPORTABLE_STATES = (TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED)
SUBMIT_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _check_submit_key(key: str | None) -> str | None:
    if key in (None, ""):
        return None
    if not SUBMIT_KEY.fullmatch(str(key)):
        raise ValidationError(_("表单标识无效，请重新打开填报页面后再提交。"))
    return str(key)


def _parse_percent(value: Any) -> int:
    try:
        percent = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError({"percent": _("完成进度须为 0 到 100 之间的整数。")}) from exc
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("完成进度须在 0 到 100 之间。")})
    return percent


def _parse_values(task: Task, values: Mapping[int, Any], lead: bool) -> dict[int, Decimal]:
    if not values:
        return {}
    if not lead:
        raise ValidationError({"indicators": _("量化指标由牵头单位填报。")})
    known = {i.pk: i for i in task.indicators.all()}
    parsed: dict[int, Decimal] = {}
    for key, raw in values.items():
        if raw in (None, ""):
            continue
        try:
            indicator = known.get(int(key))
        except (TypeError, ValueError):  # not an indicator id at all
            indicator = None
        if indicator is None:
            raise ValidationError({"indicators": _("指标不属于该任务。")})
        try:
            parsed[indicator.pk] = Decimal(str(raw).strip())
        except InvalidOperation as exc:
            raise ValidationError(
                {
                    "indicators": _("指标“%(name)s”的值“%(v)s”不是数字。")
                    % {"name": indicator.name, "v": raw}
                }
            ) from exc
        if not parsed[indicator.pk].is_finite() or abs(parsed[indicator.pk]) >= 10**14:
            raise ValidationError(
                {"indicators": _("指标“%(name)s”的值超出范围。") % {"name": indicator.name}}
            )
    return parsed


@transaction.atomic
def report_submit(
    *,
    actor: User,
    task: Task,
    progress_text: str,
    percent: Any,
    problems: str = "",
    next_steps: str = "",
    indicator_values: Mapping[int, Any] | None = None,
    files: Sequence[UploadedFile] = (),
    submit_key: str | None = None,
) -> ProgressReport:
    """Submit one unit's progress report on a task (工作进展, 存在问题, 下步计划, percent,
    indicator values, attachments). The unit is the actor's own: nobody reports for another.

    submit_key, the form's one-time token: a second submission with the same key (a double
    click, a retry after a lost answer) changes nothing and returns the first report. The
    task's row lock orders two such submissions; the unique constraint backs it."""
    key = _check_submit_key(submit_key)
    task = Task.objects.select_for_update(no_key=True).get(pk=task.pk)
    if key is not None:
        first = ProgressReport.objects.filter(author=actor, submit_key=key).first()
        if first is not None:
            if first.task_id != task.pk:
                raise ValidationError(_("该表单已用于另一项任务的填报，请重新打开填报页面。"))
            return first
    mine = policy.own_assignment(actor, task)
    if mine is None:
        raise PermissionDenied(_("您所在单位不是该任务的承办单位，不能填报。"))
    if task.state == TaskState.CLOSED:
        raise ValidationError(_("任务已办结，不能再填报。"))
    if task.state not in REPORTABLE_STATES:
        raise ValidationError(
            _("任务当前状态为“%(state)s”，不能填报。") % {"state": task.get_state_display()}
        )
    if mine.acknowledged_at is None:
        raise ValidationError(_("请先签收任务，再填报进展。"))
    if not (progress_text or "").strip():
        raise ValidationError({"progress_text": _("请填写工作进展。")})
    pct = _parse_percent(percent)
    lead = mine.role == AssignmentRole.LEAD
    values = _parse_values(task, indicator_values or {}, lead)
    attachments_validate(files)

    today = clock.today()
    report = ProgressReport.objects.create(
        task=task,
        unit=mine.unit,
        author=actor,
        submitted_at=clock.now(),
        report_date=today,
        progress_text=progress_text.strip(),
        problems=(problems or "").strip(),
        next_steps=(next_steps or "").strip(),
        percent=pct,
        submit_key=key,
    )
    for indicator_id, value in values.items():
        IndicatorValue.objects.create(report=report, indicator_id=indicator_id, value=value)
        task.indicators.filter(pk=indicator_id).update(current=value)
    attachments_store(files, actor=actor, report=report)

    mine.progress, mine.last_report_on = pct, today
    mine.save(update_fields=["progress", "last_report_on"])
    if lead:
        task.progress, task.last_report_on = pct, today
        task.save(update_fields=["progress", "last_report_on", "updated_at"])
    task_event_record(
        task=task,
        kind=EventKind.REPORTED,
        actor=actor,
        unit=mine.unit,
        data={"report": report.pk, "percent": pct, "role": mine.role},
    )
    audit_log(
        actor=actor, action="report.submit", obj=report, data={"task": task.code, "percent": pct}
    )
    task_refresh(task)
    return report
