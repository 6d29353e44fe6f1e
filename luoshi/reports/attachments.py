"""Attachments: checked by name, size and content before anything is written; stored under
random names outside the web root (settings.MEDIA_ROOT) and served only through an
access-checked view."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.lib import clock
from luoshi.lib.uploads import check_upload, display_name, store_upload
from luoshi.reports.models import Attachment

MAX_FILES = 10


def attachments_validate(files: Sequence[UploadedFile]) -> None:
    """Raise a ValidationError naming every file that may not be attached (type, size and
    content, by luoshi.lib.uploads.check_upload)."""
    conf = settings.LUOSHI
    allowed = set(conf["ATTACHMENT_EXTENSIONS"])
    limit = conf["ATTACHMENT_MAX_BYTES"]
    errors: list[str] = []
    if len(files) > MAX_FILES:
        errors.append(
            ngettext("一次最多上传 %(n)d 个附件。", "一次最多上传 %(n)d 个附件。", MAX_FILES)
            % {"n": MAX_FILES}
        )
    for f in files:
        try:
            check_upload(f, kinds=allowed, max_bytes=limit, field_label=_("附件"))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)


def uploads_store(files: Sequence[UploadedFile], *, model, actor, **owner) -> list:
    """Save already-validated files as rows of `model` (any model with the uploaded-file
    fields of Attachment: file, original_name, size, content_type, sha256, uploaded_by,
    uploaded_at), each tied to its owner by `owner` (e.g. report=…). Call inside the
    transaction that creates the owner."""
    stored = []
    for f in files:
        digest = hashlib.sha256()
        for chunk in f.chunks():
            digest.update(chunk)
        f.seek(0)
        item = model(
            **owner,
            original_name=display_name(f.name or ""),
            size=f.size,
            content_type=(getattr(f, "content_type", "") or "")[:100],
            sha256=digest.hexdigest(),
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        store_upload(f, field=item.file)
        item.save()
        stored.append(item)
    return stored


def attachments_store(
    files: Sequence[UploadedFile], *, actor, report=None, closure_request=None
) -> list[Attachment]:
    """Save already-validated files. Call inside the transaction that creates the owner."""
    return uploads_store(
        files, model=Attachment, actor=actor, report=report, closure_request=closure_request
    )
