"""The ladder's daily run (called by the daily tick with the clock pinned to `today`).

For every open task (已交办 / 办理中) it works out which rungs fall today (supervision.ladder),
then claims them in batches. Each batch is one transaction: the claims (EscalationStep, unique
per task, step and day) are bulk-inserted, conflicts ignored, and only the rows this batch
inserted — found by its run token — get their effects: 催办 rows, drafted 督办单, 通报
listings, history entries (TaskEvent) and inbox notifications (notify, keyed
"ladder:<task>:<step>:<date>"). A rerun, a restart after a crash or a second worker at the
same time finds every claim taken and does nothing; a batch that fails leaves no claim behind.

The work is done in bulk: one query for the open tasks, then a handful per batch; no query per
task except notify(), which is called once per claimed step.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import Role, Unit, User
from luoshi.supervision.ladder import DueMatcher, Ladders, ReportMatcher, Rung, report_owed
from luoshi.supervision.models import (
    BulletinListing,
    EscalationStep,
    NoticeState,
    Recipient,
    RelativeTo,
    StepAction,
    SupervisionNotice,
    Urge,
)
from luoshi.tasks.models import EventKind, Task, TaskEvent, TaskState
from luoshi.workcal.services import WorkCalendar

BATCH = 1000
LADDER_STATES = (TaskState.ASSIGNED, TaskState.IN_PROGRESS)

EVENT_KIND = {
    StepAction.REMINDER: EventKind.REMINDED,
    StepAction.URGE: EventKind.URGED,
    StepAction.NOTICE_DRAFT: EventKind.NOTICE_DRAFTED,
    StepAction.LEADER: EventKind.LEADER_NOTIFIED,
    StepAction.BULLETIN: EventKind.BULLETIN_LISTED,
}
NOTIFICATION_KIND = {
    StepAction.REMINDER: NotificationKind.REMINDER,
    StepAction.URGE: NotificationKind.URGE,
    StepAction.NOTICE_DRAFT: NotificationKind.NOTICE,
    StepAction.LEADER: NotificationKind.LEADER,
    StepAction.BULLETIN: NotificationKind.TASK,
}
COUNTER = {
    StepAction.REMINDER: "reminded",
    StepAction.URGE: "urged",
    StepAction.NOTICE_DRAFT: "notices_drafted",
    StepAction.LEADER: "leaders_notified",
    StepAction.BULLETIN: "bulletin_listed",
}


@dataclass(frozen=True)
class Due:
    """One rung falling today for one task: `deadline` is the anchor (a working day) and,
    for a report rung, `window_start` the start of the window owed."""

    task_id: int
    rung: Rung
    deadline: dt.date
    window_start: dt.date | None = None


def dues_for_today(today: dt.date, cal: WorkCalendar, ladders: Ladders) -> list[Due]:
    """Every rung that falls today, for every open task, computed from one query."""
    if not cal.is_working_day(today):
        return []
    due_matcher = DueMatcher(today, cal)
    report_matcher = ReportMatcher(today, cal)
    rows = Task.objects.filter(state__in=LADDER_STATES).values_list(
        "id",
        "category",
        "due",
        "ongoing",
        "report_cycle",
        "report_day",
        "last_report_on",
        "assigned_at",
    )
    found: list[Due] = []
    assigned_dates: dict[dt.datetime, dt.date] = {}
    for task_id, category, due, ongoing, cycle, report_day, last_report_on, assigned_at in rows:
        rungs = ladders.for_category(category)
        if not rungs:
            continue
        key = ladders.ladder_key(category)
        if due is not None and not ongoing:
            for rung, anchor_day in due_matcher.match(key, rungs, due):
                found.append(Due(task_id, rung, anchor_day))
        for rung, window in report_matcher.match(key, rungs, cycle, report_day):
            if assigned_at is None:
                continue
            assigned_on = assigned_dates.get(assigned_at)
            if assigned_on is None:
                assigned_on = assigned_dates[assigned_at] = timezone.localdate(assigned_at)
            if report_owed(window, assigned_on=assigned_on, last_report_on=last_report_on):
                found.append(Due(task_id, rung, window.deadline, window.start))
    found.sort(key=lambda d: (d.task_id, d.rung.key))
    return found


def run_daily(*, today: dt.date) -> dict[str, int]:
    """Run the rungs of the ladder that fall on `today`; return what was done."""
    cal = WorkCalendar()
    counts: dict[str, int] = defaultdict(int)
    dues = dues_for_today(today, cal, Ladders())
    counts["due"] = len(dues)
    units = dict(Unit.objects.values_list("id", "path"))
    supervisors = list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))
    scopes = dict(
        Unit.objects.filter(
            pk__in={u.scope_unit_id for u in supervisors if u.scope_unit_id}
        ).values_list("id", "path")
    )
    context = _RunContext(today, cal, units, supervisors, scopes)
    for start in range(0, len(dues), BATCH):
        done = _run_batch(dues[start : start + BATCH], context)
        for name, value in done.items():
            counts[name] += value
    if counts.get("claimed"):
        audit_log(
            actor=None,
            action="supervision.ladder",
            data={"date": today.isoformat(), **{k: v for k, v in counts.items() if v}},
        )
    return dict(counts)


@dataclass
class _RunContext:
    today: dt.date
    cal: WorkCalendar
    unit_paths: dict[int, str]
    supervisors: list[User]
    scope_paths: dict[int, str]

    def supervisors_for(self, unit_id: int | None) -> list[User]:
        path = self.unit_paths.get(unit_id, "") if unit_id else ""
        return [
            u
            for u in self.supervisors
            if u.scope_unit_id is None
            or path.startswith(self.scope_paths.get(u.scope_unit_id, "\0"))
        ]


@transaction.atomic
def _run_batch(dues: list[Due], ctx: _RunContext) -> dict[str, int]:
    run = uuid.uuid4().hex
    now = clock.now()
    EscalationStep.objects.bulk_create(
        [
            EscalationStep(
                task_id=d.task_id,
                step=d.rung.key,
                on_date=ctx.today,
                action=d.rung.action,
                run=run,
                claimed_at=now,
            )
            for d in dues
        ],
        ignore_conflicts=True,
    )
    mine = set(EscalationStep.objects.filter(run=run).values_list("task_id", "step"))
    claimed = [d for d in dues if (d.task_id, d.rung.key) in mine]
    counts: dict[str, int] = defaultdict(int)
    counts["claimed"] = len(claimed)
    if not claimed:
        return counts
    task_ids = {d.task_id for d in claimed}
    tasks = {
        t.pk: t
        for t in Task.objects.filter(pk__in=task_ids).only(
            "id", "code", "title", "due", "lead_unit_id", "owner_id", "lead_leader_id"
        )
    }
    people = _people(tasks.values())
    pending_drafts = set(
        SupervisionNotice.objects.filter(task_id__in=task_ids, state=NoticeState.DRAFT).values_list(
            "task_id", flat=True
        )
    )
    events: list[TaskEvent] = []
    urges: list[Urge] = []
    listings: list[BulletinListing] = []
    drafts: list[SupervisionNotice] = []
    messages: list[tuple[Due, Task, str, str]] = []
    for d in claimed:
        task = tasks[d.task_id]
        rung = d.rung
        title, text = _words(d, task, ctx)
        data = {
            "step": rung.key,
            "offset": rung.offset,
            "relative_to": rung.relative_to,
            "deadline": d.deadline.isoformat(),
        }
        if rung.action == StepAction.NOTICE_DRAFT:
            if task.pk in pending_drafts:  # one draft waiting is enough
                continue
            pending_drafts.add(task.pk)
            drafts.append(
                SupervisionNotice(
                    task_id=task.pk,
                    unit_id=task.lead_unit_id,
                    content=_notice_text(d, task, ctx),
                    step=rung.key,
                    drafted_at=now,
                )
            )
        elif rung.action == StepAction.URGE:
            urges.append(
                Urge(
                    task_id=task.pk,
                    unit_id=task.lead_unit_id,
                    message=text,
                    urged_at=now,
                    automatic=True,
                    step=rung.key,
                )
            )
        elif rung.action == StepAction.BULLETIN:
            listings.append(
                BulletinListing(task_id=task.pk, listed_on=ctx.today, step=rung.key, data=data)
            )
        events.append(
            TaskEvent(
                task_id=task.pk,
                kind=EVENT_KIND[rung.action],
                at=now,
                unit_id=task.lead_unit_id,
                message=text,
                data=data,
            )
        )
        counts[COUNTER[rung.action]] += 1
        messages.append((d, task, title, text))
    SupervisionNotice.objects.bulk_create(drafts)
    Urge.objects.bulk_create(urges)
    BulletinListing.objects.bulk_create(listings)
    TaskEvent.objects.bulk_create(events)
    for d, task, title, text in messages:
        recipients = _recipients(d.rung, task, people, ctx)
        if not recipients:
            continue
        url = reverse("tasks:detail", args=[task.pk])
        created = notify(
            recipients=recipients,
            kind=NOTIFICATION_KIND[d.rung.action],
            title=title,
            body=text,
            task=task,
            url=url,
            dedupe_key=f"ladder:{task.pk}:{d.rung.key}:{ctx.today.isoformat()}",
        )
        counts["notifications"] += len(created)
    return counts


# --- who is told -------------------------------------------------------------------------------


@dataclass
class _People:
    by_id: dict[int, User]
    by_unit_role: dict[tuple[int, str], list[User]]


def _people(tasks) -> _People:
    tasks = list(tasks)
    unit_ids = {t.lead_unit_id for t in tasks if t.lead_unit_id}
    person_ids = {t.owner_id for t in tasks if t.owner_id} | {
        t.lead_leader_id for t in tasks if t.lead_leader_id
    }
    users = User.objects.filter(is_active=True).filter(
        Q(unit_id__in=unit_ids, role__in=(Role.LIAISON, Role.UNIT_HEAD)) | Q(pk__in=person_ids)
    )
    by_id: dict[int, User] = {}
    by_unit_role: dict[tuple[int, str], list[User]] = defaultdict(list)
    for user in users.order_by("pk"):
        by_id[user.pk] = user
        if user.unit_id in unit_ids and user.role in (Role.LIAISON, Role.UNIT_HEAD):
            by_unit_role[(user.unit_id, user.role)].append(user)
    return _People(by_id, by_unit_role)


def _recipients(rung: Rung, task: Task, people: _People, ctx: _RunContext) -> list[User]:
    found: list[User] = []
    for code in rung.recipients:
        if code == Recipient.OWNER and task.owner_id in people.by_id:
            found.append(people.by_id[task.owner_id])
        elif code == Recipient.LEAD_LEADER and task.lead_leader_id in people.by_id:
            found.append(people.by_id[task.lead_leader_id])
        elif code == Recipient.LIAISON and task.lead_unit_id:
            found.extend(people.by_unit_role.get((task.lead_unit_id, Role.LIAISON), []))
        elif code == Recipient.UNIT_HEAD and task.lead_unit_id:
            found.extend(people.by_unit_role.get((task.lead_unit_id, Role.UNIT_HEAD), []))
        elif code == Recipient.SUPERVISOR:
            found.extend(ctx.supervisors_for(task.lead_unit_id))
    return found


# --- words -------------------------------------------------------------------------------------


def _late(d: Due, ctx: _RunContext) -> int:
    return ctx.cal.working_days_between(d.deadline, ctx.today)


def _words(d: Due, task: Task, ctx: _RunContext) -> tuple[str, str]:
    """(notification title, history text) of one rung for one task, in Chinese."""
    name = _("“%(code)s %(title)s”") % {"code": task.code, "title": task.title}
    deadline = d.deadline.isoformat()
    late = _late(d, ctx)
    action = d.rung.action
    if d.rung.relative_to == RelativeTo.REPORT:
        if late < 0:
            text = _("请于 %(date)s 前填报本期进展。") % {"date": deadline}
        elif late == 0:
            text = _("本期进展填报截止于今日（%(date)s），尚未填报。") % {"date": deadline}
        else:
            text = ngettext(
                "本期进展已于 %(date)s 截止，逾期 %(n)d 个工作日仍未填报。",
                "本期进展已于 %(date)s 截止，逾期 %(n)d 个工作日仍未填报。",
                late,
            ) % {"date": deadline, "n": late}
    elif late < 0:
        text = ngettext(
            "任务将于 %(date)s 到期，还有 %(n)d 个工作日。",
            "任务将于 %(date)s 到期，还有 %(n)d 个工作日。",
            -late,
        ) % {"date": deadline, "n": -late}
    elif late == 0:
        text = _("任务今日（%(date)s）到期，尚未办结。") % {"date": deadline}
    else:
        text = ngettext(
            "任务已于 %(date)s 到期，逾期 %(n)d 个工作日仍未办结。",
            "任务已于 %(date)s 到期，逾期 %(n)d 个工作日仍未办结。",
            late,
        ) % {"date": deadline, "n": late}
    titles = {
        StepAction.REMINDER: _("提醒：%(task)s"),
        StepAction.URGE: _("催办：%(task)s"),
        StepAction.NOTICE_DRAFT: _("督办单待下发：%(task)s"),
        StepAction.LEADER: _("报告牵头领导：%(task)s"),
        StepAction.BULLETIN: _("列入通报：%(task)s"),
    }
    return titles[action] % {"task": name}, text


def _notice_text(d: Due, task: Task, ctx: _RunContext) -> str:
    late = _late(d, ctx)
    if d.rung.relative_to == RelativeTo.REPORT:
        problem = ngettext(
            "本期进展已于 %(date)s 截止，逾期 %(n)d 个工作日仍未填报",
            "本期进展已于 %(date)s 截止，逾期 %(n)d 个工作日仍未填报",
            late,
        ) % {"date": d.deadline.isoformat(), "n": late}
    else:
        problem = ngettext(
            "完成时限为 %(date)s，已逾期 %(n)d 个工作日仍未办结",
            "完成时限为 %(date)s，已逾期 %(n)d 个工作日仍未办结",
            late,
        ) % {"date": d.deadline.isoformat(), "n": late}
    return _(
        "任务“%(code)s %(title)s”%(problem)s。请抓紧办理，并在回复期限前书面回复办理情况、"
        "存在问题和下步措施。"
    ) % {"code": task.code, "title": task.title, "problem": problem}
