"""Excel exports of the evaluation tables: a period's rankings (one sheet per ranking group,
adjustments on their own sheet) and a unit's breakdown. Every cell goes through lib/xlsx."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from luoshi.lib.watermark import watermark_workbook
from luoshi.lib.xlsx import safe_row


def _sheet_title(name: str, used: set[str]) -> str:
    title = "".join(c for c in name if c not in "[]:*?/\\")[:28] or "Sheet"
    base, n = title, 2
    while title in used:
        title = f"{base}{n}"
        n += 1
    used.add(title)
    return title


def workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]], *, user) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, headers, rows in sheets:
        ws = wb.create_sheet(_sheet_title(name, used))
        safe_row(ws, 1, headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, row in enumerate(rows, start=2):
            safe_row(ws, i, row)
        for col, width in zip("ABCDEFGHIJ", (8, 30, 10, 10, 10, 10, 10, 10, 10, 10), strict=False):
            ws.column_dimensions[col].width = width
    if not wb.sheetnames:
        wb.create_sheet(_("空"))
    watermark_workbook(wb, user)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ranking_sheets(groups, adjustments) -> list:
    headers = [
        _("名次"),
        _("单位"),
        _("基础分"),
        _("计分"),
        _("调整"),
        _("得分"),
        _("上期得分"),
        _("得分变化"),
        _("上期名次"),
        _("名次变化"),
    ]
    sheets = []
    for group in groups:
        rows = [
            [
                s.rank,
                s.unit.name,
                s.base,
                s.points,
                s.adjustments,
                s.score,
                s.prev_score,
                s.delta_score,
                s.prev_rank,
                s.delta_rank,
            ]
            for s in group["rows"]
        ]
        sheets.append((group["name"], headers, rows))
    sheets.append(
        (
            _("调整记录"),
            [_("单位"), _("调整分值"), _("调整理由"), _("调整人"), _("时间")],
            [
                [
                    a.unit.name,
                    a.points,
                    a.reason,
                    a.by.display_name,
                    a.at.strftime("%Y-%m-%d %H:%M"),
                ]
                for a in adjustments
            ],
        )
    )
    return sheets


def breakdown_sheets(unit_name: str, items, adjustments) -> list:
    return [
        (
            unit_name,
            [_("计分项"), _("分值"), _("任务编号"), _("任务"), _("日期"), _("说明")],
            [
                [
                    i.kind_label,
                    i.points,
                    i.task.code if i.task_id else "",
                    i.task.title if i.task_id else "",
                    i.on_date,
                    i.explanation,
                ]
                for i in items
            ],
        ),
        (
            _("调整记录"),
            [_("调整分值"), _("调整理由"), _("调整人"), _("时间")],
            [
                [a.points, a.reason, a.by.display_name, a.at.strftime("%Y-%m-%d %H:%M")]
                for a in adjustments
            ],
        ),
    ]
