"""The bulletin's sections from the other systems: 政策兑现情况 (a policy's deliverables among
the counted tasks: delivered by the period's end, on time, overdue at its end) and 考核得分与
排名 (the latest published evaluation period that ended within the bulletin's period, only the
scores the reader may read); in the snapshot, on the preview page and in the .docx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from luoshi.bulletins.services import bulletin_generate, bulletin_preview
from luoshi.bulletins.texts import labelled
from luoshi.evaluation import services as evaluation
from luoshi.evaluation.models import EvaluationScheme
from luoshi.lib import clock
from luoshi.policies.services import deliverable_link, policy_create
from luoshi.tasks.models import Source, SourceKind
from tests.bulletins.conftest import NOV_1, NOV_30

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(world, today):
    # the policy is registered on the world's source (a policy's source is a 文件)
    Source.objects.filter(pk=world.source.pk).update(kind=SourceKind.DOCUMENT)
    world.source.refresh_from_db()
    p = policy_create(
        actor=world.sup,
        title="关于促进交通基础设施建设的若干措施",
        doc_number="示政发〔2026〕3号",
        issued_on=dt.date(2026, 8, 1),
        source=world.source,
    )
    for task in (world.a_on_time, world.a_late, world.b_overdue, world.c_after, world.a_cancelled):
        deliverable_link(actor=world.sup, policy=p, task=task)
    return p


def _november(world, *, freeze: bool):
    with clock.pinned_today(dt.date(2026, 12, 5)):
        period = evaluation.period_create(
            actor=world.sup,
            scheme=EvaluationScheme.objects.get(name="默认考核方案"),
            kind="month",
            start=NOV_1,
        )
        evaluation.period_score(actor=world.sup, period=period)
        if freeze:
            evaluation.period_freeze(actor=world.sup, period=period)
    return period


def test_policy_delivery_counts_the_deliverables_at_the_periods_end(world, today, policy):
    p = bulletin_preview(actor=world.sup, date_from=NOV_1, date_to=NOV_30)["policies"]
    # a_on_time and a_late closed in November (a_late late); b_overdue open past its due;
    # c_after closed on 12-03, after the period: overdue at its end; a_cancelled not counted
    assert p["policies"] == 1
    assert (p["total"], p["delivered"], p["on_time"], p["overdue"]) == (4, 2, 1, 2)
    assert p["rate"] == 50.0
    (row,) = p["rows"]
    assert row["title"] == policy.title and row["doc_number"] == "示政发〔2026〕3号"


def test_policy_rows_follow_the_readers_tasks(world, today, policy):
    p = bulletin_preview(actor=world.sup_b, date_from=NOV_1, date_to=NOV_30)["policies"]
    assert (p["total"], p["delivered"], p["overdue"]) == (1, 0, 1)  # only B's b_overdue


def test_no_policy_gives_an_empty_section(world, today):
    p = bulletin_preview(actor=world.sup, date_from=NOV_1, date_to=NOV_30)["policies"]
    assert p["total"] == 0 and p["rows"] == [] and p["rate"] is None


def test_only_a_published_period_is_ranked(world, today):
    period = _november(world, freeze=False)
    assert bulletin_preview(actor=world.sup, date_from=NOV_1, date_to=NOV_30)["ranking"] is None
    with clock.pinned_today(dt.date(2026, 12, 5)):
        evaluation.period_freeze(actor=world.sup, period=period)
    ranking = bulletin_preview(actor=world.sup, date_from=NOV_1, date_to=NOV_30)["ranking"]
    assert ranking["period"] == period.name
    units = [r["unit"] for g in ranking["groups"] for r in g["top"] + g["bottom"]]
    assert {"示范市发展和改革委员会", "示范市交通运输局", "示范市财政局"} <= set(units)
    ranks = [r["rank"] for g in ranking["groups"] for r in g["top"]]
    assert ranks == sorted(ranks)
    # a period that ended before the bulletin's does not count
    october = bulletin_preview(
        actor=world.sup, date_from=dt.date(2026, 10, 1), date_to=dt.date(2026, 10, 31)
    )
    assert october["ranking"] is None


def test_a_scoped_reader_ranks_only_the_units_in_scope(world, today):
    _november(world, freeze=True)
    ranking = bulletin_preview(actor=world.sup_b, date_from=NOV_1, date_to=NOV_30)["ranking"]
    units = [r["unit"] for g in ranking["groups"] for r in g["top"] + g["bottom"]]
    assert units == ["示范市交通运输局"]


def test_a_big_group_lists_its_first_and_last(world, today, settings):
    _november(world, freeze=True)
    settings.LUOSHI = {**settings.LUOSHI, "BULLETIN_RANKING_ROWS": 1}
    ranking = bulletin_preview(actor=world.sup, date_from=NOV_1, date_to=NOV_30)["ranking"]
    group = next(g for g in ranking["groups"] if g["count"] >= 3)
    assert len(group["top"]) == 1 and len(group["bottom"]) == 1
    assert group["top"][0]["rank"] <= group["bottom"][0]["rank"]


def test_the_document_and_the_page_show_both_sections(world, today, policy, login):
    _november(world, freeze=True)
    bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    text = "\n".join(p.text for p in Document(io.BytesIO(bulletin.file.read())).paragraphs)
    assert "七、政策兑现情况" in text and "八、考核得分与排名" in text
    assert "兑现事项4项，其中已兑现2项（按期兑现1项），期末逾期未兑现2项，兑现率50.0%" in text
    assert "第1名" in text and "已发布" in text
    page = login(world.sup).get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert "政策兑现情况" in page and policy.title in page and "考核得分与排名" in page


def test_an_older_snapshot_without_the_sections_still_renders(world, today):
    bulletin = bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    old = {k: v for k, v in bulletin.statistics.items() if k not in ("policies", "ranking")}
    data = labelled(old)
    assert "policies" not in data and data["ranking"] is None
