"""`luoshi import-ledger` and `luoshi export-ledger`: the same reader, plan and services as
the pages; preview unless --commit; round trip through files."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.tasks.models import Source, Task
from tests.ledger.conftest import SAMPLE_XLSX
from tests.ledger.helpers import simple_ledger, xlsx
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_preview_only_without_commit(city):
    with pytest.raises(CommandError, match="台账有问题"):
        _run("import-ledger", str(SAMPLE_XLSX))
    out = _run("import-ledger", str(SAMPLE_XLSX), "--resolve", "市园林局=市城管局")
    assert "表头在第 3–4 行" in out and "责任单位›牵头单位 → 牵头单位" in out
    assert "新建 6 项" in out and "未写入" in out
    assert not Task.objects.exists()


def test_commit_with_resolution_and_new_source(city):
    out = _run(
        "import-ledger",
        str(SAMPLE_XLSX),
        "--resolve",
        "市园林局=",
        "--new-source",
        "台账导入测试",
        "--commit",
        "--user",
        "sup",
    )
    assert "新建 6 项任务" in out
    source = Source.objects.get(title="台账导入测试")
    assert Task.objects.filter(source=source).count() == 6


def test_map_by_hand(city, tmp_path):
    path = tmp_path / "t.xlsx"
    # 主责处室 is not a known header: map it by its letter; and 备注 → 具体内容 by its name
    path.write_bytes(
        xlsx([["序号", "工作任务", "主责处室", "备注"], ["1", "任务甲", "市财政局", "说明"]])
    )
    out = _run(
        "import-ledger",
        str(path),
        "--map",
        "C=lead_units",
        "--map",
        "备注=具体内容",
        "--new-source",
        "x",
        "--commit",
    )
    assert "新建 1 项任务" in out
    task = Task.objects.get()
    assert (task.title, task.lead_unit, task.content) == ("任务甲", city.czj, "说明")
    with pytest.raises(CommandError, match="未知的字段"):
        _run("import-ledger", str(path), "--map", "C=火星")
    with pytest.raises(CommandError, match="工作任务"):
        _run("import-ledger", str(path), "--map", "B=")


def test_bad_file_and_unknown_user(city, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 64)
    with pytest.raises(CommandError, match="打开密码"):
        _run("import-ledger", str(path))
    with pytest.raises(CommandError, match="不存在"):
        _run("import-ledger", str(tmp_path / "none.xlsx"))
    with pytest.raises(CommandError, match="nobody"):
        _run("import-ledger", str(SAMPLE_XLSX), "--user", "nobody")
    with pytest.raises(CommandError, match="只有督查室人员和承办单位"):
        _run("import-ledger", str(SAMPLE_XLSX), "--user", "li")


def test_export_then_import_is_unchanged(city, tmp_path):
    path = tmp_path / "in.xlsx"
    path.write_bytes(simple_ledger([["1", "任务", "内容", "市财政局", "市审计局", "年底前"]]))
    _run("import-ledger", str(path), "--new-source", "来源", "--commit")
    out_path = tmp_path / "out.xlsx"
    out = _run("export-ledger", "-o", str(out_path), "--source", Source.objects.get().code)
    assert "已导出 1 项任务" in out
    before = count_rows([Task, Source])
    out = _run("import-ledger", str(out_path), "--commit")
    assert "无变化" in out
    assert count_rows([Task, Source]) == before


def test_export_filters_and_errors(city, tmp_path):
    with pytest.raises(CommandError, match="找不到单位"):
        _run("export-ledger", "-o", str(tmp_path / "x.xlsx"), "--unit", "火星局")
    with pytest.raises(CommandError, match="台账导出只对"):
        _run("export-ledger", "-o", str(tmp_path / "x.xlsx"), "--user", "sysadmin")
