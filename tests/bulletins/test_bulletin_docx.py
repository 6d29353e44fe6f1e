"""The .docx of a bulletin, opened with python-docx: GB/T 9704 page and margins, the fonts
named for East Asian text and their fallbacks, the red header and rule, the number, the
Chinese date, the tables' contents, the lists, and the page numbers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from luoshi.bulletins.services import bulletin_generate, bulletin_issue
from luoshi.lib import clock
from tests.bulletins.conftest import NOV_1, NOV_30

pytestmark = pytest.mark.django_db
RED = RGBColor(0xFF, 0x00, 0x00)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _open(bulletin):
    with bulletin.file.open("rb") as f:
        return Document(io.BytesIO(f.read()))


def _east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _para(document, starts: str):
    return next(p for p in document.paragraphs if p.text.startswith(starts))


@pytest.fixture
def issued(world, today):
    bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    with clock.pinned_today(dt.date(2026, 12, 11)):
        return bulletin_issue(actor=world.sup, bulletin=bulletin)


def test_page_is_a4_with_the_standard_margins(issued):
    section = _open(issued).sections[0]
    # stored in twentieths of a point: equal to a hundredth of a millimetre
    measures = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    for name, mm in measures.items():
        assert getattr(section, name).mm == pytest.approx(mm, abs=0.01), name
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    # 28 characters of 16 pt, each narrowed by 842/4096 pt, fill the 156 mm line
    assert Mm(156).pt == pytest.approx(28 * (16 - 842 / 4096), abs=0.1)
    assert grid.get(qn("w:charSpace")) == "-842"


def test_red_header_number_and_rule(issued):
    document = _open(issued)
    mark, kind = document.paragraphs[0], document.paragraphs[1]
    assert mark.text == "示范市人民政府督查室"
    assert kind.text == "督 查 通 报"
    for p in (mark, kind):
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.font.color.rgb == RED for r in p.runs)
        assert {_east_asia(r) for r in p.runs} == {"方正小标宋简体"}
    number = _para(document, "督查通报〔")
    assert number.text == "督查通报〔2026〕1号"
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert number.runs[0].font.color.rgb != RED  # the number is black
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"


def test_title_body_and_headings_fonts(issued):
    document = _open(issued)
    title = _para(document, "关于2026年11月")
    assert title.text == "关于2026年11月重点工作任务落实情况的通报"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asia(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)  # 2号
    body = _para(document, "根据重点工作任务督查安排")
    assert _east_asia(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)  # 3号
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28.95)
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert _east_asia(_para(document, "一、总体情况").runs[0]) == "黑体"
    assert _east_asia(_para(document, "（一）任务办理状态").runs[0]) == "楷体_GB2312"
    headings = [
        p.text
        for p in document.paragraphs
        if p.text[:2] in {"一、", "二、", "三、", "四、", "五、"}
    ]
    assert headings == [
        "一、总体情况",
        "二、各单位按期办结情况",
        "三、逾期未办结事项",
        "四、列入通报事项",
        "五、表扬事项",
    ]
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_font_table_names_the_fallbacks(issued):
    document = _open(issued)
    part = next(
        r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")
    )
    root = etree.fromstring(part.blob)
    alt = {
        f.get(f"{{{W}}}name"): f.find(f"{{{W}}}altName").get(f"{{{W}}}val")
        for f in root.findall(f"{{{W}}}font")
        if f.find(f"{{{W}}}altName") is not None
    }
    assert alt["方正小标宋简体"] == "宋体"
    assert alt["仿宋_GB2312"] == "仿宋"
    assert alt["楷体_GB2312"] == "楷体"


def test_signature_and_date_in_chinese(issued):
    document = _open(issued)
    texts = [p.text for p in document.paragraphs]
    date_at = texts.index("二〇二六年十二月十一日")
    assert texts[date_at - 1] == "示范市人民政府督查室"
    assert document.paragraphs[date_at].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "（草稿，未印发）" not in texts


def test_tables(issued, world):
    document = _open(issued)
    states, lights, units = document.tables

    def rows(table):
        return [[c.text for c in row.cells] for row in table.rows]

    assert rows(states) == [
        ["状态", "已交办", "办理中", "申请办结", "已办结", "暂缓", "合计"],
        ["任务数", "0", "3", "0", "5", "1", "9"],
    ]
    assert rows(lights) == [
        ["亮灯", "绿灯", "黄灯", "红灯", "蓝灯", "无灯", "合计"],
        ["任务数", "2", "0", "1", "5", "1", "9"],
    ]
    assert rows(units) == [
        ["序号", "牵头单位", "按期办结", "延期后按期办结", "逾期办结", "逾期未办结", "按期办结率"],
        ["1", "市发展改革委", "2", "0", "1", "0", "66.7%"],
        ["2", "市交通局", "0", "1", "0", "1", "50.0%"],
        ["3", "市财政局", "0", "0", "0", "1", "0.0%"],
        ["", "合计", "2", "1", "1", "2", "50.0%"],
    ]
    cell = units.rows[1].cells[1].paragraphs[0].runs[0]
    assert _east_asia(cell) == "仿宋_GB2312"


def test_lists_of_overdue_listed_and_commended(issued, world):
    texts = [p.text for p in _open(issued).paragraphs]
    assert "截至2026年11月30日，以下2项任务逾期未办结，请牵头单位抓紧办理：" in texts
    assert (
        f"1. 建设智慧停车平台（{world.b_overdue.code}，牵头单位：市交通局，"
        "完成时限2026年11月16日，逾期10个工作日）。"
    ) in texts
    assert (
        f"2. 完成预算绩效评价（{world.c_after.code}，牵头单位：市财政局，"
        "完成时限2026年11月25日，逾期3个工作日）。"
    ) in texts
    assert (
        f"1. 建设智慧停车平台（{world.b_overdue.code}，牵头单位：市交通局，"
        "2026年11月30日经督办升级列入通报）。"
    ) in texts
    assert "以下1项任务较完成时限提前5个工作日以上办结，予以表扬：" in texts
    assert (
        f"1. 实施重大项目攻坚行动（{world.a_early.code}，牵头单位：市发展改革委，"
        "2026年11月6日办结，提前16个工作日）。"
    ) in texts


def test_page_numbers_in_the_footer(issued):
    section = _open(issued).sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert [r.text for r in p.runs] == ["— ", " —"]
        assert {_east_asia(r) for r in p.runs} == {"宋体"}
        assert {r.font.size for r in p.runs} == {Pt(14)}  # 4号
        field = p._p.find(qn("w:fldSimple"))
        assert field.get(qn("w:instr")) == "PAGE"
    assert _open(issued).settings.odd_and_even_pages_header_footer


def test_a_draft_says_so_and_has_no_number(world, today):
    draft = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    texts = [p.text for p in _open(draft).paragraphs]
    assert "督查通报〔2026〕  号（草稿）" in texts
    assert "（草稿，未印发）" in texts
    assert "二〇二六年十二月十日" in texts  # dated the day it was generated


def test_an_empty_period_says_none_of_each(world, today):
    bulletin = bulletin_generate(
        actor=world.sup, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 1, 31)
    )
    document = _open(bulletin)
    texts = [p.text for p in document.paragraphs]
    for sentence in (
        "本期无纳入统计的任务。",
        "本期无办结或逾期未办结的任务。",
        "本期无逾期未办结事项。",
        "本期无列入通报事项。",
        "本期无提前办结的表扬事项。",
    ):
        assert sentence in texts
    assert document.tables == []


def test_the_document_is_chinese_whatever_the_page_language(world, today):
    from django.utils import translation

    with translation.override("en"):
        bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    texts = [p.text for p in _open(bulletin).paragraphs]
    assert "一、总体情况" in texts
    assert bulletin.original_name.startswith("督查通报（草稿）")


# The schema's order of paragraph and run properties (ECMA-376 CT_PPr, CT_RPr).
PPR = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
RPR = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


def test_properties_are_in_the_schema_order(issued):
    """Word refuses a document whose properties are out of the schema's sequence: check every
    paragraph's and run's properties, in the body, the styles and the footers."""
    document = _open(issued)
    section = document.sections[0]
    roots = [
        document.element,
        document.styles.element,
        section.footer._element,
        section.even_page_footer._element,
    ]
    sequences = {qn("w:pPr"): [qn(f"w:{t}") for t in PPR], qn("w:rPr"): [qn(f"w:{t}") for t in RPR]}
    checked = 0
    for root in roots:
        for element in root.iter(*sequences):
            order = sequences[element.tag]
            places = [order.index(child.tag) for child in element]  # unknown tags fail here
            assert places == sorted(places), (element.tag, [c.tag for c in element])
            checked += 1
    assert checked > 100
