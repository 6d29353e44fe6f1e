"""The task page: facts, units with their signature, milestones, indicators, sub-tasks,
progress reports, closure requests and history; only what the user may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page(client, user, task):
    client.force_login(user)
    response = client.get(reverse("tasks:detail", args=[task.pk]))
    assert response.status_code == 200
    return response


def test_header_facts_and_light_reasons(client, world, today):
    html = _page(client, world.sup, world.late).content.decode()
    assert world.late.code in html and world.late.title in html
    assert 'class="state state-in_progress"' in html
    assert 'class="light light-red"' in html
    assert "已逾期 3 个工作日" in html  # 03-05 → 03-10: Fri, Mon, Tue
    assert "上一反馈周期未填报" in html
    assert "2026年政府工作报告" in html and "每月" in html


def test_units_with_signature_and_own_progress(client, world, today):
    response = _page(client, world.sup, world.big)
    parts = {p.unit_id: p for p in response.context["parts"]}
    assert parts[world.a.pk].progress == 40 and parts[world.b.pk].progress == 30
    html = response.content.decode()
    assert "2026-02-03 签收" in html and "牵头单位" in html and "配合单位" in html
    assert [p.role for p in response.context["parts"]] == ["lead", "co"]
    html = _page(client, world.sup, world.co_wait).content.decode()
    assert "待签收" in html  # A has not signed its part


def test_milestones_indicators_and_people(client, world, today):
    html = _page(client, world.sup, world.big).content.decode()
    assert "一季度开工" in html and "2026-03-31" in html
    assert "重大项目完成投资" in html and "亿元" in html
    assert 'class="bar-fill pw-15"' in html  # 120 of 800 (no style="": CSP)
    assert "李副市长" in html and "甲责任人" in html
    assert "稳增长" in html and "重要" in html


def test_reports_timeline_newest_first_with_indicator_values(client, world, today):
    response = _page(client, world.sup, world.big)
    reports = response.context["reports"]
    assert {r.unit_id for r in reports} == {world.a.pk, world.b.pk}
    assert reports[0].submitted_at >= reports[-1].submitted_at
    html = response.content.decode()
    assert "已开工项目23个" in html and "部分项目用地指标紧张" in html
    assert "加快办理用地手续" in html and "配合完成交通配套方案" in html
    assert "重大项目完成投资：120亿元" in html


def test_subtask_tree_limited_to_what_the_user_sees(client, world, today):
    sup_tree = _page(client, world.sup, world.big).context["subtree"]
    assert [t.pk for t in sup_tree] == [world.big_1.pk, world.big_2.pk]
    liaison_tree = _page(client, world.liaison_a, world.big).context["subtree"]
    assert [t.pk for t in liaison_tree] == [world.big_1.pk]  # C's sub-task is not A's


def test_ancestors_in_breadcrumb_only_when_visible(client, world, today):
    assert _page(client, world.liaison_a, world.big_1).context["ancestors"] == [world.big]
    assert _page(client, world.liaison_c, world.big_2).context["ancestors"] == []


def test_closure_history_and_returned_mark(client, world, today):
    html = _page(client, world.liaison_a, world.returned).content.decode()
    assert "任务已完成，申请办结。" in html
    assert "佐证材料不足，请补充。" in html
    assert "被退回" in html
    html = _page(client, world.sup, world.done).content.decode()
    assert "同意办结。" in html and "审核通过" in html


def test_history_in_words(client, world, today):
    response = _page(client, world.sup, world.big)
    kinds = [e.kind for e in response.context["events"]]
    for kind in ("created", "assigned", "acknowledged", "reported"):
        assert kind in kinds
    html = response.content.decode()
    assert "交办给：" in html and "完成进度 40%" in html and "以牵头单位身份签收" in html
    assert "周督查" in html


def test_actions_follow_policy(client, world, today):
    assert "task.acknowledge" in _page(client, world.liaison_a, world.unsigned).context["actions"]
    assert "task.verify" in _page(client, world.sup, world.pending).context["actions"]
    # a leader oversees: none of the office's or the units' steps, only 批示 (docs/COCKPIT.md)
    assert _page(client, world.leader, world.pending).context["actions"] == {"task.comment"}


def test_task_page_queries_bounded(client, world, today):
    client.force_login(world.sup)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("tasks:detail", args=[world.big.pk]))
    assert len(queries) <= 31  # 31: the 领导批示 card reads the task's comments


def test_report_attachments_link_to_the_guarded_download(client, world, today, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.reports.services import report_submit

    settings.MEDIA_ROOT = tmp_path
    evidence = SimpleUploadedFile("现场照片说明.pdf", b"%PDF-1.4 evidence", "application/pdf")
    report = report_submit(
        actor=world.liaison_a,
        task=world.late,
        progress_text="已完成改造方案。",
        percent=50,
        files=[evidence],
    )
    attachment = report.attachments.get()
    html = _page(client, world.liaison_a, world.late).content.decode()
    assert reverse("reports:attachment", args=[attachment.pk]) in html
    assert "现场照片说明.pdf" in html


def test_reasons_coloured_by_the_light_they_raise(client, world, today):
    html = _page(client, world.sup, world.late).content.decode()
    assert '<li class="tag tag-red">已逾期 3 个工作日</li>' in html
    assert '<li class="tag tag-yellow">上一反馈周期未填报</li>' in html
