"""Every invalid input gets a clear Chinese message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.campaigns.models import (
    Finding,
    Inspection,
    InspectionPlan,
    InspectionRecord,
    RecordFile,
    Statement,
)
from luoshi.campaigns.services.findings import finding_add, statement_submit
from luoshi.campaigns.services.inspections import inspection_create, inspection_update
from luoshi.campaigns.services.plans import plan_create, plan_issue, plan_item_add
from luoshi.campaigns.services.records import record_add
from luoshi.campaigns.services.rectifications import rectification_create
from luoshi.campaigns.services.results import inspection_outcome_record
from luoshi.lib import clock
from tests.campaigns.world import CREATED, END, START, photo

pytestmark = pytest.mark.django_db


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_reversed_dates_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        world.make(start_date=END, end_date=START)
    assert "结束日期不能早于开始日期" in _messages(exc)
    assert not Inspection.objects.exists()


def test_an_empty_scheme_names_every_missing_part(world):
    with clock.pinned_today(CREATED), pytest.raises(ValidationError) as exc:
        inspection_create(
            actor=world.sup,
            title="  ",
            kind="",
            scope="",
            subject_units=[],
            methods=[],
            team_leader=None,
            start_date=None,
            end_date=None,
        )
    errors = exc.value.message_dict
    assert {"title", "kind", "scope", "subject_units", "methods", "team_leader"} <= set(errors)
    assert {"start_date", "end_date"} <= set(errors)
    assert not Inspection.objects.exists()


def test_a_unit_outside_the_supervisors_scope_is_refused(world):
    with clock.pinned_today(CREATED), pytest.raises(ValidationError) as exc:
        inspection_create(
            actor=world.sup_out,  # scoped to 东城区
            title="专项督查",
            kind="special",
            scope="检查。",
            subject_units=[world.a],
            methods=["report"],
            team_leader=world.sup_out,
            start_date=START,
            end_date=END,
        )
    assert "不在您的管辖范围内" in _messages(exc)


def test_team_members_must_be_office_users_and_days_in_range(world):
    with pytest.raises(ValidationError) as exc:
        world.make(team_members=[world.liaison_c], notice_days_ahead=0, statement_days=99)
    errors = exc.value.message_dict
    assert "不能加入督查组" in " ".join(errors["team_members"])
    assert set(errors) >= {"notice_days_ahead", "statement_days"}


def test_unknown_method_and_a_scheme_change_after_launch(world):
    with pytest.raises(ValidationError) as exc:
        world.make(methods=["teleport"])
    assert "督查方式无效" in _messages(exc)
    inspection = world.make()
    with clock.pinned_today(CREATED), pytest.raises(ValidationError) as exc:
        inspection_update(
            actor=world.sup,
            inspection=inspection,
            title="改名",
            kind="special",
            scope="x",
            subject_units=[world.a],
            methods=["report"],
            team_leader=world.sup,
            start_date=START,
            end_date=END,
            notice_days_ahead=3,
            statement_days=5,
            unannounced=False,
        )
    assert "不能修改督查方案" in _messages(exc)
    inspection.refresh_from_db()
    assert inspection.title == "优化营商环境专项督查"


def test_plan_bad_input(world):
    with clock.pinned_today(CREATED):
        with pytest.raises(ValidationError) as exc:
            plan_create(actor=world.sup, year=1999, title="")
        assert set(exc.value.message_dict) == {"year", "title"}
        plan = plan_create(actor=world.sup, year=2026, title="计划")
        with pytest.raises(ValidationError) as exc:
            plan_item_add(
                actor=world.sup, plan=plan, topic="", kind="x", subject_units=[], planned_month=13
            )
        assert set(exc.value.message_dict) == {"topic", "kind", "subject_units", "planned_month"}
        with pytest.raises(ValidationError) as exc:
            plan_issue(actor=world.sup, plan=plan)
        assert "还没有事项" in _messages(exc)
        with pytest.raises(PermissionDenied):
            plan_create(actor=world.leader, year=2026, title="领导的计划")
    assert InspectionPlan.objects.count() == 1


def test_a_fake_photo_is_refused_and_nothing_is_kept(world):
    inspection = world.make()
    fake = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff<html>not a photo</html>", "image/jpeg")
    renamed = SimpleUploadedFile("现场.png", b"%PDF-1.4 renamed", "image/png")
    with clock.pinned_today(START):
        for bad in (fake, renamed):
            with pytest.raises(ValidationError) as exc:
                record_add(
                    actor=world.sup,
                    inspection=inspection,
                    kind="site",
                    held_on=START,
                    place="现场",
                    persons="张三",
                    text="记录",
                    files=[bad],
                )
            assert "files" in exc.value.message_dict
    assert not InspectionRecord.objects.exists() and not RecordFile.objects.exists()


def test_an_oversized_photo_is_refused(world, settings):
    settings.LUOSHI = {**settings.LUOSHI, "ATTACHMENT_MAX_BYTES": 50}
    inspection = world.make()
    with clock.pinned_today(START), pytest.raises(ValidationError) as exc:
        record_add(
            actor=world.sup,
            inspection=inspection,
            kind="site",
            held_on=START,
            place="现场",
            persons="张三",
            text="记录",
            files=[photo()],
        )
    assert "超过大小限制" in _messages(exc)
    assert not InspectionRecord.objects.exists()


def test_record_dates_units_and_corrections(world):
    inspection = world.make()
    with clock.pinned_today(START):
        with pytest.raises(ValidationError) as exc:
            record_add(
                actor=world.sup,
                inspection=inspection,
                kind="site",
                held_on=START + dt.timedelta(days=1),
                place="",
                persons="",
                text="",
                unit=world.c,
            )
        assert set(exc.value.message_dict) == {"held_on", "place", "persons", "text", "unit"}
        first = record_add(
            actor=world.sup,
            inspection=inspection,
            kind="report",
            held_on=START,
            place="会议室",
            persons="张三",
            text="听取汇报。",
        )
        fixed = record_add(
            actor=world.sup,
            inspection=inspection,
            kind="report",
            held_on=START,
            place="会议室",
            persons="张三、李四",
            text="听取汇报（更正参加人员）。",
            corrects=first,
        )
        with pytest.raises(ValidationError) as exc:
            record_add(
                actor=world.sup,
                inspection=inspection,
                kind="report",
                held_on=START,
                place="会议室",
                persons="张三",
                text="再改",
                corrects=first,
            )
        assert "已被更正过" in _messages(exc)
    first.refresh_from_db()
    assert first.text == "听取汇报。" and fixed.corrects_id == first.pk  # the old one stays


def test_records_only_by_the_office_or_the_team(world):
    inspection = world.make()
    with clock.pinned_today(START):
        for outsider in (world.leader, world.liaison_a):
            with pytest.raises(PermissionDenied):
                record_add(
                    actor=outsider,
                    inspection=inspection,
                    kind="report",
                    held_on=START,
                    place="会议室",
                    persons="张三",
                    text="x",
                )


def test_statement_after_the_deadline_or_by_another_unit(world):
    inspection = world.make()
    finding = world.visited(inspection)
    with clock.pinned_today(dt.date(2026, 10, 20)), pytest.raises(ValidationError) as exc:
        statement_submit(actor=world.liaison_a, finding=finding, text="迟到的申辩")
    assert "期限（2026-10-19）已过" in _messages(exc)
    with clock.pinned_today(dt.date(2026, 10, 13)):
        with pytest.raises(PermissionDenied):
            statement_submit(actor=world.liaison_b, finding=finding, text="别的单位")
        with pytest.raises(ValidationError) as exc:
            statement_submit(actor=world.liaison_a, finding=finding, text="   ")
        assert "请填写陈述申辩的内容" in _messages(exc)
    assert not Statement.objects.exists()


def test_finding_for_a_unit_not_supervised(world):
    inspection = world.make()
    with clock.pinned_today(START), pytest.raises(ValidationError) as exc:
        finding_add(actor=world.sup, inspection=inspection, unit=world.c, title="x", detail="y")
    assert "不是本次督查的对象" in _messages(exc)
    assert not Finding.objects.exists()


def test_rectification_bad_input(world):
    inspection = world.make()
    finding = world.visited(inspection)
    with clock.pinned_today(dt.date(2026, 10, 14)), pytest.raises(ValidationError) as exc:
        rectification_create(
            actor=world.sup,
            finding=finding,
            due=dt.date(2026, 10, 1),
            owner=world.liaison_b,
            required_evidence="",
        )
    assert set(exc.value.message_dict) == {"due", "owner", "required_evidence"}
    inspection.refresh_from_db()
    assert inspection.source_id is None


def test_outcome_before_the_report_or_for_another_unit(world):
    inspection = world.make()
    with clock.pinned_today(START), pytest.raises(ValidationError) as exc:
        inspection_outcome_record(
            actor=world.sup,
            inspection=inspection,
            kind="talk",
            unit=world.a,
            text="约谈",
            recorded_on=START,
        )
    assert "不能记录结果运用" in _messages(exc)
