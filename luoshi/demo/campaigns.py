"""Demo 督查活动, built through the campaign services under pinned dates:

- the year's 督查计划 (issued) with two items;
- 安全生产专项督查 of 市应急局 and 市交通运输局, done about two months ago: notices, records,
  three findings (one answered statement), the report issued, two rectifications as tasks —
  one closed (销号), one still open — and a 约谈 recorded; it stays 整改中;
- 优化营商环境专项督查 of 市政务办 and 市市场监管局 starting in six working days: launched,
  its notices due in three working days (pending);
- an unannounced 暗访 of 东城区 next week, which sends no notice at all.
"""

from __future__ import annotations

import datetime as dt

from luoshi.campaigns.models import Inspection
from luoshi.campaigns.services.findings import finding_add, statement_answer, statement_submit
from luoshi.campaigns.services.inspections import inspection_create, inspection_launch
from luoshi.campaigns.services.plans import plan_create, plan_issue, plan_item_add
from luoshi.campaigns.services.records import record_add
from luoshi.campaigns.services.rectifications import rectification_create
from luoshi.campaigns.services.reporting import report_issue
from luoshi.campaigns.services.results import inspection_outcome_record
from luoshi.demo.people import People
from luoshi.demo.units import Units
from luoshi.lib import clock
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
)
from luoshi.workcal.services import WorkCalendar


def build_campaigns(*, people: People, units: Units, today: dt.date) -> None:
    if Inspection.objects.exists():  # loaded once
        return
    cal = WorkCalendar()

    def wd(n: int) -> dt.date:
        return cal.add_working_days(today, n)

    sup = people.supervisor
    leader = people.leaders["cwfsz"]
    yjj, jtj = units["yjj"], units["jtj"]
    zwb, scj, dcq = units["zwb"], units["scj"], units["dcq"]

    with clock.pinned_today(wd(-70)):
        plan = plan_create(actor=sup, year=wd(-70).year, title=f"{wd(-70).year}年度督查计划")
        safety = plan_item_add(
            actor=sup,
            plan=plan,
            topic="安全生产专项督查",
            kind="special",
            subject_units=[yjj, jtj],
            planned_month=wd(-50).month,
            lead_team="督查一组",
        )
        business = plan_item_add(
            actor=sup,
            plan=plan,
            topic="优化营商环境专项督查",
            kind="special",
            subject_units=[zwb, scj],
            planned_month=wd(6).month,
            lead_team="督查二组",
        )
        plan_issue(actor=sup, plan=plan, doc_number=f"示督〔{wd(-70).year}〕1号")
        done = inspection_create(
            actor=sup,
            plan_item=safety,
            title="安全生产专项督查",
            kind="special",
            scope="检查安全生产责任制落实、重大隐患排查整治和应急预案演练情况。",
            subject_units=[yjj, jtj],
            methods=["report", "documents", "site", "visit"],
            team_leader=sup,
            team_members=[leader],
            start_date=wd(-50),
            end_date=wd(-46),
            notice_days_ahead=3,
            materials="安全生产责任清单、近一年隐患排查台账、应急预案及演练记录。",
        )
        inspection_launch(actor=sup, inspection=done)
    _finished_story(done, sup=sup, people=people, wd=wd, yjj=yjj, jtj=jtj, today=today)

    with clock.pinned_today(today):
        upcoming = inspection_create(
            actor=sup,
            plan_item=business,
            title="优化营商环境专项督查",
            kind="special",
            scope="检查“高效办成一件事”、涉企审批时限和惠企政策兑现情况。",
            subject_units=[zwb, scj],
            methods=["report", "documents", "survey"],
            team_leader=sup,
            start_date=wd(6),
            end_date=wd(10),
            notice_days_ahead=3,
            materials="涉企审批办件清单、惠企政策兑现台账、企业诉求办理记录。",
        )
        inspection_launch(actor=sup, inspection=upcoming)
        secret = inspection_create(
            actor=sup,
            title="基层减负暗访",
            kind="event",
            scope="暗访基层填表报数、督查检查考核过多过频问题。",
            subject_units=[dcq],
            methods=["unannounced", "visit"],
            team_leader=sup,
            start_date=wd(4),
            end_date=wd(5),
            unannounced=True,
        )
        inspection_launch(actor=sup, inspection=secret)


def _finished_story(done, *, sup, people: People, wd, yjj, jtj, today: dt.date) -> None:
    from luoshi.campaigns.daily import run_daily

    run_daily(today=wd(-53))  # the notices, three working days ahead
    with clock.pinned_today(wd(-50)):
        record_add(
            actor=sup,
            inspection=done,
            kind="report",
            held_on=wd(-50),
            place="市应急局三楼会议室",
            persons="督查组全体、市应急局主要负责人",
            text="听取市应急局安全生产责任制落实情况汇报，调阅隐患排查台账。",
            unit=yjj,
        )
        f1 = finding_add(
            actor=sup,
            inspection=done,
            unit=yjj,
            title="重大隐患整改台账更新不及时",
            detail="抽查 12 项重大隐患，4 项整改进展未按月更新。",
        )
    with clock.pinned_today(wd(-49)):
        record_add(
            actor=sup,
            inspection=done,
            kind="site",
            held_on=wd(-49),
            place="城北客运站",
            persons="督查组、市交通运输局分管负责人",
            text="实地查看客运站消防通道和安检设施，发现一处消防通道被占用。",
            unit=jtj,
        )
        f2 = finding_add(
            actor=sup,
            inspection=done,
            unit=jtj,
            title="客运站消防通道被占用",
            detail="城北客运站北侧消防通道堆放杂物，未及时清理。",
        )
        f3 = finding_add(
            actor=sup,
            inspection=done,
            unit=jtj,
            title="应急预案演练记录不全",
            detail="2 个站场缺少上半年演练记录。",
        )
    with clock.pinned_today(wd(-47)):
        st = statement_submit(
            actor=people.liaisons["jtj"],
            finding=f3,
            text="两个站场已于六月组织演练，记录在站场留存，现补充提交。",
        )
        statement_answer(actor=sup, statement=st, answer="adopted", reason="")
    with clock.pinned_today(wd(-42)):
        r1 = rectification_create(
            actor=sup,
            finding=f1,
            due=wd(-10),
            owner=people.liaisons["yjj"],
            required_evidence="更新后的隐患整改台账及整改销号材料。",
        )
        rectification_create(
            actor=sup,
            finding=f2,
            due=wd(15),
            owner=people.liaisons["jtj"],
            required_evidence="清理前后照片和长效管理制度。",
        )
        report_issue(
            actor=sup,
            inspection=done,
            summary="两单位安全生产责任制总体落实，但隐患整改跟踪和现场管理仍有差距。",
        )
    with clock.pinned_today(wd(-40)):
        assignment_acknowledge(actor=people.liaisons["yjj"], task=r1.task)
    with clock.pinned_today(wd(-15)):
        closure_request(
            actor=people.liaisons["yjj"],
            task=r1.task,
            summary="台账已全面更新，4 项隐患已整改销号。",
        )
    with clock.pinned_today(wd(-14)):
        closure_verify(actor=sup, task=r1.task, comment="整改到位，同意销号。")
    with clock.pinned_today(wd(-12)):
        inspection_outcome_record(
            actor=sup,
            inspection=done,
            kind="talk",
            unit=jtj,
            text="客运站消防通道被占用，约谈市交通运输局分管负责人。",
            recorded_on=wd(-12),
            finding=f2,
        )
