"""Files that cannot be imported: each refused with a clear Chinese message, nothing written."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError

from luoshi.audit.models import AuditEvent
from luoshi.ledger.models import LedgerImport
from luoshi.ledger.plan import plan_commit
from luoshi.ledger.services import (
    ledger_import_confirm,
    ledger_import_plan,
    ledger_import_start,
)
from luoshi.tasks.models import Source, Task, TaskEvent, TaskUnit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import task_assign
from luoshi.tasks.services.sources import source_create
from tests.ledger.helpers import simple_ledger, upload, xlsx
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db
MODELS = [LedgerImport, Task, TaskUnit, TaskEvent, Source, AuditEvent]


def _refused(city, data: bytes, pattern: str, name: str = "台账.xlsx") -> None:
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        ledger_import_start(actor=city.sup, upload=upload(data, name))
    assert re.search(pattern, " ".join(exc.value.messages)), exc.value.messages
    assert count_rows(MODELS) == before


def test_not_a_workbook(city):
    _refused(city, "序号,工作任务\n1,任务".encode(), "不是有效的 Excel")


def test_corrupt_zip(city):
    data = simple_ledger([["1", "任务", "", "市财政局", "", "年底前"]])
    _refused(city, data[: len(data) // 2], "不是有效的 Excel|已损坏")


def test_password_protected_ole_container(city):
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096
    _refused(city, data, "打开密码")


def test_fifty_megabytes_refused_before_parsing(city, monkeypatch):
    import luoshi.ledger.reader as reader

    def never(*a, **k):
        raise AssertionError("parsed a file that is too big")

    monkeypatch.setattr(reader, "read_sheet", never)
    data = b"PK" + b"\0" * (50 * 1024 * 1024)
    _refused(city, data, "文件过大.*20 MB")


def test_limit_is_a_setting(city, settings):
    settings.LUOSHI = {"IMPORT_MAX_BYTES": 1024}
    data = simple_ledger([["1", "任务", "", "市财政局", "", "年底前"]])
    _refused(city, data, "不能超过")


def test_no_recognisable_header(city):
    data = xlsx([["标题"], ["甲", "乙", "丙"], ["1", "2", "3"]])
    _refused(city, data, "未找到表头.*工作任务")


def test_formula_without_cached_value_is_refused(city):
    data = xlsx(
        [["序号", "工作任务", "完成时限"], [1, "任务", None]],
        formulas={"C2": '=CONCAT("6月","底前")'},
    )
    _refused(city, data, "C2.*公式")


def _with_cached_value(data: bytes, ref: str, value: str) -> bytes:
    """Add Excel's cached result to a formula cell, as Excel does when it saves."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                text = re.sub(
                    rf'(<c r="{ref}"[^>]*?)(?: t="\w+")?>(<f>.*?</f>)<v\s*/?>(?:</v>)?',
                    rf'\1 t="str">\2<v>{value}</v>',
                    text,
                )
                text = re.sub(
                    rf'(<c r="{ref}"[^>]*?)>(<f>.*?</f>)</c>',
                    rf'\1 t="str">\2<v>{value}</v></c>',
                    text,
                )
                body = text.encode()
            dst.writestr(item, body)
    return out.getvalue()


def test_formula_with_cached_value_gives_the_value_never_evaluated(city):
    data = xlsx(
        [["序号", "工作任务", "牵头单位", "完成时限"], [1, "任务", "市财政局", None]],
        formulas={"D2": '=CONCAT("6月","底前")'},
    )
    imp = ledger_import_start(
        actor=city.sup, upload=upload(_with_cached_value(data, "D2", "三季度"))
    )
    _sheet, plan = ledger_import_plan(imp)
    assert plan.rows[0].due_text == "三季度"  # the cached value, not the formula's result


def test_macro_enabled_workbook_values_read_macro_never_run(city):
    data = simple_ledger([["1", "任务", "", "市财政局", "", "年底前"]])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"\nSub AutoOpen()')
    imp = ledger_import_start(actor=city.sup, upload=upload(out.getvalue(), "台账.xlsm"))
    _sheet, plan = ledger_import_plan(imp)
    assert [r.title for r in plan.rows] == ["任务"]


@pytest.mark.parametrize(
    ("words", "pattern"),
    [
        ("2026年13月底前", "不是一个存在的日期"),
        ("2月30日", "不是一个存在的日期"),
        ("尽快", "无法识别"),
    ],
)
def test_impossible_dates_block_the_import(city, words, pattern):
    data = simple_ledger(
        [["1", "任务甲", "", "市财政局", "", "年底前"], ["2", "任务乙", "", "市财政局", "", words]]
    )
    imp = ledger_import_start(actor=city.sup, upload=upload(data))
    _sheet, plan = ledger_import_plan(imp)
    assert any(re.search(pattern, b) and "第 4 行" in b for b in plan.blocking), plan.blocking
    before = count_rows(MODELS)
    with pytest.raises(ValidationError):
        ledger_import_confirm(actor=city.sup, imp=imp)
    assert count_rows(MODELS) == before


def test_missing_title_blocks(city):
    data = simple_ledger([["1", "", "有内容没有名称", "市财政局", "", "年底前"]])
    imp = ledger_import_start(actor=city.sup, upload=upload(data))
    _sheet, plan = ledger_import_plan(imp)
    assert any("缺少任务名称" in b for b in plan.blocking)


def test_failure_on_the_last_row_leaves_nothing(city):
    """New tasks are written first; the last row's change is refused by task_update (the
    task was already assigned, its lead unit cannot change): the new tasks are gone too."""
    source = source_create(actor=city.sup, kind="work_report", title="报告", code="2026-ZD")
    done = task_create(
        actor=city.sup, source=source, title="已交办", lead_unit=city.czj, ongoing=True
    )
    task_assign(actor=city.sup, task=done)
    rows = [
        {"title": f"新任务{i}", "lead_units": "市财政局", "path": [str(i)]} for i in range(1, 4)
    ]
    rows.append({"title": "已交办", "lead_units": "市审计局", "code": done.code, "path": ["9"]})
    from luoshi.ledger.plan import plan_from_rows

    plan = plan_from_rows(rows, actor=city.sup, year=2026)
    assert not plan.blocking and plan.rows[-1].kind == "change"
    before = count_rows([*MODELS])
    with pytest.raises(ValidationError, match="不能更换牵头单位"):
        plan_commit(actor=city.sup, plan=plan, source=source)
    assert count_rows([*MODELS]) == before
    assert not Task.objects.filter(title__startswith="新任务").exists()


def test_zip_bomb_refused_before_unpacking(city, settings):
    settings.LUOSHI = {"IMPORT_MAX_BYTES": 1024 * 1024}
    data = simple_ledger([["1", "任务", "", "市财政局", "", "年底前"]])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/padding.bin", b"\0" * (12 * 1024 * 1024))  # 12 MB of zeros
    assert len(out.getvalue()) < 1024 * 1024
    _refused(city, out.getvalue(), "解压后过大")
