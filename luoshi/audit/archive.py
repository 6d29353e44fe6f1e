"""Audit archives: `luoshi audit export` writes a date range of the chain to a file (JSON
lines or xlsx) with its anchors, and `luoshi audit verify --file` checks such a file offline.

An archive holds a contiguous run of the chain (every row from the first one at or after
`from` to the last one before the day after `to`), plus:
- the anchor: the previous hash and seq the first row links to (seq 0 and "" for an archive
  that starts at the chain's beginning): the last hash of the archive before it;
- the trailer: how many rows and the last hash, so a cut-off file is told from a whole one.
Archives of consecutive periods link up: each anchor is the previous archive's last hash.

JSON lines: a header line {"format": "luoshi-audit-archive", …, "anchor_prev_hash",
"anchor_seq"}, one line per row (the model's fields), a trailer line {"end": true, "count",
"last_hash", "last_seq"}. xlsx: sheet 审计日志 (one row per event, the same fields, data as
JSON text) and sheet 链锚点 (header and trailer as key/value rows); written in write-only mode
so a large range needs little memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.audit import chain
from luoshi.audit.models import AuditEvent

FORMAT = "luoshi-audit-archive"
VERSION = 1
XLSX_MAX_ROWS = 1_000_000  # per sheet (Excel's limit is 1,048,576)


class ArchiveError(Exception):
    """An archive file that cannot be read (the message is for the operator, in Chinese)."""


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def id_range(date_from: dt.date | None, date_to: dt.date | None) -> tuple[int, int] | None:
    """The first and last id of the rows in the date range (None: no rows)."""
    events = AuditEvent.objects.all()
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    first = events.order_by("id").values_list("id", flat=True).first()
    last = events.order_by("-id").values_list("id", flat=True).first()
    return None if first is None else (first, last)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "at": row["at"].isoformat()}


def rows_between(first_id: int, last_id: int, chunk: int = chain.CHUNK) -> Iterator[dict]:
    last = first_id - 1
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last, id__lte=last_id)
            .order_by("id")
            .values(*chain.ROW_FIELDS)[:chunk]
        )
        if not rows:
            return
        for row in rows:
            yield _plain(row)
        last = rows[-1]["id"]


def _header(date_from, date_to, first_row: dict | None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "from": date_from.isoformat() if date_from else "",
        "to": date_to.isoformat() if date_to else "",
        "created_at": timezone.now().isoformat(),
        "anchor_prev_hash": first_row["prev_hash"] if first_row else "",
        "anchor_seq": (first_row["seq"] - 1) if first_row else 0,
    }


def export_archive(
    *, path: Path, fmt: str, date_from: dt.date | None, date_to: dt.date | None
) -> dict[str, Any]:
    """Write the archive; returns the trailer (count, last hash, last seq)."""
    bounds = id_range(date_from, date_to)
    rows: Iterator[dict] = rows_between(*bounds) if bounds else iter(())
    first = next(rows, None)
    header = _header(date_from, date_to, first)
    trailer: dict[str, Any] = {"end": True, "count": 0, "last_hash": "", "last_seq": 0}

    def every_row() -> Iterator[dict]:
        if first is not None:
            yield first
            yield from rows

    def counted() -> Iterator[dict]:
        for row in every_row():
            trailer["count"] += 1
            trailer["last_hash"] = row["hash"]
            trailer["last_seq"] = row["seq"]
            yield row

    if fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as out:
            out.write(json.dumps(header, ensure_ascii=False) + "\n")
            for row in counted():
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            out.write(json.dumps(trailer, ensure_ascii=False) + "\n")
    elif fmt == "xlsx":
        _write_xlsx(path, header, trailer, counted())
    else:
        raise ArchiveError(_("不支持的格式：%(f)s（可选 jsonl、xlsx）") % {"f": fmt})
    return trailer


def xlsx_cells(row: dict[str, Any]) -> list[Any]:
    return [
        json.dumps(row[name], ensure_ascii=False, sort_keys=True) if name == "data" else row[name]
        for name in chain.ROW_FIELDS
    ]


def _write_xlsx(path: Path, header: dict, trailer: dict, rows: Iterator[dict]) -> None:
    """Streamed (write-only) so a large range needs little memory; watermarked with the
    operating-system account that ran the command and the time (luoshi.lib.watermark)."""
    import getpass
    import types

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from luoshi.lib.watermark import watermark_workbook
    from luoshi.lib.xlsx import safe_cell

    operator = types.SimpleNamespace(username=getpass.getuser(), full_name=_("命令行导出"))
    wb = Workbook(write_only=True)

    def safe(ws, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws)
            safe_cell(cell, value)
            cells.append(cell)
        return cells

    def data_sheet(number: int):
        ws = wb.create_sheet(_("审计日志") + (f"{number}" if number > 1 else ""), number - 1)
        watermark_workbook(wb, operator)  # before the sheet's first row
        ws.append(list(chain.ROW_FIELDS))
        return ws

    anchors = wb.create_sheet(_("链锚点"))
    ws, n, sheet_no = data_sheet(1), 0, 1
    for row in rows:
        if n >= XLSX_MAX_ROWS:
            sheet_no += 1
            ws, n = data_sheet(sheet_no), 0
        ws.append(safe(ws, xlsx_cells(row)))
        n += 1
    for key, value in [*header.items(), *trailer.items()]:
        anchors.append(safe(anchors, [key, value]))
    wb.save(path)


# --- reading an archive back --------------------------------------------------------------


def _read_jsonl(path: Path) -> tuple[dict, Iterator[dict], dict]:
    trailer: dict[str, Any] = {}
    handle = open(path, encoding="utf-8")  # noqa: SIM115  (closed by the generator)
    try:
        header = json.loads(handle.readline() or "{}")
    except json.JSONDecodeError:
        handle.close()
        raise ArchiveError(_("文件不是审计归档：第一行不是 JSON。")) from None

    def rows() -> Iterator[dict]:
        with handle:
            for number, line in enumerate(handle, start=2):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    raise ArchiveError(_("第 %(n)s 行不是 JSON。") % {"n": number}) from None
                if item.get("end"):
                    trailer.update(item)
                    return
                yield item

    return header, rows(), trailer


def _read_xlsx(path: Path) -> tuple[dict, Iterator[dict], dict]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    names = wb.sheetnames
    anchor_name = _("链锚点")
    if anchor_name not in names:
        raise ArchiveError(_("文件不是审计归档：没有“链锚点”工作表。"))
    meta = {k: v for k, v in wb[anchor_name].iter_rows(values_only=True) if k}
    header = {k: meta.get(k) for k in ("format", "version", "anchor_prev_hash", "anchor_seq")}
    trailer = {k: meta.get(k) for k in ("end", "count", "last_hash", "last_seq")}
    header["anchor_prev_hash"] = header["anchor_prev_hash"] or ""
    header["anchor_seq"] = int(header["anchor_seq"] or 0)

    def rows() -> Iterator[dict]:
        for name in names:
            if name == anchor_name:
                continue
            values = wb[name].iter_rows(values_only=True)
            fields = next(values, None)
            for cells in values:
                row = {f: ("" if v is None else v) for f, v in zip(fields, cells, strict=False)}
                row["data"] = json.loads(row["data"] or "{}")
                row["actor_id"] = row["actor_id"] if row["actor_id"] != "" else None
                yield row
        wb.close()

    return header, rows(), trailer


def verify_archive(path: Path) -> tuple[chain.VerifyResult, list[str]]:
    """Walk an archive from its anchor; returns the result and problems with the file itself
    (wrong format, trailer missing or not matching: a cut-off or padded file)."""
    reader = _read_xlsx if path.suffix.lower() == ".xlsx" else _read_jsonl
    header, rows, trailer = reader(path)
    if header.get("format") != FORMAT:
        raise ArchiveError(_("文件不是审计归档（格式标记不符）。"))
    walker = chain.ChainWalker(
        anchor_hash=header.get("anchor_prev_hash") or "",
        anchor_seq=int(header.get("anchor_seq") or 0),
    )
    result = walker.walk(rows)
    problems = []
    if not trailer.get("end"):
        problems.append(_("文件缺少结尾记录：可能不完整。"))
    elif (int(trailer.get("count") or 0), trailer.get("last_hash") or "") != (
        result.count,
        result.last_hash,
    ):
        problems.append(
            _("结尾记录写明 %(n)s 条、末条哈希 %(h)s，文件中实有 %(m)s 条、末条哈希 %(k)s。")
            % {
                "n": trailer.get("count"),
                "h": trailer.get("last_hash"),
                "m": result.count,
                "k": result.last_hash,
            }
        )
    return result, problems
