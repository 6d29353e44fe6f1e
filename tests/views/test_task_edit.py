"""登记来源, 新建任务 and 编辑: every field of the services, units picked by name or from a
grouped list, errors in Chinese on the form and nothing written."""

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.tasks.models import AssignmentRole, EventKind, Source, Task, TaskState

pytestmark = pytest.mark.django_db


def task_data(world, **extra):
    data = {
        "title": "推进数字政府建设",
        "content": "建成一网通办平台。",
        "category": "改革",
        "priority": "high",
        "lead_leader": str(world.leader.pk),
        "lead_unit": "市发改委",  # an alias
        "co_units": [str(world.b.pk), str(world.c.pk)],
        "owner": str(world.owner_a.pk),
        "start_date": "2026-03-01",
        "due": "2026-11-30",
        "due_text": "11月底前",
        "report_cycle": "monthly_day",
        "report_day": "5",
        "ms-TOTAL_FORMS": "3",
        "ms-INITIAL_FORMS": "0",
        "ind-TOTAL_FORMS": "3",
        "ind-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


# --- 登记任务来源 -------------------------------------------------------------------------------


def test_source_create(world, today, login):
    client = login(world.sup)
    assert client.get(reverse("tasks:source_create")).status_code == 200
    response = client.post(
        reverse("tasks:source_create"),
        {
            "kind": "meeting",
            "title": "市政府第5次常务会议",
            "doc_number": "",
            "issued_on": "2026-03-09",
            "issuer": "市政府办公室",
            "content": "议定事项十项。",
        },
    )
    source = Source.objects.get(title="市政府第5次常务会议")
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:task_create", args=[source.pk])
    assert source.code == "2026-HY" and source.created_by == world.sup
    assert AuditEvent.objects.filter(action="source.create", object_id=str(source.pk)).exists()


def test_source_create_errors(world, today, login, counts):
    client = login(world.sup)
    before = counts(), Source.objects.count()
    response = client.post(
        reverse("tasks:source_create"),
        {"kind": "meeting", "title": "", "issued_on": "3月9日"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写来源标题。" in page and "日期格式不正确" in page
    response = client.post(
        reverse("tasks:source_create"), {"kind": "meeting", "title": "重复", "code": "2026-ZD"}
    )
    assert response.status_code == 200 and "来源编号" in response.content.decode()
    assert (counts(), Source.objects.count()) == before


def test_source_create_access(world, today, login):
    assert login(world.leader).get(reverse("tasks:source_create")).status_code == 403
    assert login(world.liaison_a).post(reverse("tasks:source_create"), {}).status_code == 403
    assert login(world.sup).put(reverse("tasks:source_create")).status_code == 405


# --- 新建任务 ---------------------------------------------------------------------------------


def test_task_create_with_every_field(world, today, login):
    client = login(world.sup)
    url = reverse("tasks:task_create", args=[world.source.pk])
    page = client.get(url).content.decode()
    assert '<datalist id="unit-names">' in page and "<optgroup" in page
    data = task_data(
        world,
        **{
            "ms-0-title": "完成平台建设",
            "ms-0-due": "2026-06-30",
            "ms-0-target": "上线运行",
            "ind-0-name": "一网通办事项",
            "ind-0-measure_unit": "项",
            "ind-0-baseline": "100",
            "ind-0-target": "500",
        },
    )
    response = client.post(url, data)
    task = Task.objects.get(title="推进数字政府建设")
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[task.pk])
    assert task.state == TaskState.DRAFT and task.source == world.source
    assert (task.lead_unit, task.owner, task.lead_leader) == (world.a, world.owner_a, world.leader)
    assert (task.due, task.start_date, task.due_text) == (
        dt.date(2026, 11, 30),
        dt.date(2026, 3, 1),
        "11月底前",
    )
    assert (task.report_cycle, task.report_day, task.priority) == ("monthly_day", 5, "high")
    co = task.assignments.filter(role=AssignmentRole.CO).values_list("unit", flat=True)
    assert set(co) == {world.b.pk, world.c.pk}
    assert list(task.milestones.values_list("title", "target")) == [("完成平台建设", "上线运行")]
    indicator = task.indicators.get()
    assert (indicator.name, indicator.baseline, indicator.target) == ("一网通办事项", 100, 500)


def test_task_create_without_a_source_picks_one(world, today, login):
    client = login(world.sup)
    page = client.get(reverse("tasks:create")).content.decode()
    assert "任务来源" in page and world.source.title in page
    response = client.post(
        reverse("tasks:create"), task_data(world, source=str(world.source.pk), co_units=[])
    )
    assert response.status_code == 302
    assert Task.objects.get(title="推进数字政府建设").source == world.source
    response = client.post(reverse("tasks:create"), task_data(world, title="无来源"))
    assert "请选择任务来源。" in response.content.decode()


def test_child_task_create_under_a_parent(world, today, login):
    client = login(world.sup)
    url = reverse("tasks:create") + f"?parent={world.draft.pk}"
    response = client.post(url, task_data(world, co_units=[]))
    assert response.status_code == 302
    child = Task.objects.get(title="推进数字政府建设")
    assert child.parent == world.draft and child.code == f"{world.draft.code}-01"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"co_units": ["99999"]}, "所选单位不存在或已停用（编号 99999）。"),
        ({"lead_unit": "市不存在局"}, "牵头单位“市不存在局”不存在"),
        ({"due": "2026-02-01"}, "完成时限不能早于开始日期。"),
        ({"title": ""}, "请填写任务名称。"),
        ({"co_units": [], "owner": "999999"}, "责任人必须是牵头单位的人员。"),
        ({"report_day": "31"}, "每月报送日须为 1 到 28 之间的整数。"),
        ({"ongoing": "on"}, "长期坚持的任务不设完成时限。"),
        (
            {"co_units": ["<lead>"], "lead_unit": "示范市发展和改革委员会"},
            "牵头单位不能同时是配合单位。",
        ),
        ({"ms-0-title": "无日期的节点"}, "请填写节点时限。"),
        ({"ms-0-title": "节点", "ms-0-due": "2027-01-31"}, "第 1 个时间节点晚于完成时限。"),
        ({"ind-0-name": "指标", "ind-0-target": "很多"}, "请填写数字。"),
    ],
    ids=[
        "unknown-co-unit",
        "unknown-lead-unit",
        "due-before-start",
        "no-title",
        "owner-elsewhere",
        "report-day",
        "ongoing-with-due",
        "lead-is-co",
        "milestone-no-date",
        "milestone-late",
        "indicator-nan",
    ],
)
def test_task_create_errors_are_named_and_nothing_written(
    world, today, login, counts, extra, message
):
    if extra.get("co_units") == ["<lead>"]:
        extra = {**extra, "co_units": [str(world.a.pk)]}
    client = login(world.sup)
    before = counts()
    response = client.post(
        reverse("tasks:task_create", args=[world.source.pk]), task_data(world, **extra)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_more_rows_redraws_without_saving_or_complaining(world, today, login, counts):
    client = login(world.sup)
    before = counts()
    response = client.post(
        reverse("tasks:task_create", args=[world.source.pk]),
        task_data(world, title="", more="milestones"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="ms-TOTAL_FORMS" value="6"' in page
    assert "请填写任务名称。" not in page
    assert counts() == before


def test_task_create_access(world, today, login, counts):
    url = reverse("tasks:task_create", args=[world.source.pk])
    before = counts()
    assert login(world.leader).get(url).status_code == 403
    assert login(world.liaison_a).post(url, task_data(world)).status_code == 403
    assert login(world.sup).get(reverse("tasks:task_create", args=[99999])).status_code == 404
    assert login(world.sup).get(reverse("tasks:create") + "?parent=abc").status_code == 404
    assert counts() == before


def test_owner_options_follow_the_lead_unit(world, today, login):
    client = login(world.sup)
    page = client.get(reverse("tasks:owner_options"), {"lead_unit": "市发改委"}).content.decode()
    assert "甲责任人" in page and "乙联络员" not in page
    page = client.get(reverse("tasks:owner_options"), {"lead_unit": "没有"}).content.decode()
    assert "请先选择牵头单位" in page
    assert login(world.liaison_a).get(reverse("tasks:owner_options")).status_code == 403


# --- 编辑 -------------------------------------------------------------------------------------


def test_edit_a_draft(world, today, login):
    client = login(world.sup)
    url = reverse("tasks:task_edit", args=[world.draft.pk])
    page = client.get(url).content.decode()
    assert "实施重大项目攻坚行动" in page and 'value="示范市发展和改革委员会"' in page
    data = task_data(world, title="实施重大项目攻坚行动（修订）", co_units=[str(world.c.pk)])
    response = client.post(url, data)
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.title == "实施重大项目攻坚行动（修订）"
    co = world.draft.assignments.filter(role=AssignmentRole.CO).values_list("unit", flat=True)
    assert list(co) == [world.c.pk]
    event = world.draft.events.filter(kind=EventKind.UPDATED).last()
    assert event.data["changes"]["title"][0] == "实施重大项目攻坚行动"


def test_edit_an_assigned_task_keeps_its_lead_unit(world, today, login, counts):
    client = login(world.sup)
    url = reverse("tasks:task_edit", args=[world.live.pk])
    page = client.get(url).content.decode()
    assert "任务已交办，不能更换牵头单位" in page
    data = task_data(world, lead_unit="市交通局", co_units=[str(world.b.pk)], owner="")
    assert client.post(url, data).status_code == 302
    world.live.refresh_from_db()
    assert world.live.lead_unit == world.a  # the disabled field is ignored
    before = counts()
    response = client.post(url, task_data(world, co_units=[str(world.c.pk)]))
    assert "任务已交办，只能增加配合单位，不能移除。" in response.content.decode()
    assert counts() == before


def test_edit_access(world, today, login, counts):
    url = reverse("tasks:task_edit", args=[world.live.pk])
    before = counts()
    assert login(world.liaison_d).get(url).status_code == 404
    assert login(world.liaison_a).post(url, task_data(world)).status_code == 403
    assert login(world.leader).get(url).status_code == 403
    assert (
        login(world.sup).get(reverse("tasks:task_edit", args=[world.closed.pk])).status_code == 403
    )
    assert counts() == before
