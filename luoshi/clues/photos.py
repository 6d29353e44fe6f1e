"""The public's photo: checked by its content, re-encoded, stripped of every metadata.

Decisions (docs/CLUES.md):
  - accepted: what Pillow reads as JPEG, PNG or WebP — the file's bytes decide, not its name or
    the browser's content type. HEIC is refused (Pillow cannot read it without the
    pillow-heif plug-in, which is not a dependency); phones' browsers send JPEG from the
    camera roll.
  - size: CLUE_PHOTO_MAX_BYTES; pixels: CLUE_PHOTO_MAX_PIXELS, checked from the header
    before the picture is decoded (a small file can hold a huge picture), and Pillow's own
    decompression-bomb guard turned into a refusal.
  - stored: the EXIF orientation applied first, then re-encoded as a new JPEG (quality 85,
    at most CLUE_PHOTO_MAX_SIDE pixels on the long side) from the pixels alone: no EXIF, no
    GPS, no ICC profile, no comments, nothing appended (a JPEG/HTML polyglot loses its HTML).
  - name: random (secrets.token_hex), under MEDIA_ROOT/clues/<year>/, outside the web root.
"""

from __future__ import annotations

import io
import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from luoshi.clues.conf import conf
from luoshi.lib import clock

FORMATS = {"JPEG", "PNG", "WEBP"}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photo": [message]})


def reencode(upload) -> ContentFile:
    """A new JPEG file made from the upload's pixels, or ValidationError({"photo": …})."""
    limit = conf("CLUE_PHOTO_MAX_BYTES")
    if upload.size is None or upload.size > limit:
        raise _refuse(_("照片不能超过 %(mb)d MB。") % {"mb": max(1, limit // (1024 * 1024))})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(_("照片不能超过 %(mb)d MB。") % {"mb": max(1, limit // (1024 * 1024))})
    unreadable = _("无法识别的图片：请上传 JPEG、PNG 或 WebP 格式的照片。")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as img:
                if img.format not in FORMATS:
                    raise _refuse(unreadable)
                if img.width * img.height > conf("CLUE_PHOTO_MAX_PIXELS"):
                    raise _refuse(_("照片像素过多，请缩小后再上传。"))
                img.seek(0)
                img.load()
                picture = ImageOps.exif_transpose(img)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _refuse(_("照片像素过多，请缩小后再上传。")) from exc
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise _refuse(unreadable) from exc
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        rgba = picture.convert("RGBA")
        picture = Image.new("RGB", rgba.size, (255, 255, 255))
        picture.paste(rgba, mask=rgba.getchannel("A"))
    elif picture.mode != "RGB":
        picture = picture.convert("RGB")
    side = conf("CLUE_PHOTO_MAX_SIDE")
    if max(picture.size) > side:
        picture.thumbnail((side, side), Image.LANCZOS)
    # Only the pixels go across: a fresh image has no info, EXIF or ICC profile to carry.
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    name = f"{clock.today().year}/{secrets.token_hex(16)}.jpg"
    return ContentFile(out.getvalue(), name=name)
