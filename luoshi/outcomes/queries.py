"""The list of outcome records a user reads, with its filters, and its Excel export."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.lib.watermark import watermark_workbook
from luoshi.lib.xlsx import safe_row
from luoshi.org.models import Unit, User
from luoshi.outcomes.models import OutcomeKind, OutcomeRecord

IN_FORCE = "in_force"
ALL = "all"


@dataclass(frozen=True)
class OutcomeFilter:
    kind: str = ""
    unit: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = IN_FORCE

    @classmethod
    def from_query(cls, params) -> OutcomeFilter:
        """Read the list's GET parameters; anything malformed is ignored, never an error."""
        kind = params.get("kind", "")
        unit = params.get("unit", "")

        def day(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(params.get(name, ""))
            except ValueError:
                return None

        return cls(
            kind=kind if kind in OutcomeKind.values else "",
            unit=int(unit) if unit.isdigit() else None,
            date_from=day("date_from"),
            date_to=day("date_to"),
            status=ALL if params.get("status") == ALL else IN_FORCE,
        )


def outcome_rows(user: User, f: OutcomeFilter) -> QuerySet[OutcomeRecord]:
    qs = policy.visible_outcomes(user)
    if f.status == IN_FORCE:
        qs = qs.in_force()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.date_from:
        qs = qs.filter(recorded_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(recorded_on__lte=f.date_to)
    return qs.select_related("unit", "task", "cadre", "recorded_by").order_by("-recorded_on", "-id")


def filter_units(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=policy.visible_outcomes(user).values("unit_id")).order_by(
        "path"
    )


def status_text(record: OutcomeRecord) -> str:
    if record.revoked_at:
        return _("已撤销")
    if record.superseded_by_id:
        return _("已更正")
    return _("有效")


def outcomes_workbook(records, *, user: User) -> bytes:
    """The .xlsx of these records (already filtered through policy.visible_outcomes); every
    text a user typed is written as text, never a formula (lib.xlsx)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("表彰与问责")
    header = [
        _("日期"),
        _("类型"),
        _("单位"),
        _("任务编号"),
        _("任务"),
        _("涉及干部"),
        _("文号"),
        _("事由"),
        _("状态"),
        _("记录人"),
    ]
    safe_row(ws, 1, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    row = 2
    for r in records:
        safe_row(
            ws,
            row,
            [
                r.recorded_on,
                r.get_kind_display(),
                r.unit.display_name,
                r.task.code if r.task_id else "",
                r.task.title if r.task_id else "",
                r.cadre.display_name if r.cadre_id else "",
                r.doc_number,
                r.text,
                status_text(r),
                r.recorded_by.display_name,
            ],
        )
        ws.cell(row=row, column=1).number_format = "yyyy-mm-dd"
        row += 1
    for letter, width in zip("ABCDEFGHIJ", (12, 10, 18, 18, 36, 12, 22, 48, 8, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    watermark_workbook(wb, user)
    wb.save(out)
    return out.getvalue()
