"""A small world for the language tests, built through the services at a pinned date, with
enough history that every part of the pages shows: lights with reasons, acknowledgements,
reports with indicator values, a returned and a pending closure, a closed task, a
decomposition, an edit, a suspension and a calendar override.

Today is Tuesday 2026-03-10. Data (unit names, people, titles, texts) stays Chinese in the
English UI; the tests read every stored string back from the database to tell data from
page chrome.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.services import report_submit
from luoshi.tasks.models import Milestone
from luoshi.tasks.services.editing import (
    milestone_complete,
    task_create,
    task_update,
    tasks_create_children,
)
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_return,
    closure_verify,
    task_assign,
    task_suspend,
)
from luoshi.tasks.services.refresh import lights_refresh_all
from luoshi.tasks.services.sources import source_create
from luoshi.workcal.services import calendar_day_set

TODAY = dt.date(2026, 3, 10)
ASSIGNED = dt.date(2026, 2, 2)


def _user(username, role, unit=None, full_name="", **extra) -> User:
    return User.objects.create_user(
        username, password="pw-Secret-2026", role=role, unit=unit, full_name=full_name, **extra
    )


@pytest.fixture(autouse=True)
def _default_language_after():
    """LocaleMiddleware activates the request's language for the whole thread and leaves it
    there; put the default back so that later tests, which call gettext outside a request,
    still read Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    with clock.pinned_today(ASSIGNED):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
        w.a = unit_create(
            actor=None,
            name="示范市发展和改革委员会",
            short_name="市发展改革委",
            aliases="市发改委",
            kind=UnitKind.DEPARTMENT,
            parent=w.gov,
        )
        w.b = unit_create(
            actor=None,
            name="示范市交通运输局",
            short_name="市交通局",
            kind=UnitKind.DEPARTMENT,
            parent=w.gov,
        )
        w.district = unit_create(
            actor=None,
            name="示范市东城区人民政府",
            short_name="东城区",
            kind=UnitKind.DISTRICT,
            parent=w.gov,
        )
        w.sup = _user("sup", Role.SUPERVISOR, w.gov, "周明", title="督查科科长")
        w.leader = _user("leader", Role.LEADER, w.gov, "李华", title="副市长")
        w.liaison_a = _user("liaison_a", Role.LIAISON, w.a, "张伟")
        w.head_a = _user("head_a", Role.UNIT_HEAD, w.a, "王强")
        w.liaison_b = _user("liaison_b", Role.LIAISON, w.b, "刘洋")
        w.sysadmin = _user("sysadmin", Role.SYSADMIN, None, "陈静")
        w.secadmin = _user("secadmin", Role.SECADMIN, None, "杨帆")
        w.auditor = _user("auditor", Role.AUDITOR, None, "赵敏")

        w.source = source_create(
            actor=w.sup,
            kind="work_report",
            title="2026年政府工作报告",
            code="2026-ZD",
            doc_number="示政发〔2026〕1号",
        )

        def make(title, lead, due=None, co=(), **fields):
            return task_create(
                actor=w.sup,
                source=w.source,
                title=title,
                lead_unit=lead,
                co_units=list(co),
                due=due,
                ongoing=due is None,
                report_cycle=fields.pop("report_cycle", "monthly"),
                **fields,
            )

        w.big = make(
            "实施重大项目攻坚行动",
            w.a,
            dt.date(2026, 12, 31),
            co=[w.b],
            lead_leader=w.leader,
            owner=w.liaison_a,
            category="稳增长",
            priority="high",
            due_text="年底前",
            indicators=[
                {"name": "重大项目完成投资", "measure_unit": "亿元", "baseline": 0, "target": 800}
            ],
            milestones=[
                {"title": "一季度集中开工", "due": dt.date(2026, 3, 31)},
                {"title": "二月完成项目清单", "due": dt.date(2026, 2, 27)},
            ],
        )
        w.children = tasks_create_children(
            actor=w.sup,
            parent=w.big,
            rows=[
                {"title": "完成项目前期手续", "lead_unit": w.a, "due": dt.date(2026, 6, 30)},
                {"title": "保障项目用地", "lead_unit": w.district, "due": dt.date(2026, 3, 5)},
            ],
        )
        w.late = make("推进老旧小区改造", w.a, dt.date(2026, 3, 5), category="民生")
        w.soon = make("开通城市快速公交线路", w.b, dt.date(2026, 3, 12), co=[w.a])
        w.ongoing = make("优化营商环境", w.a, None, report_cycle="monthly_day", report_day=5)
        w.returned = make("清理拖欠企业账款", w.a, dt.date(2026, 10, 31))
        w.pending = make("建设综合交通枢纽", w.a, dt.date(2026, 11, 30))
        w.done = make("发布年度投资计划", w.a, dt.date(2026, 4, 30))
        w.paused = make("筹办城市马拉松", w.b, dt.date(2026, 9, 30))
        w.draft = make("编制低空经济发展规划", w.a, dt.date(2026, 12, 31))
        for t in (w.big, w.late, w.soon, w.ongoing, w.returned, w.pending, w.done, w.paused):
            task_assign(actor=w.sup, task=t)

    with clock.pinned_today(dt.date(2026, 2, 3)):
        for t in (w.big, w.late, w.ongoing, w.returned, w.pending, w.done, *w.children[:1]):
            assignment_acknowledge(actor=w.liaison_a, task=t)
        assignment_acknowledge(actor=w.liaison_b, task=w.big)
        assignment_acknowledge(actor=w.liaison_b, task=w.paused)
        task_update(actor=w.sup, task=w.big, priority="urgent", report_cycle="semimonthly")

    with clock.pinned_today(dt.date(2026, 2, 20)):
        report_submit(
            actor=w.liaison_a,
            task=w.big,
            progress_text="已开工项目23个，完成投资120亿元。",
            problems="部分项目用地指标紧张。",
            next_steps="加快办理用地手续。",
            percent=40,
            indicator_values={w.big.indicators.get().pk: "120"},
        )
        report_submit(actor=w.liaison_b, task=w.big, progress_text="完成交通配套方案。", percent=30)
        milestone_complete(
            actor=w.liaison_a,
            milestone=Milestone.objects.get(task=w.big, title="二月完成项目清单"),
            on=dt.date(2026, 2, 20),
        )
        for t in (w.returned, w.pending, w.done):
            report_submit(actor=w.liaison_a, task=t, progress_text="已基本完成。", percent=100)
            closure_request(actor=w.liaison_a, task=t, summary="任务已完成，申请办结。")
        task_suspend(actor=w.sup, task=w.paused, reason="赛事延期举办。")

    with clock.pinned_today(dt.date(2026, 3, 2)):
        closure_return(actor=w.sup, task=w.returned, reason="佐证材料不足，请补充。")
        closure_verify(actor=w.sup, task=w.done, comment="同意办结。")
        calendar_day_set(actor=w.sysadmin, day=dt.date(2026, 3, 14), kind="workday", note="补班")

    with clock.pinned_today(TODAY):
        lights_refresh_all(today=TODAY)
    for name in vars(w).copy():
        obj = getattr(w, name)
        if hasattr(obj, "refresh_from_db") and getattr(obj, "pk", None):
            obj.refresh_from_db()
    return w
