"""Search: segmentation, the index kept up to date by the services, what each persona finds
(the same visibility as the pages), bad input, the page and its top-bar box."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.reports.services import report_submit
from luoshi.search.indexing import reindex_all
from luoshi.search.models import SearchEntry
from luoshi.search.query import search, snippet
from luoshi.search.terms import index_terms, query_terms
from luoshi.tasks.models import Task
from luoshi.tasks.services.editing import task_create, task_update
from luoshi.tasks.services.sources import source_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("优化营商环境", "营商环境"),
        ("建设高标准农田12万亩", "高标准农田"),
        ("新建5G基站3000个", "5G基站"),
        ("新建5G基站3000个", "5g"),
        ("2026-ZD-012-03 推进城市更新", "ZD-012"),
        ("推进城市更新", "城"),
        ("开展 AI+政务 试点", "ai 政务"),
    ],
)
def test_segmentation_finds(text, query):
    assert query_terms(query) <= index_terms(text)


def test_segmentation_does_not_find():
    assert not query_terms("营商环境") <= index_terms("优化营商服务环境")
    assert not query_terms("农田") <= index_terms("高标准农业")
    assert query_terms("，。！？") == set()


def test_snippet_marks_and_escapes():
    html = snippet("<b>持续优化营商环境</b>，打造一流营商环境", ["营商环境"])
    assert "<mark>营商环境</mark>" in html and "&lt;b&gt;" in html and "<b>" not in html


@pytest.fixture
def indexed(world, today):
    """The world plus a task and a co-unit's report with words to find, then the index
    rebuilt (the world was built without it)."""
    live = Task.objects.get(pk=world.live.pk)  # not the world's instance: tests share it
    task_update(actor=world.sup, task=live, content="持续优化营商环境，建设高标准农田。")
    reindex_all()
    return world


def kinds(results) -> set[tuple[str, int]]:
    return {(h.entry.kind, h.entry.object_id) for h in results.hits}


def test_what_each_persona_finds(indexed):
    w = indexed
    live = ("task", w.live.pk)
    lead_report = ("report", w.lead_report.pk)
    co_report = ("report", w.co_report.pk)
    assert live in kinds(search(w.sup, "营商环境"))
    assert live in kinds(search(w.co_liaison, "营商环境"))
    assert kinds(search(w.other_liaison, "营商环境")) == set()
    assert kinds(search(w.leader_out, "营商环境")) == set()
    # reports: the lead unit reads every unit's, a co-unit only its own
    assert {lead_report, co_report} <= kinds(search(w.lead_liaison, "单位"))
    co_found = kinds(search(w.co_liaison, "单位"))
    assert co_report in co_found and lead_report not in co_found
    # the draft: the office sees it, no unit
    assert ("task", w.draft.pk) in kinds(search(w.sup, "重大项目攻坚"))
    assert kinds(search(w.lead_liaison, "重大项目攻坚")) == set()
    # sources: the office and leaders browse them, units do not
    assert ("source", w.source.pk) in kinds(search(w.sup, "政府工作报告"))
    assert ("source", w.source.pk) not in kinds(search(w.lead_liaison, "政府工作报告"))
    for admin in (w.sysadmin, w.auditor, w.secadmin):
        assert kinds(search(admin, "营商环境")) == set()


def test_the_index_follows_the_services(world, today):
    source = source_create(actor=world.sup, kind="document", title="关于推进低空经济发展的通知")
    assert ("source", source.pk) in kinds(search(world.sup, "低空经济"))
    task = task_create(actor=world.sup, source=source, title="建设无人机起降场", lead_unit=world.a)
    assert ("task", task.pk) in kinds(search(world.sup, "起降场"))
    task_update(actor=world.sup, task=task, title="建设通用机场")
    assert ("task", task.pk) not in kinds(search(world.sup, "起降场"))
    assert ("task", task.pk) in kinds(search(world.sup, "通用机场"))
    report = report_submit(
        actor=world.lead_liaison, task=world.live, progress_text="完成老旧小区改造", percent=50
    )
    assert ("report", report.pk) in kinds(search(world.sup, "老旧小区"))
    assert SearchEntry.objects.filter(kind="task", object_id=task.pk).count() == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "请输入要搜索的词"),
        ("   ", "请输入要搜索的词"),
        ("长" * 51, "不能超过 50 个字"),
        ("，。！？……", "只有标点符号无法搜索"),
    ],
)
def test_bad_queries(world, today, query, message):
    with pytest.raises(ValidationError, match=message):
        search(world.sup, query)


def test_ranking_and_pages(world, today):
    for i in range(25):
        title = "营商环境专项督查" if i == 7 else f"第{i}项工作（涉及营商环境）"
        task_create(actor=world.sup, source=world.source, title=title, lead_unit=world.a)
    first = search(world.sup, "营商环境")
    assert first.count == 25 and first.pages == 2 and len(first.hits) == 20
    assert first.hits[0].entry.title == "营商环境专项督查"
    second = search(world.sup, "营商环境", page=2)
    assert len(second.hits) == 5
    assert search(world.sup, "营商环境", kind="source").count == 0


def test_the_page(indexed, login):
    w = indexed
    client = login(w.co_liaison)
    page = client.get(reverse("search:search"), {"q": "营商环境"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<mark>营商环境</mark>" in html and w.live.code in html
    assert 'class="topsearch"' in html  # the box in the top bar
    bad = client.get(reverse("search:search"), {"q": "！！"})
    assert bad.status_code == 400 and "只有标点符号无法搜索" in bad.content.decode()
    assert client.get(reverse("search:search")).status_code == 200
    assert client.post(reverse("search:search"), {"q": "甲"}).status_code == 405
    admin = login(w.auditor)
    assert admin.get(reverse("search:search"), {"q": "甲"}).status_code == 403
    assert 'class="topsearch"' not in admin.get(reverse("audit:log")).content.decode()
