"""Checking the photos and documents of 督查记录 by content before anything is stored.

The type, size and content checks are the shared ones (luoshi.reports.attachments.
attachments_validate, itself built on luoshi.lib.uploads.check_upload: magic bytes, no
HTML/script/executables disguised as anything). On top of those, a photo (jpg, png) must
decode as an image of the type its name says (Pillow), so a truncated or forged picture is
refused with a clear message."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from luoshi.reports.attachments import attachments_validate

PHOTO_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
# A photo larger than this many pixels is refused (a decompression bomb, not a photo).
MAX_PIXELS = 60_000_000


def _check_photo(f: UploadedFile, expected: str) -> str | None:
    f.seek(0)
    try:
        with Image.open(f) as image:
            if image.format != expected:
                return _("照片“%(name)s”的内容与扩展名不符。") % {"name": f.name}
            width, height = image.size
            if width * height > MAX_PIXELS:
                return _("照片“%(name)s”像素过大。") % {"name": f.name}
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return _("照片“%(name)s”已损坏或不是图片。") % {"name": f.name}
    finally:
        f.seek(0)
    return None


def files_validate(files: Sequence[UploadedFile]) -> None:
    """Raise a ValidationError naming every file that may not be attached to a record."""
    attachments_validate(files)
    errors = []
    for f in files:
        ext = (f.name or "").rsplit(".", 1)[-1].lower()
        expected = PHOTO_FORMATS.get(ext)
        if expected:
            problem = _check_photo(f, expected)
            if problem:
                errors.append(problem)
    if errors:
        raise ValidationError(errors)


def is_photo(name: str) -> bool:
    return (name or "").rsplit(".", 1)[-1].lower() in PHOTO_FORMATS
