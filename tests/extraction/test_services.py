"""从文件生成任务 through its services: upload → preview → resolve, leave out → confirm."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from luoshi.audit.models import AuditEvent
from luoshi.extraction import services
from luoshi.extraction.models import Extraction, ExtractionStatus
from luoshi.org.matching import unit_matcher
from luoshi.org.models import Unit
from luoshi.tasks.models import AssignmentRole, Source, SourceKind, Task, TaskState, TaskUnit
from tests.rowcounts import count_rows

from .conftest import DOCS

MODELS = [Extraction, Source, Task, TaskUnit, AuditEvent]


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DOCS / name).read_bytes() if data is None else data)


def start(city, name="fengong-fangan-prose.txt", **kwargs) -> Extraction:
    return services.extraction_start(actor=city.sup, upload=upload(name), name=name, **kwargs)


def unit(name: str) -> Unit:
    found = unit_matcher().match(name)
    assert found is not None, name
    return found


def test_upload_keeps_the_file_and_the_tasks_found(city) -> None:
    ext = start(city)
    assert ext.status == ExtractionStatus.PREVIEW
    assert ext.year == 2026  # from the title
    assert len(ext.found) == 8
    assert ext.found[0]["path"] == ["一", "（一）", "1"]
    assert ext.new_source_title.startswith("示范市人民政府办公室关于印发2026年")
    assert ext.file.read().startswith("示范市".encode())
    assert AuditEvent.objects.filter(action="extraction.upload").count() == 1
    assert Task.objects.count() == 0


def test_preview_matches_units_and_names_those_it_cannot(city) -> None:
    ext = start(city)
    plan = services.extraction_plan(ext)
    assert len(plan.rows) == 8
    first = plan.rows[0]
    assert first.lead_unit == unit("市工业和信息化局")
    assert unit("市财政局") in first.co_units
    assert first.due == dt.date(2026, 12, 31)
    assert plan.unmatched == ["各区政府", "市园林局"]
    assert plan.blocking  # nothing can be written until they are resolved


def test_resolve_leave_out_and_confirm_creates_draft_tasks_in_one_go(city) -> None:
    ext = start(city)
    ext = services.extraction_update(
        actor=city.sup,
        ext=ext,
        resolutions={"各区政府": 0, "市园林局": unit("市住房城乡建设局").pk},
        excluded=[6],  # 7. 新增城镇就业岗位 … left out
        year=2026,
        new_source_title="2026年政府工作报告分工方案",
    )
    plan = services.extraction_plan(ext)
    assert not plan.blocking
    assert len(plan.rows) == 7
    result = services.extraction_confirm(actor=city.sup, ext=ext)
    assert result["created"] == 7
    ext.refresh_from_db()
    assert ext.status == ExtractionStatus.DONE
    source = ext.source
    assert (source.kind, source.title) == (SourceKind.DOCUMENT, "2026年政府工作报告分工方案")
    tasks = list(Task.objects.filter(source=source).order_by("id"))
    assert len(tasks) == 7
    assert {t.state for t in tasks} == {TaskState.DRAFT}
    assert "新增城镇就业岗位" not in " ".join(t.title for t in tasks)
    park = next(t for t in tasks if "口袋公园" in t.title)
    assert park.lead_unit == unit("市住房城乡建设局")
    assert (park.due, park.due_text) == (dt.date(2026, 10, 31), "2026年10月31日前完成")
    fair = next(t for t in tasks if "公平竞争" in t.title)
    assert (fair.due, fair.ongoing, fair.due_text) == (None, True, "长期坚持")
    villages = next(t for t in tasks if "和美乡村" in t.title)
    assert villages.lead_unit == unit("市农业农村局")
    roles = dict(TaskUnit.objects.filter(task=villages).values_list("unit", "role"))
    # the second lead unit becomes a co-unit; 各区政府 was left out
    assert roles == {
        unit("市农业农村局").pk: AssignmentRole.LEAD,
        unit("市住房城乡建设局").pk: AssignmentRole.CO,
    }
    assert AuditEvent.objects.filter(action="extraction.confirm").count() == 1


def test_year_changes_the_dates_of_words_without_a_year(city) -> None:
    ext = start(city)
    ext = services.extraction_update(actor=city.sup, ext=ext, year=2027)
    rows = {tuple(r.path): r for r in services.extraction_plan(ext).rows}
    assert rows[("一", "（二）", "3")].due == dt.date(2027, 6, 30)  # 6月底前完成
    assert rows[("一", "（一）", "1")].due == dt.date(2026, 12, 31)  # 2026年12月底前完成


def test_the_lead_leader_named_in_the_document(city) -> None:
    text = (
        "一、推进数字政府建设。\n牵头领导：李建国　牵头单位：市数据局\n完成时限：年底前\n"
        "二、推进城市更新。（牵头领导：李副市长；牵头单位：市住建局）\n"
        "三、推进乡村振兴。（牵头领导：王五；牵头单位：市农业农村局）\n"
    )
    ext = services.extraction_start(
        actor=city.sup, upload=upload("a.txt", text.encode()), name="a.txt"
    )
    assert [t["lead_leader"] for t in ext.found] == ["李建国", "李副市长", "王五"]
    services.extraction_confirm(actor=city.sup, ext=ext)
    tasks = list(Task.objects.order_by("id"))
    assert [t.lead_leader for t in tasks] == [city.li, city.li, None]


def test_a_day_that_does_not_exist_blocks_until_the_task_is_left_out(city) -> None:
    text = (
        "1.推进甲。（市财政局牵头，2026年2月30日前完成）\n"
        "2.推进乙。（牵头单位：市教育局；完成时限：按上级要求）\n"
    )
    ext = services.extraction_start(
        actor=city.sup, upload=upload("a.txt", text.encode()), name="a.txt"
    )
    assert [(t["due"], t["due_text"]) for t in ext.found] == [
        (None, "2026年2月30日前完成"),
        (None, "按上级要求"),
    ]
    plan = services.extraction_plan(ext)
    assert plan.blocking == [
        "第 1 项：完成时限“2026年2月30日前完成”不是一个存在的日期，请检查年、月、日。"
    ]
    before = count_rows(MODELS)
    with pytest.raises(ValidationError):
        services.extraction_confirm(actor=city.sup, ext=ext)
    assert count_rows(MODELS) == before
    ext = services.extraction_update(actor=city.sup, ext=ext, excluded=[0])
    assert services.extraction_confirm(actor=city.sup, ext=ext)["created"] == 1
    task = Task.objects.get()
    assert (task.due, task.due_text, task.content) == (
        None,
        "",
        "推进乙。（牵头单位：市教育局；完成时限：按上级要求）",
    )


def test_into_an_existing_source(city) -> None:
    from luoshi.tasks.services.sources import source_create

    source = source_create(actor=city.sup, kind=SourceKind.MEETING, title="市政府常务会议")
    ext = start(city, "pishi.txt", source=source)
    services.extraction_update(actor=city.sup, ext=ext, resolutions={"市公安局交通管理局": 0})
    assert services.extraction_confirm(actor=city.sup, ext=ext)["created"] == 4
    assert Task.objects.filter(source=source).count() == 4


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "scan.pdf",
            (DOCS / "bad" / "scanned.pdf").read_bytes(),
            "该PDF没有文字层（可能是扫描件）",
        ),
        ("locked.pdf", (DOCS / "bad" / "encrypted.pdf").read_bytes(), "文件已加密"),
        ("broken.docx", b"PK\x03\x04broken", "文件已损坏"),
        ("empty.txt", b"", "文件是空的"),
        ("ledger.xlsx", b"PK\x03\x04", "不支持的文件类型"),
        ("notes.txt", "会议记录：大家发言踊跃。".encode(), "文件中没有找到任务"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(city, name, data, message) -> None:
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as caught:
        services.extraction_start(actor=city.sup, upload=upload(name, data), name=name)
    assert message in caught.value.messages[0]
    assert count_rows(MODELS) == before


def test_a_file_over_50_mb_is_refused_before_it_is_read(city) -> None:
    big = upload("big.docx", b"x")
    big.size = 50 * 1024 * 1024 + 1
    before = count_rows(MODELS)
    with pytest.raises(ValidationError, match="文件过大"):
        services.extraction_start(actor=city.sup, upload=big, name="big.docx")
    assert count_rows(MODELS) == before


def test_confirm_with_unresolved_names_writes_nothing(city) -> None:
    ext = start(city)
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as caught:
        services.extraction_confirm(actor=city.sup, ext=ext)
    assert "有 2 个单位名称未匹配：各区政府、市园林局" in caught.value.messages[0]
    assert count_rows(MODELS) == before


def test_confirm_twice_is_refused(city) -> None:
    ext = start(city, "pishi.txt")
    services.extraction_update(actor=city.sup, ext=ext, resolutions={"市公安局交通管理局": 0})
    services.extraction_confirm(actor=city.sup, ext=ext)
    before = count_rows(MODELS)
    with pytest.raises(ValidationError, match="不能重复生成"):
        services.extraction_confirm(actor=city.sup, ext=ext)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.extraction_update(actor=city.sup, ext=ext, excluded=[])
    assert count_rows(MODELS) == before


def test_leaving_out_every_task_or_one_that_is_not_there(city) -> None:
    ext = start(city, "pishi.txt")
    with pytest.raises(ValidationError, match="至少保留一项任务"):
        services.extraction_update(actor=city.sup, ext=ext, excluded=[0, 1, 2, 3])
    with pytest.raises(ValidationError, match="要排除的任务不存在"):
        services.extraction_update(actor=city.sup, ext=ext, excluded=[9])
    with pytest.raises(ValidationError):
        services.extraction_update(actor=city.sup, ext=ext, year=1999)
    ext.refresh_from_db()
    assert (ext.excluded, ext.year) == ([], 2026)


def test_only_the_office_and_only_the_uploader(city) -> None:
    with pytest.raises(PermissionDenied, match="只有督查室人员可以从文件生成任务"):
        services.extraction_start(actor=city.li, upload=upload("pishi.txt"), name="pishi.txt")
    ext = start(city, "pishi.txt")
    with pytest.raises(Http404):
        services.extraction_get(city.sup2, ext.pk)
    with pytest.raises(PermissionDenied):
        services.extraction_get(city.gxj_lly, ext.pk)
    with pytest.raises(PermissionDenied):
        services.extraction_confirm(actor=city.sup2, ext=ext)
    assert services.extraction_get(city.sup, ext.pk) == ext
