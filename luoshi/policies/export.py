"""Excel exports of 政策体系: the policies table with their delivery figures, and one policy's
deliverables. Every cell goes through lib.xlsx.safe_cell (no formula from what users typed)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from luoshi.lib.watermark import watermark_workbook
from luoshi.lib.xlsx import safe_row
from luoshi.policies.models import Policy, PolicyDeliverable
from luoshi.policies.queries import overdue


def _workbook(
    title: str, headers: list[str], rows: Sequence[list], widths: list[int], *, user
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    safe_row(ws, 1, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, values in enumerate(rows, start=2):
        safe_row(ws, i, values)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    watermark_workbook(wb, user)
    wb.save(buffer)
    return buffer.getvalue()


def _percent(value: int | None):
    return "" if value is None else f"{value}%"


def policies_workbook(items: Sequence[Policy], *, user) -> bytes:
    """The policies table (items carry `.delivery`, see queries.policy_rows)."""
    headers = [
        _("政策名称"),
        _("文号"),
        _("发文机关"),
        _("发布日期"),
        _("政策层级"),
        _("政策类别"),
        _("状态"),
        _("兑现事项"),
        _("已办结"),
        _("按期办结"),
        _("逾期未办结"),
        _("兑现率"),
        _("按期兑现率"),
        _("指标完成度"),
        _("兑现情况"),
    ]
    rows = []
    for p in items:
        d = p.delivery
        rows.append(
            [
                p.title,
                p.doc_number,
                p.issuer,
                p.issued_on,
                p.get_level_display(),
                p.category,
                p.get_status_display(),
                d.total,
                d.closed,
                d.on_time,
                d.overdue,
                _percent(d.percent),
                _percent(d.percent_on_time),
                _percent(d.indicator_percent),
                d.verdict_label,
            ]
        )
    widths = [40, 22, 18, 12, 8, 14, 8, 10, 8, 10, 10, 8, 10, 10, 12]
    return _workbook(_("政策兑现"), headers, rows, widths, user=user)


def deliverables_workbook(
    policy: Policy, deliverables: Sequence[PolicyDeliverable], *, today: dt.date, user
) -> bytes:
    headers = [
        _("序号"),
        _("兑现事项"),
        _("任务编号"),
        _("牵头单位"),
        _("完成时限"),
        _("状态"),
        _("亮灯"),
        _("进度"),
        _("逾期"),
        _("量化指标"),
        _("当前值"),
        _("目标值"),
    ]
    rows = []
    for d in deliverables:
        t = d.task
        indicators = list(t.indicators.all())
        ind = indicators[0] if indicators else None
        rows.append(
            [
                d.number,
                d.promise,
                t.code,
                t.lead_unit.name if t.lead_unit_id else "",
                t.due if t.due else (_("长期坚持") if t.ongoing else ""),
                t.get_state_display(),
                t.get_light_display() if t.light else "",
                f"{t.progress}%",
                _("是") if overdue(d, today) else "",
                f"{ind.name}（{ind.measure_unit}）"
                if ind and ind.measure_unit
                else (ind.name if ind else ""),
                ind.current if ind else None,
                ind.target if ind else None,
            ]
        )
    widths = [6, 50, 20, 22, 12, 10, 8, 8, 6, 22, 10, 10]
    return _workbook(policy.title, headers, rows, widths, user=user)
