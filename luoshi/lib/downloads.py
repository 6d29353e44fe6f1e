"""Serving an uploaded file that has already passed its access check: always as a download
(never inline, no sniffing, not cached), and audited."""

from __future__ import annotations

import io
import mimetypes

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.lib.watermark import watermark_docx_bytes, watermark_xlsx_bytes

WATERMARKERS = {"docx": watermark_docx_bytes, "xlsx": watermark_xlsx_bytes}


def uploaded_file_response(item, *, actor, action: str, watermark: bool = False) -> FileResponse:
    """`item` is a stored upload (file, original_name); `action` names the audit entry.
    `watermark`: a document the system produced (.docx/.xlsx) is marked with the reader's
    name and the time (luoshi.lib.watermark) on the way out; the stored file is unchanged."""
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件已丢失，请联系系统管理员。")) from exc
    content_type = mimetypes.guess_type(item.original_name)[0] or "application/octet-stream"
    audit_log(actor=actor, action=action, obj=item)
    marker = WATERMARKERS.get(item.original_name.rsplit(".", 1)[-1].lower()) if watermark else None
    if marker is not None:
        with handle:
            handle = io.BytesIO(marker(handle.read(), actor))
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
