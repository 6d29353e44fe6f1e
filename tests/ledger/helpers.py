"""Ledgers made in the tests with openpyxl, in the layouts offices use."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx(rows: list[list], *, merges: tuple[str, ...] = (), formulas: dict | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    for ref, formula in (formulas or {}).items():
        ws[ref] = formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def simple_ledger(rows: list[list]) -> bytes:
    """Title row, one header row (序号 工作任务 具体内容 牵头单位 配合单位 完成时限), rows."""
    return xlsx(
        [
            ["测试台账"],
            ["序号", "工作任务", "具体内容", "牵头单位", "配合单位", "完成时限"],
            *rows,
        ],
        merges=("A1:F1",),
    )
