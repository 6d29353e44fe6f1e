"""plan_from_rows on rows in the shape document extraction hands over (lists of unit names,
ISO dates, ongoing, numbering paths): the same preview and commit as a ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.plan import NEW, plan_commit, plan_from_rows
from luoshi.tasks.models import Task
from luoshi.tasks.services.sources import source_create

pytestmark = pytest.mark.django_db

ROWS = [
    {"title": "推动高质量发展", "path": ["一"]},
    {"title": "扩大有效投资", "path": ["一", "（一）"]},
    {
        "title": "实施制造业行动",
        "content": "新增规上企业150家",
        "lead_units": ["市工业和信息化局"],
        "co_units": ["市发展改革委", "市科技局", "市财政局"],
        "due": "2026-12-31",
        "due_text": "2026年12月底前完成",
        "ongoing": False,
        "path": ["一", "（一）", "1"],
    },
    {
        "title": "优化营商环境",
        "lead_units": ["市市场监管局"],
        "co_units": ["市发展改革委", "各区政府"],
        "due": None,
        "due_text": "长期坚持",
        "ongoing": True,
        "path": ["一", "（一）", "2"],
    },
    {
        "title": "建设公园",
        "lead_units": ["市农业农村局", "市住房城乡建设局"],
        "co_units": [],
        "due_text": "三季度末前完成",
        "path": ["一", "（二）", "3"],
    },
]


def test_extraction_rows_preview(city):
    plan = plan_from_rows(ROWS, actor=city.sup, year=2026)
    assert [r.parent for r in plan.rows] == [None, 0, 1, 1, 0]  # （二） missing: under 一
    industry = plan.rows[2]
    assert (industry.lead_unit, industry.co_units) == (city.gxj, [city.fgw, city.kjj, city.czj])
    assert (industry.due, industry.due_text) == (dt.date(2026, 12, 31), "2026年12月底前完成")
    business = plan.rows[3]
    assert business.ongoing and business.due is None
    assert business.unmatched == ["各区政府"] and plan.unmatched == ["各区政府"]
    park = plan.rows[4]
    assert park.lead_unit == city.nyj and park.co_units == [city.zjj]
    assert "多个牵头单位" in park.warnings[0]
    assert park.due == dt.date(2026, 9, 30)


def test_extraction_rows_commit_after_dropping_a_name(city):
    plan = plan_from_rows(ROWS, actor=city.sup, year=2026, resolutions={"各区政府": 0})
    assert not plan.blocking and all(r.kind == NEW for r in plan.rows)
    source = source_create(actor=city.sup, kind="document", title="分工方案", code="2026-WJ")
    assert plan_commit(actor=city.sup, plan=plan, source=source)["created"] == 5
    codes = dict(Task.objects.values_list("title", "code"))
    assert codes["扩大有效投资"] == "2026-WJ-001-01"
    assert codes["优化营商环境"] == "2026-WJ-001-01-02"
    assert codes["建设公园"] == "2026-WJ-001-02"
    t = Task.objects.get(title="优化营商环境")
    assert t.depth == 2 and t.path.count("/") == 3 and t.ongoing


def test_ids_drawn_for_an_import_do_not_collide_with_later_tasks(city):
    from luoshi.tasks.services.editing import task_create

    source = source_create(actor=city.sup, kind="document", title="分工方案", code="2026-WJ")
    before = task_create(actor=city.sup, source=source, title="导入前")
    plan = plan_from_rows(ROWS, actor=city.sup, year=2026, resolutions={"各区政府": 0})
    plan_commit(actor=city.sup, plan=plan, source=source)
    after = task_create(actor=city.sup, source=source, title="导入后")
    ids = sorted(Task.objects.values_list("id", flat=True))
    assert ids[0] == before.pk and ids[-1] == after.pk and len(set(ids)) == 7
    for t in Task.objects.exclude(pk__in=[before.pk, after.pk]):
        assert t.path.endswith(f"{t.pk}/")
        assert t.path == (t.parent.path if t.parent else "") + f"{t.pk}/"


def test_imported_tasks_are_found_by_search_at_once(city):
    """Tasks written in bulk skip task_event_record; the import indexes them itself."""
    from luoshi.search.query import search

    plan = plan_from_rows(ROWS, actor=city.sup, year=2026, resolutions={"各区政府": 0})
    source = source_create(actor=city.sup, kind="document", title="分工方案", code="2026-WJ")
    plan_commit(actor=city.sup, plan=plan, source=source)
    found = search(city.sup, "营商环境")
    assert [hit.entry.title for hit in found.hits] == ["优化营商环境"]
