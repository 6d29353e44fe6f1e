"""督办 services: the ladder's rules, 催办, 督办单 (draft → issued → replied → closed) and the
约谈 / 实地核查 records. Each function checks the permission through access.policy, validates
(ValidationError with Chinese messages; nothing is written then), changes what it must in one
transaction, writes the task's history and the audit log, and tells whom it concerns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.lib.i18n import join_list
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import Role, Unit, User
from luoshi.supervision.files import files_store, files_validate
from luoshi.supervision.models import (
    OFFSET_MAX,
    OFFSET_MIN,
    EscalationRule,
    NoticeReply,
    NoticeSequence,
    NoticeState,
    Recipient,
    RecordKind,
    RelativeTo,
    StepAction,
    SupervisionNotice,
    SupervisionRecord,
    Urge,
)
from luoshi.tasks.models import AssignmentRole, EventKind, Task, TaskUnit
from luoshi.tasks.services.history import task_event_record
from luoshi.tasks.services.refresh import task_refresh
from luoshi.workcal.services import WorkCalendar

MESSAGE_MAX = 1000
URGE_MAX_TASKS = 200
STEP_CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
REPEATABLE = (StepAction.REMINDER, StepAction.URGE)
NEEDS_RECIPIENTS = (StepAction.REMINDER, StepAction.URGE, StepAction.LEADER)


def _text(value: Any) -> str:
    return str(value or "").strip()


def _unit_people(unit_ids: Iterable[int]) -> list[User]:
    """The liaisons and heads of these units (who hear of 催办 and 督办单)."""
    return list(
        User.objects.filter(
            unit_id__in=list(unit_ids), role__in=(Role.LIAISON, Role.UNIT_HEAD), is_active=True
        ).order_by("pk")
    )


# --- the ladder's rules ------------------------------------------------------------------------


def _parse_offset(value: Any) -> int:
    try:
        offset = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"offset": _("偏移天数须为整数（工作日），例如 -3、0、10。")}
        ) from exc
    if not OFFSET_MIN <= offset <= OFFSET_MAX:
        raise ValidationError(
            {
                "offset": _("偏移天数须在 %(lo)d 到 %(hi)d 个工作日之间。")
                % {"lo": OFFSET_MIN, "hi": OFFSET_MAX}
            }
        )
    return offset


def _check_rule(
    *, category: str, relative_to: str, step: str, action: str, recipients: Sequence[str]
) -> list[str]:
    errors: dict[str, list[str]] = {}
    if len(category) > 50:
        errors.setdefault("category", []).append(_("任务类别不能超过 50 个字。"))
    if relative_to not in RelativeTo.values:
        errors.setdefault("relative_to", []).append(_("请选择按完成时限还是按填报期限起算。"))
    if not STEP_CODE.match(step):
        errors.setdefault("step", []).append(
            _("步骤代码须以小写字母开头，只含小写字母、数字和下划线，不超过 30 个字符。")
        )
    if action not in StepAction.values:
        errors.setdefault("action", []).append(_("请选择要执行的动作。"))
    unknown = [r for r in recipients if r not in Recipient.values]
    if unknown:
        errors.setdefault("recipients", []).append(
            _("通知对象“%(names)s”无法识别。") % {"names": join_list(unknown)}
        )
    elif action in NEEDS_RECIPIENTS and not recipients:
        errors.setdefault("recipients", []).append(
            _("提醒、催办和报告牵头领导须至少选择一个通知对象。")
        )
    if errors:
        raise ValidationError(errors)
    return list(dict.fromkeys(recipients))


@transaction.atomic
def rule_save(
    *,
    actor: User,
    category: str,
    relative_to: str,
    step: str,
    offset: Any,
    action: str,
    recipients: Sequence[str],
    repeat_daily: bool = False,
    enabled: bool = True,
) -> EscalationRule:
    """Set one rung for a category ("" = the default for all). For a category this writes
    its own rule, which replaces the default rung of the same step for its tasks only."""
    policy.require(actor, "supervision.ladder")
    category, step = _text(category), _text(step)
    offset = _parse_offset(offset)
    recipients = _check_rule(
        category=category,
        relative_to=relative_to,
        step=step,
        action=action,
        recipients=[str(r) for r in recipients],
    )
    if repeat_daily and action not in REPEATABLE:
        raise ValidationError({"repeat_daily": _("只有提醒和催办可以每个工作日重复。")})
    rule = (
        EscalationRule.objects.select_for_update(no_key=True)
        .filter(category=category, relative_to=relative_to, step=step)
        .first()
    )
    before = None
    if rule is None:
        rule = EscalationRule(category=category, relative_to=relative_to, step=step)
    else:
        before = _rule_data(rule)
    rule.offset, rule.action, rule.recipients = offset, action, recipients
    rule.repeat_daily, rule.enabled = bool(repeat_daily), bool(enabled)
    rule.updated_by, rule.updated_at = actor, clock.now()
    rule.full_clean()
    rule.save()
    audit_log(
        actor=actor,
        action="supervision.rule.save",
        obj=rule,
        data={"before": before, "after": _rule_data(rule)},
    )
    return rule


@transaction.atomic
def rule_reset(*, actor: User, category: str, relative_to: str, step: str) -> bool:
    """A category's rung goes back to the default (its own rule is removed). Returns whether
    it had one. The default rungs themselves are edited, not removed (disable one instead)."""
    policy.require(actor, "supervision.ladder")
    category = _text(category)
    if not category:
        raise ValidationError(_("默认规则不能删除，可以改为停用。"))
    rule = EscalationRule.objects.filter(
        category=category, relative_to=relative_to, step=step
    ).first()
    if rule is None:
        return False
    audit_log(actor=actor, action="supervision.rule.reset", obj=rule, data=_rule_data(rule))
    rule.delete()
    return True


def _rule_data(rule: EscalationRule) -> dict:
    return {
        "category": rule.category,
        "relative_to": rule.relative_to,
        "step": rule.step,
        "offset": rule.offset,
        "repeat_daily": rule.repeat_daily,
        "action": rule.action,
        "recipients": list(rule.recipients),
        "enabled": rule.enabled,
    }


# --- 催办 ----------------------------------------------------------------------------------------


@transaction.atomic
def urge_tasks(*, actor: User, tasks: Sequence[Task], message: str) -> list[Urge]:
    """催办 one task or many at once, with one message. All or nothing: a task that may not be
    urged now (its state) refuses the whole request, naming it."""
    message = _text(message)
    if not message:
        raise ValidationError({"message": _("请填写催办内容。")})
    if len(message) > MESSAGE_MAX:
        raise ValidationError({"message": _("催办内容不能超过 %(n)d 个字。") % {"n": MESSAGE_MAX}})
    tasks = list({t.pk: t for t in tasks}.values())
    if not tasks:
        raise ValidationError({"tasks": _("请选择要催办的任务。")})
    if len(tasks) > URGE_MAX_TASKS:
        raise ValidationError(
            {
                "tasks": ngettext(
                    "一次最多催办 %(n)d 项任务。", "一次最多催办 %(n)d 项任务。", URGE_MAX_TASKS
                )
                % {"n": URGE_MAX_TASKS}
            }
        )
    if not policy.allowed(actor, "supervision.urge"):
        raise PermissionDenied(policy.denial_message("task.urge"))
    # locked in one order (by id), so two office users urging overlapping sets cannot deadlock
    ids = [t.pk for t in tasks]
    locked = {
        t.pk: t
        for t in Task.objects.select_for_update(of=("self",), no_key=True)
        .select_related("lead_unit")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    tasks = [locked[pk] for pk in ids if pk in locked]
    refused = [t for t in tasks if not policy.can(actor, "task.urge", t)]
    if refused:
        if any(not policy.can_view_task(actor, t) for t in refused):
            raise PermissionDenied(_("所选任务中有您无权查看的任务。"))
        raise ValidationError(
            {
                "tasks": [
                    _("任务“%(code)s”当前状态为“%(state)s”，不能催办。")
                    % {"code": t.code, "state": t.get_state_display()}
                    for t in refused
                ]
            }
        )
    now = clock.now()
    urges = Urge.objects.bulk_create(
        [
            Urge(task=t, unit_id=t.lead_unit_id, message=message, urged_by=actor, urged_at=now)
            for t in tasks
        ]
    )
    people: dict[int, list[User]] = {}
    for user in _unit_people({t.lead_unit_id for t in tasks}):
        people.setdefault(user.unit_id, []).append(user)
    for task, urge in zip(tasks, urges, strict=True):
        task_event_record(
            task=task, kind=EventKind.URGED, actor=actor, unit=task.lead_unit, message=message
        )
        audit_log(
            actor=actor,
            action="supervision.urge",
            obj=task,
            data={"urge": urge.pk, "message": message, "batch": len(tasks)},
        )
        notify(
            recipients=people.get(task.lead_unit_id, []),
            kind=NotificationKind.URGE,
            title=_("催办：“%(code)s %(title)s”") % {"code": task.code, "title": task.title},
            body=message,
            task=task,
            url=reverse("tasks:detail", args=[task.pk]),
            dedupe_key=f"urge:{urge.pk}",
        )
    return urges


# --- 督办单 --------------------------------------------------------------------------------------


def _copy_units(task: Task, copy_units: Iterable[Unit | int]) -> list[int]:
    ids = {u.pk if isinstance(u, Unit) else int(u) for u in copy_units}
    co = set(
        TaskUnit.objects.filter(task=task, role=AssignmentRole.CO).values_list("unit_id", flat=True)
    )
    if ids - co:
        raise ValidationError({"copy_units": _("抄送单位须为该任务的配合单位。")})
    return sorted(ids)


def _check_notice(
    task: Task, content: str, reply_by: dt.date | None, *, issuing: bool
) -> tuple[str, dt.date | None]:
    errors: dict[str, list[str]] = {}
    content = _text(content)
    if not content:
        errors["content"] = [_("请填写督办内容。")]
    elif len(content) > 5000:
        errors["content"] = [_("督办内容不能超过 5000 个字。")]
    if task.lead_unit_id is None:
        errors.setdefault("content", []).append(_("该任务没有牵头单位，不能下发督办单。"))
    today = clock.today()
    if reply_by is None:
        if issuing:
            errors["reply_by"] = [_("请填写回复期限。")]
    elif reply_by <= today:
        errors["reply_by"] = [_("回复期限须晚于今天。")]
    elif not WorkCalendar().is_working_day(reply_by):
        errors["reply_by"] = [
            _("回复期限 %(date)s 不是工作日，请选择工作日。") % {"date": reply_by.isoformat()}
        ]
    elif (reply_by - today).days > 366:
        errors["reply_by"] = [_("回复期限不能超过一年。")]
    if errors:
        raise ValidationError(errors)
    return content, reply_by


def _draw_number(year: int) -> int:
    """The next number of `year`: no gap, no duplicate, whoever issues at the same time. The
    year's counter row is updated in place (the UPDATE takes its row lock, or SQLite's write
    lock) and read back inside the same transaction; the unique (year, seq) backs it up."""
    NoticeSequence.objects.bulk_create([NoticeSequence(year=year, last=0)], ignore_conflicts=True)
    NoticeSequence.objects.filter(year=year).update(last=F("last") + 1)
    return NoticeSequence.objects.get(year=year).last


@transaction.atomic
def notice_save(
    *,
    actor: User,
    task: Task,
    content: str,
    reply_by: dt.date | None = None,
    copy_units: Iterable[Unit | int] = (),
    notice: SupervisionNotice | None = None,
    issue: bool = True,
) -> SupervisionNotice:
    """下发督办单 (issue=True) or keep it as a draft. With `notice`, a draft (e.g. one the ladder
    made) is edited, and issued. Issuing draws its number (督办〔2026〕12号) and tells the lead
    unit (and the co-units copied)."""
    task = (
        Task.objects.select_for_update(of=("self",), no_key=True)
        .select_related("lead_unit")
        .get(pk=task.pk)
    )
    policy.require(actor, "task.notice", task)
    if notice is not None:
        notice = SupervisionNotice.objects.select_for_update(no_key=True).get(pk=notice.pk)
        if notice.task_id != task.pk:
            raise ValidationError(_("督办单不属于该任务。"))
        if notice.state != NoticeState.DRAFT:
            raise ValidationError(
                _("督办单 %(number)s 已下发，不能重复下发。") % {"number": notice.number}
            )
    content, reply_by = _check_notice(task, content, reply_by, issuing=issue)
    copies = _copy_units(task, copy_units)
    now = clock.now()
    created = notice is None
    if created:
        notice = SupervisionNotice(task=task, drafted_by=actor, drafted_at=now)
    notice.unit_id = task.lead_unit_id
    notice.content, notice.reply_by = content, reply_by
    if issue:
        notice.year = clock.today().year
        notice.seq = _draw_number(notice.year)
        notice.state = NoticeState.ISSUED
        notice.issued_by, notice.issued_at = actor, now
    notice.full_clean(exclude=["task", "unit"])
    notice.save()
    notice.copy_units.set(copies)
    data = {
        "notice": notice.pk,
        "number": notice.number,
        "reply_by": reply_by.isoformat() if reply_by else None,
        "copy_units": copies,
    }
    if not issue:
        if created:
            task_event_record(
                task=task,
                kind=EventKind.NOTICE_DRAFTED,
                actor=actor,
                unit=task.lead_unit,
                data=data,
            )
        audit_log(actor=actor, action="supervision.notice.draft", obj=notice, data=data)
        return notice
    task_event_record(
        task=task,
        kind=EventKind.NOTICE_ISSUED,
        actor=actor,
        unit=task.lead_unit,
        message=_("%(number)s，请于 %(date)s 前书面回复。")
        % {"number": notice.number, "date": reply_by.isoformat()},
        data=data,
    )
    audit_log(actor=actor, action="supervision.notice.issue", obj=notice, data=data)
    notify(
        recipients=_unit_people([task.lead_unit_id, *copies]),
        kind=NotificationKind.NOTICE,
        title=_("督办单 %(number)s：“%(code)s %(title)s”")
        % {"number": notice.number, "code": task.code, "title": task.title},
        body=_("请于 %(date)s 前书面回复。\n%(content)s")
        % {"date": reply_by.isoformat(), "content": content},
        task=task,
        url=reverse("supervision:notice", args=[notice.pk]),
        dedupe_key=f"notice:{notice.pk}:issued",
    )
    return notice


@transaction.atomic
def notice_reply(
    *, actor: User, notice: SupervisionNotice, text: str, files: Sequence[UploadedFile] = ()
) -> NoticeReply:
    """The unit's written reply to a notice addressed to it (主送 or 抄送), once per unit. The
    lead unit's reply makes the notice 已回复 (and lifts its yellow light)."""
    notice = (
        SupervisionNotice.objects.select_for_update(of=("self",), no_key=True)
        .select_related("task")
        .get(pk=notice.pk)
    )
    task = notice.task
    addressed = {notice.unit_id, *notice.copy_units.values_list("pk", flat=True)}
    if (
        not policy.is_unit_user(actor)
        or actor.unit_id not in addressed
        or not policy.can_view_task(actor, task)
    ):
        raise PermissionDenied(_("只有督办单的主送或抄送单位可以回复。"))
    if notice.state == NoticeState.DRAFT:
        raise ValidationError(_("督办单尚未下发，不能回复。"))
    if notice.state == NoticeState.CLOSED:
        raise ValidationError(_("督办单已办结，不能再回复。"))
    if notice.replies.filter(unit_id=actor.unit_id).exists():
        raise ValidationError(_("本单位已回复该督办单，无需重复回复。"))
    text = _text(text)
    if not text:
        raise ValidationError({"text": _("请填写回复内容。")})
    if len(text) > 5000:
        raise ValidationError({"text": _("回复内容不能超过 5000 个字。")})
    files_validate(files)
    now = clock.now()
    reply = NoticeReply.objects.create(
        notice=notice, unit_id=actor.unit_id, author=actor, text=text, replied_at=now
    )
    files_store(files, actor=actor, reply=reply)
    if actor.unit_id == notice.unit_id and notice.state == NoticeState.ISSUED:
        notice.state, notice.replied_at = NoticeState.REPLIED, now
        notice.save(update_fields=["state", "replied_at"])
    data = {"notice": notice.pk, "number": notice.number, "reply": reply.pk}
    task_event_record(
        task=task,
        kind=EventKind.NOTICE_REPLIED,
        actor=actor,
        unit=actor.unit,
        message=_("%(number)s：%(text)s") % {"number": notice.number, "text": text},
        data=data,
    )
    audit_log(actor=actor, action="supervision.notice.reply", obj=notice, data=data)
    notify(
        recipients=[u for u in [notice.issued_by] if u is not None],
        kind=NotificationKind.NOTICE,
        title=_("%(unit)s 已回复督办单 %(number)s")
        % {"unit": actor.unit.display_name, "number": notice.number},
        body=text,
        task=task,
        url=reverse("supervision:notice", args=[notice.pk]),
        dedupe_key=f"notice:{notice.pk}:reply:{actor.unit_id}",
    )
    task_refresh(task)
    return reply


@transaction.atomic
def notice_close(*, actor: User, notice: SupervisionNotice, comment: str = "") -> SupervisionNotice:
    """The office marks a notice 已办结 (answered to its satisfaction, or settled otherwise)."""
    notice = (
        SupervisionNotice.objects.select_for_update(of=("self",), no_key=True)
        .select_related("task")
        .get(pk=notice.pk)
    )
    task = notice.task
    policy.require(actor, "task.supervise", task)
    if notice.state == NoticeState.DRAFT:
        raise ValidationError(_("督办单尚未下发，不能办结。"))
    if notice.state == NoticeState.CLOSED:
        raise ValidationError(_("督办单 %(number)s 已办结。") % {"number": notice.number})
    comment = _text(comment)
    if len(comment) > MESSAGE_MAX:
        raise ValidationError({"comment": _("办结意见不能超过 %(n)d 个字。") % {"n": MESSAGE_MAX}})
    notice.state = NoticeState.CLOSED
    notice.closed_by, notice.closed_at, notice.close_comment = actor, clock.now(), comment
    notice.save(update_fields=["state", "closed_by", "closed_at", "close_comment"])
    data = {"notice": notice.pk, "number": notice.number, "closed": True}
    if comment:
        message = _("%(number)s：%(comment)s") % {"number": notice.number, "comment": comment}
    else:
        message = notice.number
    # The unit the notice went to: a co-unit does not read another unit's 督办 (PART_EVENT_KINDS).
    task_event_record(
        task=task,
        kind=EventKind.NOTICE_CLOSED,
        actor=actor,
        unit=notice.unit,
        message=message,
        data=data,
    )
    audit_log(actor=actor, action="supervision.notice.close", obj=notice, data=data)
    task_refresh(task)
    return notice


# --- 约谈 / 实地核查 ---------------------------------------------------------------------------


@transaction.atomic
def record_create(
    *,
    actor: User,
    task: Task,
    kind: str,
    held_on: dt.date | None,
    participants: str,
    content: str,
    place: str = "",
    files: Sequence[UploadedFile] = (),
) -> SupervisionRecord:
    """Record a 约谈 or a 实地核查 on a task, with its files."""
    task = Task.objects.select_for_update(no_key=True).get(pk=task.pk)
    policy.require(actor, "task.supervise", task)
    errors: dict[str, list[str]] = {}
    if kind not in RecordKind.values:
        errors["kind"] = [_("请选择约谈或实地核查。")]
    if held_on is None:
        errors["held_on"] = [_("请填写日期。")]
    elif held_on > clock.today():
        errors["held_on"] = [_("日期不能晚于今天。")]
    participants, content, place = _text(participants), _text(content), _text(place)
    if not participants:
        errors["participants"] = [_("请填写参加人员。")]
    if not content:
        errors["content"] = [_("请填写主要内容。")]
    if len(place) > 200:
        errors["place"] = [_("地点不能超过 200 个字。")]
    if errors:
        raise ValidationError(errors)
    files_validate(files)
    record = SupervisionRecord.objects.create(
        task=task,
        kind=kind,
        held_on=held_on,
        place=place,
        participants=participants,
        content=content,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    files_store(files, actor=actor, record=record)
    event_kind = EventKind.TALK_RECORDED if kind == RecordKind.TALK else EventKind.FIELD_CHECKED
    data = {"record": record.pk, "date": held_on.isoformat(), "place": place}
    if place:
        message = _("%(date)s，%(place)s：%(content)s") % {
            "date": held_on.isoformat(),
            "place": place,
            "content": content,
        }
    else:
        message = _("%(date)s：%(content)s") % {"date": held_on.isoformat(), "content": content}
    task_event_record(task=task, kind=event_kind, actor=actor, message=message, data=data)
    audit_log(actor=actor, action=f"supervision.record.{kind}", obj=record, data=data)
    return record
