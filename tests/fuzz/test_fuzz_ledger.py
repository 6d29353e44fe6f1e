"""hypothesis on the ledger import reader (luoshi/ledger/reader.py) and the plan built from
its rows (luoshi/ledger/plan.py): workbooks made with openpyxl from random headers and cells,
and those workbooks' bytes mutated. Property: a Sheet and a plan, or the reader's Chinese
refusal (ValidationError) — never another exception."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from luoshi.ledger.plan import plan_from_rows
from luoshi.ledger.reader import read_sheet, sheet_rows
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.mutate import mutated

pytestmark = pytest.mark.django_db

LABELS = [
    "序号",
    "任务编号",
    "工作任务",
    "重点任务",
    "具体内容",
    "牵头领导",
    "牵头单位",
    "责任单位",
    "配合单位",
    "完成时限",
    "时间节点",
    "责任人",
    "备注",
    "进展情况",
    "（填全称）",
    "",
]
WORDS = [
    "一、",
    "（一）",
    "1.",
    "（1）",
    "①",
    "推进城市更新",
    "市发改委",
    "市交通局、市财政局",
    "6月底前",
    "年底前",
    "长期坚持",
    "2026-13-40",
    "三季度末",
    "=SUM(A1:A3)",
    "#REF!",
    "0000年底",
    "\u200b",
    "　",
    "\n",
    "\t",
]
cells = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    st.text(max_size=30).map(lambda t: t.replace("\x00", "")),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.booleans(),
)
_ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}


def _clean(value):
    if isinstance(value, str):
        return "".join(c for c in value if c not in _ILLEGAL)
    return value


@st.composite
def workbooks(draw) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    title_rows = draw(st.integers(min_value=0, max_value=3))
    for r in range(1, title_rows + 1):
        ws.cell(row=r, column=1, value=_clean(draw(st.text(max_size=20))))
    width = draw(st.integers(min_value=1, max_value=8))
    header = draw(st.lists(st.sampled_from(LABELS), min_size=width, max_size=width))
    for c, label in enumerate(header, start=1):
        ws.cell(row=title_rows + 1, column=c, value=label)
    for r in range(draw(st.integers(min_value=0, max_value=12))):
        for c in range(1, width + 1):
            ws.cell(row=title_rows + 2 + r, column=c, value=_clean(draw(cells)))
    if draw(st.booleans()) and ws.max_row > 1:
        first = draw(st.integers(min_value=1, max_value=ws.max_row))
        last = draw(st.integers(min_value=first, max_value=ws.max_row))
        col = draw(st.integers(min_value=1, max_value=width))
        ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
    out = io.BytesIO()
    wb.save(out)
    return _same_bytes_every_time(out.getvalue())


def _same_bytes_every_time(data: bytes) -> bytes:
    """The workbook with its save time taken out (docProps/core.xml and the zip entries'
    dates): hypothesis replays a strategy and requires the same draws, and the bytes' length
    (which `mutated` draws positions within) must not depend on the second of saving."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


def _read(data: bytes) -> None:
    try:
        sheet = read_sheet(data)
    except ValidationError as exc:
        assert exc.messages and all(m.strip() for m in exc.messages)
        return
    rows = sheet_rows(sheet, sheet.mapping)
    assert isinstance(rows, list)
    plan_from_rows(rows, year=2026)


@given(data=workbooks())
@fuzz_settings(default=40)
def test_generated_workbooks_read_or_are_refused(data):
    _read(data)


@given(data=workbooks().flatmap(mutated))
@fuzz_settings(default=40)
def test_mutated_workbooks_read_or_are_refused(data):
    _read(data)


@given(data=st.binary(max_size=2048))
@fuzz_settings(default=40)
def test_random_bytes_are_refused(data):
    _read(data)
