"""`luoshi extract FILE [--json] [--year]` and `--evaluate DIR`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DOCS = Path(__file__).resolve().parents[1] / "data" / "documents"
SAMPLE = DOCS / "fengong-fangan-prose.txt"


def run(*args: str) -> str:
    out = StringIO()
    call_command("extract", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_fields_of_the_issue() -> None:
    found = json.loads(run(str(SAMPLE), "--json"))
    expected = json.loads((DOCS / "fengong-fangan-prose.expected.json").read_text("utf-8"))
    assert len(found) == 8
    for task in found:
        assert set(task) >= {"title", "content", "lead_units", "co_units", "due", "due_text"}
        assert set(task) >= {"ongoing", "path"}
    assert [{k: t[k] for k in expected[0]} for t in found] == expected
    assert '"市工业和信息化局"' in run(str(SAMPLE), "--json")  # ensure_ascii=False


def test_year_option_dates_words_without_a_year() -> None:
    found = json.loads(run(str(SAMPLE), "--json", "--year", "2030"))
    by_path = {"/".join(t["path"]): t for t in found}
    assert by_path["一/（二）/3"]["due"] == "2030-06-30"  # 6月底前完成
    assert by_path["一/（一）/1"]["due"] == "2026-12-31"  # 2026年12月底前完成 keeps its year


def test_table_by_default() -> None:
    out = run(str(DOCS / "fengong-table.docx"))
    assert "市住房城乡建设局" in out
    assert "2026-09-30（三季度）" in out
    assert out.strip().endswith("共找到 7 项任务（年份按 2026 年）。")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad/scanned.pdf", "该PDF没有文字层（可能是扫描件）"),
        ("bad/encrypted.pdf", "文件已加密"),
        ("make_pdfs.py", "不支持的文件类型“.py”"),
        ("none.docx", "找不到文件"),
    ],
)
def test_bad_input(name: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(str(DOCS / name))


def test_no_file_named() -> None:
    with pytest.raises(CommandError, match="请指定要读取的文件"):
        run()


def test_evaluate(settings) -> None:
    out = run("--evaluate", str(DOCS))
    assert "fengong-fangan-prose.txt" in out
    assert out.splitlines()[-2].startswith("TOTAL")


def test_the_real_command_exits_non_zero_with_the_message_on_stderr(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "luoshi.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "luoshi.cli", "extract", str(empty)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode != 0
    assert "文件是空的：没有可读取的内容。" in done.stderr
    assert done.stdout == ""
