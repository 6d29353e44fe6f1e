"""Demo 群众线索: a handful of clues the public handed in over the last weeks, in every state
the office's list and the public status page know — one waiting (with a phone number, shown
masked), one turned into a task still open, one turned into a task already closed (已办结 on
the status page), a duplicate merged into the first task's clue, one refused with a reason,
and one handed to a supervision campaign when the demo has one that is not finished.

Receipt codes are stored hashed, so the demo's codes cannot be shown: hand in a clue at
/clues/ to try the status page."""

from __future__ import annotations

import datetime as dt

from luoshi.clues.models import Clue, ClueCategory
from luoshi.clues.services.submission import clue_submit
from luoshi.clues.services.triage import (
    clue_accept_as_task,
    clue_accept_to_inspection,
    clue_merge,
    clue_reject,
    clue_reply,
)
from luoshi.demo.people import People
from luoshi.demo.units import Units
from luoshi.lib import clock
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_needs_head_approval,
    closure_request,
    closure_verify,
)


def _submit(day: dt.date, category: str, place: str, text: str, unit=None, contact=""):
    with clock.pinned_today(day):
        return clue_submit(
            category=ClueCategory.objects.get(name=category),
            place=place,
            unit=unit,
            text=text,
            contact=contact,
        ).clue


def build_clues(*, people: People, units: Units, today: dt.date) -> None:
    if Clue.objects.exists():  # loaded once
        return
    sup = people.supervisor
    ago = lambda n: today - dt.timedelta(days=n)  # noqa: E731

    lamp = _submit(
        ago(21),
        "民生服务",
        "东城区幸福路与建设街交叉口",
        "幸福路与建设街交叉口的三盏路灯坏了一个多月，晚上路口很黑，老人孩子过马路不安全，"
        "向社区反映过两次还没修。",
        unit=units["dcq"],
        contact="13800001111",
    )
    with clock.pinned_today(ago(19)):
        clue_accept_as_task(
            actor=sup, clue=lamp, lead_unit=units["dcq"], due=ago(19) + dt.timedelta(days=30)
        )
        clue_reply(actor=sup, clue=lamp, text="您反映的问题已交东城区人民政府办理，请关注进度。")
    same = _submit(
        ago(18),
        "民生服务",
        "东城区幸福路",
        "幸福路建设街路口路灯不亮，晚上开车看不清行人，请尽快维修。",
    )
    with clock.pinned_today(ago(17)):
        clue_merge(actor=sup, clue=same, primary=lamp)

    permit = _submit(
        ago(40),
        "营商环境",
        "市政务服务中心",
        "办理施工许可时窗口要求提供的材料与网上公布的清单不一致，来回跑了三趟。",
        unit=units["zjj"],
    )
    with clock.pinned_today(ago(38)):
        done = clue_accept_as_task(
            actor=sup, clue=permit, lead_unit=units["zjj"], due=ago(38) + dt.timedelta(days=20)
        )
    liaison = people.liaisons.get("zjj")
    if liaison is not None and not closure_needs_head_approval():
        with clock.pinned_today(ago(36)):
            assignment_acknowledge(actor=liaison, task=done)
        with clock.pinned_today(ago(25)):
            closure_request(
                actor=liaison,
                task=done,
                summary="已统一窗口与网上的材料清单，并对窗口人员进行了培训。",
            )
        with clock.pinned_today(ago(24)):
            closure_verify(actor=sup, task=done)
            clue_reply(
                actor=sup,
                clue=permit,
                text="经核实，材料清单已统一，窗口已整改。感谢您的监督。",
            )

    refused = _submit(
        ago(12),
        "其他",
        "南湖区某小区",
        "邻居装修噪音太大，影响休息，希望督查室处理。",
    )
    with clock.pinned_today(ago(11)):
        clue_reject(
            actor=sup,
            clue=refused,
            reason="该问题属于邻里纠纷，不属于政府督查范围，建议向所在社区或12345热线反映。",
        )

    _submit(
        ago(2),
        "作风问题",
        "西城区某街道办事处",
        "街道办事处窗口工作人员上班时间玩手机，群众排队等候很久无人理睬。",
        unit=units["xcq"],
        contact="13900002222",
    )

    policy = _submit(
        ago(6),
        "政策落实",
        "市内多家小微企业",
        "今年的稳岗补贴政策已公布三个月，企业按要求申报后一直没有到账，也查不到审核进度。",
        unit=units["rsj"],
    )
    from luoshi.campaigns.models import Inspection
    from luoshi.campaigns.models.inspections import InspectionState

    inspection = (
        Inspection.objects.exclude(state=InspectionState.FINISHED).order_by("start_date").first()
    )
    if inspection is not None:
        with clock.pinned_today(ago(5)):
            clue_accept_to_inspection(actor=sup, clue=policy, inspection=inspection)
