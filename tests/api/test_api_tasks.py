"""Reading and writing through the API: pagination, filters, the detail, bad input (400 with
the errors by field, in Chinese, and nothing written), and the writes' history and audit."""

from __future__ import annotations

import pytest

from luoshi.api.schemas import TaskPage
from luoshi.audit.models import AuditEvent
from luoshi.reports.models import ProgressReport
from luoshi.tasks.models import Task
from tests.api.conftest import snapshot

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()
    return [r["code"] for r in response.json()["results"]]


def test_pagination(api, world):
    sup = api("sup")
    first = sup.get("tasks", page_size=4).json()
    assert (first["count"], first["pages"], len(first["results"])) == (6, 2, 4)
    second = sup.get("tasks", page_size=4, page=2).json()
    assert len(second["results"]) == 2
    assert not {r["code"] for r in first["results"]} & {r["code"] for r in second["results"]}
    assert sup.get("tasks", page=9).json()["results"] == []
    # the list is built to the published schema (it is returned without a second validation)
    TaskPage.model_validate(first)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 201}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"state": "done"}, "state"),
        ({"light": "purple"}, "light"),
        ({"due_from": "2026-13-01"}, "due_from"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2026-03-01T08:00:00"}, "updated_since"),
        ({"unit": 987654}, "unit"),
        ({"source": "2099-XX"}, "source"),
        ({"page": "two"}, "page"),
        ({"q": "长" * 101}, "q"),
        ({"sort": "colour"}, "sort"),
    ],
)
def test_bad_filters_are_400_in_chinese(api, world, params, field):
    response = api("sup").get("tasks", **params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert not body["errors"][field][0].isascii()


def test_filters(api, world):
    sup = api("sup")
    assert codes(sup.get("tasks", state="draft")) == [world.draft.code]
    assert set(codes(sup.get("tasks", state="open"))) == {
        world.fresh.code,
        world.live.code,
        world.pending.code,
    }
    assert codes(sup.get("tasks", q="城市更新")) == [world.live.code]
    assert codes(sup.get("tasks", q="2026-ZD", page_size=1))
    assert len(codes(sup.get("tasks", unit=world.b.pk))) == 6
    assert codes(sup.get("tasks", unit=world.c.pk)) == []
    assert len(codes(sup.get("tasks", source="2026-ZD"))) == 6
    assert len(codes(sup.get("tasks", source=str(world.source.pk)))) == 6
    assert codes(sup.get("tasks", due_to="2026-01-01")) == []
    assert len(codes(sup.get("tasks", due_from="2026-12-31", due_to="2026-12-31"))) == 6
    assert codes(sup.get("tasks", category="无此类别")) == []
    light = Task.objects.get(pk=world.live.pk).light
    assert world.live.code in codes(sup.get("tasks", light=light or "none"))
    assert codes(sup.get("tasks", updated_since="2099-01-01T00:00:00+08:00")) == []
    assert len(codes(sup.get("tasks", updated_since="2000-01-01"))) == 6
    assert codes(sup.get("tasks", sort="-code"))[0] > codes(sup.get("tasks", sort="code"))[0]


def test_detail_by_code_or_id(api, world):
    by_code = api("co_liaison").get(f"tasks/{world.live.code}").json()
    by_id = api("co_liaison").get(f"tasks/{world.live.pk}").json()
    assert by_code == by_id
    assert by_code["lead_unit"]["id"] == world.a.pk
    assert {u["role"] for u in by_code["units"]} == {"lead", "co"}
    assert by_code["milestones"][0]["title"] == "完成方案"
    assert isinstance(by_code["light_reasons"], list)
    assert api("co_liaison").get("tasks/NO-SUCH-CODE").status_code == 404


def test_list_queries_do_not_grow_with_the_page(api, world, django_assert_max_num_queries):
    sup = api("sup")
    sup.get("tasks", page_size=1)  # warm up (content types, the token's last use)
    with django_assert_max_num_queries(8):
        sup.get("tasks", page_size=200)


def test_create_a_task_and_a_child(api, world):
    sup = api("sup")
    made = sup.post(
        "tasks",
        {
            "source": "2026-ZD",
            "title": "优化营商环境三年行动",
            "lead_unit": world.a.pk,
            "co_units": [world.b.pk],
            "due": "2026-11-30",
            "milestones": [{"title": "出台方案", "due": "2026-05-31"}],
            "indicators": [{"name": "办理时限", "measure_unit": "天", "target": "3"}],
        },
    )
    assert made.status_code == 201, made.content.decode()
    task = made.json()
    assert task["state"] == "draft" and task["source"]["code"] == "2026-ZD"
    assert task["indicators"][0]["name"] == "办理时限"
    child = sup.post("tasks", {"parent": task["code"], "title": "压缩审批时限"})
    assert child.status_code == 201, child.content.decode()
    assert child.json()["parent"] == task["code"]
    assert AuditEvent.objects.filter(action="task.create", actor=world.sup).count() >= 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": "2026-ZD", "title": "  "}, "title"),
        ({"source": "2026-ZD", "title": "甲", "due": "2027-01-01", "ongoing": True}, "due"),
        ({"source": "2026-ZD", "title": "甲", "lead_unit": 987654}, "lead_unit"),
        ({"source": "2026-ZD", "title": "甲", "priority": "vip"}, "priority"),
        ({"source": "2026-ZD", "title": "甲", "due": "31/12/2026"}, "due"),
        ({"source": "2026-ZD"}, "title"),
        ({"title": "甲"}, "source"),
    ],
)
def test_bad_task_is_400_and_writes_nothing(api, world, body, field):
    before = snapshot()
    response = api("sup").post("tasks", body)
    assert response.status_code == 400, response.content.decode()
    errors = response.json()["errors"]
    assert field in errors, errors
    assert not errors[field][0].isascii()
    assert snapshot() == before


def test_report_and_closure(api, world):
    liaison = api("lead_liaison")
    made = liaison.post(
        f"tasks/{world.live.code}/reports",
        {"progress_text": "完成初稿。", "percent": 80, "problems": "无", "next_steps": "报审"},
    )
    assert made.status_code == 201, made.content.decode()
    report = ProgressReport.objects.get(pk=made.json()["id"])
    assert (report.unit_id, report.percent, report.author_id) == (
        world.a.pk,
        80,
        world.lead_liaison.pk,
    )
    closure = liaison.post(f"tasks/{world.live.code}/closure-request", {"summary": "已完成。"})
    assert closure.status_code == 201
    assert Task.objects.get(pk=world.live.pk).state in ("closure_requested", "in_progress")
    again = liaison.post(f"tasks/{world.live.code}/closure-request", {"summary": "已完成。"})
    assert again.status_code in (400, 403)
    assert not again.json()["detail"].isascii()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"progress_text": "", "percent": 10}, "progress_text"),
        ({"progress_text": "甲", "percent": 120}, "percent"),
        ({"progress_text": "甲"}, "percent"),
        ({"progress_text": "甲", "percent": "很多"}, "percent"),
    ],
)
def test_bad_report_is_400(api, world, body, field):
    before = snapshot()
    response = api("lead_liaison").post(f"tasks/{world.live.code}/reports", body)
    assert response.status_code == 400, response.content.decode()
    assert field in response.json()["errors"] or not response.json()["detail"].isascii()
    assert snapshot() == before


def test_empty_closure_summary_is_400(api, world):
    before = snapshot()
    response = api("lead_liaison").post(
        f"tasks/{world.live.code}/closure-request", {"summary": " "}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["summary"] == ["请填写办结情况。"]
    assert snapshot() == before


def test_bad_json_is_400(api, world, client):
    token_caller = api("sup")
    response = client.post(
        "/api/v1/sources",
        "{not json",
        content_type="application/json",
        headers=token_caller.headers,
    )
    assert response.status_code == 400
