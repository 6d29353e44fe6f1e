"""hypothesis on the extraction engine (luoshi/extraction): random text as .txt (UTF-8 and
GB18030), .docx files made with python-docx from random paragraphs and tables, and mutated
bytes of the sample .docx and .pdf documents (tests/data/documents). Property: blocks and
found tasks, or the reader's Chinese refusal (ExtractionError, a ValidationError) — never
another exception."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from luoshi.extraction.engine import extract_tasks
from luoshi.extraction.reading import read_document
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.mutate import mutated

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "documents"
PHRASES = [
    "一、",
    "（一）",
    "1.",
    "（1）",
    "①",
    "第一条",
    "牵头单位：",
    "责任单位：",
    "配合单位：",
    "市发改委",
    "市交通局、市财政局",
    "（市发改委牵头，市财政局配合）",
    "6月底前完成",
    "年底前",
    "长期坚持",
    "0000年底前",
    "2026年2月30日前",
    "三季度末前",
    "完成时限：",
    "市领导：",
    "2026年政府工作报告",
    "。",
    "；",
    "\n",
    "\t",
    "　",
]
words = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(PHRASES), max_size=10).map("".join),
)
_ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}


def _xml_safe(text: str) -> str:
    return "".join(c for c in text if c not in _ILLEGAL and not 0xD800 <= ord(c) <= 0xDFFF)


def _extract(data: bytes, name: str) -> None:
    try:
        blocks = read_document(data, name)
    except ValidationError as exc:
        assert exc.messages and all(m.strip() for m in exc.messages)
        return
    assert blocks
    for task in extract_tasks(blocks):
        assert task.title is not None


@st.composite
def documents(draw) -> bytes:
    document = docx.Document()
    for _ in range(draw(st.integers(min_value=0, max_value=10))):
        document.add_paragraph(_xml_safe(draw(words)))
    if draw(st.booleans()):
        rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
        table = document.add_table(rows=rows, cols=cols)
        for r in range(rows):
            for c in range(cols):
                table.cell(r, c).text = _xml_safe(draw(words))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@given(
    text=st.lists(words, max_size=20).map("\n".join),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
)
@fuzz_settings(default=60)
def test_text_files(text, encoding):
    _extract(text.encode(encoding, errors="replace"), "文件.txt")


@given(data=st.binary(max_size=512), name=st.sampled_from(["a.txt", "a.docx", "a.pdf", "a.doc"]))
@fuzz_settings(default=40)
def test_random_bytes(data, name):
    _extract(data, name)


@given(data=documents())
@fuzz_settings(default=30)
def test_generated_docx(data):
    _extract(data, "分工方案.docx")


@given(data=st.sampled_from(sorted(SAMPLES.glob("*.docx"))).map(Path.read_bytes).flatmap(mutated))
@fuzz_settings(default=30)
def test_mutated_docx(data):
    _extract(data, "分工方案.docx")


@given(data=st.sampled_from(sorted(SAMPLES.glob("*.pdf"))).map(Path.read_bytes).flatmap(mutated))
@fuzz_settings(default=30)
def test_mutated_pdf(data):
    _extract(data, "分工方案.pdf")
