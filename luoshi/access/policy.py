"""Who may see and do what. Every permission decision in Luoshi is made here.

Views, API endpoints, commands and jobs ask this module; no other module compares roles.

Visibility of tasks (DESIGN.md, Roles):
  supervisor, leader  every task whose lead unit or a co-unit lies in their scope
                      (User.scope_unit's subtree; the whole tree when unset); a leader also
                      sees the tasks where they are the lead leader
  liaison, unit_head  tasks where their own unit is the lead unit or a co-unit
  sysadmin, secadmin, auditor   no business content

Parts of a task ("a co-unit sees the task and its own part"): the office, leaders and the
lead unit see every unit's progress reports, closure requests, attachments and their history
entries; a co-unit sees only its own unit's. Everyone who sees the task sees the task itself,
its time nodes, indicators, overall progress and which units take part (who signed).

Refusals: a user who may not see an object gets 404 (its existence is not revealed); one who
sees it but may not act gets 403 with the reason in Chinese (denial_message).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from luoshi.org.models import Role, Unit, User
from luoshi.tasks.models import (
    OPEN_STATES,
    AssignmentRole,
    ClosureDecision,
    ClosureRequest,
    Source,
    Task,
    TaskEvent,
    TaskState,
    TaskUnit,
)

OFFICE_ROLES = {Role.SUPERVISOR}
OVERSIGHT_ROLES = {Role.SUPERVISOR, Role.LEADER}
UNIT_ROLES = {Role.LIAISON, Role.UNIT_HEAD}
ADMIN_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}

# Actions that do not concern one task: which roles may do them at all.
ROLE_ACTIONS: dict[str, set[str]] = {
    "home.view": {r.value for r in Role},
    "task.list": OVERSIGHT_ROLES | UNIT_ROLES,
    "task.create": OFFICE_ROLES,
    "source.list": OVERSIGHT_ROLES,
    "source.create": OFFICE_ROLES,
    "calendar.view": OVERSIGHT_ROLES | {Role.SYSADMIN},
    "calendar.edit": {Role.SYSADMIN},
    "org.manage": {Role.SYSADMIN},
    "audit.view": {Role.AUDITOR},
    # 消息: everyone reads their own inbox; the system administrator runs the channels
    "inbox.view": {r.value for r in Role},
    "notify.manage": {Role.SYSADMIN},
    # 督办: the ladder's rules, 催办 of many tasks at once, the list of 督办单
    "supervision.ladder": OFFICE_ROLES,
    "supervision.urge": OFFICE_ROLES,
    "supervision.notices": OVERSIGHT_ROLES,
    # 延期申请 and 回头看 lists: the office and leaders those on tasks they see, a unit those of
    # the tasks it leads
    "extension.list": OVERSIGHT_ROLES | UNIT_ROLES,
    "recheck.list": OVERSIGHT_ROLES | UNIT_ROLES,
    # 办会办文: the office records meetings and instructions; leaders read those in their scope
    "meeting.list": OVERSIGHT_ROLES,
    "meeting.manage": OFFICE_ROLES,
    "instruction.list": OVERSIGHT_ROLES,
    "instruction.manage": OFFICE_ROLES,
    # 督查通报: the office generates and issues them; leaders read and download
    "bulletin.generate": OFFICE_ROLES,
    "bulletin.view": OVERSIGHT_ROLES,
    # 台账导入导出: the office imports and exports everything; a unit exports its own tasks and
    # re-imports that ledger to submit progress on them (no new tasks, no changed fields)
    "ledger.import": OFFICE_ROLES | UNIT_ROLES,
    "ledger.export": OVERSIGHT_ROLES | UNIT_ROLES,
    # 从文件生成任务: the office reads a document's tasks and, after the preview, creates them
    "extraction.run": OFFICE_ROLES,
    # 表彰与问责: the office records every kind (a leader records 领导表扬 on a task they see:
    # policy.may_record_outcome); leaders read those in scope, a unit its own
    "outcome.list": OVERSIGHT_ROLES | UNIT_ROLES,
    "outcome.manage": OFFICE_ROLES,
    # 干部评价: the office runs a round; assigned reviewers score; results for the office and
    # leaders in scope
    "cadre.manage": OFFICE_ROLES,
    "cadre.review": OVERSIGHT_ROLES | {Role.UNIT_HEAD},
    "cadre.results": OVERSIGHT_ROLES,
    # 政策体系: the office registers policies and their deliverables; leaders read them all, a
    # unit the policies whose deliverables it leads or helps with (policy.visible_policies)
    "policy.view": OVERSIGHT_ROLES | UNIT_ROLES,
    "policy.manage": OFFICE_ROLES,
    # 考核评价: the office keeps the schemes, grades closed tasks, scores and publishes periods;
    # leaders read the results
    "evaluation.manage": OFFICE_ROLES,
    "evaluation.view": OVERSIGHT_ROLES,
    # 接口 (REST API, docs/API.md): business roles call it with their own token, seeing and
    # doing exactly what their pages allow; everyone who may call it keeps their own tokens,
    # the system administrator sees and revokes every token and runs the outgoing webhooks
    "api.use": OVERSIGHT_ROLES | UNIT_ROLES,
    "api.tokens": OVERSIGHT_ROLES | UNIT_ROLES | {Role.SYSADMIN},
    "api.webhooks": {Role.SYSADMIN},
    # 搜索: across the tasks, reports and sources the user may see
    "search.use": OVERSIGHT_ROLES | UNIT_ROLES,
    # 领导驾驶舱: the office and leaders, each over the tasks in their scope (visible_tasks)
    "cockpit.view": OVERSIGHT_ROLES,
    # 账户安全 (luoshi/security): everyone changes their own password and second factor; the
    # 安全管理员 keeps the security policy, unlocks, resets second factors and grants roles
    "security.account": {r.value for r in Role},
    "security.manage": {Role.SECADMIN},
    # 督查活动 (docs/CAMPAIGNS.md): the office plans and runs inspections; leaders read plans and
    # inspections in scope; a supervised unit sees its own notices, findings, statements and
    # rectifications (luoshi.access.campaigns)
    "campaign.view": OVERSIGHT_ROLES | UNIT_ROLES,
    "campaign.plans": OVERSIGHT_ROLES,
    "campaign.list": OVERSIGHT_ROLES,
    "campaign.manage": OFFICE_ROLES,
    "campaign.unit": UNIT_ROLES,
    # 群众线索 (docs/CLUES.md): the office triages what the public hands in; leaders read the
    # clues in their scope (luoshi.access.clues); units never see a clue, only a task made of it
    "clue.list": OVERSIGHT_ROLES,
    "clue.triage": OFFICE_ROLES,
}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def allowed(user, action: str) -> bool:
    """May this user perform an action that is not about one object?"""
    if not _active(user):
        return False
    roles = ROLE_ACTIONS.get(action)
    if roles is None:
        raise KeyError(f"unknown action {action!r}")
    return user.role in roles


def require(user, action: str, task: Task | None = None) -> None:
    """Raise PermissionDenied (403) with a Chinese message unless allowed."""
    ok = can(user, action, task) if task is not None else allowed(user, action)
    if not ok:
        raise PermissionDenied(denial_message(action, user, task))


def _who_may(action: str) -> str:
    """Why a role may not do `action`: who may."""
    messages = {
        # role-level actions
        "task.list": _("台账只对督查室人员、领导和承办单位开放。"),
        "task.create": _("只有督查室人员可以新建任务。"),
        "source.list": _("只有督查室人员和领导可以查看任务来源。"),
        "source.create": _("只有督查室人员可以登记任务来源。"),
        "calendar.view": _("工作日历只对督查室人员、领导和系统管理员开放。"),
        "calendar.edit": _("只有系统管理员可以修改工作日历。"),
        "org.manage": _("只有系统管理员可以管理单位与账号。"),
        "audit.view": _("只有审计管理员可以查看审计日志。"),
        "notify.manage": _("只有系统管理员可以管理消息推送和群机器人。"),
        "extension.list": _("延期申请只对督查室人员、领导和承办单位开放。"),
        "recheck.list": _("回头看只对督查室人员、领导和承办单位开放。"),
        "meeting.list": _("会议只对督查室人员和领导开放。"),
        "meeting.manage": _("只有督查室人员可以登记会议、议定事项和生成任务。"),
        "instruction.list": _("批示件只对督查室人员和领导开放。"),
        "instruction.manage": _("只有督查室人员可以登记批示件和报告办理情况。"),
        "bulletin.generate": _("只有督查室人员可以生成和印发督查通报。"),
        "bulletin.view": _("督查通报只对督查室人员和领导开放。"),
        "ledger.import": _("只有督查室人员和承办单位可以导入台账。"),
        "ledger.export": _("台账导出只对督查室人员、领导和承办单位开放。"),
        "extraction.run": _("只有督查室人员可以从文件生成任务。"),
        "outcome.list": _("表彰与问责记录只对督查室人员、领导和本单位开放。"),
        "outcome.manage": _("只有督查室人员可以记录和撤销表彰与问责；领导可以对任务作出领导表扬。"),
        "cadre.manage": _("只有督查室人员可以组织干部评价。"),
        "cadre.review": _("只有被指定的评价人可以填写干部评价表。"),
        "cadre.results": _("干部评价结果只对组织评价的督查室人员和管辖范围内的领导开放。"),
        "policy.view": _("政策只对督查室人员、领导和承担兑现事项的单位开放。"),
        "policy.manage": _("只有督查室人员可以登记政策和兑现事项。"),
        "evaluation.manage": _("只有督查室人员可以设置考核方案、评定质量等次和计分。"),
        "evaluation.view": _("考核结果只对督查室人员和领导开放。"),
        "api.use": _("接口只对督查室人员、领导和承办单位开放。"),
        "api.tokens": _("接口令牌只对督查室人员、领导、承办单位和系统管理员开放。"),
        "api.webhooks": _("只有系统管理员可以管理推送订阅。"),
        "search.use": _("搜索只对督查室人员、领导和承办单位开放。"),
        "cockpit.view": _("领导驾驶舱只对督查室人员和领导开放。"),
        "security.manage": _("只有安全管理员可以管理安全策略、解锁账号和授予角色。"),
        "campaign.view": _("督查活动只对督查室人员、领导和被督查单位开放。"),
        "campaign.plans": _("督查计划只对督查室人员和领导开放。"),
        "campaign.list": _("督查活动只对督查室人员和领导开放。"),
        "campaign.manage": _("只有督查室人员可以编制督查计划、组织实施督查活动。"),
        "campaign.unit": _("“督查通知与整改”只对被督查单位的联络员和负责人开放。"),
        "clue.list": _("群众线索只对督查室人员和领导开放。"),
        "clue.triage": _("只有督查室人员可以处理群众线索。"),
        # actions on one task
        "task.edit": _("只有督查室人员可以编辑任务。"),
        "task.decompose": _("只有督查室人员可以分解任务。"),
        "task.assign": _("只有督查室人员可以交办任务。"),
        "task.verify": _("只有督查室人员可以审核办结申请。"),
        "task.head_review": _("只有牵头单位的负责人可以审核本单位的办结申请。"),
        "task.return": _("只有督查室人员可以退回办结申请。"),
        "task.suspend": _("只有督查室人员可以暂缓任务。"),
        "task.resume": _("只有督查室人员可以恢复任务。"),
        "task.cancel": _("只有督查室人员可以撤销任务。"),
        "task.acknowledge": _("只有任务承办单位的联络员或负责人可以签收。"),
        "task.report": _("只有任务承办单位的联络员或负责人可以填报进展。"),
        "task.request_closure": _("只有牵头单位的联络员或负责人可以申请办结。"),
        "task.milestone": _("只有督查室人员或已签收的牵头单位可以标记节点完成。"),
        "task.comment": _("只有管辖范围内的领导可以作出批示或点评。"),
    }
    return messages.get(action, _("您没有执行此操作的权限。"))


def _not_now(action: str, task: Task, mine: TaskUnit | None) -> str:
    """Why a user whose role may do `action` on this task may not do it now."""
    state = task.get_state_display()
    if action in {"task.acknowledge", "task.report", "task.request_closure", "task.milestone"}:
        if action == "task.acknowledge" and mine is not None and mine.acknowledged_at:
            return _("本单位已签收该任务，无需重复签收。")
        if task.state in OPEN_STATES and mine is not None and mine.acknowledged_at is None:
            return _("请先签收任务。")
        if action == "task.request_closure" and task.state == TaskState.CLOSURE_REQUESTED:
            return _("该任务已申请办结，正在等待审核。")
        if action == "task.request_closure" and _awaits_head(task):
            return _("办结申请已提交，正在等待本单位负责人审核。")
    if action == "task.head_review":
        return _("没有等待本单位负责人审核的办结申请。")
    if action in {"task.edit", "task.decompose"}:
        return _("任务已办结或已撤销，不能再修改。")
    if action == "task.assign":
        return _("只有起草中的任务可以交办；该任务当前状态为“%(state)s”。") % {"state": state}
    if action in {"task.verify", "task.return"}:
        return _("该任务没有待审核的办结申请（当前状态为“%(state)s”）。") % {"state": state}
    if action == "task.resume":
        return _("只有暂缓中的任务可以恢复；该任务当前状态为“%(state)s”。") % {"state": state}
    sentences = {
        "task.acknowledge": _("任务当前状态为“%(state)s”，不能签收。"),
        "task.report": _("任务当前状态为“%(state)s”，不能填报。"),
        "task.request_closure": _("任务当前状态为“%(state)s”，不能申请办结。"),
        "task.milestone": _("任务当前状态为“%(state)s”，不能标记节点完成。"),
        "task.suspend": _("任务当前状态为“%(state)s”，不能暂缓。"),
        "task.cancel": _("任务当前状态为“%(state)s”，不能撤销。"),
        "task.comment": _("任务当前状态为“%(state)s”，不能批示。"),
    }
    sentence = sentences.get(action, _("任务当前状态为“%(state)s”，不能执行此操作。"))
    return sentence % {"state": state}


def denial_message(action: str, user=None, task: Task | None = None) -> str:
    """The reason, in Chinese, why `user` may not do `action` (on `task`): who may, or, when
    the user is among those, why not now (the task's state, not yet signed…)."""
    if action in FOLLOWUP_ACTIONS:
        return _followup_denial(action, user, task)
    if action in SUPERVISION_ACTIONS:
        return _supervision_denial(action, user, task)
    if task is None or user is None or not _active(user):
        return _who_may(action)
    role = user.role
    if action == "task.comment":
        return _not_now(action, task, None) if role == Role.LEADER else _who_may(action)
    if action in TASK_OFFICE_ACTIONS:
        return _not_now(action, task, None) if role in OFFICE_ROLES else _who_may(action)
    mine = own_assignment(user, task)
    if action == "task.milestone" and role in OFFICE_ROLES:
        return _not_now(action, task, None)
    if mine is None or (
        action in {"task.request_closure", "task.milestone", "task.head_review"}
        and mine.role != AssignmentRole.LEAD
    ):
        return _who_may(action)
    if action == "task.head_review" and role != Role.UNIT_HEAD:
        return _who_may(action)
    return _not_now(action, task, mine)


# --- scope ---------------------------------------------------------------------------------------


def scope_units(user) -> QuerySet[Unit] | None:
    """Units whose tasks an oversight user sees; None means every unit."""
    if user.scope_unit_id is None:
        return None
    return Unit.objects.filter(path__startswith=user.scope_unit.path)


def visible_tasks(user, qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Every list of tasks shown to a user is filtered through here."""
    qs = Task.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if user.role in OVERSIGHT_ROLES:
        units = scope_units(user)
        if units is None:
            return qs
        # One semi-join over the assignments: every task's lead unit has its TaskUnit row
        # (tasks.services.editing writes it with the task, draft or not), so this covers
        # leading and co-operating. (`lead_unit IN … OR EXISTS(…)` made PostgreSQL probe the
        # assignments once per task of the whole database: 0.7 s for a city of a province.)
        in_scope = Q(pk__in=TaskUnit.objects.filter(unit__in=units).values("task_id"))
        if user.role == Role.LEADER:
            in_scope |= Q(lead_leader=user)
        return qs.filter(in_scope)
    if user.role in UNIT_ROLES and user.unit_id:
        return qs.filter(
            Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit_id=user.unit_id))
        ).exclude(state=TaskState.DRAFT)
    return qs.none()


def visible_sources(user, qs: QuerySet[Source] | None = None) -> QuerySet[Source]:
    """Sources (任务来源) an oversight user may browse: every one when their scope is the
    whole tree, else those with a task they see or that they registered. Others see none."""
    qs = Source.objects.all() if qs is None else qs
    if not _active(user) or user.role not in OVERSIGHT_ROLES:
        return qs.none()
    if user.scope_unit_id is None:
        return qs
    return qs.filter(Exists(visible_tasks(user).filter(source=OuterRef("pk"))) | Q(created_by=user))


def can_view_task(user, task: Task) -> bool:
    # Remembered on the instance for this user, so asking several actions costs one query.
    cache = task.__dict__.setdefault("_visible_to", {})
    key = (getattr(user, "pk", None), task.state)
    if key not in cache:
        cache[key] = visible_tasks(user, Task.objects.filter(pk=task.pk)).exists()
    return cache[key]


def own_assignment(user, task: Task) -> TaskUnit | None:
    """The user's unit's part in this task, if the user acts for a unit that has one."""
    if not _active(user) or user.role not in UNIT_ROLES or not user.unit_id:
        return None
    return TaskUnit.objects.filter(task=task, unit_id=user.unit_id).first()


def _awaits_head(task: Task) -> bool:
    return task.closure_requests.filter(decision=ClosureDecision.HEAD_PENDING).exists()


def can(user, action: str, task: Task) -> bool:
    """May this user perform `action` on this task? (Visibility is checked first.)"""
    if not _active(user) or not can_view_task(user, task):
        return False
    role = user.role
    if action == "task.view":
        return True
    if action in {"task.edit", "task.decompose"}:
        return role in OFFICE_ROLES and task.state not in (TaskState.CLOSED, TaskState.CANCELLED)
    if action == "task.assign":
        return role in OFFICE_ROLES and task.state == TaskState.DRAFT
    if action in {"task.verify", "task.return"}:
        return role in OFFICE_ROLES and task.state == TaskState.CLOSURE_REQUESTED
    if action in {"task.suspend", "task.cancel"}:
        return role in OFFICE_ROLES and task.state in (*OPEN_STATES, TaskState.DRAFT)
    if action == "task.resume":
        return role in OFFICE_ROLES and task.state == TaskState.SUSPENDED
    if action in SUPERVISION_ACTIONS:
        return _can_supervise(user, action, task)
    if action == "task.comment":
        # 批示/点评: a leader who sees the task, once it is handed out and not cancelled
        return role == Role.LEADER and task.state not in (TaskState.DRAFT, TaskState.CANCELLED)
    if action in FOLLOWUP_ACTIONS:
        return _can_followup(user, action, task)
    mine = own_assignment(user, task)
    if action == "task.acknowledge":
        return mine is not None and mine.acknowledged_at is None and task.state in OPEN_STATES
    if action == "task.report":
        return (
            mine is not None
            and mine.acknowledged_at is not None
            and task.state in (TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED)
        )
    if action == "task.request_closure":
        return (
            mine is not None
            and mine.role == AssignmentRole.LEAD
            and mine.acknowledged_at is not None
            and task.state == TaskState.IN_PROGRESS
            and not _awaits_head(task)
        )
    if action == "task.head_review":
        # 单位负责人审核: the lead unit's head approves or returns a liaison's closure request.
        return (
            role == Role.UNIT_HEAD
            and mine is not None
            and mine.role == AssignmentRole.LEAD
            and task.state == TaskState.IN_PROGRESS
            and _awaits_head(task)
        )
    if action == "task.milestone":
        # 节点完成: the office, or the lead unit once it has signed for the task.
        if task.state not in OPEN_STATES:
            return False
        if role in OFFICE_ROLES:
            return True
        return (
            mine is not None
            and mine.role == AssignmentRole.LEAD
            and mine.acknowledged_at is not None
        )
    raise KeyError(f"unknown action {action!r}")


def get_task_for_user(user, pk: int, action: str = "task.view") -> Task:
    """The task, if the user may see it (else 404) and may do `action` on it (else 403)."""
    task = visible_tasks(user).filter(pk=pk).select_related("source", "lead_unit").first()
    if task is None:
        raise Http404(_("任务不存在或您无权查看。"))
    if action != "task.view":
        require(user, action, task)
    return task


def is_unit_user(user: User) -> bool:
    return _active(user) and user.role in UNIT_ROLES


def is_office_user(user: User) -> bool:
    return _active(user) and user.role in OFFICE_ROLES


TASK_OFFICE_ACTIONS = {
    "task.edit",
    "task.decompose",
    "task.assign",
    "task.verify",
    "task.return",
    "task.suspend",
    "task.resume",
    "task.cancel",
}
TASK_ACTIONS = (
    "task.edit",
    "task.decompose",
    "task.assign",
    "task.verify",
    "task.return",
    "task.suspend",
    "task.resume",
    "task.cancel",
    "task.acknowledge",
    "task.report",
    "task.request_closure",
    "task.head_review",
    "task.milestone",
    "task.urge",
    "task.notice",
    "task.notice_reply",
    "task.supervise",
    "task.request_extension",
    "task.decide_extension",
    "task.schedule_recheck",
    "task.confirm_recheck",
    "task.verify_recheck",
    "task.cancel_recheck",
    "task.comment",
)


def task_actions(user, task: Task) -> set[str]:
    """Every action this user may take on this task now (for showing buttons)."""
    if not can_view_task(user, task):
        return set()
    return {action for action in TASK_ACTIONS if can(user, action, task)}


# --- parts of a task: reports, closure requests, their files and history ---------------------

# History entries that tell one unit's part: another unit's are hidden from a co-unit.
PART_EVENT_KINDS = (
    "reported",
    "closure_requested",
    "extension_requested",  # the lead unit's reason for asking
    # 督办 of the lead unit (催办, 督办单, 约谈…): a co-unit reads its own replies only
    "reminded",
    "urged",
    "notice_issued",
    "notice_replied",
    "notice_closed",
    "leader_notified",
    "bulletin_listed",
    "talk_recorded",
    "field_checked",
)
# History entries only the office and leaders read: a 督办单 drafted, not yet issued.
OFFICE_EVENT_KINDS = ("notice_drafted",)


def part_unit_id(user, task: Task) -> int | None:
    """Whose parts of this task the user sees: None for every unit's (the office, leaders,
    the lead unit), else the id of the user's own unit (a co-unit). Ask only for a user
    who may see the task. Remembered on the instance, like can_view_task."""
    cache = task.__dict__.setdefault("_part_unit", {})
    key = getattr(user, "pk", None)
    if key not in cache:
        if user.role in OVERSIGHT_ROLES:
            cache[key] = None
        else:
            mine = own_assignment(user, task)
            lead = mine is not None and mine.role == AssignmentRole.LEAD
            cache[key] = None if lead else user.unit_id
    return cache[key]


def sees_every_part(user, task: Task) -> bool:
    return can_view_task(user, task) and part_unit_id(user, task) is None


def visible_reports(user, task: Task, qs=None):
    """The progress reports (填报) of this task that the user may read."""
    from luoshi.reports.models import ProgressReport

    qs = (ProgressReport.objects.all() if qs is None else qs).filter(task=task)
    if not can_view_task(user, task):
        return qs.none()
    unit_id = part_unit_id(user, task)
    return qs if unit_id is None else qs.filter(unit_id=unit_id)


def visible_closure_requests(user, task: Task, qs=None):
    """The closure requests (办结申请) of this task that the user may read: they are the
    lead unit's, so a co-unit reads none."""
    qs = (ClosureRequest.objects.all() if qs is None else qs).filter(task=task)
    if not can_view_task(user, task):
        return qs.none()
    unit_id = part_unit_id(user, task)
    return qs if unit_id is None else qs.filter(unit_id=unit_id)


def visible_events(user, task: Task, qs=None):
    """The task's history as this user may read it: a co-unit does not read another unit's
    reports or closure request (with its summary) there either."""
    qs = (TaskEvent.objects.all() if qs is None else qs).filter(task=task)
    if not can_view_task(user, task):
        return qs.none()
    if user.role not in OVERSIGHT_ROLES:
        qs = qs.exclude(kind__in=OFFICE_EVENT_KINDS)
    unit_id = part_unit_id(user, task)
    if unit_id is None:
        return qs
    return qs.exclude(Q(kind__in=PART_EVENT_KINDS) & ~Q(unit_id=unit_id))


def get_attachment_for_user(user, pk: int):
    """An attachment, if the user may read the report or closure request it belongs to
    (else 404: whether it exists is not revealed)."""
    from luoshi.reports.models import Attachment

    attachment = (
        Attachment.objects.select_related("report__task", "closure_request__task")
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404(_("附件不存在。"))
    owner = attachment.report if attachment.report_id else attachment.closure_request
    task = owner.task
    if not can_view_task(user, task):
        raise Http404(_("附件不存在。"))
    unit_id = part_unit_id(user, task)
    if unit_id is not None and owner.unit_id != unit_id:
        raise Http404(_("附件不存在。"))
    return attachment


# --- supervision (督办): 催办, 督办单, 约谈 / 实地核查 -------------------------------------------
#
# The office urges (催办) and issues notices (下发督办单) on tasks being worked on (已交办,
# 办理中), and records talks and field checks (task.supervise, also used to close a notice)
# on any task past its draft that is not cancelled. A notice is read by whoever reads the
# task's every part (the office, leaders, the lead unit) and by the co-units it is copied to;
# units see it once issued. A unit replies, once, to a notice addressed to it (主送 or 抄送).
# Records (约谈, 实地核查) are read by whoever reads the task's every part.

SUPERVISION_ACTIONS = {
    "task.urge",
    "task.notice",
    "task.notice_reply",
    "task.supervise",
    "supervision.ladder",
    "supervision.urge",
    "supervision.notices",
}
SUPERVISED_STATES = (TaskState.ASSIGNED, TaskState.IN_PROGRESS)


def notices_to_reply(user, task: Task | None = None):
    """Issued notices addressed to the user's unit (主送 or 抄送) that it has not answered."""
    from luoshi.supervision.models import NoticeReply, NoticeState, SupervisionNotice

    if not _active(user) or user.role not in UNIT_ROLES or not user.unit_id:
        return SupervisionNotice.objects.none()
    qs = SupervisionNotice.objects.filter(
        Q(unit_id=user.unit_id) | Q(copy_units=user.unit_id),
        state__in=(NoticeState.ISSUED, NoticeState.REPLIED),
    ).exclude(Exists(NoticeReply.objects.filter(notice=OuterRef("pk"), unit_id=user.unit_id)))
    if task is not None:
        qs = qs.filter(task=task)
    return qs.distinct()


def _can_supervise(user, action: str, task: Task) -> bool:
    if action == "task.notice_reply":
        return notices_to_reply(user, task).exists()
    if user.role not in OFFICE_ROLES:
        return False
    if action in {"task.urge", "task.notice"}:
        return task.state in SUPERVISED_STATES
    if action == "task.supervise":
        return task.state not in (TaskState.DRAFT, TaskState.CANCELLED)
    raise KeyError(f"unknown action {action!r}")


def _supervision_denial(action: str, user, task: Task | None) -> str:
    who = {
        "task.urge": _("只有督查室人员可以催办。"),
        "task.notice": _("只有督查室人员可以下发督办单。"),
        "task.notice_reply": _("只有督办单的主送或抄送单位可以回复。"),
        "task.supervise": _("只有督查室人员可以记录约谈、实地核查和办结督办单。"),
        "supervision.ladder": _("只有督查室人员可以设置督办升级规则。"),
        "supervision.urge": _("只有督查室人员可以催办。"),
        "supervision.notices": _("督办单只对督查室人员和领导开放。"),
    }[action]
    if task is None or user is None or not _active(user):
        return who
    if action == "task.notice_reply":
        if notices_to_reply(user, None).filter(task=task).exists():
            return who
        if user.role in UNIT_ROLES and own_assignment(user, task) is not None:
            return _("没有需要本单位回复的督办单。")
        return who
    if user.role not in OFFICE_ROLES:
        return who
    state = task.get_state_display()
    if action == "task.urge":
        return _("任务当前状态为“%(state)s”，不能催办。") % {"state": state}
    if action == "task.notice":
        return _("任务当前状态为“%(state)s”，不能下发督办单。") % {"state": state}
    return _("任务当前状态为“%(state)s”，不能执行此操作。") % {"state": state}


def visible_notices(user, task: Task, qs=None):
    """The 督办单 of this task the user may read: all of them for the office and leaders
    (drafts included), the issued ones for the lead unit, those copied to it for a co-unit."""
    from luoshi.supervision.models import NoticeState, SupervisionNotice

    qs = (SupervisionNotice.objects.all() if qs is None else qs).filter(task=task)
    if not can_view_task(user, task):
        return qs.none()
    if user.role in OVERSIGHT_ROLES:
        return qs
    qs = qs.exclude(state=NoticeState.DRAFT)
    unit_id = part_unit_id(user, task)
    if unit_id is None:
        return qs
    return qs.filter(Q(unit_id=unit_id) | Q(copy_units=unit_id)).distinct()


def get_notice_for_user(user, pk: int):
    """A 督办单, if the user may read it (else 404)."""
    from luoshi.supervision.models import SupervisionNotice

    notice = SupervisionNotice.objects.select_related("task", "unit").filter(pk=pk).first()
    if notice is None or not visible_notices(user, notice.task).filter(pk=pk).exists():
        raise Http404(_("督办单不存在或您无权查看。"))
    return notice


def visible_supervision_records(user, task: Task, qs=None):
    """约谈 and 实地核查 records: read by whoever reads the task's every part."""
    from luoshi.supervision.models import SupervisionRecord

    qs = (SupervisionRecord.objects.all() if qs is None else qs).filter(task=task)
    return qs if sees_every_part(user, task) else qs.none()


def get_supervision_file_for_user(user, pk: int):
    """A file of a notice reply or a record, on the same terms as its owner (else 404). A
    co-unit reads its own replies' files."""
    from luoshi.supervision.models import SupervisionFile

    item = (
        SupervisionFile.objects.select_related("reply__notice__task", "record__task")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404(_("附件不存在。"))
    if item.reply_id:
        task = item.reply.notice.task
        ok = visible_notices(user, task).filter(pk=item.reply.notice_id).exists() and (
            part_unit_id(user, task) in (None, item.reply.unit_id)
        )
    else:
        ok = visible_supervision_records(user, item.record.task).filter(pk=item.record_id).exists()
    if not ok:
        raise Http404(_("附件不存在。"))
    return item


# --- extensions (申请延期) and re-checks (回头看) ---------------------------------------------
#
# 申请延期: the lead unit (liaison or head, once signed) of a task in progress with a due date,
# one open request at a time. The office decides first; where the office's 同意 routed the
# request on to the lead leader (a task of high priority), only that leader decides.
# 回头看: the office schedules one on a closed task and gives the verdict; the lead unit
# answers once it is due. A failed re-check reopens the task (task.reopen: the office, on a
# closed task; no button of its own). Requests and re-checks are the lead unit's part: a
# co-unit does not read them.

FOLLOWUP_ACTIONS = {
    "task.request_extension",
    "task.decide_extension",
    "task.schedule_recheck",
    "task.confirm_recheck",
    "task.verify_recheck",
    "task.cancel_recheck",
    "task.reopen",
}


def open_extension_request(task: Task):
    """The task's extension request awaiting a decision, if any (at most one)."""
    from luoshi.extensions.models import OPEN_EXTENSION_STATES, ExtensionRequest

    return ExtensionRequest.objects.filter(task=task, state__in=OPEN_EXTENSION_STATES).first()


def open_recheck(task: Task):
    """The task's re-check not yet decided (scheduled, due or answered), if any."""
    from luoshi.rechecks.models import OPEN_RECHECK_STATES, Recheck

    return Recheck.objects.filter(task=task, state__in=OPEN_RECHECK_STATES).first()


def _signed_lead(user, task: Task) -> bool:
    mine = own_assignment(user, task)
    return (
        mine is not None and mine.role == AssignmentRole.LEAD and mine.acknowledged_at is not None
    )


def _can_followup(user, action: str, task: Task) -> bool:
    from luoshi.extensions.models import ExtensionState
    from luoshi.rechecks.models import RecheckState

    role = user.role
    if action == "task.reopen":
        return role in OFFICE_ROLES and task.state == TaskState.CLOSED
    if action == "task.schedule_recheck":
        return role in OFFICE_ROLES and task.state == TaskState.CLOSED and not open_recheck(task)
    if action == "task.verify_recheck":
        if role not in OFFICE_ROLES:
            return False
        recheck = open_recheck(task)
        return recheck is not None and recheck.state in (RecheckState.DUE, RecheckState.SUBMITTED)
    if action == "task.cancel_recheck":
        if role not in OFFICE_ROLES:
            return False
        recheck = open_recheck(task)
        return recheck is not None and recheck.state in (RecheckState.SCHEDULED, RecheckState.DUE)
    if action == "task.decide_extension":
        if role not in OVERSIGHT_ROLES:
            return False
        request = open_extension_request(task)
        if request is None:
            return False
        if request.state == ExtensionState.PENDING:
            return role in OFFICE_ROLES
        return role == Role.LEADER and request.leader_id == user.pk
    if role not in UNIT_ROLES:
        return False
    if action == "task.request_extension":
        return (
            task.state == TaskState.IN_PROGRESS
            and not task.ongoing
            and task.due is not None
            and _signed_lead(user, task)
            and open_extension_request(task) is None
        )
    if action == "task.confirm_recheck":
        recheck = open_recheck(task)
        return (
            recheck is not None and recheck.state == RecheckState.DUE and _signed_lead(user, task)
        )
    raise KeyError(f"unknown action {action!r}")


def _followup_denial(action: str, user, task: Task | None) -> str:
    from luoshi.extensions.models import ExtensionState
    from luoshi.rechecks.models import RecheckState

    who = {
        "task.request_extension": _("只有牵头单位的联络员或负责人可以申请延期。"),
        "task.decide_extension": _("延期申请由督查室审核；重要任务经督查室同意后由牵头领导审批。"),
        "task.schedule_recheck": _("只有督查室人员可以安排回头看。"),
        "task.confirm_recheck": _("只有牵头单位的联络员或负责人可以反馈回头看情况。"),
        "task.verify_recheck": _("只有督查室人员可以核验回头看。"),
        "task.cancel_recheck": _("只有督查室人员可以取消回头看。"),
        "task.reopen": _("只有督查室人员可以让任务重新办理。"),
    }[action]
    if task is None or user is None or not _active(user):
        return who
    role = user.role
    state = task.get_state_display()
    if action == "task.decide_extension":
        request = open_extension_request(task)
        if role in OFFICE_ROLES:
            if request is not None and request.state == ExtensionState.LEADER_PENDING:
                return _("该延期申请已经督查室同意，正在等待牵头领导审批。")
            return _("没有待审批的延期申请。")
        if role == Role.LEADER and task.lead_leader_id == user.pk:
            if request is not None and request.state == ExtensionState.PENDING:
                return _("该延期申请尚待督查室审核，督查室同意后再报您审批。")
            if request is None:
                return _("没有待审批的延期申请。")
        return who
    if action == "task.cancel_recheck":
        if role not in OFFICE_ROLES:
            return who
        recheck = open_recheck(task)
        if recheck is not None and recheck.state == RecheckState.SUBMITTED:
            return _("牵头单位已反馈落实情况，请核验，不能取消。")
        return _("没有可以取消的回头看。")
    if action in {"task.schedule_recheck", "task.verify_recheck", "task.reopen"}:
        if role not in OFFICE_ROLES:
            return who
        recheck = open_recheck(task)
        if action == "task.verify_recheck":
            if recheck is not None and recheck.state == RecheckState.SCHEDULED:
                return _("回头看定于 %(date)s，到期后由牵头单位反馈，再行核验。") % {
                    "date": recheck.due_on.isoformat()
                }
            return _("没有待核验的回头看。")
        if action == "task.schedule_recheck" and recheck is not None:
            return _("该任务已安排回头看（%(date)s），不能重复安排。") % {
                "date": recheck.due_on.isoformat()
            }
        return _("只有已办结的任务可以安排回头看或重新办理；该任务当前状态为“%(state)s”。") % {
            "state": state
        }
    mine = own_assignment(user, task)
    if mine is None or mine.role != AssignmentRole.LEAD:
        return who
    if task.state in OPEN_STATES and mine.acknowledged_at is None:
        return _("请先签收任务。")
    if action == "task.request_extension":
        if open_extension_request(task) is not None:
            return _("已有一项延期申请正在审批，请等待结果后再申请。")
        if task.ongoing or task.due is None:
            return _("长期坚持的任务没有完成时限，不能申请延期。")
        return _("任务当前状态为“%(state)s”，不能申请延期。") % {"state": state}
    recheck = open_recheck(task)
    if recheck is None:
        return _("没有待反馈的回头看。")
    if recheck.state == RecheckState.SCHEDULED:
        return _("回头看定于 %(date)s，到期后再反馈。") % {"date": recheck.due_on.isoformat()}
    return _("回头看情况已反馈，正在等待督查室核验。")


def extension_requests_to_decide(user, qs=None):
    """The extension requests awaiting this user's decision: the office's, in its scope; a
    leader's, those routed to them."""
    from luoshi.extensions.models import ExtensionRequest, ExtensionState

    qs = ExtensionRequest.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if user.role in OFFICE_ROLES:
        return qs.filter(state=ExtensionState.PENDING, task__in=visible_tasks(user))
    if user.role == Role.LEADER:
        return qs.filter(state=ExtensionState.LEADER_PENDING, leader=user)
    return qs.none()


def _led_by_own_unit(user) -> Exists:
    """The row's task is led by the user's unit (and is not a draft)."""
    return Exists(
        TaskUnit.objects.filter(
            task=OuterRef("task"), unit_id=user.unit_id, role=AssignmentRole.LEAD
        ).exclude(task__state=TaskState.DRAFT)
    )


def extension_requests_for_user(user, qs=None):
    """Every extension request the user may read (the 延期申请 list): the office's and
    leaders', those on the tasks they see; a unit's, those of the tasks it leads (the lead
    unit's part: a co-unit reads none)."""
    from luoshi.extensions.models import ExtensionRequest

    qs = ExtensionRequest.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if user.role in OVERSIGHT_ROLES:
        return qs.filter(task__in=visible_tasks(user))
    if user.role in UNIT_ROLES and user.unit_id:
        return qs.filter(_led_by_own_unit(user))
    return qs.none()


def rechecks_for_user(user, qs=None):
    """Every re-check the user may read (the 回头看 list), on the same terms as extension
    requests."""
    from luoshi.rechecks.models import Recheck

    qs = Recheck.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if user.role in OVERSIGHT_ROLES:
        return qs.filter(task__in=visible_tasks(user))
    if user.role in UNIT_ROLES and user.unit_id:
        return qs.filter(_led_by_own_unit(user))
    return qs.none()


def rechecks_to_verify(user, qs=None):
    """Re-checks that are due (answered or not) on tasks the office user sees."""
    from luoshi.rechecks.models import Recheck, RecheckState

    qs = Recheck.objects.all() if qs is None else qs
    if not _active(user) or user.role not in OFFICE_ROLES:
        return qs.none()
    return qs.filter(
        state__in=(RecheckState.DUE, RecheckState.SUBMITTED), task__in=visible_tasks(user)
    )


def rechecks_to_answer(user, qs=None):
    """Re-checks due for the user's unit to answer (it leads the task)."""
    from luoshi.rechecks.models import Recheck, RecheckState

    qs = Recheck.objects.all() if qs is None else qs
    if not _active(user) or user.role not in UNIT_ROLES or not user.unit_id:
        return qs.none()
    lead = TaskUnit.objects.filter(
        task=OuterRef("task"), unit_id=user.unit_id, role=AssignmentRole.LEAD
    )
    return qs.filter(Exists(lead), state=RecheckState.DUE)


def get_extension_request_for_user(user, pk: int):
    """An extension request, if the user reads its task's every part (else 404)."""
    from luoshi.extensions.models import ExtensionRequest

    request = (
        ExtensionRequest.objects.select_related("task", "unit", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if request is None or not sees_every_part(user, request.task):
        raise Http404(_("延期申请不存在或您无权查看。"))
    return request


def get_recheck_for_user(user, pk: int):
    """A re-check, if the user reads its task's every part (else 404)."""
    from luoshi.rechecks.models import Recheck

    recheck = Recheck.objects.select_related("task", "unit").filter(pk=pk).first()
    if recheck is None or not sees_every_part(user, recheck.task):
        raise Http404(_("回头看不存在或您无权查看。"))
    return recheck


def get_recheck_evidence_for_user(user, pk: int):
    """A file of a re-check answer, on the same terms as the re-check (else 404)."""
    from luoshi.rechecks.models import RecheckEvidence

    item = RecheckEvidence.objects.select_related("recheck__task").filter(pk=pk).first()
    if item is None or not sees_every_part(user, item.recheck.task):
        raise Http404(_("附件不存在。"))
    return item


def visible_extension_requests(user, task: Task, qs=None):
    """The task's extension requests the user may read: the lead unit's part, so a co-unit
    reads none."""
    from luoshi.extensions.models import ExtensionRequest

    qs = (ExtensionRequest.objects.all() if qs is None else qs).filter(task=task)
    return qs if sees_every_part(user, task) else qs.none()


def visible_rechecks(user, task: Task, qs=None):
    """The task's re-checks the user may read (as for extension requests)."""
    from luoshi.rechecks.models import Recheck

    qs = (Recheck.objects.all() if qs is None else qs).filter(task=task)
    return qs if sees_every_part(user, task) else qs.none()


# --- 办会办文: meetings (议定事项) and leaders' instructions (批示件) ---------------------------
#
# The office and leaders see the meetings and instructions whose source they see (every one
# when their scope is the whole tree); a leader also sees the meetings they chaired and their
# own instructions. Only the leader who wrote an instruction marks its reports 已阅.


def visible_meetings(user, qs=None):
    from luoshi.meetings.models import Meeting

    qs = Meeting.objects.all() if qs is None else qs
    if not _active(user) or user.role not in OVERSIGHT_ROLES:
        return qs.none()
    if user.scope_unit_id is None:
        return qs
    return qs.filter(Q(source__in=visible_sources(user)) | Q(chair=user))


def get_meeting_for_user(user, pk: int, action: str = "meeting.list"):
    """A meeting, if the user may see it (else 404) and do `action` (else 403)."""
    meeting = visible_meetings(user).select_related("source", "chair").filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("会议不存在或您无权查看。"))
    require(user, action)
    return meeting


def visible_instructions(user, qs=None):
    from luoshi.meetings.models import Instruction

    qs = Instruction.objects.all() if qs is None else qs
    if not _active(user) or user.role not in OVERSIGHT_ROLES:
        return qs.none()
    if user.scope_unit_id is None:
        return qs
    return qs.filter(Q(source__in=visible_sources(user)) | Q(leader=user))


def get_instruction_for_user(user, pk: int, action: str = "instruction.list"):
    """An instruction, if the user may see it (else 404) and do `action` (else 403)."""
    instruction = (
        visible_instructions(user).select_related("source", "leader").filter(pk=pk).first()
    )
    if instruction is None:
        raise Http404(_("批示件不存在或您无权查看。"))
    require(user, action)
    return instruction


def can_read_report(user, report) -> bool:
    """已阅: the leader who wrote the instruction, once per report."""
    return (
        _active(user)
        and user.role == Role.LEADER
        and report.instruction.leader_id == user.pk
        and report.read_at is None
    )


def require_read_report(user, report) -> None:
    if can_read_report(user, report):
        return
    if _active(user) and report.instruction.leader_id == user.pk and report.read_at:
        raise PermissionDenied(_("该办理情况报告已标记已阅。"))
    raise PermissionDenied(_("只有作出批示的领导可以阅示办理情况报告。"))


# --- 政策体系: policies and their deliverables (政策兑现事项) --------------------------------
#
# The office and leaders read every policy (a policy is a public document, not a unit's
# business); a unit reads the policies with a deliverable it leads or helps with. The
# deliverables anyone sees, and the delivery figures made of them, are those whose task they
# see (visible_tasks): a unit sees its own, a scoped leader those in their scope.


def visible_policies(user, qs=None):
    from luoshi.policies.models import Policy

    qs = Policy.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if user.role in OVERSIGHT_ROLES:
        return qs
    if user.role in UNIT_ROLES and user.unit_id:
        return qs.filter(deliverables__task__in=visible_tasks(user)).distinct()
    return qs.none()


def visible_deliverables(user, qs=None):
    from luoshi.policies.models import PolicyDeliverable

    qs = PolicyDeliverable.objects.all() if qs is None else qs
    if not _active(user) or user.role not in OVERSIGHT_ROLES | UNIT_ROLES:
        return qs.none()
    return qs.filter(task__in=visible_tasks(user))


def get_policy_for_user(user, pk: int, action: str = "policy.view"):
    """A policy, if the user may read it (else 404) and do `action` (else 403)."""
    policy_obj = visible_policies(user).filter(pk=pk).first()
    if policy_obj is None:
        raise Http404(_("政策不存在或您无权查看。"))
    require(user, action)
    return policy_obj


# --- 表彰与问责 (outcome records) -----------------------------------------------------------
#
# The office records every kind on units (and tasks) in its scope and revokes or corrects
# them; a leader records a 领导表扬 on a task they see, and may revoke or correct their own.
# Readers: the office and leaders, the records of units in their scope or on tasks they see;
# a unit, its own unit's records and those naming the reader.


def _unit_in_scope(user, unit_id: int | None) -> bool:
    if unit_id is None:
        return False
    units = scope_units(user)
    return units is None or units.filter(pk=unit_id).exists()


def visible_outcomes(user, qs=None):
    from luoshi.outcomes.models import OutcomeRecord

    qs = OutcomeRecord.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if user.role in OVERSIGHT_ROLES:
        units = scope_units(user)
        if units is None:
            return qs
        return qs.filter(Q(unit__in=units) | Q(task__in=visible_tasks(user)))
    if user.role in UNIT_ROLES and user.unit_id:
        return qs.filter(Q(unit_id=user.unit_id) | Q(cadre=user))
    return qs.none()


def may_record_outcome(user, kind: str, unit, task: Task | None = None) -> bool:
    """May this user record an outcome of `kind` about `unit` (on `task`)?"""
    from luoshi.outcomes.models import OutcomeKind

    if not _active(user):
        return False
    if task is not None and not can_view_task(user, task):
        return False
    if user.role in OFFICE_ROLES:
        return unit is None or _unit_in_scope(user, unit.pk) or task is not None
    if user.role == Role.LEADER:
        return kind == OutcomeKind.LEADER_COMMENDATION and task is not None
    return False


def may_change_outcome(user, record) -> bool:
    """Revoke or correct: the office, on a record it reads; a leader, their own 领导表扬."""
    if not _active(user) or not record.in_force:
        return False
    if not visible_outcomes(user).filter(pk=record.pk).exists():
        return False
    if user.role in OFFICE_ROLES:
        return True
    return user.role == Role.LEADER and record.recorded_by_id == user.pk


def outcome_denial(user, record=None) -> str:
    if record is not None and not record.in_force:
        return _("该记录已被撤销或更正，不能再修改。")
    return _who_may("outcome.manage")


def get_outcome_for_user(user, pk: int):
    """An outcome record, if the user may read it (else 404)."""
    record = (
        visible_outcomes(user)
        .select_related("unit", "task", "cadre", "recorded_by", "superseded_by")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404(_("记录不存在或您无权查看。"))
    return record


# --- 干部评价 (cadre reviews) -------------------------------------------------------------
#
# A round is run by the office (cadre.manage) within its scope (the round's scope_unit): the
# office and leaders whose scope contains the round's see it and its results (averages); only
# the office reads individual sheets. A reviewer reads and fills in their own sheets only. A
# cadre under review who is also a leader sees the averages, never the sheets about them.


def _round_in_scope(user, review) -> bool:
    if user.scope_unit_id is None:
        return True
    if review.scope_unit_id is None:
        return False
    return review.scope_unit.path.startswith(user.scope_unit.path)


def visible_reviews(user, qs=None):
    """Rounds whose results the user may read: the office and leaders, every round when their
    scope is the whole tree, else the rounds run within it or reviewing a cadre of a unit in
    it (they then read those cadres' results only: visible_review_cadres)."""
    from luoshi.cadres.models import CadreReview, ReviewCadre

    qs = CadreReview.objects.all() if qs is None else qs
    if not _active(user) or user.role not in OVERSIGHT_ROLES:
        return qs.none()
    units = scope_units(user)
    if units is None:
        return qs
    return qs.filter(
        Q(scope_unit__in=units)
        | Exists(ReviewCadre.objects.filter(review=OuterRef("pk"), unit__in=units))
    )


def visible_review_cadres(user, review):
    """The cadres of a round whose results the user reads."""
    units = scope_units(user)
    qs = review.cadres.all()
    if units is None or (review.scope_unit_id and _round_in_scope(user, review)):
        return qs
    return qs.filter(unit__in=units)


def can_review_results(user, review) -> bool:
    return visible_reviews(user).filter(pk=review.pk).exists()


def can_manage_review(user, review) -> bool:
    return _active(user) and user.role in OFFICE_ROLES and _round_in_scope(user, review)


def can_read_sheets(user, review, cadre_id: int | None = None) -> bool:
    """Individual sheets: the office running the round, never about the reader."""
    return can_manage_review(user, review) and cadre_id != user.pk


def get_review_for_user(user, pk: int, action: str = "cadre.results"):
    """A round, if the user may read its results (else 404) and do `action` (else 403)."""
    from luoshi.cadres.models import CadreReview

    review = CadreReview.objects.select_related("scope_unit").filter(pk=pk).first()
    if review is None or not can_review_results(user, review):
        raise Http404(_("干部评价不存在或您无权查看。"))
    if action == "cadre.manage" and not can_manage_review(user, review):
        raise PermissionDenied(_who_may("cadre.manage"))
    return review


def get_assignment_for_user(user, review_pk: int, cadre_pk: int):
    """The reviewer's own place in a round for one cadre (else 404)."""
    from luoshi.cadres.models import ReviewCadre, Reviewer

    if not _active(user):
        raise Http404(_("评价表不存在或您无权查看。"))
    reviewer = (
        Reviewer.objects.select_related("review").filter(review_id=review_pk, user=user).first()
    )
    item = (
        ReviewCadre.objects.select_related("cadre", "unit")
        .filter(review_id=review_pk, cadre_id=cadre_pk)
        .first()
    )
    if reviewer is None or item is None or item.cadre_id == user.pk:
        raise Http404(_("评价表不存在或您无权查看。"))
    return reviewer.review, item


# --- 搜索 (search) -------------------------------------------------------------------------
#
# A search finds only what its user may read elsewhere: tasks they see (visible_tasks),
# progress reports as on the task page (the office, leaders and the lead unit every unit's,
# a co-unit its own), sources they may browse (visible_sources: the office and leaders).


def reports_for_user(user, qs):
    """The rows of `qs` (progress reports, or anything with `task` and `unit`) this user may
    read, across every task."""
    if not _active(user):
        return qs.none()
    if user.role in OVERSIGHT_ROLES:
        return qs.filter(task__in=visible_tasks(user))
    if user.role in UNIT_ROLES and user.unit_id:
        return qs.filter(Q(_led_by_own_unit(user)) | Q(unit_id=user.unit_id)).exclude(
            task__state=TaskState.DRAFT
        )
    return qs.none()


def search_entries_for_user(user, qs):
    """The search index's entries (luoshi.search.models.SearchEntry) this user may find."""
    if not allowed(user, "search.use"):
        return qs.none()
    tasks = Q(kind="task", task__in=visible_tasks(user))
    reports = Q(kind="report", pk__in=reports_for_user(user, qs.filter(kind="report")).values("pk"))
    sources = Q(kind="source", source__in=visible_sources(user))
    return qs.filter(tasks | reports | sources)


# --- 领导批示/点评 (leader comments) ---------------------------------------------------------
#
# A leader comments on a task they see (can(user, "task.comment", task)), or on one of its
# progress reports that they read. Everyone who sees the task reads the comments on the task;
# a comment on a report is read by those who read the report (a co-unit: on its own reports).


def visible_leader_comments(user, task: Task, qs=None):
    from luoshi.cockpit.models import LeaderComment

    qs = (LeaderComment.objects.all() if qs is None else qs).filter(task=task)
    if not can_view_task(user, task):
        return qs.none()
    unit_id = part_unit_id(user, task)
    if unit_id is None:
        return qs
    return qs.filter(Q(report__isnull=True) | Q(report__unit_id=unit_id))
