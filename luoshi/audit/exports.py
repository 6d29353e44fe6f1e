"""The auditor's xlsx export of a filtered list: one row per event, every cell written
formula-safe (luoshi.lib.xlsx.safe_cell), the workbook watermarked with the auditor's name
and the time (luoshi.lib.watermark). The hash and the previous hash are in it, so a copy can
be compared with the live chain."""

from __future__ import annotations

import io
import json

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.audit.models import AuditEvent
from luoshi.lib.watermark import watermark_workbook
from luoshi.lib.xlsx import safe_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# one export from the page; more goes through `luoshi audit export` (an archive)
EXPORT_MAX_ROWS = 50_000


def _headers() -> list[str]:
    return [
        _("序号"),
        _("时间"),
        _("操作人"),
        _("登录名"),
        _("来源地址"),
        _("操作"),
        _("对象类型"),
        _("对象编号"),
        _("对象"),
        _("数据"),
        _("算法"),
        _("前一条哈希"),
        _("哈希"),
    ]


def events_workbook(events: QuerySet[AuditEvent], *, user) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("审计日志")
    safe_row(ws, 1, _headers())
    row = 2
    for event in events.select_related("actor").iterator(chunk_size=2000):
        safe_row(
            ws,
            row,
            [
                event.seq,
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor_name,
                event.actor.username if event.actor else "",
                event.ip,
                event.action,
                event.object_type,
                event.object_id,
                event.object_repr,
                json.dumps(event.data, ensure_ascii=False, sort_keys=True),
                event.algorithm,
                event.prev_hash,
                event.hash,
            ],
        )
        row += 1
    ws.freeze_panes = "A2"
    watermark_workbook(wb, user)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
