"""表彰与问责: recording, revoking and correcting outcome records.

outcome_record   the office records any kind about a unit (optionally on a task, naming a
                 cadre, resting on a 约谈 record); a leader records 领导表扬 on a task they see
outcome_revoke   a mistaken record is revoked with a reason (kept, no longer counts)
outcome_correct  a correction is a new record superseding the old one (kept, no longer counts)

Records are never edited or deleted. Each function is one transaction: it checks the
permission through access.policy, validates (Chinese messages), writes the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.org.models import Unit, User
from luoshi.outcomes.models import OutcomeKind, OutcomeRecord
from luoshi.tasks.models import Task, TaskUnit

TEXT_MAX = 2000
DOC_NUMBER_MAX = 100
REASON_MAX = 1000
# How far back a record may be dated (a commendation of last year's work is recorded late).
BACKDATE_DAYS = 366


def _validate(
    *,
    kind: str,
    unit: Unit | None,
    task: Task | None,
    cadre: User | None,
    recorded_on: dt.date | None,
    text: str,
    doc_number: str,
    talk_record,
) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in OutcomeKind.values:
        err("kind", _("请选择记录类型：表彰、领导表扬、通报批评、约谈或问责建议。"))
    if unit is None:
        err("unit", _("请选择单位。"))
    elif not unit.is_active:
        err("unit", _("单位“%(name)s”已停用。") % {"name": unit.display_name})
    if (
        task is not None
        and unit is not None
        and task.lead_unit_id != unit.pk
        and not TaskUnit.objects.filter(task=task, unit=unit).exists()
    ):
        err(
            "unit",
            _("“%(unit)s”不是任务 %(code)s 的承办单位。")
            % {"unit": unit.display_name, "code": task.code},
        )
    if kind == OutcomeKind.LEADER_COMMENDATION and task is None:
        err("task", _("领导表扬须针对一项任务。"))
    if cadre is not None and unit is not None:
        on_task = task is not None and cadre.pk in (task.owner_id, task.lead_leader_id)
        if cadre.unit_id != unit.pk and not on_task:
            err("cadre", _("被记录的干部须是该单位的人员，或该任务的责任人、牵头领导。"))
    today = clock.today()
    if recorded_on is None:
        err("recorded_on", _("请填写日期。"))
    elif recorded_on > today:
        err("recorded_on", _("日期不能晚于今天。"))
    elif (today - recorded_on).days > BACKDATE_DAYS:
        err("recorded_on", _("日期不能早于一年前。"))
    text = (text or "").strip()
    if not text:
        err("text", _("请填写事由。"))
    elif len(text) > TEXT_MAX:
        err("text", _("事由不能超过 %(n)d 字。") % {"n": TEXT_MAX})
    doc_number = " ".join((doc_number or "").split())
    if len(doc_number) > DOC_NUMBER_MAX:
        err("doc_number", _("文号不能超过 %(n)d 字。") % {"n": DOC_NUMBER_MAX})
    if talk_record is not None:
        if kind != OutcomeKind.TALK:
            err("talk_record", _("只有约谈记录可以关联督办中的约谈。"))
        elif task is None or talk_record.task_id != task.pk or talk_record.kind != "talk":
            err("talk_record", _("所选约谈记录不属于该任务。"))
    if errors:
        raise ValidationError(errors)
    return text, doc_number


def _check_may_record(actor: User, kind: str, unit: Unit | None, task: Task | None) -> None:
    if policy.may_record_outcome(actor, kind, unit, task):
        return
    if (
        task is not None
        and actor.role == "leader"
        and policy.can_view_task(actor, task)
        and kind != OutcomeKind.LEADER_COMMENDATION
    ):
        raise PermissionDenied(_("领导只能记录领导表扬；其他类型由督查室记录。"))
    raise PermissionDenied(policy.denial_message("outcome.manage"))


def _new_record(
    *,
    actor: User,
    kind: str,
    unit: Unit | None,
    task: Task | None,
    cadre: User | None,
    recorded_on: dt.date | None,
    text: str,
    doc_number: str,
    talk_record,
) -> OutcomeRecord:
    _check_may_record(actor, kind, unit, task)
    text, doc_number = _validate(
        kind=kind,
        unit=unit,
        task=task,
        cadre=cadre,
        recorded_on=recorded_on,
        text=text,
        doc_number=doc_number,
        talk_record=talk_record,
    )
    record = OutcomeRecord(
        unit=unit,
        task=task,
        cadre=cadre,
        kind=kind,
        recorded_on=recorded_on,
        text=text,
        doc_number=doc_number,
        talk_record=talk_record,
        recorded_by=actor,
        created_at=clock.now(),
    )
    record.full_clean()
    record.save()
    return record


def _data(record: OutcomeRecord) -> dict:
    return {
        "record": record.pk,
        "kind": record.kind,
        "unit": record.unit_id,
        "task": record.task_id,
        "cadre": record.cadre_id,
        "recorded_on": record.recorded_on.isoformat(),
        "doc_number": record.doc_number,
    }


@transaction.atomic
def outcome_record(
    *,
    actor: User,
    kind: str,
    unit: Unit | None,
    task: Task | None = None,
    cadre: User | None = None,
    recorded_on: dt.date | None,
    text: str,
    doc_number: str = "",
    talk_record=None,
) -> OutcomeRecord:
    """Record one 表彰 / 领导表扬 / 通报批评 / 约谈 / 问责建议."""
    record = _new_record(
        actor=actor,
        kind=kind,
        unit=unit,
        task=task,
        cadre=cadre,
        recorded_on=recorded_on,
        text=text,
        doc_number=doc_number,
        talk_record=talk_record,
    )
    audit_log(actor=actor, action="outcome.record", obj=record, data=_data(record))
    return record


def _lock(record: OutcomeRecord, actor: User) -> OutcomeRecord:
    locked = OutcomeRecord.objects.select_for_update(no_key=True).get(pk=record.pk)
    if not policy.may_change_outcome(actor, locked):
        raise PermissionDenied(policy.outcome_denial(actor, locked))
    return locked


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销理由。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("撤销理由不能超过 %(n)d 字。") % {"n": REASON_MAX}})
    return reason


@transaction.atomic
def outcome_revoke(*, actor: User, record: OutcomeRecord, reason: str) -> OutcomeRecord:
    """撤销: the record stays, marked revoked with the reason; it no longer counts."""
    record = _lock(record, actor)
    reason = _reason(reason)
    record.revoked_at = clock.now()
    record.revoked_by = actor
    record.revoke_reason = reason
    record.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_log(
        actor=actor,
        action="outcome.revoke",
        obj=record,
        data={**_data(record), "reason": reason},
    )
    return record


@transaction.atomic
def outcome_correct(
    *,
    actor: User,
    record: OutcomeRecord,
    kind: str,
    unit: Unit | None,
    task: Task | None = None,
    cadre: User | None = None,
    recorded_on: dt.date | None,
    text: str,
    doc_number: str = "",
    talk_record=None,
) -> OutcomeRecord:
    """更正: a new record with the corrected fields supersedes the old one (kept)."""
    old = _lock(record, actor)
    new = _new_record(
        actor=actor,
        kind=kind,
        unit=unit,
        task=task,
        cadre=cadre,
        recorded_on=recorded_on,
        text=text,
        doc_number=doc_number,
        talk_record=talk_record,
    )
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    audit_log(
        actor=actor,
        action="outcome.correct",
        obj=new,
        data={**_data(new), "supersedes": old.pk},
    )
    return new
