"""Files of notice replies and supervision records. They are checked exactly as report
attachments are (luoshi.reports.attachments.attachments_validate: type, size, content) and
kept the same way, under random names outside the web root, served only through an
access-checked view. Only the owning row differs, so they have their own model."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from luoshi.lib import clock
from luoshi.reports.attachments import attachments_validate
from luoshi.supervision.models import NoticeReply, SupervisionFile, SupervisionRecord

files_validate = attachments_validate


def files_store(
    files: Sequence[UploadedFile],
    *,
    actor,
    reply: NoticeReply | None = None,
    record: SupervisionRecord | None = None,
) -> list[SupervisionFile]:
    """Save already-validated files. Call inside the transaction that creates the owner."""
    stored = []
    for f in files:
        digest = hashlib.sha256()
        for chunk in f.chunks():
            digest.update(chunk)
        f.seek(0)
        item = SupervisionFile(
            reply=reply,
            record=record,
            original_name=f.name[:200],
            size=f.size,
            content_type=(getattr(f, "content_type", "") or "")[:100],
            sha256=digest.hexdigest(),
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        item.file.save(f.name, f, save=False)
        item.save()
        stored.append(item)
    return stored
