"""表彰与问责 records in the bulletin: the period's 表彰 / 领导表扬 beside the commended tasks,
通报批评 / 约谈 / 问责建议 in a section of their own; in force only, dated within the period,
those the reader may read; in the snapshot, on the page and in the .docx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from luoshi.bulletins.render import bulletin_docx
from luoshi.bulletins.services import bulletin_generate, bulletin_preview
from luoshi.lib import clock
from luoshi.outcomes.models import OutcomeKind
from luoshi.outcomes.services import outcome_record, outcome_revoke
from tests.bulletins.conftest import NOV_1, NOV_30

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, today):
    def rec(kind, unit, on, text, task=None, doc=""):
        return outcome_record(
            actor=world.sup,
            kind=kind,
            unit=unit,
            task=task,
            recorded_on=on,
            text=text,
            doc_number=doc,
        )

    nov = dt.date(2026, 11, 20)
    return {
        "praise": rec(
            OutcomeKind.COMMENDATION,
            world.a,
            nov,
            "项目攻坚成效明显。",
            world.a_early,
            "市府办通〔2026〕9号",
        ),
        "leader": rec(OutcomeKind.LEADER_COMMENDATION, world.a, nov, "领导表扬。", world.a_early),
        "criticism": rec(
            OutcomeKind.PUBLIC_CRITICISM, world.b, nov, "停车平台建设严重滞后。", world.b_overdue
        ),
        "talk": rec(OutcomeKind.TALK, world.c, dt.date(2026, 11, 30), "约谈财政局主要负责同志。"),
        "december": rec(
            OutcomeKind.ACCOUNTABILITY, world.b, dt.date(2026, 12, 2), "十二月的问责建议。"
        ),
        "revoked": rec(OutcomeKind.PUBLIC_CRITICISM, world.c, nov, "已撤销的批评。"),
    }


def test_the_snapshot_holds_the_periods_records_in_force(world, today, records):
    outcome_revoke(actor=world.sup, record=records["revoked"], reason="误记。")
    stats = bulletin_preview(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    assert [r["text"] for r in stats["outcomes_commended"]] == ["项目攻坚成效明显。", "领导表扬。"]
    assert stats["outcomes_commended"][0] == {
        "kind": "commendation",
        "unit": "市发展改革委",
        "code": world.a_early.code,
        "title": "实施重大项目攻坚行动",
        "text": "项目攻坚成效明显。",
        "doc_number": "市府办通〔2026〕9号",
        "recorded_on": "2026-11-20",
    }
    assert [(r["kind"], r["unit"]) for r in stats["outcomes_criticised"]] == [
        ("public_criticism", "市交通局"),
        ("talk", "市财政局"),
    ]


def test_a_scoped_office_sees_the_records_of_its_scope(world, today, records):
    stats = bulletin_preview(actor=world.sup_b, date_from=NOV_1, date_to=NOV_30)
    assert stats["outcomes_commended"] == []
    assert [r["unit"] for r in stats["outcomes_criticised"]] == ["市交通局"]


def test_the_document_lists_them(world, today, records):
    bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    with bulletin.file.open("rb") as f:
        texts = [p.text for p in Document(io.BytesIO(f.read())).paragraphs]
    assert "本期表彰和领导表扬2项：" in texts
    assert (
        f"1. 【表彰】市发展改革委：项目攻坚成效明显（实施重大项目攻坚行动，{world.a_early.code}；"
        "市府办通〔2026〕9号；2026年11月20日）。"
    ) in texts
    assert "六、通报批评与问责" in texts
    assert "本期通报批评、约谈和问责建议3项：" in texts
    assert "3. 【约谈】市财政局：约谈财政局主要负责同志（2026年11月30日）。" in texts
    # the section comes before the closing paragraph
    assert texts.index("六、通报批评与问责") < next(
        i for i, t in enumerate(texts) if t.startswith("请各单位对照本通报")
    )


def test_an_empty_period_says_so(world, today):
    bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    with bulletin.file.open("rb") as f:
        texts = [p.text for p in Document(io.BytesIO(f.read())).paragraphs]
    assert "本期无通报批评、约谈和问责建议事项。" in texts
    assert not any(t.startswith("本期表彰和领导表扬") for t in texts)


def test_an_older_snapshot_without_the_sections_still_renders(world, today):
    stats = bulletin_preview(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    del stats["outcomes_commended"], stats["outcomes_criticised"]
    body = bulletin_docx(
        snapshot=stats,
        title="通报",
        issuer="示范市人民政府督查室",
        number="",
        dated=NOV_30,
        draft=True,
    )
    texts = [p.text for p in Document(io.BytesIO(body)).paragraphs]
    assert "本期无通报批评、约谈和问责建议事项。" in texts


def test_the_bulletin_page_shows_both_sections(world, today, records, login):
    with clock.pinned_today(today):
        bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    html = login(world.sup).get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert "表彰和领导表扬" in html and "项目攻坚成效明显。" in html
    assert "通报批评与问责" in html and "停车平台建设严重滞后。" in html
