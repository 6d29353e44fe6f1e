"""luoshi.lib.uploads: the type of an upload is decided by its content, not its name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from luoshi.lib.uploads import check_upload, display_name, random_name, store_upload
from tests.hardening.files import (
    EXE,
    GIF,
    HTML,
    JPEG,
    OLE,
    PDF,
    PNG,
    SVG,
    WEBP,
    docx_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)

ALL = {"pdf", "png", "jpg", "jpeg", "gif", "webp", "docx", "xlsx", "doc", "xls", "txt", "zip"}
LIMIT = 1024 * 1024


def check(name, data, kinds=ALL, limit=LIMIT):
    return check_upload(upload(name, data), kinds=kinds, max_bytes=limit, field_label="附件")


def refused(name, data, kinds=ALL, limit=LIMIT) -> str:
    with pytest.raises(ValidationError) as exc:
        check(name, data, kinds, limit)
    assert len(exc.value.messages) == 1
    return exc.value.messages[0]


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("报告.pdf", PDF, "pdf"),
        ("照片.PNG", PNG, "png"),
        ("照片.jpg", JPEG, "jpeg"),
        ("照片.jpeg", JPEG, "jpeg"),
        ("动图.gif", GIF, "gif"),
        ("图.webp", WEBP, "webp"),
        ("通知.docx", docx_bytes(), "docx"),
        ("台账.xlsx", xlsx_bytes(), "xlsx"),
        ("旧版.doc", OLE, "ole"),
        ("旧版.xls", OLE, "ole"),
        ("说明.txt", "关于推进工作的说明\r\n第一条".encode(), "text"),
        ("说明.txt", "关于推进工作的说明".encode("gb18030"), "text"),
        ("说明.txt", "\ufeff说明".encode("utf-16"), "text"),
        ("材料.zip", zip_bytes({"a.pdf": PDF, "b.txt": b"x"}), "zip"),
    ],
)
def test_each_real_kind_is_recognised(name, data, kind):
    assert check(name, data) == kind


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("伪装.pdf", HTML),
        ("伪装.png", SVG),
        ("伪装.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script>"),
        ("伪装.pdf", b"%PDF-1.4\n<iframe src=x></iframe>"),
        ("伪装.txt", HTML),
        ("伪装.txt", SVG),
        ("伪装.txt", b"click <a href='javascript:alert(1)'>here</a>"),
        ("伪装.doc", OLE[:8] + b"<script>alert(1)</script>"),
    ],
)
def test_html_svg_or_script_is_refused_whatever_the_name(name, data):
    message = refused(name, data)
    assert message in (
        f"附件“{name}”含有网页或脚本内容，不允许上传。",
        f"附件“{name}”的内容与扩展名不符。",
    )


def test_a_page_named_pdf_is_a_mismatch_or_markup_never_accepted():
    assert refused("x.pdf", HTML) == "附件“x.pdf”含有网页或脚本内容，不允许上传。"
    assert refused("x.pdf", b"plain words") == "附件“x.pdf”的内容与扩展名不符。"
    assert refused("x.txt", HTML) == "附件“x.txt”含有网页或脚本内容，不允许上传。"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("工具.pdf", EXE, "附件“工具.pdf”的内容与扩展名不符。"),
        ("工具.txt", EXE, "附件“工具.txt”是可执行文件或脚本，不允许上传。"),
        ("脚本.txt", b"#!/bin/sh\nrm -rf /\n", "附件“脚本.txt”是可执行文件或脚本，不允许上传。"),
        (
            "包.zip",
            zip_bytes({"setup.exe": EXE}),
            "附件“包.zip”是含有可执行文件的压缩包，不允许上传。",
        ),
        (
            "包.zip",
            zip_bytes({"index.html": HTML}),
            "附件“包.zip”是含有可执行文件的压缩包，不允许上传。",
        ),
    ],
)
def test_executables_are_refused(name, data, message):
    assert refused(name, data) == message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("伪装.docx", xlsx_bytes()),  # a workbook named as a document
        ("伪装.xlsx", docx_bytes()),
        ("伪装.docx", zip_bytes({"a.txt": b"x"})),  # a plain zip
        ("伪装.docx", b"PK\x03\x04 broken"),
        ("伪装.zip", docx_bytes()),  # a document named as a zip
        ("伪装.pdf", PNG),
        ("伪装.png", JPEG),
        ("伪装.doc", docx_bytes()),
        ("伪装.txt", PNG),
        ("伪装.txt", b"\x00\x01\x02binary"),
    ],
)
def test_content_must_match_the_extension(name, data):
    assert refused(name, data) == f"附件“{name}”的内容与扩展名不符。"


def test_type_size_and_emptiness():
    assert refused("工具.exe", EXE) == (
        "附件“工具.exe”的类型不允许上传，允许的类型："
        "doc、docx、gif、jpeg、jpg、pdf、png、txt、webp、xls、xlsx、zip。"
    )
    assert refused("无扩展名", PDF, kinds={"pdf"}) == (
        "附件“无扩展名”的类型不允许上传，允许的类型：pdf。"
    )
    # allowed by the caller, but a kind the checker does not know: refused, never trusted
    assert "类型不允许上传" in refused("图.bmp", b"BM" + b"\x00" * 50, kinds={"bmp"})
    assert refused("旧版.doc", OLE, kinds={"docx"}).startswith("附件“旧版.doc”的类型不允许上传")
    assert refused("大.pdf", PDF + b"0" * 2048, limit=1024) == (
        "附件“大.pdf”超过大小限制（1.0\xa0KB）。"
    )
    assert refused("空.pdf", b"") == "附件“空.pdf”是空文件。"


def test_a_zip_bomb_is_refused():
    bomb = zip_bytes({"a.txt": b"0" * (2 * 1024 * 1024)})
    assert len(bomb) < 10_000
    assert refused("包.zip", bomb, limit=10_000) == "附件“包.zip”的内容与扩展名不符。"


def test_the_file_is_left_at_its_start():
    f = upload("报告.pdf", PDF)
    check_upload(f, kinds={"pdf"}, max_bytes=LIMIT, field_label="附件")
    assert f.read() == PDF


def test_display_name_keeps_no_path_nor_control_characters():
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\x\\报告.pdf") == "报告.pdf"
    assert display_name("a\x00b\r\n.pdf") == "ab.pdf"
    assert display_name("") == "file"
    long = "长" * 300 + ".pdf"
    assert len(display_name(long)) == 200
    assert display_name(long).endswith(".pdf")


def test_random_names_are_random_and_keep_only_known_extensions():
    a, b = random_name("报告.pdf"), random_name("报告.pdf")
    assert a != b
    assert a.endswith(".pdf") and "报告" not in a
    assert "." not in random_name("x.php")
    assert "." not in random_name("noext")


def test_store_upload_saves_under_a_random_name_outside_the_web_root(settings, tmp_path):
    from luoshi.ledger.models import LedgerImport

    settings.MEDIA_ROOT = tmp_path
    item = LedgerImport()  # its upload_to keeps the name it is given: store_upload's is random
    shown = store_upload(upload("../一季度 进展.pdf", PDF), field=item.file)
    assert shown == "一季度 进展.pdf"
    assert item.file.name.startswith("ledger/")
    assert "进展" not in item.file.name and ".." not in item.file.name
    assert item.file.name.endswith(".pdf")
    assert (tmp_path / item.file.name).read_bytes() == PDF
    media, static = str(settings.MEDIA_ROOT), str(settings.STATIC_ROOT)
    assert not media.startswith(static) and not static.startswith(media)
