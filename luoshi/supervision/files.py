"""Files of notice replies and supervision records. They are checked exactly as report
attachments are (luoshi.reports.attachments.attachments_validate: type, size, content) and
kept the same way, under random names outside the web root, served only through an
access-checked view. Only the owning row differs, so they have their own model."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from luoshi.reports.attachments import attachments_validate, uploads_store
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
    return uploads_store(files, model=SupervisionFile, actor=actor, reply=reply, record=record)
