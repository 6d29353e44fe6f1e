"""The 督查报告 as a .docx in the official format, built from the scheme, the records, the
findings with the units' statements and the office's answers, and the rectification plan.
Reuses the GB/T 9704 building blocks of luoshi.bulletins.render; always in Chinese."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from luoshi.bulletins import render
from luoshi.campaigns.models import Inspection, Rectification

ISSUER = "督查室"


def _d(day: dt.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def report_docx(*, inspection: Inspection, number: str, summary: str, dated: dt.date) -> bytes:
    """The report's bytes; `number` empty for a draft (preview)."""
    with translation.override("zh-hans"):
        return _render(inspection, number, summary, dated)


def _render(inspection: Inspection, number: str, summary: str, dated: dt.date) -> bytes:
    document = render.official_document()
    number_text = number or _("督查报告〔%(year)d〕  号（草稿）") % {"year": dated.year}
    render.masthead(document, issuer=ISSUER, mark=_("督 查 报 告"), number=number_text)
    render.doc_title(document, _("关于%(title)s的督查报告") % {"title": inspection.title})
    units = list(inspection.subject_units.order_by("sort_order", "pk"))
    unit_names = "、".join(u.display_name for u in units)
    render.para(
        document,
        _(
            "根据《政府督查工作条例》和督查工作安排，督查组于%(start)s至%(end)s对%(units)s开展"
            "%(kind)s%(how)s。现将有关情况报告如下。"
        )
        % {
            "start": _d(inspection.start_date),
            "end": _d(inspection.end_date),
            "units": unit_names,
            "kind": inspection.get_kind_display(),
            "how": _("（暗访）") if inspection.unannounced else "",
        },
        indent=True,
    )

    # 一、督查基本情况
    render.heading1(document, 1, _("督查基本情况"))
    leader = inspection.team_leader.display_name
    members = "、".join(m.display_name for m in inspection.team_members.all())
    render.para(document, _("督查内容：%(scope)s") % {"scope": inspection.scope}, indent=True)
    render.para(
        document,
        _("督查方式：%(methods)s。督查组组长：%(leader)s%(members)s。")
        % {
            "methods": "、".join(inspection.method_labels()),
            "leader": leader,
            "members": _("；成员：%(m)s") % {"m": members} if members else "",
        },
        indent=True,
    )
    records = list(inspection.records.filter(corrected_by__isnull=True).select_related("unit"))
    lines = [
        _("%(date)s，%(kind)s（%(place)s%(unit)s）：%(text)s")
        % {
            "date": _d(r.held_on),
            "kind": r.get_kind_display(),
            "place": r.place,
            "unit": "，" + r.unit.display_name if r.unit_id else "",
            "text": r.text.replace("\n", " "),
        }
        for r in records
    ]
    render.heading2(document, 1, _("督查记录"))
    render.items(document, lines, _("无督查记录。"))

    # 二、发现的主要问题及陈述申辩
    render.heading1(document, 2, _("发现的主要问题及陈述申辩情况"))
    findings = list(inspection.findings.select_related("unit").prefetch_related("statements"))
    if not findings:
        render.para(document, _("本次督查未发现需要整改的问题。"), indent=True)
    for i, finding in enumerate(findings, start=1):
        render.heading2(
            document,
            i,
            _("%(unit)s：%(title)s") % {"unit": finding.unit.display_name, "title": finding.title},
        )
        render.para(document, finding.detail, indent=True)
        for st in finding.statements.all():
            render.para(document, _("陈述申辩：%(text)s") % {"text": st.text}, indent=True)
            if st.answered_at:
                render.para(
                    document,
                    _("督查组意见：%(answer)s。%(reason)s")
                    % {"answer": st.get_answer_display(), "reason": st.answer_reason},
                    indent=True,
                )
        if not finding.statements.all():
            render.para(document, _("被督查单位未提出陈述申辩。"), indent=True)

    # 三、整改要求
    render.heading1(document, 3, _("整改要求"))
    rectifications = list(
        Rectification.objects.filter(finding__inspection=inspection).select_related(
            "finding", "task", "task__lead_unit", "task__owner"
        )
    )
    if rectifications:
        render.table(
            document,
            _("表1  整改事项"),
            [_("序号"), _("问题"), _("责任单位"), _("责任人"), _("整改时限"), _("任务编号")],
            [
                [
                    str(i),
                    r.finding.title,
                    r.task.lead_unit.display_name if r.task.lead_unit_id else "",
                    r.task.owner.display_name if r.task.owner_id else "",
                    r.task.due.isoformat() if r.task.due else "",
                    r.task.code,
                ]
                for i, r in enumerate(rectifications, start=1)
            ],
            widths=[12, 56, 30, 20, 22, 26],
        )
        render.para(
            document,
            _("请各责任单位按期完成整改，通过落实系统填报整改进展、提交佐证材料并申请办结。"),
            indent=True,
        )
    else:
        render.para(document, _("本报告未列整改事项。"), indent=True)

    # 四、总体评价
    render.heading1(document, 4, _("总体评价和建议"))
    render.para(document, summary or _("（无）"), indent=True)

    render.signature(document, issuer=ISSUER, dated=dated, draft=not number)
    return render.document_bytes(document)
