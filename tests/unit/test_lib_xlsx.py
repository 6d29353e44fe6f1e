"""lib/xlsx.safe_cell: what a user typed never becomes a formula in an export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from luoshi.lib.xlsx import safe_cell, safe_row


@pytest.mark.parametrize(
    "text", ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=1", "\r=1", '=HYPERLINK("http://x")']
)
def test_a_text_that_looks_like_a_formula_stays_text(text):
    wb = Workbook()
    cell = wb.active["A1"]
    safe_cell(cell, text)
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    buffer = io.BytesIO()
    wb.save(buffer)
    back = load_workbook(io.BytesIO(buffer.getvalue()))["Sheet"]["A1"]
    assert back.value == text
    assert back.data_type == "s"


def test_plain_values_keep_their_type():
    wb = Workbook()
    ws = wb.active
    safe_row(ws, 1, ["政策", 3, Decimal("2.5"), dt.date(2026, 3, 1), None, True])
    assert ws["A1"].value == "政策" and ws["A1"].quotePrefix is False
    assert ws["B1"].value == 3 and ws["B1"].data_type == "n"
    assert ws["C1"].value == Decimal("2.5")
    assert ws["D1"].value == dt.date(2026, 3, 1)
    assert ws["E1"].value is None
    assert ws["F1"].value is True
