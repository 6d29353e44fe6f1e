"""What the inspection page shows on each tab, filtered by luoshi.access.campaigns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from luoshi.access import campaigns as access
from luoshi.campaigns.models import Inspection, InspectionOutcome, Rectification
from luoshi.campaigns.services.notices import notice_date
from luoshi.campaigns.services.reporting import report_problems

EVENT_LABELS = {
    "created": _("拟定督查方案"),
    "scheme_changed": _("修改督查方案"),
    "launched": _("启动实施"),
    "notices_sent": _("发送督查通知"),
    "record_added": _("添加督查记录"),
    "record_corrected": _("更正督查记录"),
    "finding_added": _("记录发现问题"),
    "statement_submitted": _("提交陈述申辩"),
    "statement_answered": _("答复陈述申辩"),
    "rectification_created": _("交办整改事项"),
    "report_issued": _("印发督查报告"),
    "outcome_recorded": _("记录结果运用"),
    "finished": _("完结"),
}


def clues_of(user, inspection: Inspection) -> list:
    """The public clues (luoshi.clues) the office attached to the inspection, those the user
    may read (access.clues.visible_clues: the office and leaders in scope; never units)."""
    from luoshi.access.clues import visible_clues

    return list(
        visible_clues(user, inspection.clues.all())
        .select_related("category")
        .order_by("-submitted_at")[:50]
    )


def detail_context(user, inspection: Inspection, tab: str) -> dict:
    ctx: dict = {
        "units": list(inspection.subject_units.order_by("sort_order", "pk")),
        "report": getattr(inspection, "report", None),
    }
    if tab == "scheme":
        ctx["team_members"] = list(inspection.team_members.all())
        events = list(inspection.events.select_related("actor"))
        for e in events:
            e.label = EVENT_LABELS.get(e.kind, e.kind)
        ctx["events"] = events
        ctx["clues"] = clues_of(user, inspection)
        ctx["notice_on"] = notice_date(inspection)
    elif tab == "notices":
        ctx["notices"] = list(access.visible_notices(user, inspection))
        ctx["notice_on"] = notice_date(inspection)
        noticed = {n.unit_id for n in ctx["notices"]}
        ctx["not_yet"] = [u for u in ctx["units"] if u.pk not in noticed]
    elif tab == "records":
        ctx["records"] = list(
            access.visible_records(user, inspection)
            .select_related("unit", "recorded_by", "corrects")
            .prefetch_related("files")
        )
    elif tab == "findings":
        ctx["findings"] = list(
            access.visible_findings(user, inspection)
            .select_related("unit")
            .prefetch_related("statements")
        )
    elif tab == "report":
        ctx["problems"] = report_problems(inspection) if inspection.state == "active" else []
    elif tab == "rectifications":
        qs = Rectification.objects.filter(
            finding__in=access.visible_findings(user, inspection)
        ).select_related("task", "task__lead_unit", "task__owner", "finding")
        ctx["rectifications"] = list(qs)
    elif tab == "results":
        ctx["outcomes"] = list(
            InspectionOutcome.objects.filter(inspection=inspection).select_related(
                "outcome", "outcome__unit", "finding"
            )
        )
    return ctx
