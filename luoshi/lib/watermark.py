"""Watermarks on every exported file: who exported it and when ("张三 zhangsan 导出于
2026-03-02 14:05", Asia/Shanghai), so that a leaked copy names its source.

What survives what:
- printing: the page header and footer of every worksheet / section (and, in Word, a pale
  diagonal text behind the page);
- copying the file: the document properties (creator, last modified by, description) and the
  header/footer;
- copying cells into another workbook: a note on cell A1 of every sheet (a visible row would
  break a ledger exported to be filled in and imported again, so none is added).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.lib import clock

SHAPE_ID = "LuoshiWatermark"


def watermark_text(user, when: dt.datetime | None = None) -> str:
    """ "<姓名> <登录名> 导出于 YYYY-MM-DD HH:MM" in the office's time zone."""
    when = timezone.localtime(when or clock.now())
    login = getattr(user, "username", "") or ""
    name = getattr(user, "full_name", "") or login
    return _("%(name)s %(login)s 导出于 %(when)s") % {
        "name": name,
        "login": login,
        "when": when.strftime("%Y-%m-%d %H:%M"),
    }


def _header_footer_text(text: str) -> str:
    # "&" starts a code in Excel's header/footer language: double it to print it as is
    return text.replace("&", "&&")


def watermark_workbook(wb, user, when: dt.datetime | None = None) -> str:
    """Mark an openpyxl workbook in place (every sheet's header and footer, a note on A1, the
    properties); returns the text. Call before saving; a write-only workbook gets everything
    but the note, so call it before the first row is appended."""
    from openpyxl.comments import Comment

    text = watermark_text(user, when)
    printed = _header_footer_text(text)
    for ws in wb.worksheets:
        for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
            header.right.text = printed
            header.right.size = 8
        for footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
            footer.left.text = printed
            footer.left.size = 8
        if getattr(wb, "write_only", False):
            continue  # a streamed workbook has no cell to note (its rows are written as built)
        cell = ws["A1"]
        note = text if cell.comment is None else f"{cell.comment.text}\n{text}"
        cell.comment = Comment(note, _("落实系统"), width=240, height=60)
    props = wb.properties
    props.creator = getattr(user, "username", "") or props.creator
    props.lastModifiedBy = getattr(user, "username", "") or None
    props.description = text
    return text


def _vml_watermark(text: str):
    """A pale diagonal text behind the page: the VML shape Word itself writes for 水印."""
    from django.utils.html import escape
    from docx.oxml import parse_xml

    return parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:v="urn:schemas-microsoft-com:vml"'
        ' xmlns:o="urn:schemas-microsoft-com:office:office">'
        "<w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136">'
        '<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        f'<v:shape id="{SHAPE_ID}" o:spid="_x0000_s2049" type="#_x0000_t136"'
        ' style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:60pt;'
        "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9"'
        ' stroked="f">'
        '<v:fill opacity=".5"/>'
        '<v:textpath on="t" fitshape="t" style="font-family:&quot;SimSun&quot;;font-size:1pt"'
        f' string="{escape(text)}"/>'
        "</v:shape></w:pict></w:r>"
    )


def _mark_part(part, text: str) -> None:
    from docx.shared import Pt

    paragraph = part.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    paragraph._p.append(_vml_watermark(text))


def watermark_document(doc, user, when: dt.datetime | None = None) -> str:
    """Mark a python-docx Document in place (a header line and the diagonal watermark on every
    section's headers, a footer line, the properties); returns the text."""
    text = watermark_text(user, when)
    even_pages = doc.settings.odd_and_even_pages_header_footer
    for i, section in enumerate(doc.sections):
        parts = [(section.header, section.footer)]
        if even_pages:
            parts.append((section.even_page_header, section.even_page_footer))
        if section.different_first_page_header_footer:
            parts.append((section.first_page_header, section.first_page_footer))
        for header, footer in parts:
            # a part linked to the previous section's shows that one, already marked
            if not (i and header.is_linked_to_previous):
                _mark_part(header, text)
            if not (i and footer.is_linked_to_previous):
                footer.add_paragraph(text).runs[0].font.size = _small()
    props = doc.core_properties
    props.author = props.author or getattr(user, "username", "")
    props.last_modified_by = getattr(user, "username", "")
    props.comments = text
    return text


def _small():
    from docx.shared import Pt

    return Pt(8)


def watermark_docx_bytes(data: bytes, user, when: dt.datetime | None = None) -> bytes:
    """A stored .docx (bytes), marked for this download."""
    import io

    import docx

    doc = docx.Document(io.BytesIO(data))
    watermark_document(doc, user, when)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def watermark_xlsx_bytes(data: bytes, user, when: dt.datetime | None = None) -> bytes:
    """A workbook already saved (bytes), marked for this download."""
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    watermark_workbook(wb, user, when)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
