"""Serving an uploaded file that has already passed its access check: always as a download
(never inline, no sniffing, not cached), and audited."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log


def uploaded_file_response(item, *, actor, action: str) -> FileResponse:
    """`item` is a stored upload (file, original_name); `action` names the audit entry."""
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件已丢失，请联系系统管理员。")) from exc
    content_type = mimetypes.guess_type(item.original_name)[0] or "application/octet-stream"
    audit_log(actor=actor, action=action, obj=item)
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
