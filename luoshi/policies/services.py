"""政策体系: registering policies, linking them to the goals they serve, and their
deliverables (政策兑现事项).

A deliverable is a task made by the task services (tasks.services.editing.task_create) under
the policy's source: the rules of a task's fields are theirs. What this module adds is the
policy's own rules (a promise is written, a deliverable falls due after the policy is issued,
a goal is a top-level task) and the PolicyDeliverable row that keeps the promise's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from luoshi.access import policy as access
from luoshi.audit.services import audit_log
from luoshi.org.models import Unit, User
from luoshi.policies.models import (
    Policy,
    PolicyDeliverable,
    PolicyGoal,
    PolicyLevel,
    PolicyStatus,
)
from luoshi.reports.attachments import attachments_validate
from luoshi.tasks.models import ReportCycle, Source, SourceKind, Task, TaskState
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import task_assign
from luoshi.tasks.services.sources import source_create

DELIVERABLE_CATEGORY = "政策兑现"
TITLE_MAX = 300
POLICY_FILE_EXTENSIONS = ("docx", "pdf", "doc", "wps", "ofd")
POLICY_FIELDS = (
    "title",
    "doc_number",
    "issuer",
    "issued_on",
    "level",
    "category",
    "summary",
    "valid_from",
    "valid_to",
)


@dataclass
class DeliverableRow:
    """One promise as the service takes it (units already resolved)."""

    promise: str
    lead_unit: Unit | None = None
    co_units: Sequence[Unit] = ()
    due: dt.date | None = None
    ongoing: bool = False
    title: str = ""
    owner: User | None = None
    lead_leader: User | None = None
    indicator_name: str = ""
    measure_unit: str = ""
    target: Decimal | None = None
    baseline: Decimal | None = None
    errors: list[str] = field(default_factory=list)


def _check_file(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in POLICY_FILE_EXTENSIONS:
        message = _("文件“%(name)s”须为 .docx 或 .pdf 文件。") % {"name": name}
        raise ValidationError({"file": message})
    try:
        attachments_validate([upload])
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def _policy_errors(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not (values.get("title") or "").strip():
        add("title", _("请填写政策名称。"))
    if values.get("issued_on") is None:
        add("issued_on", _("请填写发布日期。"))
    if values.get("level") not in PolicyLevel.values:
        add("level", _("未知的政策层级。"))
    start, end = values.get("valid_from"), values.get("valid_to")
    if start and end and end < start:
        add("valid_to", _("有效期止不能早于有效期起。"))
    return errors


def _store_file(policy: Policy, upload: UploadedFile) -> None:
    policy.file.save(upload.name, upload, save=False)
    policy.file_name = upload.name[:200]


@transaction.atomic
def policy_create(
    *,
    actor: User,
    title: str,
    issued_on: dt.date,
    doc_number: str = "",
    issuer: str = "",
    level: str = PolicyLevel.CITY,
    category: str = "",
    summary: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    file: UploadedFile | None = None,
    source: Source | None = None,
    goals: Sequence[tuple[Task, str]] = (),
    deliverables: Sequence[DeliverableRow] = (),
) -> Policy:
    """登记政策: a policy on a new task source of kind 文件 (or on one already registered that
    has no policy yet), with the goals it serves and its deliverables if given."""
    access.require(actor, "policy.manage")
    values = {
        "title": title,
        "issued_on": issued_on,
        "level": level,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    errors = _policy_errors(values)
    if errors:
        raise ValidationError(errors)
    _check_file(file)
    if source is None:
        source = source_create(
            actor=actor,
            kind=SourceKind.DOCUMENT,
            title=title,
            doc_number=doc_number,
            issued_on=issued_on,
            issuer=issuer,
            content=summary[:2000],
        )
    elif source.kind != SourceKind.DOCUMENT or Policy.objects.filter(source=source).exists():
        raise ValidationError(_("该任务来源不是文件，或已登记为政策。"))
    policy = Policy(
        source=source,
        title=title.strip(),
        doc_number=doc_number.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
        level=level,
        category=category.strip(),
        summary=summary.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor,
    )
    if file is not None:
        _store_file(policy, file)
    policy.full_clean()
    policy.save()
    audit_log(
        actor=actor,
        action="policy.create",
        obj=policy,
        data={"source": source.code, "doc_number": policy.doc_number},
    )
    for goal, note in goals:
        policy_goal_link(actor=actor, policy=policy, goal=goal, note=note)
    if deliverables:
        deliverables_create(actor=actor, policy=policy, rows=deliverables)
    return policy


@transaction.atomic
def policy_update(
    *, actor: User, policy: Policy, file: UploadedFile | None = None, **changes
) -> Policy:
    """修改政策: its own fields (the source's title, 文号, date and issuer follow)."""
    access.require(actor, "policy.manage")
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    policy = Policy.objects.select_for_update(no_key=True).get(pk=policy.pk)
    merged = {f: getattr(policy, f) for f in POLICY_FIELDS} | changes
    errors = _policy_errors(merged)
    issued_on = merged["issued_on"]
    if issued_on and issued_on != policy.issued_on:
        early = policy.deliverables.filter(task__due__lt=issued_on).count()
        if early:
            errors.setdefault("issued_on", []).append(
                _("已有兑现事项的时限早于新的发布日期，请先调整兑现事项。")
            )
    if errors:
        raise ValidationError(errors)
    _check_file(file)
    diff: dict[str, list[str]] = {}
    for name, value in merged.items():
        if isinstance(value, str):
            value = value.strip()
        old = getattr(policy, name)
        if old != value:
            diff[name] = [str(old or ""), str(value or "")]
            setattr(policy, name, value)
    if file is not None:
        diff["file"] = [policy.file_name, file.name[:200]]
        _store_file(policy, file)
    if not diff:
        return policy
    policy.full_clean()
    policy.save()
    source = policy.source
    source.title = policy.title[:200]
    source.doc_number = policy.doc_number
    source.issued_on = policy.issued_on
    source.issuer = policy.issuer
    source.save(update_fields=["title", "doc_number", "issued_on", "issuer"])
    audit_log(actor=actor, action="policy.update", obj=policy, data={"changes": diff})
    return policy


@transaction.atomic
def policy_set_status(
    *,
    actor: User,
    policy: Policy,
    status: str,
    superseded_by: Policy | None = None,
    note: str = "",
) -> Policy:
    """废止 or 修订: a repealed policy keeps its record; a revised one names the policy that
    replaced it. Its deliverables stay as they are (the office closes or cancels them on the
    task pages). Back to 有效 clears the successor."""
    access.require(actor, "policy.manage")
    policy = Policy.objects.select_for_update(no_key=True).get(pk=policy.pk)
    if status not in PolicyStatus.values:
        raise ValidationError({"status": _("未知的政策状态。")})
    if status == PolicyStatus.REVISED:
        if superseded_by is None:
            raise ValidationError({"superseded_by": _("已修订的政策须指明修订后的政策。")})
        if superseded_by.pk == policy.pk:
            raise ValidationError({"superseded_by": _("政策不能由自己修订。")})
        seen, nxt = {policy.pk}, superseded_by
        while nxt is not None:
            if nxt.pk in seen:
                raise ValidationError({"superseded_by": _("修订关系不能成环。")})
            seen.add(nxt.pk)
            nxt = nxt.superseded_by
    else:
        superseded_by = None
    old = [policy.status, policy.superseded_by_id]
    policy.status = status
    policy.superseded_by = superseded_by
    policy.status_note = note.strip()[:200]
    policy.save(update_fields=["status", "superseded_by", "status_note"])
    audit_log(
        actor=actor,
        action="policy.status",
        obj=policy,
        data={
            "status": [old[0], status],
            "superseded_by": [old[1], superseded_by.pk if superseded_by else None],
            "note": policy.status_note,
        },
    )
    return policy


def goal_choices(user: User):
    """Goals a policy may serve: top-level tasks the user sees that are not themselves a
    policy's deliverable."""
    return (
        access.visible_tasks(user).filter(depth=0, policy_deliverable__isnull=True).order_by("code")
    )


@transaction.atomic
def policy_goal_link(*, actor: User, policy: Policy, goal: Task, note: str = "") -> PolicyGoal:
    """关联目标: the policy serves this goal (a top-level task)."""
    access.require(actor, "policy.manage")
    if not goal_choices(actor).filter(pk=goal.pk).exists():
        if goal.depth != 0 or goal.parent_id:
            raise ValidationError({"goal": _("只能关联目标（顶层任务），不能关联子任务。")})
        raise ValidationError({"goal": _("该任务不能作为政策服务的目标。")})
    if PolicyGoal.objects.filter(policy=policy, goal=goal).exists():
        raise ValidationError({"goal": _("该政策已关联此目标。")})
    link = PolicyGoal.objects.create(policy=policy, goal=goal, note=(note or "").strip()[:200])
    audit_log(
        actor=actor,
        action="policy.goal_link",
        obj=policy,
        data={"goal": goal.code, "note": link.note},
    )
    return link


@transaction.atomic
def policy_goal_unlink(*, actor: User, link: PolicyGoal) -> None:
    access.require(actor, "policy.manage")
    code = link.goal.code
    policy = link.policy
    link.delete()
    audit_log(actor=actor, action="policy.goal_unlink", obj=policy, data={"goal": code})


def _task_title(promise: str) -> str:
    text = " ".join(promise.split())
    for stop in ("。", "；"):
        head = text.split(stop, 1)[0]
        if 0 < len(head) < len(text):
            text = head
            break
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


def deliverable_errors(policy: Policy, row: DeliverableRow) -> list[str]:
    """The policy's own rules for one promise (the task's rules are task_create's)."""
    errors = []
    if not (row.promise or "").strip():
        errors.append(_("请填写兑现事项的内容。"))
    if row.lead_unit is None:
        errors.append(_("请指定兑现事项的牵头单位。"))
    if row.due is None and not row.ongoing:
        errors.append(_("请填写兑现时限（或标为长期坚持）。"))
    if row.due is not None and row.due < policy.issued_on:
        errors.append(
            _("兑现时限（%(due)s）不能早于政策发布日期（%(issued)s）。")
            % {"due": row.due.isoformat(), "issued": policy.issued_on.isoformat()}
        )
    if row.indicator_name.strip() and row.target is None:
        errors.append(_("量化指标须填写目标值。"))
    if row.target is not None and not row.indicator_name.strip():
        errors.append(_("填写了目标值，请同时填写指标名称。"))
    return errors


@transaction.atomic
def deliverables_create(
    *, actor: User, policy: Policy, rows: Sequence[DeliverableRow], assign: bool = False
) -> list[PolicyDeliverable]:
    """添加兑现事项: each promise becomes a task under the policy's source (made by
    task_create: state 起草; with `assign`, 交办 at once) and a PolicyDeliverable row. All or
    nothing: the ValidationError maps "row N" to that row's messages."""
    access.require(actor, "policy.manage")
    policy = (
        Policy.objects.select_for_update(no_key=True).select_related("source").get(pk=policy.pk)
    )
    rows = list(rows)
    if not rows:
        raise ValidationError(_("请至少填写一项兑现事项。"))
    errors = {
        f"row{n}": msgs
        for n, row in enumerate(rows, start=1)
        if (msgs := [*row.errors, *deliverable_errors(policy, row)])
    }
    if errors:
        raise ValidationError(errors)
    number = (policy.deliverables.aggregate(m=Max("number"))["m"] or 0) + 1
    made = []
    for n, row in enumerate(rows, start=1):
        indicators = []
        if row.indicator_name.strip():
            indicators = [
                {
                    "name": row.indicator_name.strip()[:100],
                    "measure_unit": row.measure_unit.strip()[:20],
                    "target": row.target,
                    "baseline": row.baseline,
                }
            ]
        try:
            task = task_create(
                actor=actor,
                source=policy.source,
                title=(row.title or "").strip() or _task_title(row.promise),
                content=row.promise.strip(),
                category=DELIVERABLE_CATEGORY,
                lead_unit=row.lead_unit,
                co_units=list(row.co_units),
                owner=row.owner,
                lead_leader=row.lead_leader,
                start_date=policy.issued_on,
                due=row.due,
                ongoing=row.ongoing,
                report_cycle=ReportCycle.MONTHLY,
                indicators=indicators,
            )
        except ValidationError as exc:
            raise ValidationError({f"row{n}": exc.messages}) from exc
        deliverable = PolicyDeliverable.objects.create(
            policy=policy, task=task, number=number, promise=row.promise.strip()
        )
        number += 1
        made.append(deliverable)
    audit_log(
        actor=actor,
        action="policy.deliverables_add",
        obj=policy,
        data={"tasks": {str(d.number): d.task.code for d in made}, "assign": assign},
    )
    if assign:
        for d in made:
            task_assign(actor=actor, task=d.task)
            d.task.refresh_from_db()
    return made


@transaction.atomic
def deliverables_assign(*, actor: User, policy: Policy) -> int:
    """交办 every deliverable of the policy still in draft (task_assign checks each)."""
    access.require(actor, "policy.manage")
    drafts = [
        d.task
        for d in policy.deliverables.select_related("task").filter(task__state=TaskState.DRAFT)
    ]
    if not drafts:
        raise ValidationError(_("没有待交办的兑现事项。"))
    for task in drafts:
        task_assign(actor=actor, task=task)
    return len(drafts)


@transaction.atomic
def deliverable_link(
    *, actor: User, policy: Policy, task: Task, promise: str = ""
) -> PolicyDeliverable:
    """Tie a task already under the policy's source to the policy as a deliverable."""
    access.require(actor, "policy.manage")
    policy = Policy.objects.select_for_update(no_key=True).get(pk=policy.pk)
    if task.source_id != policy.source_id:
        raise ValidationError(_("任务不属于该政策的任务来源。"))
    if PolicyDeliverable.objects.filter(task=task).exists():
        raise ValidationError(_("该任务已是兑现事项。"))
    promise = (promise or "").strip() or task.content or task.title
    number = (policy.deliverables.aggregate(m=Max("number"))["m"] or 0) + 1
    deliverable = PolicyDeliverable.objects.create(
        policy=policy, task=task, number=number, promise=promise
    )
    audit_log(actor=actor, action="policy.deliverable_link", obj=policy, data={"task": task.code})
    return deliverable
