"""One checker for every upload, by content rather than by name, and one way to store it.

`check_upload` reads the file's first bytes (and, for zip-based formats, its parts) and decides
what it really is: PDF, PNG, JPEG, GIF, WebP, OOXML (docx/xlsx/pptx, told apart by their
[Content_Types].xml and main part), OFD, OLE2 (legacy .doc/.xls/.wps/.et), zip, or plain text
(UTF-8/GB18030/UTF-16 with a byte-order mark). The name's extension must be one the caller
allows, and the content must be what the extension says. Executables, and HTML, SVG or script
content disguised as anything (a browser sniffing the first bytes could run it), are refused
whatever the name. Every refusal is a ValidationError in Chinese naming the file.

`store_upload` saves a checked file under a random name (never the client's name) below
MEDIA_ROOT, which lives in the data directory, outside the web root and never served directly;
downloads go through access-checked views (luoshi.lib.downloads)."""

from __future__ import annotations

import re
import secrets
import unicodedata
import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from luoshi.lib.i18n import join_list

# extension -> the kind of content it must hold
EXTENSION_KINDS: dict[str, str] = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "pptx": "pptx",
    "ofd": "ofd",
    "doc": "ole",
    "xls": "ole",
    "wps": "ole",
    "et": "ole",
    "txt": "text",
    "csv": "text",
    "zip": "zip",
}
SNIFF_BYTES = 2048  # more than browsers look at when they guess a type (1,445 bytes)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE, DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O fat binary, Java class
    b"#!",  # a script with an interpreter line
)
EXECUTABLE_NAMES = re.compile(
    r"\.(exe|dll|com|scr|bat|cmd|ps1|vbs|vbe|js|jse|wsf|hta|msi|jar|sh|elf|lnk|html?|svg)$",
    re.I,
)
# markup a browser would render or run: HTML, SVG, XML islands, scripts
ACTIVE_MARKUP = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|script|iframe|svg|object|embed|frameset|frame|"
    rb"img[^>]*\bon\w+\s*=|a\s[^>]*href\s*=\s*['\"]?\s*javascript:|meta\s[^>]*http-equiv)"
    rb"|javascript:",
    re.I,
)
OOXML_MAIN: dict[str, tuple[tuple[str, ...], tuple[bytes, ...]]] = {
    # kind: (the main part's possible names, the content types that must be declared)
    "docx": (
        ("word/document.xml",),
        (
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
    ),
    "xlsx": (
        ("xl/workbook.xml",),
        (
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ),
    ),
    "pptx": (
        ("ppt/presentation.xml",),
        (b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",),
    ),
}
# kinds whose first bytes a browser might take for a page (zip-based ones start with "PK")
SNIFFABLE = ("pdf", "png", "jpeg", "gif", "webp", "ole", "text", "unknown")
MAX_UNPACKED_FACTOR = 100  # a zip that unpacks to 100 times its limit is a "zip bomb"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def display_name(name: str, *, limit: int = 200) -> str:
    """The client's file name, only for showing: no path, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    if len(name) > limit:
        ext = extension(name)
        keep = limit - len(ext) - 1 if ext and len(ext) < 10 else limit
        name = name[:keep] + (f".{ext}" if keep < limit else "")
    return name or "file"


def _read_head(upload: IO[bytes], n: int) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _zip_kind(upload: IO[bytes], max_bytes: int) -> str | None:
    """docx/xlsx/pptx/ofd/zip for a readable zip, None for a broken or dangerous one."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > MAX_UNPACKED_FACTOR * max_bytes:
                return None
            names = {i.filename for i in infos}
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")
                for kind, (parts, content_types) in OOXML_MAIN.items():
                    if any(p in names for p in parts) and any(t in types for t in content_types):
                        return kind
                return "ooxml-other"
            if "OFD.xml" in names:
                return "ofd"
            if any(EXECUTABLE_NAMES.search(n) for n in names):
                return "zip-executable"
            return "zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, KeyError, OSError):
        return None
    finally:
        upload.seek(0)


def _text_kind(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        if b"\x00" in data:
            return None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    if any(unicodedata.category(c) == "Cc" and c not in "\r\n\t\f\v" for c in text[:4096]):
        return None
    return "text"


def detect_kind(upload: IO[bytes], *, max_bytes: int = 50 * 1024 * 1024) -> str | None:
    """What the content is: a kind of EXTENSION_KINDS' values, "executable", "markup", or
    None when it is nothing known."""
    head = _read_head(upload, SNIFF_BYTES)
    if head.startswith(EXECUTABLE_MAGIC):
        return "executable"
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith((b"GIF87a", b"GIF89a")):
        kind = "gif"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "webp"
    elif head.startswith(OLE_MAGIC):
        kind = "ole"
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = _zip_kind(upload, max_bytes) or "broken"
    else:
        upload.seek(0)
        data = upload.read(max_bytes + 1)
        upload.seek(0)
        kind = _text_kind(data) or "unknown"
        if kind == "text":
            head = data  # a text file is looked at whole
    starts_xml = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")
    if kind in SNIFFABLE and (ACTIVE_MARKUP.search(head) or starts_xml):
        # a polyglot: a browser guessing the type from these bytes would render HTML or SVG
        return "markup"
    return kind


def check_upload(
    upload: IO[bytes], *, kinds: set[str], max_bytes: int, field_label: str, name: str = ""
) -> str:
    """The kind of an upload whose name's extension is in `kinds` (e.g. {"pdf", "docx"}),
    whose size is at most `max_bytes` and whose content matches its extension; otherwise a
    ValidationError in Chinese naming the file (`field_label`: 附件, 文件, 台账文件 …)."""
    name = name or getattr(upload, "name", "") or ""
    shown = display_name(name)
    words = {"label": field_label, "name": shown}
    ext = extension(name)
    if ext not in kinds or ext not in EXTENSION_KINDS:
        raise ValidationError(
            _("%(label)s“%(name)s”的类型不允许上传，允许的类型：%(types)s。")
            % {**words, "types": join_list(sorted(kinds))},
            code="type",
        )
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size > max_bytes:
        raise ValidationError(
            _("%(label)s“%(name)s”超过大小限制（%(limit)s）。")
            % {**words, "limit": filesizeformat(max_bytes)},
            code="too_big",
        )
    if size == 0:
        raise ValidationError(_("%(label)s“%(name)s”是空文件。") % words, code="empty")
    kind = detect_kind(upload, max_bytes=max_bytes)
    if kind == "markup":
        raise ValidationError(
            _("%(label)s“%(name)s”含有网页或脚本内容，不允许上传。") % words, code="markup"
        )
    if kind == "executable" and EXTENSION_KINDS[ext] == "text":
        raise ValidationError(
            _("%(label)s“%(name)s”是可执行文件或脚本，不允许上传。") % words, code="executable"
        )
    if kind == "zip-executable":
        raise ValidationError(
            _("%(label)s“%(name)s”是含有可执行文件的压缩包，不允许上传。") % words,
            code="executable",
        )
    if kind != EXTENSION_KINDS[ext]:
        raise ValidationError(_("%(label)s“%(name)s”的内容与扩展名不符。") % words, code="mismatch")
    return kind


def random_name(name: str = "") -> str:
    """A name to store a file under: random, with the (checked) extension kept for tools."""
    ext = extension(name)
    suffix = f".{ext}" if ext in EXTENSION_KINDS else ""
    return f"{secrets.token_hex(16)}{suffix}"


def store_upload(upload: IO[bytes], *, field, name: str = "") -> str:
    """Save an already-checked upload into `field` (a FieldFile, e.g. item.file) under a
    random name below MEDIA_ROOT, without saving the row; returns the sanitised display
    name for the row's own column."""
    name = name or getattr(upload, "name", "") or ""
    upload.seek(0)
    field.save(random_name(name), upload, save=False)
    return display_name(name)
