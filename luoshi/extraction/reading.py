"""Reading a document into blocks in reading order: paragraphs (text) and tables (rows of cells).

.docx through python-docx (paragraphs and tables in document order), .txt in UTF-8, UTF-8 with
BOM or GB18030, .pdf with a text layer through pdfplumber (lines and tables by their position on
the page). Anything else, or a file that cannot be read, raises ExtractionError with a Chinese
message that says what to do.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 300 * 1024 * 1024  # a .docx's parts once unzipped
SUFFIXES = (".docx", ".txt", ".pdf")


class ExtractionError(ValidationError):
    """The file cannot be read as a document (message in Chinese)."""


@dataclass
class Block:
    """A paragraph (`text`) or a table (`rows`, each a list of cell texts)."""

    text: str = ""
    rows: list[list[str]] = field(default_factory=list)

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def read_document(data: bytes, name: str) -> list[Block]:
    """The blocks of a document given as bytes; `name` decides the type by its suffix."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractionError(
            _("不支持的文件类型“%(suffix)s”：请上传 .docx、.txt 或带文字层的 .pdf 文件。")
            % {"suffix": suffix or name},
            code="unsupported",
        )
    if len(data) > MAX_BYTES:
        raise ExtractionError(
            _("文件过大（%(size)s MB）：最大 50 MB。请拆分后分别上传。")
            % {"size": f"{len(data) / 1024 / 1024:.1f}"},
            code="too_large",
        )
    if not data.strip():
        raise ExtractionError(_("文件是空的：没有可读取的内容。"), code="empty")
    if suffix == ".docx":
        blocks = _read_docx(data)
    elif suffix == ".pdf":
        blocks = _read_pdf(data)
    else:
        blocks = [Block(text=line) for line in _decode_text(data).splitlines()]
    blocks = [b for b in blocks if b.is_table or b.text.strip()]
    if not blocks:
        raise ExtractionError(_("文件是空的：没有可读取的内容。"), code="empty")
    return blocks


def read_path(path: str | Path) -> list[Block]:
    """The blocks of a file on disk (the size is checked before reading it)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise ExtractionError(
            _("找不到文件“%(name)s”。") % {"name": str(path)}, code="missing"
        ) from None
    if size > MAX_BYTES:
        raise ExtractionError(
            _("文件过大（%(size)s MB）：最大 50 MB。请拆分后分别上传。")
            % {"size": f"{size / 1024 / 1024:.1f}"},
            code="too_large",
        )
    return read_document(path.read_bytes(), path.name)


def _decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode"
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(
        _("无法识别文本文件的编码：请另存为 UTF-8 或 GB18030 编码后重试。"), code="encoding"
    )


def _cell_text(text: str) -> str:
    return "\n".join(line.strip() for line in text.replace("\r", "\n").split("\n")).strip()


def _read_docx(data: bytes) -> list[Block]:
    import docx
    from docx.document import Document as DocumentType
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE: encrypted .docx or an old .doc
        raise ExtractionError(
            _(
                "无法打开该 Word 文件：文件已加密（设置了密码）或是旧版 .doc 格式。"
                "请取消密码并另存为 .docx 后重试。"
            ),
            code="encrypted",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ExtractionError(
            _("无法打开该 Word 文件：文件已损坏或不是 .docx 格式。"), code="corrupt"
        ) from exc
    if unpacked > MAX_UNPACKED:  # a zip bomb, or a document of images
        raise ExtractionError(
            _("该 Word 文件解压后过大（超过 %(mb)d MB），无法读取：请删除其中的图片或拆分文件。")
            % {"mb": MAX_UNPACKED // 1024 // 1024},
            code="too_large",
        )
    try:
        document: DocumentType = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(
            _("无法打开该 Word 文件：文件已损坏或不是 .docx 格式。"), code="corrupt"
        ) from exc
    except Exception as exc:  # lxml errors in a damaged part
        raise ExtractionError(
            _("无法打开该 Word 文件：文件已损坏或不是 .docx 格式。"), code="corrupt"
        ) from exc
    blocks: list[Block] = []
    numbers = _WordNumbering(document)
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text:
                text = numbers.label(item) + text
            blocks.append(Block(text=text))
        elif isinstance(item, Table):
            rows = [[_cell_text(cell.text) for cell in row.cells] for row in item.rows]
            if rows:
                blocks.append(Block(rows=rows))
    return blocks


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _CN_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _CN_DIGITS[tens]) + "十"
    if ones:
        out += _CN_DIGITS[ones]
    return out


def format_number(n: int, fmt: str) -> str:
    """A list number in one of Word's formats (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified"):
        return chinese_number(n)
    if fmt in ("japaneseCounting", "ideographDigital", "taiwaneseCounting"):
        return chinese_number(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "lowerLetter" and n <= 26:
        return chr(ord("a") + n - 1)
    if fmt == "upperLetter" and n <= 26:
        return chr(ord("A") + n - 1)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _WordNumbering:
    """The numbers Word draws before auto-numbered paragraphs (w:numPr), which are not in the
    paragraph's text: counted per list and level, in the level's format and text (%1、)."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counts: dict[str, list[int]] = {}
        self._styles(document)
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in numbering.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for node in numbering.findall(f"{_W}num"):
            ref = node.find(f"{_W}abstractNumId")
            if ref is not None and ref.get(f"{_W}val") in abstract:
                self.levels[node.get(f"{_W}numId")] = abstract[ref.get(f"{_W}val")]

    def _styles(self, document) -> None:
        """Paragraph styles' own numbering and their bases, read once (python-docx's style
        lookup walks every style per paragraph)."""
        self.style_num: dict[str, object] = {}
        self.style_base: dict[str, str] = {}
        self.default_style = ""
        for style in document.styles.element.findall(f"{_W}style"):
            if style.get(f"{_W}type") != "paragraph":
                continue
            sid = style.get(f"{_W}styleId", "")
            if style.get(f"{_W}default") in ("1", "true"):
                self.default_style = sid
            ppr = style.find(f"{_W}pPr")
            num = ppr.find(f"{_W}numPr") if ppr is not None else None
            if num is not None:
                self.style_num[sid] = num
            based = style.find(f"{_W}basedOn")
            if based is not None:
                self.style_base[sid] = based.get(f"{_W}val", "")

    def _num_pr(self, paragraph):
        ppr = paragraph._p.pPr
        style_id = self.default_style
        if ppr is not None:
            found = ppr.find(f"{_W}numPr")
            if found is not None:
                return found
            pstyle = ppr.find(f"{_W}pStyle")
            if pstyle is not None:
                style_id = pstyle.get(f"{_W}val", "")
        seen: set[str] = set()
        while style_id and style_id not in seen:
            if style_id in self.style_num:
                return self.style_num[style_id]
            seen.add(style_id)
            style_id = self.style_base.get(style_id, "")
        return None

    def label(self, paragraph) -> str:
        if not self.levels:
            return ""
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        num = num_id.get(f"{_W}val") if num_id is not None else None
        level = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        levels = self.levels.get(num)
        if not levels or level not in levels:
            return ""
        counts = self.counts.setdefault(num, [0] * 9)
        counts[level] += 1
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        _start, fmt, text = levels[level]
        if fmt in ("none", "bullet") or not text:
            return ""

        def number(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            if at not in levels:
                return ""
            at_start, at_fmt, _text = levels[at]
            return format_number(at_start + max(counts[at], 1) - 1, at_fmt)

        return re.sub(r"%(\d)", number, text)


_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")


def _encrypted_pdf() -> ExtractionError:
    return ExtractionError(
        _("无法打开该 PDF 文件：文件已加密（设置了密码）。请取消密码后重试。"), code="encrypted"
    )


def _corrupt_pdf() -> ExtractionError:
    return ExtractionError(_("无法打开该 PDF 文件：文件已损坏或不是 PDF 格式。"), code="corrupt")


# a page drawing this many lines or boxes may hold a ruled table: it goes through pdfplumber
TABLE_PATHS = 4


def _read_pdf(data: bytes) -> list[Block]:
    """Text pages through PDFium (fast, in C); pages that draw lines through pdfplumber, which
    finds ruled tables and the text around them. A 30-page plan reads in about a second."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _encrypted_pdf() from exc
        raise _corrupt_pdf() from exc
    blocks: list[Block] = []
    any_text = False
    plumber = None
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            paths = 0
            for _obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_PATH], max_depth=2):
                paths += 1
                if paths >= TABLE_PATHS:
                    break
            if paths >= TABLE_PATHS:
                if plumber is None:
                    plumber = _open_plumber(data)
                page_blocks = _plumber_page(plumber.pages[index])
            else:
                text = page.get_textpage().get_text_range()
                page_blocks = [Block(text=line.strip()) for line in text.splitlines()]
            for block in page_blocks:
                if block.is_table or block.text:
                    any_text = True
                if block.is_table or (block.text and not _PAGE_NUMBER.match(block.text)):
                    blocks.append(block)
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError(_("无法读取该 PDF 文件：文件已损坏。"), code="corrupt") from exc
    finally:
        if plumber is not None:
            # closing walks the pages again: on a damaged file it raises what reading did,
            # which must not replace the ExtractionError (a fuzzing find)
            with contextlib.suppress(Exception):
                plumber.close()
        pdf.close()
    if not any_text:
        raise ExtractionError(
            _(
                "该PDF没有文字层（可能是扫描件），无法提取文字："
                "请上传原始的 Word 或带文字层的 PDF 文件。"
            ),
            code="no_text_layer",
        )
    return blocks


def _open_plumber(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        inner = exc.args[0] if exc.args else exc
        if isinstance(inner, PDFPasswordIncorrect):
            raise _encrypted_pdf() from exc
        raise _corrupt_pdf() from exc


def _plumber_page(page) -> list[Block]:
    """A page's tables and the lines outside them, top to bottom."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    placed: list[tuple[float, Block]] = []
    for table in tables:
        rows = [[_cell_text(cell or "") for cell in row] for row in table.extract()]
        if rows:
            placed.append((table.bbox[1], Block(rows=rows)))

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    for line in text_page.extract_text_lines(strip=True):
        placed.append((line["top"], Block(text=line["text"].strip())))
    placed.sort(key=lambda pair: pair[0])
    return [block for _top, block in placed]
