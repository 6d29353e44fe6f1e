"""The decomposition grid (分解): many sub-tasks typed like ledger rows, or pasted from Excel.

A row is a dict of the strings the user typed. The grid re-renders with the user's values
when rows are added or a sheet is pasted, and only on 保存 are the rows resolved (unit
names, dates, cycles) and handed, all at once, to tasks_create_children.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from luoshi.lib import clock
from luoshi.org.services import UnitNameIndex
from luoshi.tasks.forms.dates import parse_due
from luoshi.tasks.forms.units import resolve_unit_name, resolve_unit_names
from luoshi.tasks.models import ReportCycle, Task

COLUMNS = ("title", "content", "lead", "co", "due", "cycle")
TEXT_FIELDS = ("title", "content", "lead", "co", "due", "day")
DEFAULT_ROWS = 8
ADD_STEP = 5
MAX_ROWS = 200
TITLE_MAX = 300

# Column headers offices use in their ledgers, mapped to the grid's columns.
HEADERS = {
    "title": ("任务名称", "任务", "工作任务", "重点任务", "任务事项", "事项", "工作事项", "名称"),
    "content": ("具体内容", "工作内容", "主要内容", "内容", "工作措施", "具体措施"),
    "lead": ("牵头单位", "责任单位", "主办单位", "承办单位"),
    "co": ("配合单位", "协办单位", "协同单位", "参与单位"),
    "due": ("完成时限", "时限", "完成时间", "时间节点", "完成期限"),
    "cycle": ("反馈周期", "报送周期", "报送频次", "反馈频次"),
}
CYCLE_WORDS = {
    "不定期": ReportCycle.NONE,
    "无": ReportCycle.NONE,
    "每周": ReportCycle.WEEKLY,
    "周": ReportCycle.WEEKLY,
    "每半月": ReportCycle.SEMIMONTHLY,
    "半月": ReportCycle.SEMIMONTHLY,
    "每月": ReportCycle.MONTHLY,
    "月": ReportCycle.MONTHLY,
    "每季度": ReportCycle.QUARTERLY,
    "每季": ReportCycle.QUARTERLY,
    "季度": ReportCycle.QUARTERLY,
}
_MONTH_DAY = re.compile(r"^每月(\d{1,2})(?:日|号)(?:前|之前)?$")


@dataclass
class Row:
    title: str = ""
    content: str = ""
    lead: str = ""
    co: str = ""
    due: str = ""
    ongoing: bool = False
    cycle: str = ""
    day: str = ""
    errors: list[str] = field(default_factory=list)

    def is_blank(self) -> bool:
        return not (
            any(getattr(self, f).strip() for f in ("title", "content", "lead", "co", "due"))
            or self.ongoing
        )


def parse_cycle(text: str) -> tuple[str, str] | None:
    """(cycle value, report day) from words like 每月 or 每月5日前; None if not understood."""
    words = re.sub(r"\s+", "", text or "")
    if not words:
        return "", ""
    if words in ReportCycle.values:
        return words, ""
    if words in CYCLE_WORDS:
        return CYCLE_WORDS[words], ""
    labels = {str(label): value for value, label in ReportCycle.choices}
    if words in labels:
        return labels[words], ""
    if m := _MONTH_DAY.match(words):
        return ReportCycle.MONTHLY_DAY, m[1]
    return None


def _header_map(cells: list[str]) -> dict[int, str] | None:
    mapping = {}
    for i, cell in enumerate(cells):
        name = re.sub(r"\s+", "", cell)
        for column, words in HEADERS.items():
            if name in words and column not in mapping.values():
                mapping[i] = column
                break
    return mapping if "title" in mapping.values() else None


def rows_from_paste(text: str) -> list[Row]:
    """Rows copied from Excel (tab separated; a cell with line breaks comes quoted). A header
    row, if present, says which column is which; otherwise the grid's column order is assumed,
    after an optional leading 序号 column."""
    lines = list(csv.reader(io.StringIO((text or "").strip("\r\n")), delimiter="\t"))
    lines = [[c.strip() for c in line] for line in lines if any(c.strip() for c in line)]
    if not lines:
        return []
    mapping = _header_map(lines[0])
    if mapping is not None:
        lines = lines[1:]
    else:
        numbered = all(line[0].rstrip(".、").isdigit() for line in lines if len(line) > 1)
        offset = 1 if numbered and max(len(line) for line in lines) > 1 else 0
        mapping = {i + offset: column for i, column in enumerate(COLUMNS)}
    rows = []
    for line in lines:
        values = {column: line[i] for i, column in mapping.items() if i < len(line)}
        row = Row(**{k: v for k, v in values.items() if k != "cycle"})
        cycle = parse_cycle(values.get("cycle", ""))
        if cycle is None:
            row.errors.append(
                _("反馈周期“%(text)s”无法识别，请在表格中选择。") % {"text": values["cycle"]}
            )
        else:
            row.cycle, row.day = cycle
        rows.append(row)
    return rows


def rows_from_post(data: QueryDict) -> list[Row]:
    columns = {name: data.getlist(name) for name in (*TEXT_FIELDS, "cycle")}
    count = min(len(columns["title"]), MAX_ROWS)
    ongoing = set(data.getlist("ongoing"))
    rows = []
    for i in range(count):
        values = {name: (columns[name][i] if i < len(columns[name]) else "") for name in columns}
        rows.append(Row(**values, ongoing=str(i) in ongoing))
    return rows


def blank_rows(n: int) -> list[Row]:
    return [Row() for _ in range(max(0, n))]


def rows_count(value: Any) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return DEFAULT_ROWS
    return min(max(n, 1), MAX_ROWS)


def merge_paste(rows: list[Row], pasted: list[Row]) -> list[Row]:
    """Pasted rows go after the rows already filled in, taking the place of blank ones."""
    kept = [r for r in rows if not r.is_blank()]
    merged = [*kept, *pasted]
    return [*merged, *blank_rows(min(2, MAX_ROWS - len(merged)))][:MAX_ROWS]


class DecomposeGrid:
    """The grid as a form: `rows`, `errors` (grid-wide) and, once valid, `service_rows`."""

    def __init__(self, parent: Task, rows: list[Row]):
        self.parent = parent
        self.rows = rows
        self.errors: list[str] = []
        self.service_rows: list[dict[str, Any]] = []
        self.row_index: list[int] = []  # position in self.rows of each service row

    def fill_defaults(self) -> None:
        """Rows without a cycle take the parent's, so the select shows what will be saved."""
        for row in self.rows:
            if row.cycle not in ReportCycle.values:
                row.cycle = self.parent.report_cycle
                if not row.day and self.parent.report_day:
                    row.day = str(self.parent.report_day)

    def is_valid(self) -> bool:
        index = UnitNameIndex()
        year = (self.parent.due or clock.today()).year
        for i, row in enumerate(self.rows):
            if row.is_blank():
                continue
            fields = self._resolve(row, index, year)
            if not row.errors:
                self.service_rows.append(fields)
                self.row_index.append(i)
        if not self.service_rows and not self.has_row_errors():
            self.errors.append(_("请至少填写一行子任务。"))
        return not self.errors and not self.has_row_errors()

    def has_row_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    def _resolve(self, row: Row, index: UnitNameIndex, year: int) -> dict[str, Any]:
        fields: dict[str, Any] = {"title": row.title.strip(), "content": row.content.strip()}
        if not fields["title"]:
            row.errors.append(_("请填写任务名称。"))
        if len(fields["title"]) > TITLE_MAX:
            row.errors.append(_("任务名称不能超过 %(n)d 个字。") % {"n": TITLE_MAX})
        fields["lead_unit"] = self.parent.lead_unit
        if row.lead.strip():
            try:
                fields["lead_unit"] = resolve_unit_name(index, row.lead, _("牵头单位"))
            except ValidationError as exc:
                row.errors.extend(exc.messages)
        try:
            fields["co_units"] = resolve_unit_names(index, row.co, _("配合单位"))
        except ValidationError as exc:
            row.errors.extend(exc.messages)
        fields.update(self._due(row, year))
        fields.update(self._cycle(row))
        return fields

    def _due(self, row: Row, year: int) -> dict[str, Any]:
        if not row.due.strip() and not row.ongoing:
            parent = self.parent
            return {"due": parent.due, "ongoing": parent.ongoing, "due_text": parent.due_text}
        try:
            due, ongoing, due_text = parse_due(row.due, year=year)
        except ValidationError as exc:
            row.errors.extend(exc.messages)
            return {}
        return {"due": due, "ongoing": ongoing or row.ongoing, "due_text": due_text}

    def _cycle(self, row: Row) -> dict[str, Any]:
        cycle = row.cycle
        if not cycle:
            return {
                "report_cycle": self.parent.report_cycle,
                "report_day": self.parent.report_day,
            }
        if cycle not in ReportCycle.values:
            row.errors.append(_("未知的反馈周期。"))
            return {}
        day = None
        if cycle == ReportCycle.MONTHLY_DAY:
            try:
                day = int(row.day)
            except (TypeError, ValueError):
                row.errors.append(_("“每月N日前”须填写 1 到 28 之间的日期。"))
                return {}
        return {"report_cycle": cycle, "report_day": day}

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put tasks_create_children's "rowN" messages next to the grid row they concern."""
        if not hasattr(exc, "error_dict"):
            self.errors.extend(exc.messages)
            return
        for key, messages in exc.message_dict.items():
            n = int(key[3:]) if key.startswith("row") and key[3:].isdigit() else 0
            if 1 <= n <= len(self.row_index):
                self.rows[self.row_index[n - 1]].errors.extend(messages)
            else:
                self.errors.extend(messages)
