"""The demo's supervision (督办) beyond what the ladder did on its own during the story: 督办单
(one answered, one unanswered past its reply date so that its task is yellow, one just
issued), a manual 催办 of several tasks, 申请延期 (one pending, one approved, one refused) and
回头看 (one scheduled, one due). Run after the story, through the services, each step on its
own day of the last weeks (clock.pinned_today).

Tasks are chosen from the database as the story left it, the demo accounts' units first
(市发展改革委 fgw_lly, 市交通运输局 jtj_lly), so that logging in as them shows their part."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from django.db.models import Exists, OuterRef
from django.utils import timezone

from luoshi.demo.people import People
from luoshi.demo.units import Units
from luoshi.extensions.models import ExtensionState
from luoshi.extensions.services import extension_approve, extension_refuse, extension_request
from luoshi.lib import clock
from luoshi.org.models import User
from luoshi.rechecks.daily import run_daily as rechecks_run_daily
from luoshi.rechecks.services import recheck_schedule
from luoshi.supervision.services import notice_reply, notice_save, urge_tasks
from luoshi.tasks.models import AssignmentRole, Light, Task, TaskState, TaskUnit
from luoshi.tasks.services.refresh import task_refresh
from luoshi.workcal.services import WorkCalendar

FIRST_UNITS = ("fgw", "jtj")


class _Picker:
    """Hands out tasks, each once, the demo accounts' units first."""

    def __init__(self, units: Units):
        self.taken: set[int] = set()
        self.first = [units[code].pk for code in FIRST_UNITS]

    def take(self, qs, test: Callable[[Task], bool] = lambda t: True) -> Task | None:
        for task in self._ordered(qs):
            if task.pk not in self.taken and test(task):
                self.taken.add(task.pk)
                return task
        return None

    def _ordered(self, qs) -> Iterator[Task]:
        tasks = list(qs.select_related("lead_unit").order_by("pk"))
        yield from (t for t in tasks if t.lead_unit_id in self.first)
        yield from (t for t in tasks if t.lead_unit_id not in self.first)


def _signed_in_progress(before: dt.date):
    """Tasks in progress with a due date whose lead unit signed before `before` (so that
    what is done to them on a day after it fits their history)."""
    since = timezone.make_aware(dt.datetime.combine(before, dt.time()))
    signed = TaskUnit.objects.filter(
        task=OuterRef("pk"), role=AssignmentRole.LEAD, acknowledged_at__lt=since
    )
    return Task.objects.filter(
        Exists(signed), state=TaskState.IN_PROGRESS, ongoing=False, due__isnull=False
    )


def build_supervision(*, people: People, units: Units, today: dt.date) -> None:
    cal = WorkCalendar()
    sup = people.supervisor
    pick = _Picker(units)
    liaison_of = {unit.pk: people.liaisons[code] for code, unit in units.by_code.items()}

    def wd(n: int) -> dt.date:
        return cal.add_working_days(today, n)

    def liaison(task: Task) -> User:
        return liaison_of[task.lead_unit_id]

    def signed():
        return _signed_in_progress(wd(-15))

    def on_track(task: Task) -> bool:
        return task.light == Light.GREEN and task.due > wd(15)

    # --- 督办单 -----------------------------------------------------------------------------
    replied = pick.take(signed(), on_track)
    unanswered = pick.take(signed(), on_track)
    fresh = pick.take(signed(), on_track)
    if replied is not None:
        with clock.pinned_today(wd(-12)):
            notice = notice_save(
                actor=sup,
                task=replied,
                content="该任务进度滞后于计划，请说明原因，并提出加快推进的具体措施和时间安排。",
                reply_by=wd(-7),
            )
        with clock.pinned_today(wd(-8)):
            notice_reply(
                actor=liaison(replied),
                notice=notice,
                text="已召开专题推进会，倒排工期、压实责任，预计下月底前追回进度。",
            )
    if unanswered is not None:
        with clock.pinned_today(wd(-8)):
            notice_save(
                actor=sup,
                task=unanswered,
                content="群众反映该事项推进缓慢，请核实情况并书面回复办理进展和下步措施。",
                reply_by=wd(-3),
            )
    if fresh is not None:
        with clock.pinned_today(wd(-1)):
            notice_save(
                actor=sup,
                task=fresh,
                content="请对照年度目标，书面报告本任务阶段性成效和存在的困难。",
                reply_by=wd(5),
            )

    # --- 催办 ---------------------------------------------------------------------------------
    urged = [t for t in (pick.take(signed()) for _ in range(3)) if t is not None]
    if urged:
        with clock.pinned_today(wd(-2)):
            urge_tasks(
                actor=sup,
                tasks=urged,
                message="请抓紧推进，于本周五前报送最新进展，逾期将列入督查通报。",
            )

    # --- 申请延期 -------------------------------------------------------------------------------
    def asks(task: Task) -> bool:
        return task.due > wd(10)

    reasons = {
        "pending": "受项目用地审批进度影响，主体工程开工推迟，申请顺延一个月。",
        "approved": "上级部门调整了验收标准，需补充相关材料，申请顺延一个月。",
        "refused": "配合单位数据未按时提供，申请顺延一个月。",
    }
    for outcome, asked_on in (("approved", wd(-9)), ("refused", wd(-6)), ("pending", wd(-2))):
        task = pick.take(signed(), asks)
        if task is None:
            continue
        with clock.pinned_today(asked_on):
            request = extension_request(
                actor=liaison(task),
                task=task,
                new_due=task.due + dt.timedelta(days=30),
                reason=reasons[outcome],
            )
        if outcome == "pending":
            continue
        with clock.pinned_today(cal.add_working_days(asked_on, 2)):
            if outcome == "refused":
                extension_refuse(
                    actor=sup, request=request, comment="理由不充分，请按原定时限完成。"
                )
                continue
            request = extension_approve(actor=sup, request=request, comment="同意延期。")
            if request.state == ExtensionState.LEADER_PENDING:  # a task of high priority
                extension_approve(actor=request.leader, request=request, comment="同意。")

    # --- 回头看 ---------------------------------------------------------------------------------
    closed = Task.objects.filter(state=TaskState.CLOSED, closed_at__isnull=False)
    due_on = wd(-1)
    to_be_due = pick.take(closed, lambda t: timezone.localdate(t.closed_at) < wd(-3))
    if to_be_due is not None:
        with clock.pinned_today(cal.add_working_days(timezone.localdate(to_be_due.closed_at), 1)):
            recheck_schedule(
                actor=sup,
                task=to_be_due,
                due_on=due_on,
                note="查看整改成果是否保持、长效机制是否运行。",
            )
        rechecks_run_daily(today=due_on)
    scheduled = pick.take(closed)
    if scheduled is not None:
        with clock.pinned_today(today):
            recheck_schedule(
                actor=sup, task=scheduled, months=3, note="回访服务对象，核实成效是否持续。"
            )

    # the lights of today (an unanswered 督办单 turns its task yellow)
    with clock.pinned_today(today):
        for task in Task.objects.filter(pk__in=pick.taken):
            task_refresh(task)
