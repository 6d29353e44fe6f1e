"""luoshi.lib.watermark: every exported file names who exported it and when."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import openpyxl
import pytest

from luoshi.lib import clock
from luoshi.lib.watermark import (
    watermark_document,
    watermark_docx_bytes,
    watermark_text,
    watermark_workbook,
    watermark_xlsx_bytes,
)
from luoshi.org.models import User

WHEN = dt.datetime(2026, 3, 2, 6, 5, tzinfo=dt.UTC)  # 14:05 in Shanghai
TEXT = "张三 zhangsan 导出于 2026-03-02 14:05"


@pytest.fixture
def user():
    return User(username="zhangsan", full_name="张三")


def test_text_is_name_login_and_local_time(user):
    assert watermark_text(user, WHEN) == TEXT
    assert watermark_text(User(username="li"), WHEN) == "li li 导出于 2026-03-02 14:05"


def test_text_uses_the_clock(user):
    with clock.pinned_today(dt.date(2026, 5, 4)):
        assert watermark_text(user) == "张三 zhangsan 导出于 2026-05-04 12:00"


def _reload_xlsx(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def test_workbook_every_sheet_prints_and_carries_the_mark(user):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "任务台账"
    wb.create_sheet("第二页")["A1"] = "=1+1"
    assert watermark_workbook(wb, user, WHEN) == TEXT
    _data, again = _reload_xlsx(wb)
    for ws in again.worksheets:
        assert ws.oddHeader.right.text == TEXT  # printed on every page
        assert ws.oddFooter.left.text == TEXT
        assert ws.evenHeader.right.text == TEXT
        assert TEXT in ws["A1"].comment.text  # travels with the cell
    assert again.worksheets[0]["A1"].value == "任务台账"  # no row added, no cell changed
    assert again.properties.creator == "zhangsan"
    assert again.properties.lastModifiedBy == "zhangsan"
    assert again.properties.description == TEXT


def test_an_ampersand_in_a_name_is_printed_not_taken_for_a_code():
    wb = openpyxl.Workbook()
    watermark_workbook(wb, User(username="a&b", full_name="甲&乙"), WHEN)
    assert wb.active.oddHeader.right.text == "甲&&乙 a&&b 导出于 2026-03-02 14:05"


def test_a_write_only_workbook_is_marked_in_its_headers_and_properties(user):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    watermark_workbook(wb, user, WHEN)
    ws.append(["时间", "操作"])
    out = io.BytesIO()
    wb.save(out)
    again = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert again.active.oddHeader.right.text == TEXT
    assert again.properties.description == TEXT


def test_workbook_bytes_are_marked(user):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    data, _ = _reload_xlsx(wb)
    marked = openpyxl.load_workbook(io.BytesIO(watermark_xlsx_bytes(data, user, WHEN)))
    assert marked.active.oddHeader.right.text == TEXT


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n).decode() for n in zf.namelist() if n.endswith(".xml")}


def test_document_every_section_has_header_footer_and_diagonal_mark(user):
    doc = docx.Document()
    doc.add_paragraph("督查通报")
    doc.add_section()
    doc.sections[1].header.is_linked_to_previous = False
    doc.sections[1].header.add_paragraph("第二节自己的页眉")
    assert watermark_document(doc, user, WHEN) == TEXT
    out = io.BytesIO()
    doc.save(out)
    again = docx.Document(io.BytesIO(out.getvalue()))
    for section in again.sections:
        assert TEXT in "\n".join(p.text for p in section.header.paragraphs)
        assert TEXT in "\n".join(p.text for p in section.footer.paragraphs)
    assert "第二节自己的页眉" in "\n".join(p.text for p in again.sections[1].header.paragraphs)
    headers = [x for n, x in _parts(out.getvalue()).items() if "header" in n]
    assert len(headers) == 2
    for xml in headers:
        assert 'id="LuoshiWatermark"' in xml and "rotation:315" in xml
        assert f'string="{TEXT}"' in xml
    assert again.core_properties.comments == TEXT
    assert again.core_properties.last_modified_by == "zhangsan"
    assert again.paragraphs[0].text == "督查通报"  # the body is untouched


def test_document_with_first_page_and_even_page_headers(user):
    doc = docx.Document()
    doc.settings.odd_and_even_pages_header_footer = True
    doc.sections[0].different_first_page_header_footer = True
    watermark_document(doc, user, WHEN)
    s = doc.sections[0]
    for part in (s.header, s.even_page_header, s.first_page_header):
        assert TEXT in "\n".join(p.text for p in part.paragraphs)
    for part in (s.footer, s.even_page_footer, s.first_page_footer):
        assert TEXT in "\n".join(p.text for p in part.paragraphs)


def test_docx_bytes_are_marked_and_a_name_is_escaped():
    doc = docx.Document()
    out = io.BytesIO()
    doc.save(out)
    odd = User(username="x", full_name='<王"五>')
    marked = watermark_docx_bytes(out.getvalue(), odd, WHEN)
    again = docx.Document(io.BytesIO(marked))
    assert '<王"五> x 导出于' in again.sections[0].header.paragraphs[-1].text
    header = next(x for n, x in _parts(marked).items() if "header" in n)
    assert 'string="&lt;王&quot;五&gt; x' in header
