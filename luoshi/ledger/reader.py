"""Reading an Excel ledger (台账): refuse what cannot be read, find the header block, map the
columns to fields, and turn the data rows into plan rows with a numbering tree.

Nothing here touches the database. The result, `Sheet`, holds the column labels, the detected
mapping (column index → field) and the raw rows; `sheet_rows(sheet, mapping)` gives the rows
in the shape `luoshi.ledger.plan.plan_from_rows` takes.

Files are read with openpyxl in read-only mode with `data_only=True`: a formula gives the
value Excel cached when it last saved the file; a formula without a cached value is refused
(it is never evaluated). Macros in .xlsm files are never run: only cell values are read.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HEADER_SCAN_ROWS = 15
UNPACKED_FACTOR = 10  # the unpacked workbook may be at most this many times the size limit

# field key → (label as exported, synonyms as offices write them)
FIELDS: dict[str, tuple] = {
    "seq": (gettext_lazy("序号"), ("序号", "编号", "序列号")),
    "code": (gettext_lazy("任务编号"), ("任务编号", "任务代码", "taskcode")),
    "title": (
        gettext_lazy("工作任务"),
        ("工作任务", "重点任务", "任务名称", "重点工作", "工作事项", "任务事项", "主要任务"),
    ),
    "content": (
        gettext_lazy("具体内容"),
        ("具体内容", "工作措施", "主要内容", "工作内容", "具体措施", "目标要求", "工作目标"),
    ),
    "lead_leader": (
        gettext_lazy("牵头领导"),
        ("牵头领导", "责任领导", "分管领导", "牵头市领导", "责任市领导", "市领导"),
    ),
    "lead_units": (
        gettext_lazy("牵头单位"),
        ("牵头单位", "主办单位", "牵头部门", "主责单位", "牵头责任单位"),
    ),
    "co_units": (gettext_lazy("配合单位"), ("配合单位", "协办单位", "参与单位", "配合部门")),
    "units": (gettext_lazy("责任单位"), ("责任单位", "承办单位", "责任部门")),
    "due": (
        gettext_lazy("完成时限"),
        ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "时限"),
    ),
    "progress": (
        gettext_lazy("进展情况"),
        ("进展情况", "工作进展", "推进情况", "完成情况", "进展", "本期进展"),
    ),
    "percent": (gettext_lazy("进度"), ("进度", "完成进度", "进度百分比", "完成率")),
    "latest": (gettext_lazy("最新进展"), ("最新进展", "最近填报进展")),
    "state": (gettext_lazy("状态"), ("状态", "任务状态")),
    "light": (gettext_lazy("亮灯"), ("亮灯", "灯色")),
}
# Columns a user may map a column to, in the order the select shows them.
MAPPABLE = tuple(FIELDS)

_SPACE = re.compile(r"\s+")
_BRACKETED = re.compile(r"[（(【\[].*?[)）】\]]")


def _norm_label(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _BRACKETED.sub("", text)
    text = re.sub(r"[\s%％:：*＊]", "", text)
    return text.lower()


_SYNONYMS: dict[str, str] = {}
for _key, (_label, _words) in FIELDS.items():
    for _word in _words:
        _SYNONYMS[_norm_label(_word)] = _key


@functools.cache
def _translated_labels() -> dict[str, str]:
    """The exported headers in every language of the site (an English export re-imports)."""
    from django.utils import translation

    out: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for key, (label, _words) in FIELDS.items():
                out.setdefault(_norm_label(str(label)), key)
            out.setdefault(_norm_label(str(_("进度（%）"))), "percent")
    return out


def field_for_label(label: str) -> str | None:
    key = _norm_label(label)
    return _SYNONYMS.get(key) or _translated_labels().get(key)


@dataclass
class Sheet:
    """What was read from the workbook's first usable sheet."""

    name: str
    header_rows: tuple[int, int]  # 1-based first and last row of the header block
    labels: list[str]  # one per column: "责任单位›牵头单位"
    mapping: dict[int, str]  # column index → field key (detected)
    rows: list[tuple[int, list]] = field(default_factory=list)  # (Excel row number, values)
    title: str = ""  # the title row above the header, if any


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _decode(value):
    if isinstance(value, dict):
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return dt.date.fromisoformat(value["$d"])
    return value


def sheet_to_json(sheet: Sheet) -> dict:
    """The read sheet as JSON, kept with the import so that its preview and confirmation do
    not parse the workbook again."""
    return {
        "name": sheet.name,
        "header_rows": list(sheet.header_rows),
        "labels": sheet.labels,
        "mapping": {str(c): k for c, k in sheet.mapping.items()},
        "title": sheet.title,
        "rows": [[n, [_encode(v) for v in values]] for n, values in sheet.rows],
    }


def sheet_from_json(data: dict) -> Sheet:
    return Sheet(
        name=data["name"],
        header_rows=tuple(data["header_rows"]),
        labels=list(data["labels"]),
        mapping={int(c): k for c, k in data["mapping"].items()},
        rows=[(n, [_decode(v) for v in values]) for n, values in data["rows"]],
        title=data.get("title", ""),
    )


# --- refusing what cannot be read ------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "LUOSHI", {}).get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_file(size: int, head: bytes) -> None:
    """Refuse, before any parsing, a file that is too big, encrypted or not an .xlsx."""
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("文件过大（%(size).1f MB），台账文件不能超过 %(limit)d MB。")
            % {"size": size / 1024 / 1024, "limit": limit // 1024 // 1024},
            code="too_big",
        )
    if size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    if head.startswith(OLE_MAGIC):
        raise ValidationError(
            _(
                "文件设置了打开密码（已加密），或是旧版 .xls 格式，无法读取：请在 Excel 中取消"
                "密码并另存为 .xlsx 后再导入。"
            ),
            code="encrypted",
        )
    if not head.startswith(b"PK"):
        raise ValidationError(
            _("文件不是有效的 Excel 工作簿（.xlsx），或已损坏。"), code="not_xlsx"
        )


def _merges_and_formulas(zf: zipfile.ZipFile, sheet_path: str) -> tuple[list, list[str]]:
    """Merged ranges (min_col, min_row, max_col, max_row) and the cells holding a formula with
    no cached value, read straight from the sheet's XML (read-only openpyxl gives neither)."""
    from openpyxl.utils.cell import range_boundaries

    xml = zf.read(sheet_path).decode("utf-8", errors="replace")
    merges = [range_boundaries(ref) for ref in re.findall(r'<mergeCell ref="([A-Z0-9:]+)"', xml)]
    uncached = []
    for m in re.finditer(r'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)', xml, re.S):
        body = m.group(2) or ""
        if "<f" in body and not re.search(r"<v>[^<]", body):
            uncached.append(m.group(1))
    return merges, uncached


def open_workbook(data: bytes):
    """The workbook (read-only, cached values) and its raw zip, or a Chinese ValidationError."""
    import openpyxl

    check_file(len(data), data[:8])
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValidationError(
            _("文件不是有效的 Excel 工作簿（.xlsx），或已损坏。"), code="not_xlsx"
        ) from exc
    unpacked = sum(info.file_size for info in zf.infolist())
    if unpacked > UNPACKED_FACTOR * max_bytes():
        # a "zip bomb": a small file that unpacks to gigabytes is refused before unpacking
        raise ValidationError(
            _("文件解压后过大（%(mb)d MB），不像是一份台账，未读取。")
            % {"mb": unpacked // 1024 // 1024},
            code="too_big",
        )
    try:
        if zf.testzip() is not None:
            raise zipfile.BadZipFile
        wb = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_vba=False
        )
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(
            _("文件不是有效的 Excel 工作簿（.xlsx），或已损坏。"), code="not_xlsx"
        ) from exc
    return wb, zf


# --- header detection ------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _filled(grid: list[list], merges: list, first_row: int) -> list[list[str]]:
    """The top rows as text, each merged range's value copied over the whole range."""
    texts = [[_cell_text(v) for v in row] for row in grid]
    for min_col, min_row, max_col, max_row in merges:
        r0 = min_row - first_row
        if r0 < 0 or r0 >= len(texts):
            continue
        value = texts[r0][min_col - 1] if min_col - 1 < len(texts[r0]) else ""
        for r in range(r0, min(max_row - first_row + 1, len(texts))):
            for c in range(min_col - 1, max_col):
                if c < len(texts[r]):
                    texts[r][c] = value
    return texts


def _block_mapping(texts: list[list[str]], start: int, height: int) -> tuple[list[str], dict]:
    width = max(len(r) for r in texts[start : start + height])
    labels, mapping, used = [], {}, set()
    for c in range(width):
        parts: list[str] = []
        for r in range(start, start + height):
            t = texts[r][c] if c < len(texts[r]) else ""
            if t and t not in parts:
                parts.append(t)
        labels.append("›".join(parts))
        key = None
        for part in reversed(parts):  # the most specific (lowest) label first
            key = field_for_label(part)
            if key:
                break
        if key and key not in used:
            mapping[c] = key
            used.add(key)
    return labels, mapping


_NOTE = re.compile(r"^[（(].*[)）]$")


def _is_header_filler(texts: list[list[str]], r: int) -> bool:
    """A row under the header holding only notes (（填全称）) or what merges carried down."""
    row, above = texts[r], texts[r - 1]
    own = [t for c, t in enumerate(row) if t and not (c < len(above) and above[c] == t)]
    return bool(own) is False or all(_NOTE.match(t) for t in own)


def _vertical_fill(merges: list, first_row: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Data cells covered by a merge spanning rows: (row, col) → the merge's top-left cell.
    Horizontal spans (a chapter title across the sheet) are not copied sideways."""
    down: dict[tuple[int, int], tuple[int, int]] = {}
    for min_col, min_row, _max_col, max_row in merges:
        if max_row > min_row and min_row >= first_row:
            for r in range(min_row + 1, max_row + 1):
                down[(r, min_col - 1)] = (min_row, min_col - 1)
    return down


def _filled_down(number: int, values: list, down: dict, anchors: dict) -> list:
    """The row's values with merged-down cells carrying their merge's value."""
    for c, value in enumerate(values):
        if (number, c) in anchors:
            anchors[(number, c)] = value
    for (r, c), anchor in down.items():
        if r == number and c < len(values) and values[c] is None:
            values[c] = anchors.get(anchor)
    return values


def detect_header(texts: list[list[str]]) -> tuple[int, int, list[str], dict] | None:
    """(start, height, labels, mapping) of the best header block among the top rows: the most
    fields recognised; at equal count the block that starts first, then the shortest. A block
    starts on a row holding at least one recognised column name (not a title or filler row)."""
    best = None
    for start in range(len(texts)):
        if not any(field_for_label(t) for t in texts[start] if t):
            continue
        for height in (1, 2, 3):
            if start + height > len(texts):
                break
            labels, mapping = _block_mapping(texts, start, height)
            if "title" not in mapping.values():
                continue
            rank = (len(mapping), -start, -height)
            if best is None or rank > best[0]:
                best = (rank, start, height, labels, mapping)
    if best is None:
        return None
    _rank, start, height, labels, mapping = best
    return start, height, labels, mapping


def read_sheet(data: bytes) -> Sheet:
    """Read the first sheet with a recognisable header. Raises a Chinese ValidationError."""
    wb, zf = open_workbook(data)
    try:
        for ws in wb.worksheets:
            sheet_path = getattr(ws, "_worksheet_path", "")
            merges, uncached = _merges_and_formulas(zf, sheet_path) if sheet_path else ([], [])
            rows = ws.iter_rows(values_only=True)
            top: list[list] = []
            for row in rows:
                top.append(list(row))
                if len(top) >= HEADER_SCAN_ROWS:
                    break
            if not top:
                continue
            texts = _filled(top, merges, 1)
            found = detect_header(texts)
            if found is None:
                continue
            start, height, labels, mapping = found
            if uncached:
                raise ValidationError(
                    _(
                        "单元格 %(cells)s 是公式，但文件中没有保存计算结果：本系统不计算公式。"
                        "请在 Excel 中打开并保存文件（或把公式粘贴为数值）后再导入。"
                    )
                    % {"cells": "、".join(uncached[:10])},
                    code="formula",
                )
            title = next((t for r in texts[:start] for t in r if t and len(t) > 4), "")
            sheet = Sheet(
                name=ws.title,
                header_rows=(start + 1, start + height),
                labels=labels,
                mapping=mapping,
                title=title,
            )
            while start + height < len(texts) and _is_header_filler(texts, start + height):
                height += 1  # a note row under the header, such as （填全称）
            sheet.header_rows = (start + 1, start + height)
            sheet.labels, sheet.mapping = _block_mapping(texts, start, height)
            first_data = start + height
            down = _vertical_fill(merges, first_data + 1)
            anchors: dict = dict.fromkeys(down.values())
            number = 0
            for number, values in enumerate(top[first_data:], start=first_data + 1):
                sheet.rows.append((number, _filled_down(number, list(values), down, anchors)))
            number = len(top)
            for values in rows:
                number += 1
                sheet.rows.append((number, _filled_down(number, list(values), down, anchors)))
            return sheet
    finally:
        wb.close()
        zf.close()
    needed = "、".join(str(FIELDS[k][0]) for k in ("seq", "title", "lead_units", "due"))
    raise ValidationError(
        _(
            "未找到表头：前 %(n)d 行中没有可识别的列名。表头需要至少包含“工作任务”列"
            "（或 重点任务、任务名称），常见的列有 %(cols)s。"
        )
        % {"n": HEADER_SCAN_ROWS, "cols": needed},
        code="no_header",
    )


def read_file(f: IO[bytes] | bytes, *, size: int | None = None) -> Sheet:
    """read_sheet on an uploaded or opened file; the size is checked before reading it all."""
    if isinstance(f, bytes):
        return read_sheet(f)
    if size is not None:
        f.seek(0)
        check_file(size, f.read(8))
    f.seek(0)
    return read_sheet(f.read())


# --- rows and the numbering tree -------------------------------------------------------------

_CN = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# (rank, pattern): the kind of numbering decides the level, whatever the depth it appears at
NUMBERING = (
    (1, re.compile(rf"^([{_CN}]+)\s*[、.．,，]\s*")),
    (2, re.compile(rf"^[（(]\s*([{_CN}]+)\s*[)）]\s*[、.．]?\s*")),
    (3, re.compile(r"^(\d{1,3})\s*(?:[、．，]|\.(?!\d))\s*")),
    (4, re.compile(r"^[（(]\s*(\d{1,3})\s*[)）]\s*[、.．]?\s*")),
    (5, re.compile(r"^([①-⑳])\s*")),
)
_SEQ_ONLY = (
    (1, re.compile(rf"^([{_CN}]+)[、.．]?$")),
    (2, re.compile(rf"^[（(]([{_CN}]+)[)）]$")),
    (3, re.compile(r"^(\d{1,3})[、.．]?$")),
    (4, re.compile(r"^[（(](\d{1,3})[)）]$")),
    (5, re.compile(r"^([①-⑳])$")),
)


def _token(rank: int, number: str) -> str:
    return f"（{number}）" if rank in (2, 4) else number


def numbering(text: str, *, whole: bool = False) -> tuple[int, str, str] | None:
    """(rank, token, rest) when `text` starts with a numbering (一、 （一） 1. 1、 （1） ①);
    `whole`: the text is only a number (a 序号 cell)."""
    raw = (text or "").strip()
    if raw and raw[0] in CIRCLED:
        rest = raw[1:].strip()
        if whole and rest:
            return None
        return 5, raw[0], rest
    text = unicodedata.normalize("NFKC", raw)
    if not text:
        return None
    if whole:
        for rank, pattern in _SEQ_ONLY:
            m = pattern.match(text)
            if m:
                return rank, _token(rank, m.group(1)), ""
        return None
    for rank, pattern in NUMBERING:
        m = pattern.match(text)
        if m:
            return rank, _token(rank, m.group(1)), text[m.end() :].strip()
    return None


def _value(values: list, col: int | None):
    if col is None or col >= len(values):
        return None
    return values[col]


def sheet_rows(sheet: Sheet, mapping: dict[int, str]) -> list[dict]:
    """The data rows as plan rows (see luoshi.ledger.plan), with the tree as `path`.

    A 序号 cell or the start of the 工作任务 text gives a row's numbering; its kind (一、 /
    （一） / 1. / （1） / ①) decides its level. A row without numbering hangs under the
    innermost chapter above it. Empty rows are skipped."""
    col_of = {key: col for col, key in mapping.items() if key}
    out: list[dict] = []
    stack: list[tuple[int, list[str], bool]] = []  # (rank, path, is_chapter)
    counter = 0
    for number, values in sheet.rows:
        texts = {k: _cell_text(_value(values, c)) for k, c in col_of.items()}
        if not any(texts.values()):
            continue
        title = texts.get("title", "")
        seq = texts.get("seq", "")
        found = numbering(seq, whole=True) if seq else None
        if seq and found is None and not title:
            # a chapter written in the 序号 cell, often merged across the row: 一、稳增长
            in_seq = numbering(seq)
            if in_seq and in_seq[2]:
                found, title = in_seq, in_seq[2]
        if found is None:
            lead_numbering = numbering(title)
            if lead_numbering:
                found, title = lead_numbering, lead_numbering[2]
        # 责任单位 without a split: the first unit leads, the others help
        lead_cell = texts.get("lead_units", "")
        co_cell = texts.get("co_units", "")
        units_cell = texts.get("units", "")
        if units_cell:
            if lead_cell:
                co_cell = "、".join(x for x in (co_cell, units_cell) if x)
            else:
                lead_cell = units_cell
        content = texts.get("content", "")
        is_chapter = not any(
            texts.get(k) for k in ("content", "lead_units", "co_units", "units", "due", "code")
        )
        if found is not None:
            rank, token = found[0], found[1]
            while stack and stack[-1][0] >= rank:
                stack.pop()
            path = [*(stack[-1][1] if stack else []), token]
            stack.append((rank, path, is_chapter))
        else:
            counter += 1
            while stack and not stack[-1][2]:
                stack.pop()
            path = [*(stack[-1][1] if stack else []), f"#{counter}"]
            rank = stack[-1][0] + 1 if stack else 9
            if is_chapter:
                stack.append((rank, path, True))
        due_value = _value(values, col_of.get("due"))
        out.append(
            {
                "row": number,
                "path": path,
                "code": texts.get("code", ""),
                "title": title,
                "content": content,
                "lead_leader": texts.get("lead_leader", ""),
                "lead_units": lead_cell,
                "co_units": co_cell,
                "due_value": due_value,
                "due_text": texts.get("due", ""),
                "progress": texts.get("progress", ""),
                "percent": texts.get("percent", ""),
                "is_chapter": is_chapter,
            }
        )
    return out
