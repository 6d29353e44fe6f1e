"""The office's triage of a clue: 受理 (into a task, or into a supervision campaign), 合并,
不予受理, 答复. Each step: the permission (clue.triage), the state check, one transaction, a
ClueEvent and an audit event. Only a clue still 待处理 can be accepted, merged or rejected;
a reply can be written in any state (each reply is kept in the history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.clues.models import Clue, ClueEvent, ClueEventKind, ClueState
from luoshi.lib import clock
from luoshi.org.models import Unit, User
from luoshi.tasks.models import ReportCycle, Source, SourceKind, Task
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import task_assign
from luoshi.tasks.services.sources import source_create

REASON_MAX = 1000
REPLY_MAX = 2000


def _lock(clue: Clue) -> Clue:
    return Clue.objects.select_for_update(no_key=True).select_related("category").get(pk=clue.pk)


def _require_new(clue: Clue) -> None:
    if clue.state != ClueState.NEW:
        raise ValidationError(
            _("该线索已处理（%(state)s），不能再受理、合并或不予受理。")
            % {"state": clue.get_state_display()}
        )


def _record(clue: Clue, kind: str, actor: User, action: str, data: dict[str, Any]) -> None:
    ClueEvent.objects.create(clue=clue, kind=kind, actor=actor, at=clock.now(), data=data)
    audit_log(actor=actor, action=action, obj=clue, data=data)


def _triaged(clue: Clue, actor: User, state: str, *fields: str) -> None:
    clue.state = state
    clue.triaged_at = clock.now()
    clue.triaged_by = actor
    clue.save(update_fields=["state", "triaged_at", "triaged_by", *fields])


def monthly_source(*, actor: User, day: dt.date) -> Source:
    """The month's source of kind 群众线索 (e.g. 2026-XS-11, 《2026年11月群众线索》): one
    per month keeps the source list short and groups the clue tasks by when they came."""
    code = f"{day.year}-XS-{day.month:02d}"
    found = Source.objects.filter(code=code).first()
    if found is not None:
        return found
    return source_create(
        actor=actor,
        kind=SourceKind.CLUE,
        code=code,
        title=_("%(year)d年%(month)d月群众线索") % {"year": day.year, "month": day.month},
        issued_on=day.replace(day=1),
        issuer=_("互联网+督查"),
    )


def task_text(clue: Clue) -> str:
    """The task's description: the clue as the public wrote it (escaped wherever shown), never
    the contact."""
    return _("群众线索 %(number)s（%(category)s；地点：%(place)s）：\n%(text)s") % {
        "number": clue.number,
        "category": clue.category.name,
        "place": clue.place,
        "text": clue.text,
    }


@transaction.atomic
def clue_accept_as_task(
    *,
    actor: User,
    clue: Clue,
    lead_unit: Unit | None,
    due: dt.date | None,
    title: str = "",
    assign: bool = True,
) -> Task:
    """受理 → 转为任务: a task under the month's clue source, led by `lead_unit`, handed out
    at once unless `assign` is off (then it stays a draft for the office to complete)."""
    policy.require(actor, "clue.triage")
    clue = _lock(clue)
    _require_new(clue)
    errors = {}
    if lead_unit is None:
        errors["lead_unit"] = [_("请选择牵头单位。")]
    if due is None:
        errors["due"] = [_("请填写完成时限。")]
    elif due < clock.today():
        errors["due"] = [_("完成时限不能早于今天。")]
    if errors:
        raise ValidationError(errors)
    title = (title or "").strip() or Truncator(
        _("%(category)s：%(place)s") % {"category": clue.category.name, "place": clue.place}
    ).chars(120)
    task = task_create(
        actor=actor,
        source=monthly_source(actor=actor, day=clock.today()),
        title=title[:300],
        content=task_text(clue),
        category=clue.category.name[:50],
        lead_unit=lead_unit,
        due=due,
        report_cycle=ReportCycle.NONE,
    )
    if assign:
        task_assign(actor=actor, task=task)
        task.refresh_from_db()
    clue.task = task
    _triaged(clue, actor, ClueState.TASK, "task")
    _record(
        clue,
        ClueEventKind.TASK,
        actor,
        "clues.accept_task",
        {"task": task.code, "lead_unit": lead_unit.name, "assigned": assign},
    )
    return task


@transaction.atomic
def clue_accept_to_inspection(*, actor: User, clue: Clue, inspection) -> Clue:
    """受理 → 转入督查活动: the clue becomes material of a supervision campaign (luoshi.campaigns)
    that is not finished yet; the submitter sees 处理中 until the campaign is 已完结."""
    from luoshi.campaigns.models import Inspection
    from luoshi.campaigns.models.inspections import InspectionState

    policy.require(actor, "clue.triage")
    clue = _lock(clue)
    _require_new(clue)
    if inspection is None:
        raise ValidationError({"inspection": [_("请选择督查活动。")]})
    inspection = Inspection.objects.get(pk=inspection.pk)
    if inspection.state == InspectionState.FINISHED:
        raise ValidationError({"inspection": [_("该督查活动已完结，不能再转入线索。")]})
    clue.inspection = inspection
    _triaged(clue, actor, ClueState.INSPECTION, "inspection")
    _record(
        clue,
        ClueEventKind.INSPECTION,
        actor,
        "clues.accept_inspection",
        {"inspection": inspection.code},
    )
    return clue


@transaction.atomic
def clue_merge(*, actor: User, clue: Clue, primary: Clue | None) -> Clue:
    """合并: `clue` repeats `primary`; its submitter then sees 已合并 and the primary's
    progress. The primary must be another clue that is not itself merged or rejected, and a
    clue others were merged into is not merged away."""
    policy.require(actor, "clue.triage")
    clue = _lock(clue)
    _require_new(clue)
    if primary is None:
        raise ValidationError({"primary": [_("请填写要并入的线索编号。")]})
    if primary.pk == clue.pk:
        raise ValidationError({"primary": [_("不能把线索并入它自己。")]})
    primary = Clue.objects.select_for_update(no_key=True).get(pk=primary.pk)
    if primary.state in (ClueState.MERGED, ClueState.REJECTED):
        raise ValidationError({"primary": [_("只能并入未合并、未被不予受理的线索。")]})
    if clue.duplicates.exists():
        raise ValidationError({"primary": [_("已有其他线索并入该线索，它不能再并入别的线索。")]})
    clue.merged_into = primary
    _triaged(clue, actor, ClueState.MERGED, "merged_into")
    _record(clue, ClueEventKind.MERGED, actor, "clues.merge", {"primary": primary.number})
    return clue


@transaction.atomic
def clue_reject(*, actor: User, clue: Clue, reason: str) -> Clue:
    """不予受理, with the reason the submitter reads on the status page."""
    policy.require(actor, "clue.triage")
    clue = _lock(clue)
    _require_new(clue)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写不予受理的理由（将向提交人公开）。")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("理由不能超过 %(n)d 个字。") % {"n": REASON_MAX}]})
    clue.reject_reason = reason
    _triaged(clue, actor, ClueState.REJECTED, "reject_reason")
    _record(clue, ClueEventKind.REJECTED, actor, "clues.reject", {"reason": reason})
    return clue


@transaction.atomic
def clue_reply(*, actor: User, clue: Clue, text: str) -> Clue:
    """答复: the text the submitter reads on the status page. A new reply shows instead of the
    last one; every reply stays in the history."""
    policy.require(actor, "clue.triage")
    clue = _lock(clue)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("请填写答复内容。")]})
    if len(text) > REPLY_MAX:
        raise ValidationError({"text": [_("答复不能超过 %(n)d 个字。") % {"n": REPLY_MAX}]})
    clue.public_reply = text
    clue.replied_at = clock.now()
    clue.save(update_fields=["public_reply", "replied_at"])
    _record(clue, ClueEventKind.REPLIED, actor, "clues.reply", {"text": text})
    return clue
