"""Attachments: checked by name, size and content before anything is written; stored under
random names outside the web root (settings.MEDIA_ROOT) and served only through an
access-checked view."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.lib import clock
from luoshi.lib.i18n import join_list
from luoshi.reports.models import Attachment

# The first bytes each allowed type must start with. Plain-text types have no signature.
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": ZIP,
    "xlsx": ZIP,
    "zip": ZIP,
    "ofd": ZIP,
    "doc": OLE,
    "xls": OLE,
    "wps": OLE,
    "et": OLE,
}
MAX_FILES = 10


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def attachments_validate(files: Sequence[UploadedFile]) -> None:
    """Raise a ValidationError naming every file that may not be attached."""
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
        name = f.name or ""
        ext = _extension(name)
        if ext not in allowed:
            errors.append(
                _("附件“%(name)s”的类型不允许上传，允许的类型：%(types)s。")
                % {"name": name, "types": join_list(sorted(allowed))}
            )
            continue
        if f.size > limit:
            errors.append(
                _("附件“%(name)s”超过大小限制（%(limit)s）。")
                % {"name": name, "limit": filesizeformat(limit)}
            )
            continue
        if f.size == 0:
            errors.append(_("附件“%(name)s”是空文件。") % {"name": name})
            continue
        signatures = SIGNATURES.get(ext)
        if signatures:
            f.seek(0)
            head = f.read(8)
            f.seek(0)
            if not any(head.startswith(sig) for sig in signatures):
                errors.append(_("附件“%(name)s”的内容与扩展名不符。") % {"name": name})
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


def attachments_store(
    files: Sequence[UploadedFile], *, actor, report=None, closure_request=None
) -> list[Attachment]:
    """Save already-validated files. Call inside the transaction that creates the owner."""
    return uploads_store(
        files, model=Attachment, actor=actor, report=report, closure_request=closure_request
    )
