"""Export → (edit in Excel) → import: rows matched by task code, a diff in the preview, only
what the importer may change applied; unchanged → 无变化 and nothing written."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from luoshi.audit.models import AuditEvent
from luoshi.ledger.export import ledger_workbook
from luoshi.ledger.plan import CHANGE, NEW, SAME
from luoshi.ledger.services import (
    ledger_import_confirm,
    ledger_import_plan,
    ledger_import_start,
)
from luoshi.reports.models import ProgressReport
from luoshi.tasks.models import Task, TaskEvent, TaskUnit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign
from luoshi.tasks.services.sources import source_create
from tests.ledger.helpers import upload
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db
MODELS = [Task, TaskUnit, TaskEvent, ProgressReport, AuditEvent]


@pytest.fixture
def ledger(city):
    source = source_create(actor=city.sup, kind="work_report", title="报告", code="2026-ZD")
    top = task_create(actor=city.sup, source=source, title="推动高质量发展")
    a = task_create(
        actor=city.sup,
        source=source,
        parent=top,
        title="=制造业行动",  # looks like a formula: must come back as text
        content="新增规上企业150家\n第二行",
        lead_unit=city.gxj,
        co_units=[city.fgw, city.czj],
        lead_leader=city.li,
        due=dt.date(2026, 6, 30),
        due_text="6月底前",
    )
    b = task_create(
        actor=city.sup,
        source=source,
        parent=top,
        title="稳定就业",
        lead_unit=city.rsj,
        ongoing=True,
        due_text="长期坚持",
    )
    c = task_create(
        actor=city.sup,
        source=source,
        title="优化营商环境",
        lead_unit=city.zwb,
        due=dt.date(2026, 9, 30),
    )
    return source, top, a, b, c


def _export(user, tasks=None) -> bytes:
    tasks = tasks if tasks is not None else list(Task.objects.all())
    from luoshi.tasks.queries import with_ledger_columns

    tasks = list(with_ledger_columns(Task.objects.filter(pk__in=[t.pk for t in tasks])))
    return ledger_workbook(user=user, tasks=tasks, title="报告")


def _edit(data: bytes, change) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row_of(ws, code):
    for row in ws.iter_rows(min_row=4):
        if row[1].value == code:
            return row
    raise AssertionError(code)


def test_export_layout(city, ledger):
    _source, top, a, b, c = ledger
    ws = openpyxl.load_workbook(io.BytesIO(_export(city.sup))).active
    assert ws["A1"].value == "报告"
    assert [ws.cell(2, i).value for i in (1, 2, 3, 6)] == [
        "序号",
        "任务编号",
        "工作任务",
        "责任单位",
    ]
    assert [ws.cell(3, i).value for i in (6, 7)] == ["牵头单位", "配合单位"]
    assert "F2:G2" in {str(r) for r in ws.merged_cells.ranges}
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == ["一", "（一）", "（二）", "二"]
    assert [r[1] for r in rows] == [top.code, a.code, b.code, c.code]
    row_a = rows[1]
    assert row_a[2] == "=制造业行动"
    assert row_a[5] == "市工信局" and row_a[6] == "市发展改革委、市财政局"
    assert row_a[4] == "李建国" and row_a[7] == "6月底前"
    assert rows[2][7] == "长期坚持" and rows[3][7] == "2026年9月30日"
    cell = _row_of(ws, a.code)[2]
    assert cell.data_type == "s"  # text, not a formula


def test_export_light_fill_colours(city, ledger):
    *_, c = ledger
    Task.objects.filter(pk=c.pk).update(light="red")
    ws = openpyxl.load_workbook(io.BytesIO(_export(city.sup))).active
    light = _row_of(ws, c.code)[9]
    assert light.value == "红灯" and light.fill.fgColor.rgb.endswith("FFC7CE")
    # every body cell wraps at the top and has its thin border (one named style)
    for cell in _row_of(ws, c.code):
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"


def test_export_then_import_unchanged_is_a_no_op(city, ledger):
    data = _export(city.sup)
    imp = ledger_import_start(actor=city.sup, upload=upload(data))
    _sheet, plan = ledger_import_plan(imp)
    assert [r.kind for r in plan.rows] == [SAME] * 4, [(r.title, r.changes) for r in plan.rows]
    assert plan.unchanged and not plan.blocking
    before = count_rows(MODELS)
    result = ledger_import_confirm(actor=city.sup, imp=imp)
    assert result == {"created": 0, "changed": 0, "progress": 0, "unchanged": True}
    assert count_rows(MODELS) == before


def test_changed_fields_and_new_rows_are_a_diff_applied_through_task_update(city, ledger):
    _source, _top, a, _b, c = ledger

    def change(ws):
        row = _row_of(ws, a.code)
        row[2].value = "实施制造业重点产业链行动"
        row[6].value = "市发改委、市科技局"  # 财政局 out, 科技局 in
        row[7].value = "2026年5月31日"
        ws.append(["（一）", None, "新增一项", "内容", None, "市教育局", None, "三季度"])

    data = _edit(_export(city.sup), change)
    imp = ledger_import_start(actor=city.sup, upload=upload(data))
    _sheet, plan = ledger_import_plan(imp)
    kinds = {r.title: r.kind for r in plan.rows}
    assert kinds["实施制造业重点产业链行动"] == CHANGE and kinds["新增一项"] == NEW
    changed = next(r for r in plan.rows if r.kind == CHANGE)
    assert changed.changes["任务名称"] == ("=制造业行动", "实施制造业重点产业链行动")
    assert changed.changes["配合单位"] == ("市发展改革委、市财政局", "市发展改革委、市科技局")
    assert changed.changes["完成时限"] == ("2026-06-30", "2026-05-31")
    new = next(r for r in plan.rows if r.kind == NEW)
    assert plan.rows[new.parent].task == c  # （一） after 二: under 二 by its numbering
    result = ledger_import_confirm(actor=city.sup, imp=imp)
    assert result["created"] == 1 and result["changed"] == 1
    a.refresh_from_db()
    assert a.title == "实施制造业重点产业链行动" and a.due == dt.date(2026, 5, 31)
    co = set(a.assignments.filter(role="co").values_list("unit__short_name", flat=True))
    assert co == {"市发展改革委", "市科技局"}
    history = a.events.filter(kind="updated").last()
    assert history.data["changes"]["title"] == ["=制造业行动", "实施制造业重点产业链行动"]
    created = Task.objects.get(title="新增一项")
    assert created.parent == c and created.code == f"{c.code}-01"
    assert created.due == dt.date(2026, 9, 30)


def test_unknown_code_is_a_problem(city, ledger):
    def change(ws):
        _row_of(ws, ledger[4].code)[1].value = "2026-ZD-999"

    imp = ledger_import_start(actor=city.sup, upload=upload(_edit(_export(city.sup), change)))
    _sheet, plan = ledger_import_plan(imp)
    assert any("2026-ZD-999" in b for b in plan.blocking)


def test_unit_submits_progress_for_its_own_task_only(city, ledger):
    _source, _top, a, _b, _c = ledger
    task_assign(actor=city.sup, task=a)
    assignment_acknowledge(actor=city.gxj_lly, task=a)
    visible = [a]
    data = _export(city.gxj_lly, visible)

    def change(ws):
        row = _row_of(ws, a.code)
        row[12].value = "已新增规上企业37家"
        row[10].value = 40
        row[2].value = "单位改了名称"  # not the unit's to change: ignored with a warning

    imp = ledger_import_start(actor=city.gxj_lly, upload=upload(_edit(data, change)))
    _sheet, plan = ledger_import_plan(imp)
    row = plan.rows[0]
    assert row.kind == SAME and row.submit_progress and "不会保存" in row.warnings[0]
    result = ledger_import_confirm(actor=city.gxj_lly, imp=imp)
    assert result["progress"] == 1 and result["changed"] == 0
    report = ProgressReport.objects.get(task=a)
    assert report.progress_text == "已新增规上企业37家" and report.percent == 40
    assert report.unit == city.gxj
    a.refresh_from_db()
    assert a.title == "=制造业行动"


def test_unit_cannot_create_tasks_by_import(city, ledger):
    _source, _top, a, _b, _c = ledger
    task_assign(actor=city.sup, task=a)
    data = _export(city.gxj_lly, [a])

    def change(ws):
        ws.append(["二", None, "单位新增的任务", None, None, "市工信局"])

    imp = ledger_import_start(actor=city.gxj_lly, upload=upload(_edit(data, change)))
    before = count_rows(MODELS)
    with pytest.raises(ValidationError, match="不能新建任务"):
        ledger_import_confirm(actor=city.gxj_lly, imp=imp)
    assert count_rows(MODELS) == before


def test_unit_progress_before_signing_is_refused(city, ledger):
    _source, _top, a, _b, _c = ledger
    task_assign(actor=city.sup, task=a)
    data = _export(city.gxj_lly, [a])

    def change(ws):
        _row_of(ws, a.code)[12].value = "进展"

    imp = ledger_import_start(actor=city.gxj_lly, upload=upload(_edit(data, change)))
    _sheet, plan = ledger_import_plan(imp)
    assert any("签收" in b for b in plan.blocking)


def test_office_progress_words_are_not_submitted(city, ledger):
    a = ledger[1]

    def change(ws):
        _row_of(ws, a.code)[12].value = "督查室写的进展"

    imp = ledger_import_start(actor=city.sup, upload=upload(_edit(_export(city.sup), change)))
    _sheet, plan = ledger_import_plan(imp)
    row = next(r for r in plan.rows if r.task == a)
    assert not row.submit_progress and "承办单位" in row.warnings[0]
    assert plan.unchanged
