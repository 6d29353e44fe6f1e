"""Writing cells of an Excel export so that nothing a user typed becomes a formula.

A text beginning with = + - @ (or a tab / carriage return that Excel strips before them) is
what spreadsheet programs run as a formula (CSV/formula injection, OWASP). Such a value is
written as text with Excel's quote prefix: it shows as typed and is never evaluated.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell, value: Any) -> None:
    """Put `value` into the openpyxl `cell`: numbers and dates as such, any text as text."""
    if value is None:
        cell.value = None
        return
    if isinstance(value, bool):
        cell.value = value
        return
    if isinstance(value, int | float | Decimal | dt.date | dt.datetime):
        cell.value = value
        return
    text = str(value)
    cell.value = text
    cell.data_type = "s"  # never a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def safe_row(ws, row: int, values) -> None:
    """Write a row of values (1-based `row`) through safe_cell."""
    for col, value in enumerate(values, start=1):
        safe_cell(ws.cell(row=row, column=col), value)
