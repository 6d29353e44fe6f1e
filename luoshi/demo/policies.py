"""The demo's 政策体系: the 营商环境 action plan (the demo's 文件 source) registered as a policy
whose tasks are its deliverables, a new 民营经济 policy with four promises in different states
(one closed on time, one reported with its indicator half-way, one overdue, one not yet
signed: 市发展改革委's, for fgw_lly), and its 2023 version, revised by it, with none. Linked to
work-report goals. Run after the story, through the policies services, each step on its own
day of the last weeks (clock.pinned_today)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from luoshi.demo.people import People
from luoshi.demo.units import Units
from luoshi.lib import clock
from luoshi.policies.models import Policy, PolicyLevel, PolicyStatus
from luoshi.policies.services import (
    DeliverableRow,
    deliverable_link,
    policy_create,
    policy_set_status,
)
from luoshi.reports.services import report_submit
from luoshi.tasks.models import Source, SourceKind, Task
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
    task_assign,
)
from luoshi.tasks.services.refresh import task_refresh
from luoshi.workcal.services import WorkCalendar

PRIVATE = "示范市促进民营经济高质量发展若干措施"


def build_policies(*, people: People, units: Units, today: dt.date) -> None:
    if Policy.objects.exists():  # loaded once; a second run adds nothing
        return
    cal = WorkCalendar()
    sup = people.supervisor

    def wd(n: int) -> dt.date:
        return cal.add_working_days(today, n)

    report = Source.objects.filter(kind=SourceKind.WORK_REPORT).first()
    goals = list(
        Task.objects.filter(source=report, parent=None).order_by("sort_order", "pk")[:3]
        if report
        else []
    )

    # 1. the 营商环境 action plan: its tasks are its deliverables
    document = Source.objects.filter(kind=SourceKind.DOCUMENT).first()
    if document is not None:
        with clock.pinned_today(document.issued_on or wd(-30)):
            plan = policy_create(
                actor=sup,
                source=document,
                title=document.title,
                doc_number=document.doc_number,
                issuer=document.issuer,
                issued_on=document.issued_on or wd(-30),
                level=PolicyLevel.CITY,
                category="营商环境",
                summary=document.content,
                valid_from=document.issued_on,
                goals=[(g, "营商环境是该目标的政策支撑") for g in goals[:1]],
            )
            for task in Task.objects.filter(source=document, parent=None).order_by(
                "sort_order", "pk"
            ):
                deliverable_link(actor=sup, policy=plan, task=task)

    # 2. the 民营经济 measures, with four promises
    issued = wd(-30)
    with clock.pinned_today(issued):
        private = policy_create(
            actor=sup,
            title=PRIVATE,
            doc_number=f"示政发〔{issued.year}〕18号",
            issuer="示范市人民政府",
            issued_on=issued,
            level=PolicyLevel.CITY,
            category="产业发展",
            summary="从融资支持、降本减负、清欠、惠企服务四个方面提出支持民营经济发展的措施。",
            valid_from=issued,
            valid_to=dt.date(issued.year + 2, 12, 31),
            goals=[(g, "民营经济发展") for g in goals[1:3]],
            deliverables=[
                DeliverableRow(
                    promise="对首次升规的工业企业给予一次性奖励20万元。",
                    lead_unit=units["gxj"],
                    co_units=[units["czj"]],
                    due=wd(60),
                    indicator_name="奖励企业数",
                    measure_unit="家",
                    target=Decimal(50),
                ),
                DeliverableRow(
                    promise="设立民营企业应急转贷资金，规模不少于2亿元。",
                    lead_unit=units["czj"],
                    due=wd(20),
                ),
                DeliverableRow(
                    promise="开展拖欠民营企业账款专项清理，做到应清尽清。",
                    lead_unit=units["czj"],
                    co_units=[units["gxj"]],
                    due=wd(-3),
                ),
                DeliverableRow(
                    promise="建立惠企服务专员制度，重点民营企业全覆盖走访。",
                    lead_unit=units["fgw"],
                    due=wd(80),
                ),
            ],
        )
        rewards, fund, arrears, visits = [d.task for d in private.deliverables.order_by("number")]
    with clock.pinned_today(wd(-28)):
        for task in (rewards, fund, arrears):
            task_assign(actor=sup, task=task)
    with clock.pinned_today(wd(-27)):
        assignment_acknowledge(actor=people.liaisons["gxj"], task=rewards)
        assignment_acknowledge(actor=people.liaisons["czj"], task=fund)
        assignment_acknowledge(actor=people.liaisons["czj"], task=arrears)
    with clock.pinned_today(wd(-15)):
        report_submit(
            actor=people.liaisons["czj"],
            task=arrears,
            progress_text="已梳理拖欠账款线索86条，清偿52条。",
            percent=60,
            problems="部分账款涉及历史遗留问题，清偿资金尚未落实。",
            next_steps="协调财政资金，推动剩余账款分期清偿。",
        )
    with clock.pinned_today(wd(-12)):
        report_submit(
            actor=people.liaisons["czj"],
            task=fund,
            progress_text="应急转贷资金2亿元已到位，管理办法已印发。",
            percent=100,
        )
        closure_request(
            actor=people.liaisons["czj"], task=fund, summary="资金到位，管理办法已印发并运行。"
        )
    with clock.pinned_today(wd(-10)):
        closure_verify(actor=sup, task=fund, comment="资料齐全，同意销号。")
    with clock.pinned_today(wd(-5)):
        indicator = rewards.indicators.get()
        report_submit(
            actor=people.liaisons["gxj"],
            task=rewards,
            progress_text="已完成两批认定，奖励首次升规企业25家。",
            percent=50,
            next_steps="开展第三批认定。",
            indicator_values={indicator.pk: 25},
        )
    with clock.pinned_today(wd(-1)):
        task_assign(actor=sup, task=visits)

    # 3. the 2023 version, revised by the new one: no deliverable of its own
    old_day = dt.date(issued.year - 3, 3, 15)
    with clock.pinned_today(old_day):
        old = policy_create(
            actor=sup,
            title="示范市支持民营经济发展若干措施",
            doc_number=f"示政发〔{old_day.year}〕7号",
            issuer="示范市人民政府",
            issued_on=old_day,
            level=PolicyLevel.CITY,
            category="产业发展",
            valid_from=old_day,
        )
    with clock.pinned_today(issued):
        policy_set_status(
            actor=sup,
            policy=old,
            status=PolicyStatus.REVISED,
            superseded_by=private,
            note=f"由示政发〔{issued.year}〕18号修订",
        )
    with clock.pinned_today(today):
        for task in (rewards, fund, arrears, visits):
            task_refresh(task, today=today)
