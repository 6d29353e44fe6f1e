"""Make the .pdf documents of the extraction evaluation set from their .docx/.txt twins.

    .venv/bin/pip install reportlab   # for making these fixtures only; tests do not need it
    .venv/bin/python tests/data/documents/make_pdfs.py

Text is set in reportlab's built-in CID font STSong-Light (no font file), wrapped as a PDF
printer would (so items run over several lines and pages, with page numbers "— 1 —"); tables
are drawn as tables. Also makes bad/scanned.pdf (no text layer, as a scan) and
bad/encrypted.pdf (password-protected). The files are committed.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=14, leading=24, wordWrap="CJK")
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK")


def _page_number(canv, doc) -> None:
    canv.saveState()
    canv.setFont(FONT, 12)
    canv.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
    canv.restoreState()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _flowables_of_docx(path: Path, header_rows: int = 1) -> list:
    story: list = []
    for item in docx.Document(path).iter_inner_content():
        if isinstance(item, DocxParagraph):
            if item.text.strip():
                story.append(Paragraph(_escape(item.text), BODY))
        elif isinstance(item, DocxTable):
            # merged cells: python-docx gives the same cell at every grid position it covers
            grid = [[cell._tc for cell in row.cells] for row in item.rows]
            data, spans, done = [], [], []
            for r, row in enumerate(item.rows):
                cells = []
                for c, cell in enumerate(row.cells):
                    tc = grid[r][c]
                    first = not any(tc is seen for seen in done)
                    if first:
                        done.append(tc)
                        covered = [
                            (r2, c2)
                            for r2, cells2 in enumerate(grid)
                            for c2, other in enumerate(cells2)
                            if other is tc
                        ]
                        if len(covered) > 1:
                            spans.append(("SPAN", (c, r), (covered[-1][1], covered[-1][0])))
                    text = cell.text if first else ""
                    cells.append(Paragraph(_escape(text).replace("\n", "<br/>"), CELL))
                data.append(cells)
            widths = [14 * mm, 62 * mm, 32 * mm, 38 * mm, 24 * mm][: len(data[0])]
            table = Table(data, colWidths=widths, repeatRows=header_rows)
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), *spans]
            table.setStyle(TableStyle(style))
            story.extend([Spacer(1, 4 * mm), table, Spacer(1, 4 * mm)])
    return story


def _flowables_of_txt(path: Path) -> list:
    text = path.read_bytes().decode("utf-8-sig")
    return [Paragraph(_escape(line), BODY) for line in text.splitlines() if line.strip()]


def _build(story: list, target: Path) -> None:
    doc = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        title=target.stem,
    )
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)


def bad_files() -> None:
    (HERE / "bad").mkdir(exist_ok=True)
    scan = canvas.Canvas(str(HERE / "bad" / "scanned.pdf"), pagesize=A4)
    for i in range(30):  # grey bars where a scan would have lines of text
        scan.setFillGray(0.3)
        scan.rect(30 * mm, (260 - i * 7) * mm, 150 * mm, 4 * mm, stroke=0, fill=1)
    scan.showPage()
    scan.save()
    locked = canvas.Canvas(str(HERE / "bad" / "encrypted.pdf"), pagesize=A4, encrypt="luoshi")
    locked.setFont(FONT, 14)
    locked.drawString(30 * mm, 250 * mm, "1.推进某项工作。（市发展改革委牵头，年底前完成）")
    locked.showPage()
    locked.save()


CN = "零一二三四五六七八九"


def _cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (CN[tens] if tens > 1 else "") + ("十" if tens else "") + (CN[ones] if ones else "")


def long_document() -> None:
    """long/plan-30-pages.docx and .pdf for bench/extract.py: the shared sample's tasks over
    and over, renumbered (一…, 1…), and a table of the 分工表's rows, to about 30 pages."""
    (HERE / "long").mkdir(exist_ok=True)
    sample = (HERE / "fengong-fangan-prose.txt").read_text("utf-8").splitlines()
    items = [re.sub(r"^\d+\.", "", line) for line in sample if re.match(r"^\d+\.", line)]
    d = docx.Document()
    d.add_paragraph("示范市人民政府办公室关于印发2026年重点工作任务分工方案的通知")
    n = 0
    for chapter in range(1, 31):
        d.add_paragraph(f"{_cn(chapter)}、第{_cn(chapter)}部分重点工作")
        for section in range(2):
            d.add_paragraph(f"（{_cn(chapter * 2 - 1 + section)}）推进第{section + 1}类工作。")
            for item in items[section * 4 : section * 4 + 4]:
                n += 1
                d.add_paragraph(f"{n}.{item}")
    table = d.add_table(rows=1, cols=5)
    for c, text in enumerate(["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]):
        table.cell(0, c).text = text
    for i in range(60):
        row = table.add_row()
        for c, text in enumerate(
            [
                str(i + 1),
                "改造城镇老旧小区120个，加装电梯300部。",
                "市住房城乡建设局",
                "各区政府、市财政局",
                "年底前",
            ]
        ):
            row.cells[c].text = text
    d.save(HERE / "long" / "plan-30-pages.docx")
    _build(
        _flowables_of_docx(HERE / "long" / "plan-30-pages.docx"),
        HERE / "long" / "plan-30-pages.pdf",
    )


def main() -> None:
    long_document()
    _build(_flowables_of_docx(HERE / "fengong-table.docx", 2), HERE / "fengong-table.pdf")
    _build(_flowables_of_docx(HERE / "huiyi-jiyao.docx"), HERE / "huiyi-jiyao.pdf")
    _build(_flowables_of_txt(HERE / "fengong-fangan-prose.txt"), HERE / "fengong-fangan-prose.pdf")
    bad_files()


if __name__ == "__main__":
    main()
