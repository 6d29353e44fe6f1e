"""The ladder's daily run (called by the daily tick with the clock pinned to `today`).

For every open task (已交办 / 办理中) it works out which rungs fall today (supervision.ladder),
then claims them in batches. Each batch is one transaction: the claims (EscalationStep, unique
per task, step and day) are bulk-inserted, conflicts ignored, and only the rows this batch
inserted — found by its run token — get their effects: 催办 rows, drafted 督办单, 通报
listings, history entries (TaskEvent) and inbox notifications (notify_many, keyed
"ladder:<task>:<step>:<date>"). A rerun, a restart after a crash or a second worker at the
same time finds every claim taken and does nothing; a batch that fails leaves no claim behind.

The work is done in bulk: one query for the open tasks, then a handful per batch; no query per
task. The notifications go through notify_many(), the notifications app's bulk door.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.lib.bulk import insert_new, insert_rows
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import NotifyItem, notify_many
from luoshi.org.models import Role, Unit, User
from luoshi.supervision.ladder import (
    DueMatcher,
    Ladders,
    ReportMatcher,
    Rung,
    ladder_seed_defaults,
    report_owed,
)
from luoshi.supervision.models import (
    BulletinListing,
    EscalationRule,
    EscalationStep,
    NoticeState,
    Recipient,
    RelativeTo,
    StepAction,
    SupervisionNotice,
    Urge,
)
from luoshi.supervision.texts import step_text
from luoshi.tasks.models import EventKind, Task, TaskEvent, TaskState
from luoshi.workcal.services import WorkCalendar

BATCH = 1000  # rungs claimed per transaction
INSERT_BATCH = 500
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


@dataclass(slots=True)
class Due:
    """One rung falling today for one task; `deadline` is its anchor (a working day): the
    due date moved off a day off, or the deadline of the report window owed."""

    task_id: int
    rung: Rung
    deadline: dt.date


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
                found.append(Due(task_id, rung, window.deadline))
    found.sort(key=lambda d: (d.task_id, d.rung.key))
    return found


def run_daily(*, today: dt.date) -> dict[str, int]:
    """Run the rungs of the ladder that fall on `today`; return what was done."""
    cal = WorkCalendar()
    counts: dict[str, int] = defaultdict(int)
    if not EscalationRule.objects.exists():
        # the data migration's rows are gone (a database emptied with `flush`): the default
        # ladder again. The page never removes a default rung, it disables it.
        ladder_seed_defaults()
    dues = dues_for_today(today, cal, Ladders())
    counts["due"] = len(dues)
    # A rerun (a restart, a second worker) skips what is already claimed today; the unique
    # claim still decides for whatever two runs try at the same time.
    taken = set(EscalationStep.objects.filter(on_date=today).values_list("task_id", "step"))
    if taken:
        dues = [d for d in dues if (d.task_id, d.rung.key) not in taken]
    context = _RunContext(today, cal)
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


class _RunContext:
    """What a run knows once for all its batches: the day, the calendar, the supervisors and
    their scopes, and the words of each rung (cached: the same for every task it concerns)."""

    def __init__(self, today: dt.date, cal: WorkCalendar):
        self.today = today
        self.cal = cal
        self.unit_paths = dict(Unit.objects.values_list("id", "path"))
        self.supervisors = list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))
        self.scope_paths = dict(
            Unit.objects.filter(
                pk__in={u.scope_unit_id for u in self.supervisors if u.scope_unit_id}
            ).values_list("id", "path")
        )
        self._supervisors: dict[int | None, list[User]] = {}
        self._texts: dict[tuple, str] = {}
        self._titles = _titles()
        marker = 987654321
        self._task_url = reverse("tasks:detail", args=[marker]).replace(str(marker), "{}")
        self.db_today = connection.ops.adapt_datefield_value(today)
        self._data_field = TaskEvent._meta.get_field("data")
        self._data: dict[tuple, object] = {}
        self._name = _("“%(code)s %(title)s”")

    def db_now(self, now: dt.datetime):
        return connection.ops.adapt_datetimefield_value(now)

    def supervisors_for(self, unit_id: int | None) -> list[User]:
        found = self._supervisors.get(unit_id)
        if found is None:
            path = self.unit_paths.get(unit_id, "") if unit_id else ""
            found = self._supervisors[unit_id] = [
                u
                for u in self.supervisors
                if u.scope_unit_id is None
                or path.startswith(self.scope_paths.get(u.scope_unit_id, "\0"))
            ]
        return found

    def late(self, d: Due) -> int:
        return self.cal.working_days_between(d.deadline, self.today)

    def text(self, d: Due) -> str:
        key = (d.rung.relative_to, d.deadline)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = _step_text(d, self.late(d))
        return found

    def title(self, action: str, task: Task) -> str:
        name = self._name % {"code": task.code, "title": task.title}
        return self._titles[action] % {"task": name}

    def data(self, d: Due):
        """The history entry's data as JSON text (the same for every task of the rung)."""
        key = (d.rung.key, d.deadline)
        found = self._data.get(key)
        if found is None:
            value = {
                "step": d.rung.key,
                "offset": d.rung.offset,
                "relative_to": d.rung.relative_to,
                "deadline": d.deadline.isoformat(),
                "late": self.late(d),  # working days past the deadline (< 0: before it)
            }
            found = self._data[key] = json.dumps(value, cls=self._data_field.encoder)
        return found

    def task_url(self, task_id: int) -> str:
        return self._task_url.format(task_id)


@transaction.atomic
def _run_batch(dues: list[Due], ctx: _RunContext) -> dict[str, int]:
    run = uuid.uuid4().hex
    now = clock.now()
    at, on = ctx.db_now(now), ctx.db_today
    mine = _claim([(d.task_id, d.rung.key, on, d.rung.action, run, at) for d in dues])
    claimed = [d for d in dues if (d.task_id, d.rung.key) in mine]
    counts: dict[str, int] = defaultdict(int)
    counts["claimed"] = len(claimed)
    if not claimed:
        return counts
    task_ids = {d.task_id for d in claimed}
    tasks = {
        t.pk: t
        for t in Task.objects.filter(pk__in=task_ids).only(
            "id", "code", "title", "lead_unit_id", "owner_id", "lead_leader_id"
        )
    }
    people = _people(tasks.values())
    pending_drafts = set(
        SupervisionNotice.objects.filter(task_id__in=task_ids, state=NoticeState.DRAFT).values_list(
            "task_id", flat=True
        )
    )
    events: list[tuple] = []
    urges: list[tuple] = []
    listings: list[tuple] = []
    drafts: list[SupervisionNotice] = []
    messages: list[NotifyItem] = []
    for d in claimed:
        task = tasks[d.task_id]
        rung = d.rung
        action = rung.action
        text = ctx.text(d)
        data = ctx.data(d)
        if action == StepAction.NOTICE_DRAFT:
            if task.pk in pending_drafts or not task.lead_unit_id:  # one waiting is enough
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
        elif action == StepAction.URGE:
            urges.append((task.pk, task.lead_unit_id, text, at, True, rung.key))
        elif action == StepAction.BULLETIN:
            listings.append((task.pk, on, rung.key, data))
        events.append((task.pk, EVENT_KIND[action], at, task.lead_unit_id, text, data))
        counts[COUNTER[action]] += 1
        recipients = _recipients(rung, task, people, ctx)
        if recipients:
            messages.append(
                NotifyItem(
                    recipients=recipients,
                    kind=NOTIFICATION_KIND[action],
                    title=ctx.title(action, task),
                    body=text,
                    task=task,
                    url=ctx.task_url(task.pk),
                    dedupe_key=f"ladder:{task.pk}:{rung.key}:{ctx.today.isoformat()}",
                )
            )
    SupervisionNotice.objects.bulk_create(drafts)
    insert_rows(Urge, ("task_id", "unit_id", "message", "urged_at", "automatic", "step"), urges)
    insert_rows(BulletinListing, ("task_id", "listed_on", "step", "data"), listings)
    insert_rows(TaskEvent, ("task_id", "kind", "at", "unit_id", "message", "data"), events)
    counts["notifications"] += notify_many(messages)
    return counts


CLAIM_FIELDS = ("task_id", "step", "on_date", "action", "run", "claimed_at")


def _claim(rows: list[tuple]) -> set[tuple[int, str]]:
    """Insert the claims and return the (task id, step) of those this run made: another run
    holding one (the unique constraint) keeps it."""
    return {
        (task_id, step)
        for task_id, step in insert_new(EscalationStep, CLAIM_FIELDS, rows, ("task_id", "step"))
    }


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


def _titles() -> dict[str, str]:
    return {
        StepAction.REMINDER: _("提醒：%(task)s"),
        StepAction.URGE: _("催办：%(task)s"),
        StepAction.NOTICE_DRAFT: _("督办单待下发：%(task)s"),
        StepAction.LEADER: _("报告牵头领导：%(task)s"),
        StepAction.BULLETIN: _("列入通报：%(task)s"),
    }


def _step_text(d: Due, late: int) -> str:
    return step_text(relative_to=d.rung.relative_to, deadline=d.deadline.isoformat(), late=late)


def _notice_text(d: Due, task: Task, ctx: _RunContext) -> str:
    late = ctx.late(d)
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
