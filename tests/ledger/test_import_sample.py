"""Importing the sample ledger (merged two-row headers, chapters, abbreviations) end to end
through the services: preview writes nothing, resolution of 市园林局, confirm writes the
exact tree with units and dates in one go."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from luoshi.audit.models import AuditEvent
from luoshi.ledger.models import ImportStatus, LedgerImport
from luoshi.ledger.services import (
    ledger_import_confirm,
    ledger_import_plan,
    ledger_import_start,
    ledger_import_update,
)
from luoshi.tasks.models import AssignmentRole, EventKind, Source, Task, TaskEvent, TaskState
from tests.ledger.conftest import SAMPLE_XLSX
from tests.ledger.helpers import upload
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db


def _start(city, **kw):
    return ledger_import_start(
        actor=city.sup, upload=upload(SAMPLE_XLSX.read_bytes(), "taizhang.xlsx"), **kw
    )


def test_preview_detects_header_tree_units_and_dates(city):
    imp = _start(city)
    sheet, plan = ledger_import_plan(imp)
    assert sheet.header_rows == (3, 4)
    assert imp.mapping == {
        "0": "seq",
        "1": "title",
        "2": "content",
        "3": "lead_leader",
        "4": "lead_units",
        "5": "co_units",
        "6": "due",
        "7": "progress",
    }
    assert imp.new_source_title == "示范市2026年重点工作任务推进台账"
    assert [r.path for r in plan.rows] == [
        ["一"],
        ["一", "1"],
        ["一", "2"],
        ["二"],
        ["二", "3"],
        ["二", "4"],
    ]
    assert [r.parent for r in plan.rows] == [None, 0, 0, None, 3, 3]
    first = plan.rows[1]
    assert first.lead_unit == city.gxj
    assert first.co_units == [city.fgw, city.kjj, city.czj]  # 、 and a line break
    assert first.lead_leader == city.li  # 李副市长 = 李建国, 副市长
    assert (first.due, first.ongoing, first.due_text) == (
        dt.date(2026, 12, 31),
        False,
        "2026年12月底前",
    )
    second = plan.rows[2]
    assert second.lead_unit == city.zwb and second.co_units == [city.sfj, city.scj]  # ；
    assert second.due == dt.date(2026, 6, 30)
    assert second.lead_leader is None and "王副市长" in second.warnings[0]
    parks = plan.rows[4]
    assert parks.unmatched == ["市园林局"] and parks.co_units == [city.zgj, city.zjj]
    assert parks.due == dt.date(2026, 10, 31)
    jobs = plan.rows[5]
    assert (jobs.lead_unit, jobs.due, jobs.ongoing) == (city.rsj, None, True)
    assert plan.unmatched == ["市园林局"]
    assert any("市园林局" in b for b in plan.blocking)


def test_preview_writes_no_task(city):
    before = count_rows([Task, Source, TaskEvent])
    imp = _start(city)
    ledger_import_plan(imp)
    assert count_rows([Task, Source, TaskEvent]) == before
    assert LedgerImport.objects.get().status == ImportStatus.PREVIEW


def test_unresolved_name_blocks_confirm(city):
    imp = _start(city)
    before = count_rows([Task, Source, TaskEvent])
    with pytest.raises(ValidationError) as exc:
        ledger_import_confirm(actor=city.sup, imp=imp)
    assert "市园林局" in " ".join(exc.value.messages)
    assert count_rows([Task, Source, TaskEvent]) == before


def test_resolve_then_confirm_writes_the_tree(city):
    imp = _start(city)
    ledger_import_update(actor=city.sup, imp=imp, resolutions={"市园林局": city.cgj.pk})
    result = ledger_import_confirm(actor=city.sup, imp=imp)
    assert result == {"created": 6, "changed": 0, "progress": 0, "unchanged": False}
    source = Source.objects.get(title="示范市2026年重点工作任务推进台账")
    tasks = {t.code: t for t in Task.objects.filter(source=source)}
    code = source.code
    assert sorted(tasks) == sorted(
        [code + s for s in ("-001", "-001-01", "-001-02", "-002", "-002-01", "-002-02")]
    )
    chapter = tasks[f"{code}-001"]
    assert chapter.title == "推动高质量发展" and chapter.lead_unit is None
    industry = tasks[f"{code}-001-01"]
    assert industry.parent == chapter and industry.path == f"{chapter.pk}/{industry.pk}/"
    assert industry.depth == 1 and industry.state == TaskState.DRAFT
    assert industry.lead_leader == city.li
    assert industry.content == "新增规模以上工业企业150家以上"
    assert industry.due == dt.date(2026, 12, 31) and industry.due_text == "2026年12月底前"
    assert {(a.unit, a.role) for a in industry.assignments.all()} == {
        (city.gxj, AssignmentRole.LEAD),
        (city.fgw, AssignmentRole.CO),
        (city.kjj, AssignmentRole.CO),
        (city.czj, AssignmentRole.CO),
    }
    parks = tasks[f"{code}-002-01"]
    assert parks.lead_unit == city.cgj  # resolved by hand
    jobs = tasks[f"{code}-002-02"]
    assert jobs.ongoing and jobs.due is None and jobs.due_text == "长期坚持"
    assert TaskEvent.objects.filter(kind=EventKind.CREATED, task__source=source).count() == 6
    assert AuditEvent.objects.filter(action="ledger.import").count() == 1
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE and imp.source == source


def test_dropping_a_name_explicitly(city):
    imp = _start(city)
    ledger_import_update(actor=city.sup, imp=imp, resolutions={"市园林局": 0})
    ledger_import_confirm(actor=city.sup, imp=imp)
    parks = Task.objects.get(title="新建改建城市公园和口袋公园30个")
    assert parks.lead_unit is None
    assert {a.unit for a in parks.assignments.all()} == {city.zgj, city.zjj}


def test_confirm_twice_is_refused(city):
    imp = _start(city)
    ledger_import_update(actor=city.sup, imp=imp, resolutions={"市园林局": 0})
    ledger_import_confirm(actor=city.sup, imp=imp)
    with pytest.raises(ValidationError, match="已导入"):
        ledger_import_confirm(actor=city.sup, imp=imp)


def test_import_into_an_existing_source_continues_its_codes(city):
    from luoshi.tasks.services.editing import task_create
    from luoshi.tasks.services.sources import source_create

    source = source_create(actor=city.sup, kind="work_report", title="报告", code="2026-ZD")
    task_create(actor=city.sup, source=source, title="已有任务")
    imp = _start(city, source=source)
    ledger_import_update(actor=city.sup, imp=imp, resolutions={"市园林局": 0})
    ledger_import_confirm(actor=city.sup, imp=imp)
    codes = sorted(Task.objects.filter(source=source).values_list("code", flat=True))
    assert codes[:3] == ["2026-ZD-001", "2026-ZD-002", "2026-ZD-002-01"]
    assert "2026-ZD-003-02" in codes and len(codes) == 7
