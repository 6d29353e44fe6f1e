"""The loop on the task page: 交办, 签收, 申请办结, 审核通过 / 退回, 暂缓 / 恢复 / 撤销, 节点完成.
Each: the allowed user succeeds and the change is in the database; an outsider gets 404; a
user who sees the task but may not act gets 403; a GET on a POST-only URL gets 405; a
refused action says why in Chinese and writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.tasks.models import ClosureDecision, EventKind, TaskState, TaskUnit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% evidence\n"


def url(name, task):
    return reverse(f"tasks:{name}", args=[task.pk])


def detail(task):
    return reverse("tasks:detail", args=[task.pk])


# --- 交办 ------------------------------------------------------------------------------------


def test_assign_confirm_then_assign(world, today, login):
    client = login(world.sup)
    page = client.get(url("assign", world.draft))
    assert page.status_code == 200
    assert "确认交办" in page.content.decode() and world.draft.code in page.content.decode()
    response = client.post(url("assign", world.draft))
    assert response.status_code == 302 and response["Location"] == detail(world.draft)
    world.draft.refresh_from_db()
    assert world.draft.state == TaskState.ASSIGNED
    assert world.draft.events.filter(kind=EventKind.ASSIGNED).exists()


def test_assign_names_what_is_missing_and_writes_nothing(world, today, login, counts):
    world.draft.lead_unit = None
    world.draft.save(update_fields=["lead_unit"])
    client = login(world.sup)
    before = counts()
    response = client.post(url("assign", world.draft))
    assert response.status_code == 200
    assert "未指定牵头单位" in response.content.decode()
    assert counts() == before


def test_assign_access(world, today, login, counts):
    before = counts()
    assert login(world.liaison_d).post(url("assign", world.live)).status_code == 404
    assert login(world.leader).get(url("assign", world.draft)).status_code == 403
    assert login(world.leader).post(url("assign", world.draft)).status_code == 403
    assert login(world.liaison_a).get(url("assign", world.draft)).status_code == 404  # a draft
    assert counts() == before


# --- 签收 ------------------------------------------------------------------------------------


def test_acknowledge(world, today, login):
    response = login(world.liaison_a).post(url("acknowledge", world.fresh))
    assert response.status_code == 302 and response["Location"] == detail(world.fresh)
    part = TaskUnit.objects.get(task=world.fresh, unit=world.a)
    assert part.acknowledged_by == world.liaison_a
    world.fresh.refresh_from_db()
    assert world.fresh.state == TaskState.IN_PROGRESS


def test_acknowledge_by_htmx_redirects_the_page(world, today, login):
    response = login(world.liaison_b).post(url("acknowledge", world.fresh), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == detail(world.fresh)
    assert TaskUnit.objects.get(task=world.fresh, unit=world.b).acknowledged_at is not None


def test_second_acknowledge_is_refused_with_a_message(world, today, login, counts):
    client = login(world.liaison_a)
    client.post(url("acknowledge", world.fresh))
    before = counts()
    response = client.post(url("acknowledge", world.fresh), follow=True)
    assert "本单位已于" in response.content.decode()
    assert "无需重复签收" in response.content.decode()
    assert counts() == before


def test_acknowledge_access(world, today, login, counts):
    before = counts()
    assert login(world.liaison_d).post(url("acknowledge", world.fresh)).status_code == 404
    assert login(world.leader).post(url("acknowledge", world.fresh)).status_code == 403
    assert login(world.sup).post(url("acknowledge", world.fresh)).status_code == 403
    assert login(world.liaison_a).get(url("acknowledge", world.fresh)).status_code == 405
    assert counts() == before


# --- 申请办结 -----------------------------------------------------------------------------------


def test_closure_request_with_evidence(world, today, login):
    client = login(world.liaison_a)
    assert client.get(url("closure_request", world.live)).status_code == 200
    response = client.post(
        url("closure_request", world.live),
        {
            "summary": "50个小区全部完成改造。",
            "files": [SimpleUploadedFile("验收报告.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302
    world.live.refresh_from_db()
    assert world.live.state == TaskState.CLOSURE_REQUESTED
    request = world.live.closure_requests.get()
    assert request.summary == "50个小区全部完成改造。"
    assert [a.original_name for a in request.attachments.all()] == ["验收报告.pdf"]


def test_closure_request_needs_a_summary(world, today, login, counts):
    before = counts()
    response = login(world.liaison_a).post(url("closure_request", world.live), {"summary": ""})
    assert response.status_code == 200 and "请填写办结情况。" in response.content.decode()
    assert counts() == before


def test_closure_request_refuses_a_bad_file(world, today, login, counts):
    before = counts()
    response = login(world.liaison_a).post(
        url("closure_request", world.live),
        {"summary": "完成。", "files": [SimpleUploadedFile("a.exe", b"MZ", "application/x")]},
    )
    assert "类型不允许上传" in response.content.decode()
    assert counts() == before


def test_closure_request_access(world, today, login, counts):
    before = counts()
    assert login(world.liaison_d).get(url("closure_request", world.live)).status_code == 404
    co = login(world.liaison_b)  # a co-unit sees the task but does not close it
    assert co.get(url("closure_request", world.live)).status_code == 403
    assert co.post(url("closure_request", world.live), {"summary": "完成。"}).status_code == 403
    assert co.post(url("closure_request", world.live), {"summary": ""}).status_code == 403
    assert login(world.leader).post(url("closure_request", world.live)).status_code == 403
    assert counts() == before


def test_closure_request_twice_says_it_waits(world, today, login, counts):
    before = counts()
    response = login(world.liaison_a).post(url("closure_request", world.pending), {"summary": "x"})
    assert response.status_code == 200
    assert "该任务已申请办结，正在等待审核。" in response.content.decode()
    assert counts() == before


# --- 审核通过 / 退回 ----------------------------------------------------------------------------


def test_review_page_shows_the_request(world, today, login):
    page = login(world.sup).get(url("verify", world.pending)).content.decode()
    assert "任务已完成，申请办结。" in page and "审核通过" in page and "退回" in page


def test_verify(world, today, login):
    response = login(world.sup).post(url("verify", world.pending), {"comment": "同意。"})
    assert response.status_code == 302
    world.pending.refresh_from_db()
    assert world.pending.state == TaskState.CLOSED
    assert world.pending.closure_requests.get().comment == "同意。"


def test_verify_access(world, today, login, counts):
    before = counts()
    assert login(world.liaison_d).post(url("verify", world.pending)).status_code == 404
    assert login(world.leader).post(url("verify", world.pending)).status_code == 403
    assert login(world.liaison_a).post(url("verify", world.pending)).status_code == 403
    assert login(world.liaison_a).get(url("verify", world.pending)).status_code == 403
    assert counts() == before


def test_verify_a_task_not_awaiting_review(world, today, login, counts):
    before = counts()
    response = login(world.sup).post(url("verify", world.live), follow=True)
    assert "任务不在“申请办结”状态，不能审核。" in response.content.decode()
    assert counts() == before


def test_return_requires_a_reason(world, today, login, counts):
    client = login(world.sup)
    before = counts()
    response = client.post(url("return", world.pending), {"return-reason": "  "})
    assert response.status_code == 200 and "请填写理由。" in response.content.decode()
    assert counts() == before
    response = client.post(url("return", world.pending), {"return-reason": "佐证不足。"})
    assert response.status_code == 302
    world.pending.refresh_from_db()
    assert world.pending.state == TaskState.IN_PROGRESS
    request = world.pending.closure_requests.get()
    assert request.decision == ClosureDecision.RETURNED and request.comment == "佐证不足。"


def test_return_access(world, today, login, counts):
    before = counts()
    data = {"return-reason": "不行"}
    assert login(world.liaison_d).post(url("return", world.pending), data).status_code == 404
    assert login(world.leader).post(url("return", world.pending), data).status_code == 403
    assert login(world.leader).post(url("return", world.pending), {}).status_code == 403
    assert counts() == before


# --- 暂缓 / 恢复 / 撤销 ------------------------------------------------------------------------


def test_suspend_then_resume(world, today, login):
    client = login(world.sup)
    assert client.get(url("suspend", world.live)).status_code == 200
    assert client.post(url("suspend", world.live), {"reason": "政策调整。"}).status_code == 302
    world.live.refresh_from_db()
    assert world.live.state == TaskState.SUSPENDED
    assert client.get(url("resume", world.live)).status_code == 405
    assert client.post(url("resume", world.live)).status_code == 302
    world.live.refresh_from_db()
    assert world.live.state == TaskState.IN_PROGRESS


def test_suspend_and_cancel_need_a_reason(world, today, login, counts):
    client = login(world.sup)
    before = counts()
    for name in ("suspend", "cancel"):
        response = client.post(url(name, world.live), {"reason": ""})
        assert response.status_code == 200 and "请填写理由。" in response.content.decode()
    assert counts() == before


def test_cancel(world, today, login):
    response = login(world.sup).post(url("cancel", world.fresh), {"reason": "已并入其他任务。"})
    assert response.status_code == 302
    world.fresh.refresh_from_db()
    assert world.fresh.state == TaskState.CANCELLED
    assert world.fresh.events.get(kind=EventKind.CANCELLED).message == "已并入其他任务。"


def test_suspend_resume_cancel_access(world, today, login, counts):
    before = counts()
    for name in ("suspend", "cancel"):
        assert (
            login(world.liaison_d).post(url(name, world.live), {"reason": "x"}).status_code == 404
        )
        assert (
            login(world.liaison_a).post(url(name, world.live), {"reason": "x"}).status_code == 403
        )
        assert login(world.leader).get(url(name, world.live)).status_code == 403
    assert login(world.sup).post(url("resume", world.live)).status_code == 403  # not suspended
    assert counts() == before


# --- 节点完成 ------------------------------------------------------------------------------------


def test_milestone_done_by_the_lead_unit(world, today, login):
    milestone = world.live.milestones.get()
    milestone_url = reverse("tasks:milestone_done", args=[milestone.pk])
    client = login(world.liaison_a)
    assert client.get(milestone_url).status_code == 405
    assert client.post(milestone_url).status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_on == today
    response = client.post(milestone_url, follow=True)
    assert "该时间节点已标记完成。" in response.content.decode()


def test_milestone_done_access(world, today, login, counts):
    milestone_url = reverse("tasks:milestone_done", args=[world.live.milestones.get().pk])
    before = counts()
    assert login(world.liaison_d).post(milestone_url).status_code == 404
    assert login(world.liaison_b).post(milestone_url).status_code == 403  # a co-unit
    assert login(world.leader).post(milestone_url).status_code == 403
    assert login(world.sup).post(reverse("tasks:milestone_done", args=[99999])).status_code == 404
    assert counts() == before
