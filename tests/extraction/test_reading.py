"""Reading documents: .docx paragraphs and tables in order, text encodings, PDFs, bad files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from luoshi.extraction import reading
from luoshi.extraction.reading import ExtractionError, read_document, read_path

DOCS = Path(__file__).resolve().parents[1] / "data" / "documents"


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("标题")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "序号"
    table.cell(0, 1).text = "工作任务"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "任务一"
    document.add_paragraph("表后一段")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_tables_in_document_order() -> None:
    blocks = read_document(_docx_bytes(), "方案.DOCX")
    assert [(b.text, b.rows) for b in blocks] == [
        ("标题", []),
        ("", [["序号", "工作任务"], ["1", "任务一"]]),
        ("表后一段", []),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_in_each_encoding(encoding: str) -> None:
    blocks = read_document("一、总体要求\n1.推进工作。\n".encode(encoding), "a.txt")
    assert [b.text for b in blocks] == ["一、总体要求", "1.推进工作。"]


def test_pdf_text_and_tables() -> None:
    blocks = read_path(DOCS / "fengong-table.pdf")
    tables = [b for b in blocks if b.is_table]
    assert len(tables) == 1
    assert tables[0].rows[0][:2] == ["序号", "重点任务"]
    assert blocks[0].text == "示范市2026年深入实施“十大工程”重点任务分工表"
    assert not any(b.text.startswith("—") for b in blocks)  # page numbers left out


def _refused(data: bytes, name: str) -> str:
    with pytest.raises(ExtractionError) as caught:
        read_document(data, name)
    return caught.value.messages[0]


def test_a_scanned_pdf_says_it_has_no_text_layer() -> None:
    message = _refused((DOCS / "bad" / "scanned.pdf").read_bytes(), "scan.pdf")
    assert message.startswith("该PDF没有文字层（可能是扫描件）")


def test_an_encrypted_pdf() -> None:
    message = _refused((DOCS / "bad" / "encrypted.pdf").read_bytes(), "locked.pdf")
    assert message == "无法打开该 PDF 文件：文件已加密（设置了密码）。请取消密码后重试。"


def test_a_corrupt_pdf() -> None:
    assert _refused(b"%PDF-1.4 garbage", "x.pdf").startswith("无法")


def test_a_corrupt_docx() -> None:
    assert _refused(b"PK\x03\x04 not really a zip", "x.docx") == (
        "无法打开该 Word 文件：文件已损坏或不是 .docx 格式。"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "no document here")
    assert (
        _refused(out.getvalue(), "x.docx") == "无法打开该 Word 文件：文件已损坏或不是 .docx 格式。"
    )


def test_a_docx_that_unpacks_too_large(monkeypatch) -> None:
    monkeypatch.setattr(reading, "MAX_UNPACKED", 1000)
    assert _refused(_docx_bytes(), "x.docx").startswith("该 Word 文件解压后过大")


def test_an_encrypted_docx_or_old_doc() -> None:
    message = _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.docx")
    assert message.startswith("无法打开该 Word 文件：文件已加密（设置了密码）或是旧版 .doc 格式。")


def test_an_empty_file() -> None:
    assert _refused(b"", "x.txt") == "文件是空的：没有可读取的内容。"
    assert _refused(b"\n \n", "x.txt") == "文件是空的：没有可读取的内容。"


def test_an_unsupported_type() -> None:
    assert _refused(b"abc", "x.xls") == (
        "不支持的文件类型“.xls”：请上传 .docx、.txt 或带文字层的 .pdf 文件。"
    )


def test_a_file_over_50_mb(monkeypatch, tmp_path) -> None:
    assert _refused(b"x" * (reading.MAX_BYTES + 1), "big.txt").startswith("文件过大（50.0 MB）")
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:  # sparse: the size is refused before the file is read
        f.truncate(reading.MAX_BYTES + 1)
    with pytest.raises(ExtractionError, match="文件过大"):
        read_path(big)


def test_a_missing_file(tmp_path) -> None:
    with pytest.raises(ExtractionError, match="找不到文件"):
        read_path(tmp_path / "none.docx")


def test_word_automatic_numbering_is_written_before_the_text() -> None:
    blocks = read_path(DOCS / "zidong-bianhao.docx")
    assert [b.text for b in blocks[1:4]] == [
        "一、提升政务服务数字化水平",
        "（一）推进政务服务“一网通办”",
        "1.政务服务事项网上可办率达到99%。（市数据局牵头，市政务服务管理局配合，年底前完成）",
    ]
    assert blocks[5].text == "（二）加强政务数据共享"
    assert blocks[7].text == "二、夯实数字基础设施"
    assert blocks[8].text == "（一）加快5G网络建设"  # a deeper level starts again


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (20, "japaneseCounting", "二十"),
        (105, "chineseCounting", "一百零五"),
        (3, "decimalEnclosedCircleChinese", "③"),
        (3, "decimal", "3"),
        (3, "bullet", ""),
    ],
)
def test_word_number_formats(n: int, fmt: str, text: str) -> None:
    assert reading.format_number(n, fmt) == text


def test_numbering_that_comes_from_the_paragraph_style() -> None:
    document = docx.Document()
    document.add_paragraph("推进甲。（市发展改革委牵头）", style="List Number")
    document.add_paragraph("推进乙。（市财政局牵头）", style="List Number")
    document.add_paragraph("不编号的一段。")
    out = io.BytesIO()
    document.save(out)
    assert [b.text for b in read_document(out.getvalue(), "a.docx")] == [
        "1.推进甲。（市发展改革委牵头）",
        "2.推进乙。（市财政局牵头）",
        "不编号的一段。",
    ]
