"""导出台账: the ledger back as the .xlsx offices exchange, ready to be re-imported.

Layout: a title row; a two-row header (责任单位 over 牵头单位 / 配合单位); one row per task in
tree order with its numbering (一 / （一） / 1 / （1） / ① by depth), its stable 任务编号, units
joined by 、, the deadline's words, state, light as the cell's fill colour, progress %, the
latest progress report, and an empty 进展情况 column for units to fill in.

Every text cell is written as text: a value beginning with = + - @ is never a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.lib.cn_numbers import cn_number
from luoshi.lib.watermark import watermark_workbook
from luoshi.org.models import User
from luoshi.reports.models import ProgressReport
from luoshi.tasks.models import AssignmentRole, Light, Task, TaskUnit
from luoshi.tasks.queries import as_tree

FILLS = {
    Light.RED: "FFC7CE",
    Light.YELLOW: "FFEB9C",
    Light.GREEN: "C6EFCE",
    Light.BLUE: "BDD7EE",
}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
INJECTION = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[tuple[str, str, str]]:
    """(field, header, sub-header) in the reader's language; the reader maps them back."""
    return [
        ("seq", _("序号"), ""),
        ("code", _("任务编号"), ""),
        ("title", _("工作任务"), ""),
        ("content", _("具体内容"), ""),
        ("lead_leader", _("牵头领导"), ""),
        ("lead_units", _("责任单位"), _("牵头单位")),
        ("co_units", _("责任单位"), _("配合单位")),
        ("due", _("完成时限"), ""),
        ("state", _("状态"), ""),
        ("light", _("亮灯"), ""),
        ("percent", _("进度（%）"), ""),
        ("latest", _("最新进展"), ""),
        ("progress", _("进展情况"), ""),
    ]


WIDTHS = {"seq": 6, "code": 18, "title": 36, "content": 40, "lead_leader": 10}
WIDTHS |= {"lead_units": 16, "co_units": 24, "due": 16, "state": 9, "light": 7}
WIDTHS |= {"percent": 8, "latest": 40, "progress": 40}


def number_for(depth: int, n: int) -> str:
    """The numbering offices use at each depth: 一 / （一） / 1 / （1） / ①."""
    if depth == 0:
        return cn_number(n)
    if depth == 1:
        return f"（{cn_number(n)}）"
    if depth == 2:
        return str(n)
    if depth == 3:
        return f"（{n}）"
    return CIRCLED[n - 1] if n <= len(CIRCLED) else str(n)


def due_words(task: Task) -> str:
    if task.ongoing:
        return task.due_text or _("长期坚持")
    if task.due_text:
        return task.due_text
    if task.due:
        return f"{task.due.year}年{task.due.month}月{task.due.day}日"
    return ""


def _latest_reports(user: User, tasks: Sequence[Task]) -> dict[int, str]:
    """The latest progress words per task that this user may read (a co-unit: its own)."""
    ids = [t.pk for t in tasks]
    reports = ProgressReport.objects.filter(task_id__in=ids).order_by(
        "task_id", "-submitted_at", "-id"
    )
    if policy.is_unit_user(user):
        lead_ids = set(
            TaskUnit.objects.filter(
                task_id__in=ids, unit_id=user.unit_id, role=AssignmentRole.LEAD
            ).values_list("task_id", flat=True)
        )
        own = {t for t in ids if t not in lead_ids}
        reports = [
            r
            for r in reports.only("task_id", "unit_id", "progress_text")
            if r.task_id in lead_ids or (r.task_id in own and r.unit_id == user.unit_id)
        ]
    else:
        reports = reports.only("task_id", "progress_text")
    latest: dict[int, str] = {}
    for r in reports:
        latest.setdefault(r.task_id, r.progress_text)
    return latest


def _text(cell, value) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
        if value.startswith(INJECTION):
            cell.quotePrefix = True


def ledger_workbook(*, user: User, tasks: Sequence[Task], title: str = "") -> bytes:
    """The .xlsx bytes for these tasks (already filtered through policy.visible_tasks)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ordered = as_tree(list(tasks))
    latest = _latest_reports(user, ordered)
    cols = columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("台账")
    width = len(cols)
    last = get_column_letter(width)
    ws.append([title or _("任务台账")])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([head for _f, head, _s in cols])
    ws.append([sub or None for _f, _h, sub in cols])
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, (field, _head, sub) in enumerate(cols, start=1):
        letter = get_column_letter(i)
        if not sub:
            ws.merge_cells(f"{letter}2:{letter}3")
        for r in (2, 3):
            ws[f"{letter}{r}"].font = bold
            ws[f"{letter}{r}"].alignment = centre
            ws[f"{letter}{r}"].border = border
        ws.column_dimensions[letter].width = WIDTHS.get(field, 12)
    # 责任单位 over 牵头单位 / 配合单位
    lead_col = [f for f, _h, _s in cols].index("lead_units") + 1
    ws.merge_cells(f"{get_column_letter(lead_col)}2:{get_column_letter(lead_col + 1)}2")
    ws.freeze_panes = "C4"

    counters: dict[int | None, int] = {}
    # one named style for the body cells: setting alignment and border cell by cell hashes
    # both style objects each time (3.5 s of a 4,000-row export)
    body = NamedStyle(
        name="luoshi-ledger-body",
        alignment=Alignment(vertical="top", wrap_text=True),
        border=border,
    )
    wb.add_named_style(body)
    fills = {light: PatternFill("solid", fgColor=colour) for light, colour in FILLS.items()}
    light_col = [f for f, _h, _s in cols].index("light") + 1
    row = 3  # title and the two header rows
    for t in ordered:
        parent = t.parent_id if t.tree_level else None
        counters[parent] = counters.get(parent, 0) + 1
        co = [a.unit for a in getattr(t, "co_parts", None) or []]
        values = {
            "seq": number_for(t.tree_level, counters[parent]),
            "code": t.code,
            "title": t.title,
            "content": t.content,
            "lead_leader": t.lead_leader.display_name if t.lead_leader else "",
            "lead_units": t.lead_unit.display_name if t.lead_unit else "",
            "co_units": "、".join(u.display_name for u in co),
            "due": due_words(t),
            "state": t.get_state_display(),
            "light": t.get_light_display() if t.light else "",
            "percent": t.progress,
            "latest": latest.get(t.pk, ""),
            "progress": "",
        }
        # (the row counted here: ws.max_row scans every cell written so far, per row)
        row += 1
        for i, (field, _h, _s) in enumerate(cols, start=1):
            cell = ws.cell(row=row, column=i)
            _text(cell, values[field])
            cell.style = body.name
        fill = fills.get(t.light)
        if fill:
            ws.cell(row=row, column=light_col).fill = fill
    watermark_workbook(wb, user)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(today: dt.date) -> str:
    return _("台账-%(d)s.xlsx") % {"d": today.isoformat()}
