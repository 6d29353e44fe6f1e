"""办会办文: recording meetings and their agreed items, turning the items into tasks in one
step, recording leaders' instructions and reporting their 办理情况 back to the leader.

Tasks are made by the task services (tasks.services.editing.task_create): the rules of a
task's fields are theirs, and an agreed item is checked against them before it is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.meetings.models import (
    Instruction,
    InstructionReport,
    InstructionStatus,
    ItemUnitRole,
    Meeting,
    MeetingItem,
    MeetingItemUnit,
    MeetingKind,
    Urgency,
)
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import Role, Unit, User
from luoshi.reports.attachments import attachments_validate
from luoshi.reports.models import ProgressReport
from luoshi.tasks.models import ReportCycle, Source, SourceKind, Task, TaskState
from luoshi.tasks.services.editing import task_create, validate_task_fields
from luoshi.tasks.services.lifecycle import task_assign
from luoshi.tasks.services.sources import source_create

TITLE_MAX = 300
MEETING_CATEGORY = "会议议定"
INSTRUCTION_CATEGORY = "领导批示"
MINUTES_EXTENSIONS = ("docx", "pdf", "doc", "wps", "ofd")


def _check_file(upload: UploadedFile | None, field: str) -> None:
    """A minutes or document file: .docx/.pdf (and the other office formats), checked by the
    attachments' rules (size, signature)."""
    if upload is None:
        return
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in MINUTES_EXTENSIONS:
        raise ValidationError(
            {field: _("文件“%(name)s”须为 .docx 或 .pdf 文件。") % {"name": name}}
        )
    try:
        attachments_validate([upload])
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _leader(user: User | None, field: str, label: str) -> None:
    if user is not None and user.role != Role.LEADER:
        raise ValidationError({field: _("%(label)s必须是领导角色的用户。") % {"label": label}})


# --- meetings -------------------------------------------------------------------------------


@dataclass
class ItemRow:
    """One agreed item as the service takes it (units already resolved from their names)."""

    text: str
    lead_units: Sequence[Unit] = ()
    co_units: Sequence[Unit] = ()
    due: dt.date | None = None
    ongoing: bool = False
    due_text: str = ""
    lead_leader: User | None = None


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    name: str,
    held_on: dt.date,
    kind: str = MeetingKind.STANDING,
    place: str = "",
    chair: User | None = None,
    attendees: str = "",
    minutes: str = "",
    minutes_number: str = "",
    minutes_file: UploadedFile | None = None,
    source: Source | None = None,
    items: Sequence[ItemRow] = (),
) -> Meeting:
    """办会: record a meeting and its minutes, on a new task source of kind 会议 (or on one
    already registered through 任务来源 that has no meeting yet), with its agreed items if
    given (see meeting_items_add)."""
    policy.require(actor, "meeting.manage")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写会议名称。")})
    if held_on is None:
        raise ValidationError({"held_on": _("请填写会议日期。")})
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("未知的会议类型。")})
    _leader(chair, "chair", _("主持领导"))
    _check_file(minutes_file, "minutes_file")
    if source is None:
        source = source_create(
            actor=actor,
            kind=SourceKind.MEETING,
            title=name,
            doc_number=minutes_number,
            issued_on=held_on,
            issuer=chair.display_name if chair else "",
            content=minutes[:2000],
        )
    elif source.kind != SourceKind.MEETING or Meeting.objects.filter(source=source).exists():
        raise ValidationError(_("该任务来源不是会议，或已登记了会议。"))
    meeting = Meeting(
        source=source,
        name=name,
        kind=kind,
        held_on=held_on,
        place=place.strip(),
        chair=chair,
        attendees=attendees.strip(),
        minutes=minutes.strip(),
        minutes_number=minutes_number.strip(),
        created_by=actor,
    )
    if minutes_file is not None:
        meeting.minutes_file.save(minutes_file.name, minutes_file, save=False)
        meeting.minutes_file_name = minutes_file.name[:200]
    meeting.full_clean()
    meeting.save()
    audit_log(
        actor=actor,
        action="meeting.create",
        obj=meeting,
        data={"source": source.code, "held_on": held_on.isoformat()},
    )
    if items:
        meeting_items_add(actor=actor, meeting=meeting, rows=items)
    return meeting


MEETING_FIELDS = (
    "name",
    "kind",
    "held_on",
    "place",
    "chair",
    "attendees",
    "minutes",
    "minutes_number",
)


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, minutes_file: UploadedFile | None = None, **changes
) -> Meeting:
    """Correct a meeting's own fields (and replace its minutes file). Its source follows: the
    title, 文号, date and issuer are the meeting's. Every change is audited (old → new)."""
    policy.require(actor, "meeting.manage")
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    meeting = (
        Meeting.objects.select_for_update(of=("self",), no_key=True)
        .select_related("source")
        .get(pk=meeting.pk)
    )
    merged = {f: getattr(meeting, f) for f in MEETING_FIELDS} | changes
    for field in ("name", "place", "attendees", "minutes", "minutes_number"):
        merged[field] = (merged[field] or "").strip()
    if not merged["name"]:
        raise ValidationError({"name": _("请填写会议名称。")})
    if merged["held_on"] is None:
        raise ValidationError({"held_on": _("请填写会议日期。")})
    if merged["kind"] not in MeetingKind.values:
        raise ValidationError({"kind": _("未知的会议类型。")})
    _leader(merged["chair"], "chair", _("主持领导"))
    _check_file(minutes_file, "minutes_file")
    early = meeting.items.filter(due__lt=merged["held_on"]).order_by("number").first()
    if early is not None:
        raise ValidationError(
            {
                "held_on": _("第 %(n)d 项议定事项的完成时限（%(due)s）早于该日期。")
                % {"n": early.number, "due": early.due.isoformat()}
            }
        )
    diff = {
        f: [str(getattr(meeting, f) or ""), str(merged[f] or "")]
        for f in MEETING_FIELDS
        if getattr(meeting, f) != merged[f]
    }
    for field in diff:
        setattr(meeting, field, merged[field])
    if minutes_file is not None:
        diff["minutes_file"] = [meeting.minutes_file_name, minutes_file.name[:200]]
        meeting.minutes_file.save(minutes_file.name, minutes_file, save=False)
        meeting.minutes_file_name = minutes_file.name[:200]
    if not diff:
        return meeting
    meeting.full_clean()
    meeting.save()
    source = meeting.source
    source.title = meeting.name
    source.doc_number = meeting.minutes_number
    source.issued_on = meeting.held_on
    source.issuer = meeting.chair.display_name if meeting.chair else ""
    source.full_clean()
    source.save(update_fields=["title", "doc_number", "issued_on", "issuer"])
    audit_log(actor=actor, action="meeting.update", obj=meeting, data={"changes": diff})
    return meeting


def item_errors(meeting: Meeting, row: ItemRow) -> list[str]:
    """Everything wrong with one agreed item (Chinese): its own rules, then the task's."""
    errors: list[str] = []
    if not row.text.strip():
        errors.append(_("请填写议定事项的内容。"))
    if not row.lead_units:
        errors.append(_("请填写牵头单位。"))
    if row.due is not None and row.due < meeting.held_on:
        errors.append(
            _("完成时限（%(due)s）不能早于会议日期（%(held)s）。")
            % {"due": row.due.isoformat(), "held": meeting.held_on.isoformat()}
        )
    lead, *more_leads = list(row.lead_units) or [None]
    co = [*more_leads, *row.co_units]
    if lead is not None and any(u.pk == lead.pk for u in row.co_units):
        errors.append(_("牵头单位不能同时是配合单位。"))
    elif len({u.pk for u in co}) != len(co):
        errors.append(_("单位有重复。"))
    else:
        task_rules = validate_task_fields(
            title=row.text.strip() or "-",
            lead_unit=lead,
            co_units=co,
            start_date=None,
            due=row.due,
            ongoing=row.ongoing,
            report_cycle=ReportCycle.MONTHLY,
            report_day=None,
            priority="normal",
            parent=None,
            milestones=[],
            lead_leader=row.lead_leader,
        )
        for messages in task_rules.values():
            errors.extend(m for m in messages if m not in errors)
    return errors


@transaction.atomic
def meeting_items_add(
    *, actor: User, meeting: Meeting, rows: Iterable[ItemRow]
) -> list[MeetingItem]:
    """议定事项: add rows to a meeting, numbered after the ones it has. All or nothing: the
    ValidationError maps "rowN" to the messages of the N-th row given."""
    policy.require(actor, "meeting.manage")
    rows = list(rows)
    if not rows:
        raise ValidationError(_("请至少填写一项议定事项。"))
    errors = {
        f"row{n}": e for n, row in enumerate(rows, start=1) if (e := item_errors(meeting, row))
    }
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.select_for_update(of=("self",), no_key=True).get(pk=meeting.pk)
    number = meeting.items.order_by("-number").values_list("number", flat=True).first() or 0
    items = []
    for row in rows:
        number += 1
        item = MeetingItem.objects.create(
            meeting=meeting,
            number=number,
            text=row.text.strip(),
            due=None if row.ongoing else row.due,
            ongoing=row.ongoing,
            due_text=row.due_text.strip()[:100],
            lead_leader=row.lead_leader,
            created_by=actor,
        )
        _set_parts(item, row)
        items.append(item)
    audit_log(
        actor=actor,
        action="meeting.items_add",
        obj=meeting,
        data={"items": [i.number for i in items]},
    )
    return items


def _set_parts(item: MeetingItem, row: ItemRow) -> None:
    for role, units in ((ItemUnitRole.LEAD, row.lead_units), (ItemUnitRole.CO, row.co_units)):
        for i, unit in enumerate(units):
            MeetingItemUnit.objects.create(item=item, unit=unit, role=role, sort_order=i)


def _item_summary(item: MeetingItem) -> dict:
    return {
        "text": item.text,
        "lead_units": [u.name for u in item.lead_units],
        "co_units": [u.name for u in item.co_units],
        "due": item.due.isoformat() if item.due else "",
        "ongoing": item.ongoing,
        "due_text": item.due_text,
        "lead_leader": item.lead_leader.username if item.lead_leader else "",
    }


def _lock_pending_item(item: MeetingItem, message: str) -> MeetingItem:
    item = (
        MeetingItem.objects.select_for_update(of=("self",), no_key=True)
        .select_related("meeting", "lead_leader")
        .get(pk=item.pk)
    )
    if item.task_id:
        raise ValidationError(message)
    return item


@transaction.atomic
def meeting_item_update(*, actor: User, item: MeetingItem, row: ItemRow) -> MeetingItem:
    """Correct an agreed item that is not yet a task (a task's own page edits it after)."""
    policy.require(actor, "meeting.manage")
    item = _lock_pending_item(item, _("该议定事项已生成任务，请在任务页面修改。"))
    errors = item_errors(item.meeting, row)
    if errors:
        raise ValidationError(errors)
    old = _item_summary(item)
    item.text = row.text.strip()
    item.due = None if row.ongoing else row.due
    item.ongoing = row.ongoing
    item.due_text = row.due_text.strip()[:100]
    item.lead_leader = row.lead_leader
    item.save(update_fields=["text", "due", "ongoing", "due_text", "lead_leader"])
    item.parts.all().delete()
    _set_parts(item, row)
    new = _item_summary(MeetingItem.objects.get(pk=item.pk))
    changes = {k: [old[k], new[k]] for k in old if old[k] != new[k]}
    if changes:
        audit_log(actor=actor, action="meeting.item_update", obj=item, data={"changes": changes})
    return item


@transaction.atomic
def meeting_item_remove(*, actor: User, item: MeetingItem) -> None:
    """Remove an agreed item entered by mistake, while it is not yet a task. The audit entry
    keeps what it said."""
    policy.require(actor, "meeting.manage")
    item = _lock_pending_item(
        item, _("该议定事项已生成任务，不能删除；如不再办理，请在任务页面撤销任务。")
    )
    audit_log(
        actor=actor,
        action="meeting.item_remove",
        obj=item.meeting,
        data={"number": item.number, **_item_summary(item)},
    )
    item.delete()


def _task_title(text: str) -> str:
    """The item's first sentence, or its words cut to the task title's length."""
    text = " ".join(text.split())
    for stop in ("。", "；"):
        head = text.split(stop, 1)[0]
        if 0 < len(head) < len(text):
            text = head
            break
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


@transaction.atomic
def meeting_generate_tasks(
    *,
    actor: User,
    meeting: Meeting,
    items: Iterable[MeetingItem] | None = None,
    assign: bool = False,
) -> list[Task]:
    """生成任务: every agreed item (or the chosen ones) not yet a task becomes one, under the
    meeting's source, made by task_create (state 起草; with `assign`, 交办 at once). Items that
    already have their task are left alone, so running it twice makes nothing twice."""
    policy.require(actor, "meeting.manage")
    meeting = (
        Meeting.objects.select_for_update(of=("self",), no_key=True)
        .select_related("source")
        .get(pk=meeting.pk)
    )
    pending = meeting.items.filter(task__isnull=True).prefetch_related("parts__unit")
    if items is not None:
        chosen = [i.pk for i in items]
        if not chosen:
            raise ValidationError(_("请选择要生成任务的议定事项。"))
        if meeting.items.filter(pk__in=chosen).count() != len(set(chosen)):
            raise ValidationError(_("所选议定事项不属于该会议。"))
        pending = pending.filter(pk__in=chosen)
    pending = list(pending.order_by("number"))
    if not pending:
        raise ValidationError(_("所选议定事项都已生成任务，没有需要生成的。"))
    created = []
    for item in pending:
        lead, *more_leads = item.lead_units
        task = task_create(
            actor=actor,
            source=meeting.source,
            title=_task_title(item.text),
            content=item.text,
            category=MEETING_CATEGORY,
            lead_unit=lead,
            co_units=[*more_leads, *item.co_units],
            lead_leader=item.lead_leader,
            due=item.due,
            ongoing=item.ongoing,
            due_text=item.due_text,
        )
        item.task = task
        item.save(update_fields=["task"])
        created.append(task)
    audit_log(
        actor=actor,
        action="meeting.tasks_generate",
        obj=meeting,
        data={"tasks": {str(i.number): i.task.code for i in pending}, "assign": assign},
    )
    if assign:
        for task in created:
            task_assign(actor=actor, task=task)
            task.refresh_from_db()
    return created


@transaction.atomic
def meeting_item_link(*, actor: User, item: MeetingItem, task: Task) -> MeetingItem:
    """Tie an agreed item to a task that already exists under the meeting's source (tasks
    registered before the minutes were recorded)."""
    policy.require(actor, "meeting.manage")
    item = (
        MeetingItem.objects.select_for_update(of=("self",), no_key=True)
        .select_related("meeting")
        .get(pk=item.pk)
    )
    if item.task_id:
        raise ValidationError(_("该议定事项已生成任务。"))
    if task.source_id != item.meeting.source_id:
        raise ValidationError(_("任务不属于该会议的任务来源。"))
    if MeetingItem.objects.filter(task=task).exists():
        raise ValidationError(_("该任务已对应另一项议定事项。"))
    item.task = task
    item.save(update_fields=["task"])
    audit_log(actor=actor, action="meeting.item_link", obj=item, data={"task": task.code})
    return item


# --- instructions ---------------------------------------------------------------------------


def _instruction_check(
    *,
    leader: User | None,
    text: str,
    given_on: dt.date | None,
    doc_title: str,
    urgency: str,
    report_due: dt.date | None,
    **_other,
) -> None:
    errors: dict[str, list[str]] = {}
    if leader is None:
        errors["leader"] = [_("请选择批示领导。")]
    elif leader.role != Role.LEADER:
        errors["leader"] = [_("批示领导必须是领导角色的用户。")]
    if not (text or "").strip():
        errors["text"] = [_("请填写批示内容。")]
    if not (doc_title or "").strip():
        errors["doc_title"] = [_("请填写来文标题。")]
    if given_on is None:
        errors["given_on"] = [_("请填写批示日期。")]
    elif report_due is not None and report_due < given_on:
        errors["report_due"] = [_("办理情况报送时限不能早于批示日期。")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("未知的缓急程度。")]
    if errors:
        raise ValidationError(errors)


def _instruction_title(leader: User, doc_title: str) -> str:
    return (_("%(leader)s对《%(doc)s》的批示") % {"leader": leader.display_name, "doc": doc_title})[
        :200
    ]


@transaction.atomic
def instruction_create(
    *,
    actor: User,
    leader: User,
    text: str,
    given_on: dt.date,
    doc_title: str,
    doc_number: str = "",
    doc_file: UploadedFile | None = None,
    urgency: str = Urgency.NORMAL,
    report_due: dt.date | None = None,
    source: Source | None = None,
) -> Instruction:
    """办文: record a leader's instruction (批示) on a document, on a new task source of kind
    领导批示 (or on one already registered that has no instruction yet)."""
    policy.require(actor, "instruction.manage")
    _instruction_check(
        leader=leader,
        text=text,
        given_on=given_on,
        doc_title=doc_title,
        urgency=urgency,
        report_due=report_due,
    )
    _check_file(doc_file, "doc_file")
    doc_title = doc_title.strip()
    if source is None:
        source = source_create(
            actor=actor,
            kind=SourceKind.INSTRUCTION,
            title=_instruction_title(leader, doc_title),
            doc_number=doc_number,
            issued_on=given_on,
            issuer=leader.display_name,
            content=text.strip(),
        )
    elif (
        source.kind != SourceKind.INSTRUCTION or Instruction.objects.filter(source=source).exists()
    ):
        raise ValidationError(_("该任务来源不是领导批示，或已登记了批示件。"))
    instruction = Instruction(
        source=source,
        leader=leader,
        text=text.strip(),
        given_on=given_on,
        doc_title=doc_title,
        doc_number=doc_number.strip(),
        urgency=urgency,
        report_due=report_due,
        created_by=actor,
    )
    if doc_file is not None:
        instruction.doc_file.save(doc_file.name, doc_file, save=False)
        instruction.doc_file_name = doc_file.name[:200]
    instruction.full_clean()
    instruction.save()
    audit_log(
        actor=actor,
        action="instruction.create",
        obj=instruction,
        data={"source": source.code, "leader": leader.username},
    )
    return instruction


INSTRUCTION_FIELDS = (
    "leader",
    "text",
    "given_on",
    "doc_title",
    "doc_number",
    "urgency",
    "report_due",
)


@transaction.atomic
def instruction_update(
    *, actor: User, instruction: Instruction, doc_file: UploadedFile | None = None, **changes
) -> Instruction:
    """Correct an instruction's own fields (and replace its document file). Its source
    follows (title, 文号, date, issuer, content). Reports already sent stay as they were."""
    policy.require(actor, "instruction.manage")
    unknown = set(changes) - set(INSTRUCTION_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    instruction = (
        Instruction.objects.select_for_update(of=("self",), no_key=True)
        .select_related("source")
        .get(pk=instruction.pk)
    )
    merged = {f: getattr(instruction, f) for f in INSTRUCTION_FIELDS} | changes
    for field in ("text", "doc_title", "doc_number"):
        merged[field] = (merged[field] or "").strip()
    _instruction_check(**merged)
    _check_file(doc_file, "doc_file")
    diff = {
        f: [str(getattr(instruction, f) or ""), str(merged[f] or "")]
        for f in INSTRUCTION_FIELDS
        if getattr(instruction, f) != merged[f]
    }
    for field in diff:
        setattr(instruction, field, merged[field])
    if doc_file is not None:
        diff["doc_file"] = [instruction.doc_file_name, doc_file.name[:200]]
        instruction.doc_file.save(doc_file.name, doc_file, save=False)
        instruction.doc_file_name = doc_file.name[:200]
    if not diff:
        return instruction
    instruction.full_clean()
    instruction.save()
    source = instruction.source
    source.title = _instruction_title(instruction.leader, instruction.doc_title)
    source.doc_number = instruction.doc_number
    source.issued_on = instruction.given_on
    source.issuer = instruction.leader.display_name
    source.content = instruction.text
    source.full_clean()
    source.save(update_fields=["title", "doc_number", "issued_on", "issuer", "content"])
    audit_log(actor=actor, action="instruction.update", obj=instruction, data={"changes": diff})
    return instruction


def instruction_tasks(instruction: Instruction):
    """The tasks of the instruction's source, cancelled ones left out."""
    return (
        Task.objects.filter(source_id=instruction.source_id)
        .exclude(state=TaskState.CANCELLED)
        .select_related("lead_unit")
        .order_by("path")
    )


def instruction_status(
    *, tasks: int, open_tasks: int, reports: int, last_closed_at, last_report_at
) -> str:
    """待分解 (no task yet), 办理中, 已报告 (a report made), 已办结 (every task closed and
    reported after the last closure)."""
    if tasks == 0:
        return InstructionStatus.TO_DECOMPOSE
    done = open_tasks == 0 and reports and last_report_at and last_closed_at
    if done and last_report_at >= last_closed_at:
        return InstructionStatus.DONE
    if reports:
        return InstructionStatus.REPORTED
    return InstructionStatus.IN_PROGRESS


def report_overdue(instruction: Instruction, *, reports: int, today: dt.date) -> bool:
    """办理情况 not reported by its date."""
    return bool(instruction.report_due and not reports and instruction.report_due < today)


def instruction_report_draft(instruction: Instruction) -> str:
    """The report the office starts from: each task's state, progress and latest 工作进展."""
    tasks = list(instruction_tasks(instruction))
    latest: dict[int, ProgressReport] = {}
    for report in ProgressReport.objects.filter(task__in=tasks).order_by("submitted_at", "id"):
        latest[report.task_id] = report
    lines = [
        _("%(leader)s：") % {"leader": instruction.leader.display_name},
        _("您%(date)s在《%(doc)s》上的批示收悉。现将办理情况报告如下：")
        % {"date": _date_cn(instruction.given_on), "doc": instruction.doc_title},
    ]
    for n, task in enumerate(tasks, start=1):
        unit = task.lead_unit.display_name if task.lead_unit else _("未定牵头单位")
        head = _("%(n)d. %(title)s（%(unit)s牵头，%(state)s，进度 %(p)d%%）") % {
            "n": n,
            "title": task.title,
            "unit": unit,
            "state": task.get_state_display(),
            "p": task.progress,
        }
        report = latest.get(task.pk)
        if report is not None:
            body = _("%(date)s 进展：%(text)s") % {
                "date": report.report_date.isoformat(),
                "text": " ".join(report.progress_text.split()),
            }
        elif task.state == TaskState.DRAFT:
            body = _("任务正在交办。")
        elif task.state == TaskState.ASSIGNED:
            body = _("已交办，待承办单位签收。")
        else:
            body = _("尚未填报进展。")
        lines.append(f"{head}\n{body}")
    lines.append(_("特此报告。"))
    return "\n\n".join(lines)


def _date_cn(day: dt.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


@transaction.atomic
def instruction_report(*, actor: User, instruction: Instruction, text: str) -> InstructionReport:
    """报告办理情况: store the report (never edited afterwards) and tell the leader."""
    policy.require(actor, "instruction.manage")
    instruction = (
        Instruction.objects.select_for_update(of=("self",), no_key=True)
        .select_related("leader", "source")
        .get(pk=instruction.pk)
    )
    if not instruction_tasks(instruction).exists():
        raise ValidationError(
            _("该批示件还没有分解任务，无法报告办理情况。请先分解任务，再报告领导。")
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写办理情况。")})
    report = InstructionReport.objects.create(
        instruction=instruction, text=text, reported_by=actor, reported_at=clock.now()
    )
    notify(
        recipients=[instruction.leader],
        kind=NotificationKind.LEADER,
        title=_("办理情况报告：%(title)s") % {"title": instruction.source.title},
        body=text[:500],
        url=reverse("meetings:instruction_detail", args=[instruction.pk]),
    )
    audit_log(actor=actor, action="instruction.report", obj=report, data={"chars": len(text)})
    return report


@transaction.atomic
def instruction_report_read(
    *, actor: User, report: InstructionReport, comment: str = ""
) -> InstructionReport:
    """已阅: the leader has read the report; a further comment, if any, is kept with it and
    sent to whoever reported."""
    report = (
        InstructionReport.objects.select_for_update(of=("self",), no_key=True)
        .select_related("instruction__source")
        .get(pk=report.pk)
    )
    policy.require_read_report(actor, report)
    report.read_at = clock.now()
    report.read_comment = (comment or "").strip()
    report.save(update_fields=["read_at", "read_comment"])
    title = _("%(leader)s已阅办理情况：%(title)s") % {
        "leader": actor.display_name,
        "title": report.instruction.source.title,
    }
    notify(
        recipients=[report.reported_by],
        kind=NotificationKind.LEADER,
        title=title,
        body=report.read_comment,
        url=reverse("meetings:instruction_detail", args=[report.instruction_id]),
    )
    audit_log(
        actor=actor,
        action="instruction.report_read",
        obj=report,
        data={"comment": bool(report.read_comment)},
    )
    return report


def instructions_with_status(qs, *, today: dt.date | None = None) -> list[Instruction]:
    """Instructions with .status, .overdue and their counts, from one query each."""
    from django.db.models import Count, Max

    today = today or clock.today()
    live = ~Q(source__tasks__state=TaskState.CANCELLED)
    rows = list(
        qs.select_related("leader", "source").annotate(
            n_tasks=Count("source__tasks", filter=live, distinct=True),
            n_open=Count(
                "source__tasks",
                filter=live & ~Q(source__tasks__state=TaskState.CLOSED),
                distinct=True,
            ),
            last_closed=Max("source__tasks__closed_at"),
        )
    )
    stats = {
        r["instruction"]: r
        for r in InstructionReport.objects.filter(instruction__in=[i.pk for i in rows])
        .values("instruction")
        .annotate(
            n=Count("id"), last=Max("reported_at"), unread=Count("id", filter=Q(read_at=None))
        )
    }
    for inst in rows:
        s = stats.get(inst.pk, {})
        inst.n_reports = s.get("n", 0)
        inst.n_unread = s.get("unread", 0)
        inst.status = instruction_status(
            tasks=inst.n_tasks,
            open_tasks=inst.n_open,
            reports=inst.n_reports,
            last_closed_at=inst.last_closed,
            last_report_at=s.get("last"),
        )
        inst.status_label = InstructionStatus(inst.status).label
        inst.overdue = report_overdue(inst, reports=inst.n_reports, today=today)
    return rows
