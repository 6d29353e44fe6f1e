"""The bulletin as a .docx in the official document format (GB/T 9704-2012, 党政机关公文格式).

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
- 版头: the issuing office's mark (发文机关标志) in red 方正小标宋简体, the document number
  (发文字号) centred under it, and a red separator line as wide as the text block;
- title in 2号 (22 pt) 方正小标宋简体, centred; body in 3号 (16 pt) 仿宋_GB2312 with a fixed
  line spacing of 28.95 pt (22 lines of 28 characters fill the block, as the standard asks);
  first-level headings 一、 in 黑体, second-level （一） in 楷体_GB2312;
- 成文日期 in Chinese characters (二〇二六年十一月二十五日) under the office's name;
- page numbers "— 1 —" in 4号 (14 pt) 宋体, right on odd pages and left on even ones.

Fonts: each run names its Chinese font in w:rFonts/@w:eastAsia (Latin letters and digits in
Times New Roman). Machines without the official fonts fall back through the document's font
table (w:altName): 方正小标宋简体 → 宋体 (SimSun), 仿宋_GB2312 → 仿宋 (FangSong),
楷体_GB2312 → 楷体 (KaiTi), 黑体 → SimHei.

The document is made from the bulletin's statistics snapshot only, in Chinese whatever the
language of the person who generates it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from luoshi.bulletins.texts import labelled
from luoshi.lib.cn_numbers import cn_date, cn_number

RED = RGBColor(0xFF, 0x00, 0x00)
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"
# w:altName of each font in the font table, and its w:charset (86 = GB2312).
FALLBACKS = {
    XIAOBIAOSONG: "宋体",
    FANGSONG: "仿宋",
    KAITI: "楷体",
    HEITI: "SimHei",
    SONGTI: "SimSun",
}
SIZE_2 = Pt(22)  # 2号
SIZE_3 = Pt(16)  # 3号
SIZE_4 = Pt(14)  # 4号
SIZE_TABLE = Pt(12)  # 小4号, so that seven columns fit the block
LINE = Pt(28.95)  # 22 lines in 225 mm
TABLE_LINE = Pt(20)
INDENT = Pt(32)  # two characters of 3号
# What may follow w:pBdr in w:pPr (ECMA-376 CT_PPrBase, then CT_PPr).
PBDR_SUCCESSORS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _fonts(run, east_asia: str, size: Pt, *, bold: bool = False, color: RGBColor | None = None):
    run.font.name = LATIN
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(
    doc_or_cell,
    text: str = "",
    *,
    font: str = FANGSONG,
    size: Pt = SIZE_3,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    line: Pt = LINE,
    bold: bool = False,
    color: RGBColor | None = None,
):
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = INDENT
    if text:
        _fonts(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph) -> None:
    """A red line under the paragraph as wide as the text block (the 版头's separator)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point: 1.5 pt
    bottom.set(qn("w:space"), "11")  # points: about 4 mm under the number
    bottom.set(qn("w:color"), "FF0000")
    borders.append(bottom)
    # in its place in the schema's sequence (Word refuses elements out of order)
    ppr.insert_element_before(borders, *PBDR_SUCCESSORS)


def _font_table(document) -> None:
    """Declare the Chinese fonts in the font table with their fallbacks (w:altName)."""
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", name)
        etree.SubElement(font, f"{{{w}}}altName").set(f"{{{w}}}val", alt)
        etree.SubElement(font, f"{{{w}}}charset").set(f"{{{w}}}val", "86")
        etree.SubElement(font, f"{{{w}}}family").set(
            f"{{{w}}}val", "modern" if name in (FANGSONG, KAITI) else "roman"
        )
        etree.SubElement(font, f"{{{w}}}pitch").set(f"{{{w}}}val", "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(23)  # the page number about 7 mm under the text block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # 22 lines of 28 characters: a line every 28.95 pt (in twentieths of a point), and each
    # 3号 character narrowed by 842/4096 pt so that 28 fill the 156 mm line
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), "579")
    grid.set(qn("w:charSpace"), "-842")
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    # page numbers: odd pages on the right, even pages on the left, one character in
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, align) -> None:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.paragraph_format.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = SIZE_4
    else:
        p.paragraph_format.left_indent = SIZE_4
    _fonts(p.add_run("— "), SONGTI, SIZE_4)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    p._p.append(field)
    _fonts(p.add_run(" —"), SONGTI, SIZE_4)
    # the number itself in the same font and size
    run_props = p.runs[0]._element.find(qn("w:rPr"))
    inner.insert(0, etree.fromstring(etree.tostring(run_props)))


def _heading1(document, number: int, text: str) -> None:
    _para(document, f"{cn_number(number)}、{text}", font=HEITI, indent=True)


def _heading2(document, number: int, text: str) -> None:
    _para(document, f"（{cn_number(number)}）{text}", font=KAITI, indent=True)


def _cell(cell, text: str, *, header: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    _para(
        cell,
        text,
        font=HEITI if header else FANGSONG,
        size=SIZE_TABLE,
        align=align,
        line=TABLE_LINE,
    )


def _table(document, caption: str, header: list[str], rows: list[list[str]], widths=None):
    _para(document, caption, font=HEITI, size=SIZE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # (row.cells walks the row's XML each time it is asked: once a row)
    for row, texts in zip(table.rows, [header, *rows], strict=True):
        cells = row.cells
        for i, text in enumerate(texts):
            wide = widths is not None and widths[i] > 40 and row is not table.rows[0]
            align = WD_ALIGN_PARAGRAPH.LEFT if wide else WD_ALIGN_PARAGRAPH.CENTER
            _cell(cells[i], text, header=texts is header, align=align)
            if widths:
                cells[i].width = Mm(widths[i])
    return table


def _items(document, rows: list[str], empty: str) -> None:
    """A numbered list, one paragraph an item. The first is made through python-docx, the
    others are copies of its XML with their own text: a city's thousands of overdue tasks
    take a fraction of the time."""
    if not rows:
        _para(document, empty, indent=True)
        return
    first = _para(document, f"1. {rows[0]}", indent=True)._p
    last = first
    for i, text in enumerate(rows[1:], start=2):
        item = copy.deepcopy(first)
        item.find(qn("w:r")).find(qn("w:t")).text = f"{i}. {text}"
        last.addnext(item)
        last = item


def _outcome_item(r: dict) -> str:
    """【表彰】市交通局：事由（任务名称，任务编号；文号，2026年11月6日）。"""
    where = [
        _("%(title)s，%(code)s") % {"title": r["title"], "code": r["code"]} if r["code"] else "",
        r["doc_number"],
        _date(r["recorded_on"]),
    ]
    return _("【%(kind)s】%(unit)s：%(text)s（%(where)s）。") % {
        "kind": r["kind_label"],
        "unit": r["unit"],
        "text": r["text"].rstrip("。；;. "),
        "where": _("；").join(w for w in where if w),
    }


def _date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return _("%(year)d年%(month)d月%(day)d日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def bulletin_docx(
    *, snapshot: dict, title: str, issuer: str, number: str, dated: dt.date, draft: bool
) -> bytes:
    """The .docx of a bulletin (bytes). `number` is empty for a draft."""
    with translation.override("zh-hans"):
        return _render(snapshot, title, issuer, number, dated, draft)


def _render(snapshot, title, issuer, number, dated, draft) -> bytes:
    s = labelled(snapshot)
    document = official_document()
    year = dated.year
    number_text = number or _("督查通报〔%(year)d〕  号（草稿）") % {"year": year}
    masthead(document, issuer=issuer, mark=_("督 查 通 报"), number=number_text)

    # 标题, 主送机关
    _para(document, title, font=XIAOBIAOSONG, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document)
    _para(document, _("各有关单位："), align=WD_ALIGN_PARAGRAPH.LEFT)
    as_of = _date(snapshot["as_of"])
    _para(
        document,
        _(
            "根据重点工作任务督查安排，现将%(period)s重点工作任务落实情况通报如下。"
            "任务状态与亮灯情况统计截至%(as_of)s。"
        )
        % {"period": s["period"], "as_of": as_of},
        indent=True,
    )

    # 一、总体情况
    _heading1(document, 1, _("总体情况"))
    counts = {r["code"]: r["count"] for r in s["by_state"]}
    lights = {r["code"]: r["count"] for r in s["by_light"]}
    if s["total"]:
        _para(
            document,
            _(
                "本期纳入统计的任务共%(total)d项，其中已办结%(closed)d项，"
                "办理中（含已交办、申请办结）%(open)d项，暂缓%(suspended)d项。"
                "亮灯情况：绿灯%(green)d项，黄灯%(yellow)d项，红灯%(red)d项，蓝灯%(blue)d项。"
            )
            % {
                "total": s["total"],
                "closed": counts.get("closed", 0),
                "open": counts.get("assigned", 0)
                + counts.get("in_progress", 0)
                + counts.get("closure_requested", 0),
                "suspended": counts.get("suspended", 0),
                "green": lights.get("green", 0),
                "yellow": lights.get("yellow", 0),
                "red": lights.get("red", 0),
                "blue": lights.get("blue", 0),
            },
            indent=True,
        )
        _heading2(document, 1, _("任务办理状态"))
        _table(
            document,
            _("表1  任务办理状态"),
            [_("状态"), *[r["label"] for r in s["by_state"]], _("合计")],
            [[_("任务数"), *[str(r["count"]) for r in s["by_state"]], str(s["total"])]],
        )
        _heading2(document, 2, _("任务亮灯情况"))
        _table(
            document,
            _("表2  任务亮灯情况"),
            [_("亮灯"), *[r["label"] for r in s["by_light"]], _("合计")],
            [[_("任务数"), *[str(r["count"]) for r in s["by_light"]], str(s["total"])]],
        )
    else:
        _para(document, _("本期无纳入统计的任务。"), indent=True)

    # 二、各单位按期办结情况
    _heading1(document, 2, _("各单位按期办结情况"))
    units = s["units"]
    if units["rows"]:
        total = units["total"]
        _para(
            document,
            _(
                "本期办结任务%(closed)d项，其中按期办结%(on_time)d项，延期后按期办结%(extended)d项，"
                "逾期办结%(late)d项；期末逾期未办结%(overdue)d项。按期办结率%(rate)s。"
                "（按期办结率＝（按期办结＋延期后按期办结）÷（办结数＋逾期未办结数））"
            )
            % {
                "closed": total["on_time"] + total["extended"] + total["late"],
                "on_time": total["on_time"],
                "extended": total["extended"],
                "late": total["late"],
                "overdue": total["overdue"],
                "rate": total["rate_text"],
            },
            indent=True,
        )
        rows = [
            [
                str(i),
                r["unit"],
                str(r["on_time"]),
                str(r["extended"]),
                str(r["late"]),
                str(r["overdue"]),
                r["rate_text"],
            ]
            for i, r in enumerate(units["rows"], start=1)
        ]
        rows.append(
            [
                "",
                _("合计"),
                str(total["on_time"]),
                str(total["extended"]),
                str(total["late"]),
                str(total["overdue"]),
                total["rate_text"],
            ]
        )
        _table(
            document,
            _("表3  各单位按期办结情况"),
            [
                _("序号"),
                _("牵头单位"),
                _("按期办结"),
                _("延期后按期办结"),
                _("逾期办结"),
                _("逾期未办结"),
                _("按期办结率"),
            ],
            rows,
            widths=[12, 44, 18, 24, 18, 20, 20],
        )
    else:
        _para(document, _("本期无办结或逾期未办结的任务。"), indent=True)

    # 三、逾期未办结事项
    _heading1(document, 3, _("逾期未办结事项"))
    overdue = [
        _("%(title)s（%(code)s，牵头单位：%(unit)s，完成时限%(due)s，%(late)s）。")
        % {
            "title": r["title"],
            "code": r["code"],
            "unit": r["unit"],
            "due": _date(r["due"]),
            "late": _("逾期%(days)d个工作日") % {"days": r["days"]} if r["days"] else _("已逾期"),
        }
        for r in s["overdue"]
    ]
    if overdue:
        _para(
            document,
            _("截至%(date)s，以下%(n)d项任务逾期未办结，请牵头单位抓紧办理：")
            % {"date": _date(snapshot["date_to"]), "n": len(overdue)},
            indent=True,
        )
    _items(document, overdue, _("本期无逾期未办结事项。"))

    # 四、列入通报事项
    _heading1(document, 4, _("列入通报事项"))
    listed = [
        _("%(title)s（%(code)s，牵头单位：%(unit)s，%(date)s经督办升级列入通报）。")
        % {"title": r["title"], "code": r["code"], "unit": r["unit"], "date": _date(r["listed_on"])}
        for r in s["listed"]
    ]
    if listed:
        _para(
            document,
            _("以下%(n)d项任务经督办仍未按期办结，列入本期通报：") % {"n": len(listed)},
            indent=True,
        )
    _items(document, listed, _("本期无列入通报事项。"))

    # 五、表扬事项
    _heading1(document, 5, _("表扬事项"))
    commended = [
        _("%(title)s（%(code)s，牵头单位：%(unit)s，%(closed)s办结，提前%(days)d个工作日）。")
        % {
            "title": r["title"],
            "code": r["code"],
            "unit": r["unit"],
            "closed": _date(r["closed_on"]),
            "days": r["days_early"],
        }
        for r in s["commended"]
    ]
    if commended:
        _para(
            document,
            _("以下%(n)d项任务较完成时限提前%(min)d个工作日以上办结，予以表扬：")
            % {"n": len(commended), "min": s["early_days"]},
            indent=True,
        )
    _items(document, commended, _("本期无提前办结的表扬事项。"))
    praised = [_outcome_item(r) for r in s["outcomes_commended"]]
    if praised:
        _para(
            document,
            _("本期表彰和领导表扬%(n)d项：") % {"n": len(praised)},
            indent=True,
        )
        _items(document, praised, "")

    # 六、通报批评与问责 (outcome records: 通报批评, 约谈, 问责建议)
    _heading1(document, 6, _("通报批评与问责"))
    criticised = [_outcome_item(r) for r in s["outcomes_criticised"]]
    if criticised:
        _para(
            document,
            _("本期通报批评、约谈和问责建议%(n)d项：") % {"n": len(criticised)},
            indent=True,
        )
    _items(document, criticised, _("本期无通报批评、约谈和问责建议事项。"))

    # 七、政策兑现情况 and 八、考核得分与排名 (bulletins.render_sections)
    from luoshi.bulletins.render_sections import policy_section, ranking_section

    policy_section(document, s, 7, table_number=4)
    ranking_section(document, s, 8)

    _para(
        document,
        _(
            "请各单位对照本通报，认真分析存在的问题，对逾期和列入通报的事项逐项明确措施和时限，"
            "确保各项任务按期保质完成。"
        ),
        indent=True,
    )

    signature(document, issuer=issuer, dated=dated, draft=draft)
    return document_bytes(document)


# --- GB/T 9704 building blocks, public for other official documents (the campaigns' 督查报告)


def official_document():
    """A new A4 document set up as GB/T 9704 asks: page, margins, grid, fonts, page numbers."""
    document = Document()
    _font_table(document)
    _page(document)
    return document


def masthead(document, *, issuer: str, mark: str, number: str) -> None:
    """版头: the issuing office in red, the document's kind (e.g. 督 查 通 报) in red, the
    document number centred, and the red separator line."""
    mark_size = Pt(min(36, int(440 / max(len(issuer), 1))))
    _para(
        document,
        issuer,
        font=XIAOBIAOSONG,
        size=mark_size,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(mark_size.pt * 1.3),
        color=RED,
    )
    _para(
        document,
        mark,
        font=XIAOBIAOSONG,
        size=Pt(42),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(60),
        color=RED,
    )
    _para(document)
    number_line = _para(document, number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(number_line)
    _para(document)


def doc_title(document, text: str) -> None:
    """The title in 2号 方正小标宋简体, centred, with a blank line under it."""
    _para(document, text, font=XIAOBIAOSONG, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document)


def signature(document, *, issuer: str, dated: dt.date, draft: bool = False) -> None:
    """署名 and 成文日期 (in Chinese characters), four characters from the right."""
    _para(document)
    _para(document)
    sign = _para(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Pt(16 * 4)
    dated_line = _para(document, cn_date(dated), align=WD_ALIGN_PARAGRAPH.RIGHT)
    dated_line.paragraph_format.right_indent = Pt(16 * 4)
    if draft:
        _para(document)
        _para(
            document,
            _("（草稿，未印发）"),
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )


def document_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


para = _para
heading1 = _heading1
heading2 = _heading2
table = _table
items = _items
