"""领导批示/点评: a leader comments on a task or a report; the units read it on the task page
and get a message; refusals by role and scope; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.cockpit.models import LeaderComment
from luoshi.cockpit.services import leader_comment_add
from luoshi.notifications.models import Notification
from luoshi.reports.services import report_submit
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db
MODELS = (LeaderComment, Notification, AuditEvent)


def _inbox(user) -> list[str]:
    notes = Notification.objects.filter(recipient=user, title__contains="批示")
    return list(notes.values_list("title", flat=True))


def test_comment_on_a_task_reaches_the_lead_unit(world, today):
    comment = leader_comment_add(
        actor=world.leader, task=world.late, text="  请倒排工期，月底前见效。 "
    )
    assert comment.text == "请倒排工期，月底前见效。" and comment.report is None
    assert comment.author == world.leader
    title = f"leader作出批示：{world.late.code} 优化营商环境专项行动"
    assert _inbox(world.liaison_a) == [title] and _inbox(world.head_a) == [title]
    # a co-unit's people hear of a comment on their own report only
    assert _inbox(world.liaison_b) == []
    assert AuditEvent.objects.filter(action="task.comment").count() == 1


def test_comment_on_a_co_units_report_reaches_that_unit_too(world, today):
    leader_comment_add(
        actor=world.leader, task=world.late, text="配合要主动。", report=world.co_report
    )
    assert len(_inbox(world.liaison_b)) == 1 and len(_inbox(world.liaison_a)) == 1
    assert "对进展反馈作出批示" in _inbox(world.liaison_b)[0]


def test_units_read_task_comments_and_those_on_their_own_reports(world, today, client):
    lead_report = report_submit(
        actor=world.liaison_a, task=world.late, progress_text="牵头单位：正在推进。", percent=60
    )
    leader_comment_add(actor=world.leader, task=world.late, text="整体要提速。")
    leader_comment_add(
        actor=world.leader, task=world.late, text="牵头单位要拿出方案。", report=lead_report
    )
    leader_comment_add(
        actor=world.leader, task=world.late, text="配合单位做得好。", report=world.co_report
    )
    url = reverse("tasks:detail", args=[world.late.pk])
    client.force_login(world.liaison_a)
    lead_page = client.get(url).content.decode()
    assert all(t in lead_page for t in ("整体要提速。", "牵头单位要拿出方案。", "配合单位做得好。"))
    assert "提交批示" not in lead_page
    client.force_login(world.liaison_b)
    co_page = client.get(url).content.decode()
    assert "整体要提速。" in co_page and "配合单位做得好。" in co_page
    assert "牵头单位要拿出方案。" not in co_page
    client.force_login(world.leader)
    assert "提交批示" in client.get(url).content.decode()


def test_comment_through_the_page(world, today, client):
    client.force_login(world.leader)
    url = reverse("cockpit:comment", args=[world.late.pk])
    response = client.post(url, {"text": "抓紧办理。", "report": world.co_report.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[world.late.pk])
    comment = LeaderComment.objects.get()
    assert comment.report == world.co_report and comment.text == "抓紧办理。"


@pytest.mark.parametrize(
    ("who", "task", "status"),
    [
        ("sup", "late", 403),  # the office records 批示件; comments are the leaders'
        ("liaison_a", "late", 403),
        ("leader_d", "late", 404),  # outside the district leader's scope
        ("liaison_d", "late", 404),
        ("leader", "ontime", 302),  # 点评 on finished work is allowed
    ],
)
def test_who_may_comment(world, today, client, who, task, status):
    client.force_login(getattr(world, who))
    before = count_rows(MODELS)
    response = client.post(
        reverse("cockpit:comment", args=[getattr(world, task).pk]), {"text": "批示。"}
    )
    assert response.status_code == status
    if status != 302:
        assert count_rows(MODELS) == before
    if status == 403:
        assert "只有管辖范围内的领导可以作出批示或点评。" in response.content.decode()


def test_wrong_method(world, today, client):
    client.force_login(world.leader)
    before = count_rows(MODELS)
    assert client.get(reverse("cockpit:comment", args=[world.late.pk])).status_code == 405
    assert count_rows(MODELS) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "请填写批示内容。"),
        ({"text": "字" * 2001}, "2000"),
    ],
)
def test_bad_input_changes_nothing(world, today, client, data, message):
    client.force_login(world.leader)
    before = count_rows(MODELS)
    response = client.post(reverse("cockpit:comment", args=[world.late.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert count_rows(MODELS) == before


def test_a_report_of_another_task_is_refused(world, today):
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as info:
        leader_comment_add(
            actor=world.leader, task=world.late, text="好。", report=world.green_report
        )
    assert info.value.message_dict == {"report": ["所选进展反馈不属于该任务。"]}
    assert count_rows(MODELS) == before


def test_report_id_not_readable_is_404_over_http(world, today, client):
    client.force_login(world.leader)
    before = count_rows(MODELS)
    response = client.post(
        reverse("cockpit:comment", args=[world.late.pk]),
        {"text": "好。", "report": world.green_report.pk},
    )
    assert response.status_code == 404
    assert count_rows(MODELS) == before


def test_service_refuses_the_office(world, today):
    with pytest.raises(PermissionDenied):
        leader_comment_add(actor=world.sup, task=world.late, text="好。")
