"""A small world for the tests of 办会办文, built through the services under a pinned clock.

Units: the government with 发改委 (A, alias 发改委), 交通局 (B) and 财政局 (C).
People: the office (sup), the mayor (mayor, whole tree), a vice-mayor whose scope is C
(vice), A's liaison, the system administrator.

A meeting (2026-03-02) with no items yet, and an instruction of the mayor's (2026-03-03,
report due 2026-03-13) with one task under it, assigned, signed and reported by A. Today is
2026-03-10.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from luoshi.lib import clock
from luoshi.meetings.services import instruction_create, meeting_create
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.services import report_submit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign

TODAY = dt.date(2026, 3, 10)
HELD = dt.date(2026, 3, 2)
GIVEN = dt.date(2026, 3, 3)
REPORT_DUE = dt.date(2026, 3, 13)


def user(username, role, unit=None, full_name="", **extra) -> User:
    return User.objects.create_user(
        username, password="pw-Secret-2026", role=role, unit=unit, full_name=full_name, **extra
    )


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    with clock.pinned_today(HELD):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)

        def dept(name, short, aliases=""):
            return unit_create(
                actor=None,
                name=name,
                short_name=short,
                aliases=aliases,
                kind=UnitKind.DEPARTMENT,
                parent=w.gov,
            )

        w.a = dept("示范市发展和改革委员会", "市发展改革委", "发改委")
        w.b = dept("示范市交通运输局", "市交通局")
        w.c = dept("示范市财政局", "市财政局")
        w.sup = user("sup", Role.SUPERVISOR, w.gov, "周督查")
        w.mayor = user("mayor", Role.LEADER, w.gov, "周市长")
        w.vice = user("vice", Role.LEADER, w.gov, "王副市长", scope_unit=w.c)
        w.liaison_a = user("liaison_a", Role.LIAISON, w.a, "甲联络员")
        w.sysadmin = user("sysadmin", Role.SYSADMIN, None, "系统管理员")
        w.meeting = meeting_create(
            actor=w.sup,
            name="市政府第12次常务会议",
            held_on=HELD,
            place="市政府第一会议室",
            chair=w.mayor,
            attendees="周市长、王副市长",
            minutes="会议研究了东部新城供水保障等事项。",
            minutes_number="纪要〔2026〕12号",
        )
    with clock.pinned_today(GIVEN):
        w.instruction = instruction_create(
            actor=w.sup,
            leader=w.mayor,
            text="请交通运输局牵头，一周内拿出解决方案。",
            given_on=GIVEN,
            doc_title="群众反映物流园周边道路拥堵问题",
            doc_number="信息〔2026〕7号",
            report_due=REPORT_DUE,
        )
        w.task = task_create(
            actor=w.sup,
            source=w.instruction.source,
            title="研究解决物流园周边道路拥堵问题",
            lead_unit=w.a,
            due=dt.date(2026, 4, 30),
        )
        task_assign(actor=w.sup, task=w.task)
        assignment_acknowledge(actor=w.liaison_a, task=w.task)
        report_submit(
            actor=w.liaison_a,
            task=w.task,
            progress_text="已召开专题会，形成初步方案。",
            percent=40,
        )
    w.task.refresh_from_db()
    return w
