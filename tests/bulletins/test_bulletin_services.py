"""生成通报 and 印发 through the services: a draft keeps its figures when the tasks change,
issuing numbers it per year and makes it final, the ladder's listings are marked used, and
bad input is refused in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.audit.models import AuditEvent
from luoshi.bulletins.models import Bulletin, BulletinSequence, BulletinState
from luoshi.bulletins.services import (
    Preset,
    bulletin_generate,
    bulletin_issue,
    bulletin_preview,
    preset_period,
)
from luoshi.lib import clock
from luoshi.supervision.models import BulletinListing
from luoshi.tasks.services.lifecycle import closure_request, closure_verify
from tests.bulletins.conftest import NOV_1, NOV_30, TODAY
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db
MODELS = (Bulletin, BulletinSequence, AuditEvent, BulletinListing)


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(root.rglob("*.docx")) if root.exists() else []


def test_generate_makes_a_draft_with_its_figures_and_document(world, today):
    bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    assert bulletin.state == BulletinState.DRAFT
    assert bulletin.number == "" and bulletin.seq is None
    assert bulletin.title == "关于2026年11月重点工作任务落实情况的通报"
    assert bulletin.issuer == "示范市人民政府督查室"
    assert bulletin.generated_by == world.sup
    assert bulletin.statistics["total"] == 9
    assert bulletin.original_name == "督查通报（草稿）2026-11-01至2026-11-30.docx"
    assert bulletin.file.size == bulletin.size > 0
    assert len(_files()) == 1
    event = AuditEvent.objects.get(action="bulletin.generate")
    assert event.data["tasks"] == 9 and event.data["overdue"] == 2


def test_a_generated_bulletin_does_not_change_with_the_data(world, today):
    bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    before = (dict(bulletin.statistics), bulletin.sha256)
    with clock.pinned_today(TODAY):
        closure_request(actor=world.liaison_b, task=world.b_overdue, summary="已完成。")
        closure_verify(actor=world.sup, task=world.b_overdue)
    bulletin.refresh_from_db()
    assert (bulletin.statistics, bulletin.sha256) == before
    # a new one sees the change
    again = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    assert {r["code"]: r["count"] for r in again.statistics["by_state"]}["closed"] == 6


def test_issue_numbers_per_year_and_makes_it_final(world, today):
    first = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30, title="十一月通报")
    second = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    draft_sha = first.sha256
    bulletin_issue(actor=world.sup, bulletin=second)
    bulletin_issue(actor=world.sup, bulletin=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.number, first.number) == ("督查通报〔2026〕1号", "督查通报〔2026〕2号")
    assert first.state == BulletinState.ISSUED and first.issued_by == world.sup
    assert first.issued_on == TODAY
    assert first.sha256 != draft_sha  # the document now has its number and date
    assert first.original_name == "督查通报〔2026〕2号 十一月通报.docx"
    with pytest.raises(ValidationError) as exc:
        bulletin_issue(actor=world.sup, bulletin=first)
    assert exc.value.messages == ["督查通报 督查通报〔2026〕2号 已印发，不能再修改或重复印发。"]
    first.refresh_from_db()
    assert first.seq == 2
    # a new year starts again at 1
    with clock.pinned_today(dt.date(2027, 1, 4)):
        third = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
        third = bulletin_issue(actor=world.sup, bulletin=third)
    assert third.number == "督查通报〔2027〕1号"


def test_issue_marks_the_ladder_listings_used(world, today):
    listing = BulletinListing.objects.get(task=world.b_overdue)
    assert listing.bulletin_on is None
    october = bulletin_generate(
        actor=world.sup, date_from=dt.date(2026, 10, 1), date_to=dt.date(2026, 10, 31)
    )
    bulletin_issue(actor=world.sup, bulletin=october)
    listing.refresh_from_db()
    assert listing.bulletin_on is None  # not in October's
    november = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    bulletin_issue(actor=world.sup, bulletin=november)
    listing.refresh_from_db()
    assert listing.bulletin_on == TODAY
    assert AuditEvent.objects.get(action="bulletin.issue", data__listings=1)


def test_an_empty_period_is_a_bulletin_that_says_so(world, today):
    bulletin = bulletin_generate(
        actor=world.sup, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 1, 31)
    )
    assert bulletin.statistics["total"] == 0
    assert bulletin.title == "关于2026年1月重点工作任务落实情况的通报"


def test_only_the_office_generates_and_issues(world, today):
    before = count_rows(MODELS)
    for user in (world.leader, world.liaison_a, world.sysadmin):
        with pytest.raises(PermissionDenied):
            bulletin_generate(actor=user, date_from=NOV_1, date_to=NOV_30)
    draft = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    with pytest.raises(PermissionDenied, match="只有督查室人员可以生成和印发督查通报。"):
        bulletin_issue(actor=world.leader, bulletin=draft)
    draft.refresh_from_db()
    assert draft.state == BulletinState.DRAFT
    # leaders may preview (read)
    assert bulletin_preview(actor=world.leader, date_from=NOV_1, date_to=NOV_30)["total"] == 9
    with pytest.raises(PermissionDenied):
        bulletin_preview(actor=world.liaison_a, date_from=NOV_1, date_to=NOV_30)
    assert count_rows(MODELS)["Bulletin"] == before["Bulletin"] + 1


@pytest.mark.parametrize(
    ("date_from", "date_to", "title", "field", "message"),
    [
        (None, NOV_30, None, "date_from", "请填写通报期间的开始日期。"),
        (NOV_1, None, None, "date_to", "请填写通报期间的结束日期。"),
        (NOV_30, NOV_1, None, "date_from", "开始日期不能晚于结束日期。"),
        (
            NOV_1,
            dt.date(2026, 12, 11),
            None,
            "date_to",
            "通报期间不能晚于今天（2026-12-10）：未来的情况还无法统计。",
        ),
        (dt.date(2027, 1, 1), dt.date(2027, 1, 31), None, "date_to",
         "通报期间不能晚于今天（2026-12-10）：未来的情况还无法统计。"),
        (dt.date(2025, 11, 30), NOV_30, None, "date_from", "通报期间不能超过一年。"),
        (NOV_1, NOV_30, "标" * 101, "title", "标题不能超过 100 个字。"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_written(
    world, today, date_from, date_to, title, field, message
):
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        bulletin_generate(actor=world.sup, date_from=date_from, date_to=date_to, title=title)
    assert exc.value.message_dict[field] == [message]
    assert count_rows(MODELS) == before
    assert _files() == []


def test_a_whole_year_is_allowed(world, today):
    bulletin = bulletin_generate(actor=world.sup, date_from=dt.date(2025, 12, 11), date_to=TODAY)
    assert bulletin.title == "关于2025年12月11日至2026年12月10日重点工作任务落实情况的通报"


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        (Preset.LAST_MONTH, (dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
        (Preset.THIS_QUARTER, (dt.date(2026, 10, 1), TODAY)),
        (Preset.THIS_YEAR, (dt.date(2026, 1, 1), TODAY)),
        (Preset.CUSTOM, None),
    ],
)
def test_presets(preset, expected):
    assert preset_period(preset, TODAY) == expected
    # January: 上月 is last December
    assert preset_period(Preset.LAST_MONTH, dt.date(2027, 1, 15)) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )


@pytest.mark.parametrize(
    ("date_from", "date_to", "title"),
    [
        ((2026, 10, 1), (2026, 12, 31), "关于2026年第四季度重点工作任务落实情况的通报"),
        ((2026, 1, 1), (2026, 12, 31), "关于2026年重点工作任务落实情况的通报"),
        ((2026, 10, 1), (2026, 11, 30), "关于2026年10月1日至11月30日重点工作任务落实情况的通报"),
        ((2026, 11, 3), (2026, 11, 3), "关于2026年11月3日至11月3日重点工作任务落实情况的通报"),
    ],
)
def test_default_titles(date_from, date_to, title):
    from luoshi.bulletins.texts import default_title

    assert default_title(dt.date(*date_from), dt.date(*date_to)) == title
