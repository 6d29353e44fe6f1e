"""The office's pages: who may open what (allowed, read-only 403, outsider 404, wrong method
405), the list's filters, the contact masked for all but the office, the photo behind the
access check, HTML and scripts shown as text everywhere the public's words appear."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.clues.models import ClueCategory, ClueState
from luoshi.clues.services.triage import clue_accept_as_task
from tests.clues.conftest import jpeg_bytes, login

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>幸福路路灯坏了三个月'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
DUE = dt.date(2026, 4, 30)


def _no_payload(html: str) -> None:
    assert '<script>alert("x")' not in html
    assert "<img src=x onerror" not in html


def test_list_for_the_office_and_leaders_only(world, client):
    clue, _ = world.submit(contact="13912345678")
    for user in (world.sup, world.leader):
        html = login(client, user).get(reverse("clues:list")).content.decode()
        assert clue.number in html
        assert "139****5678" in html and "13912345678" not in html
    for user in (world.liaison_a, world.head_a, world.sysadmin):
        assert login(client, user).get(reverse("clues:list")).status_code == 403


def test_the_menu_shows_clues_to_the_office(world, client):
    html = login(client, world.sup).get(reverse("home")).content.decode()
    assert reverse("clues:list") in html
    html = login(client, world.liaison_a).get(reverse("home")).content.decode()
    assert reverse("clues:list") not in html


def test_list_filters_and_order(world, client, today):
    first, _ = world.submit("第一条：营商环境方面的问题反映。", category="营商环境")
    second, _ = world.submit("第二条：民生服务方面的问题反映。", place="西城区长安街")
    clue_accept_as_task(actor=world.sup, clue=second, lead_unit=world.a, due=DUE)
    login(client, world.sup)
    url = reverse("clues:list")

    def numbers(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [c.number for c in response.context["page"]]

    assert numbers() == [second.number, first.number]  # newest first
    assert numbers(state=ClueState.TASK) == [second.number]
    assert numbers(category=world.cat["营商环境"].pk) == [first.number]
    assert numbers(q="长安街") == [second.number]
    assert numbers(q="营商环境方面") == [first.number]
    assert numbers(date_from="2026-03-11") == []
    assert numbers(date_to="2026-03-10") == [second.number, first.number]
    assert numbers(state="bogus", category="x", date_from="not-a-date") == [
        second.number,
        first.number,
    ]


def test_list_is_paginated_with_bounded_queries(world, client, django_assert_max_num_queries):
    for i in range(35):
        world.submit(f"第{i}条线索：这里描述的是一个问题。")
    login(client, world.sup)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("clues:list"))
    assert len(response.context["page"].object_list) == 30
    assert len(client.get(reverse("clues:list"), {"page": 2}).context["page"].object_list) == 5


def test_detail_contact_full_for_the_office_masked_for_leaders(world, client):
    clue, _ = world.submit(contact="13912345678")
    html = login(client, world.sup).get(reverse("clues:detail", args=[clue.pk])).content.decode()
    assert "13912345678" in html and "受理并转为任务" in html
    response = login(client, world.leader).get(reverse("clues:detail", args=[clue.pk]))
    html = response.content.decode()
    assert "139****5678" in html and "13912345678" not in html
    assert "受理并转为任务" not in html  # read-only


def test_outsiders_get_404(world, client):
    clue, _ = world.submit(unit=world.a)
    for user in (world.liaison_a, world.head_a, world.sysadmin, world.sup_out):
        login(client, user)
        assert client.get(reverse("clues:detail", args=[clue.pk])).status_code == 404
        assert client.get(reverse("clues:photo", args=[clue.pk])).status_code == 404
        response = client.post(reverse("clues:reject", args=[clue.pk]), {"reason": "x"})
        assert response.status_code == 404
    in_scope, _ = world.submit(unit=world.district)
    response = login(client, world.sup_out).get(reverse("clues:detail", args=[in_scope.pk]))
    assert response.status_code == 200
    assert login(client, world.sup).get(reverse("clues:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accept_task", {"lead_unit": "", "due": "2026-04-30"}),
        ("merge", {"primary": "XS000001"}),
        ("reject", {"reason": "不属于范围"}),
        ("reply", {"text": "已收到"}),
        ("accept_inspection", {"inspection": "1"}),
    ],
)
def test_leaders_may_not_triage_and_get_is_refused(world, client, name, data):
    clue, _ = world.submit()
    url = reverse(f"clues:{name}", args=[clue.pk])
    data = {**data, "lead_unit": world.a.pk} if name == "accept_task" else data
    response = login(client, world.leader).post(url, data)
    assert response.status_code == 403
    assert "只有督查室人员可以处理群众线索" in response.content.decode()
    assert login(client, world.sup).get(url).status_code == 405
    clue.refresh_from_db()
    assert clue.state == ClueState.NEW and clue.public_reply == ""


def test_accept_as_task_through_the_page(world, client):
    clue, _ = world.submit(XSS, contact="13912345678")
    login(client, world.sup)
    url = reverse("clues:accept_task", args=[clue.pk])
    bad = client.post(url, {"lead_unit": "", "due": "tomorrow"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "请选择牵头单位" in html and "日期格式不对" in html
    past = client.post(url, {"lead_unit": world.a.pk, "due": "2026-03-01"})
    assert "完成时限不能早于今天" in past.content.decode()
    response = client.post(url, {"lead_unit": world.a.pk, "due": "2026-04-30", "assign": "on"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.state == ClueState.TASK
    # the lead unit sees the task with the clue's text as text, and no contact
    task_page = login(client, world.liaison_a).get(reverse("tasks:detail", args=[clue.task_id]))
    assert task_page.status_code == 200
    html = task_page.content.decode()
    assert ESCAPED in html
    _no_payload(html)
    assert "13912345678" not in html and "139****5678" not in html
    # the unit still does not see the clue itself
    assert client.get(reverse("clues:detail", args=[clue.pk])).status_code == 404


def test_merge_reject_reply_through_the_page(world, client):
    primary, _ = world.submit()
    dup, _ = world.submit()
    login(client, world.sup)
    merge = reverse("clues:merge", args=[dup.pk])
    assert "线索编号格式不对" in client.post(merge, {"primary": "abc"}).content.decode()
    assert "没有这个编号的线索" in client.post(merge, {"primary": "XS999999"}).content.decode()
    assert "不能把线索并入它自己" in client.post(merge, {"primary": dup.number}).content.decode()
    assert client.post(merge, {"primary": primary.number.lower()}).status_code == 302
    dup.refresh_from_db()
    assert dup.merged_into == primary
    reject = reverse("clues:reject", args=[primary.pk])
    assert "请填写不予受理的理由" in client.post(reject, {"reason": ""}).content.decode()
    assert client.post(reject, {"reason": "<b>不属于</b>督查范围"}).status_code == 302
    reply = reverse("clues:reply", args=[primary.pk])
    assert client.post(reply, {"text": "<script>alert(1)</script>谢谢反映"}).status_code == 302
    html = client.get(reverse("clues:detail", args=[primary.pk])).content.decode()
    assert "&lt;b&gt;不属于&lt;/b&gt;" in html and "&lt;script&gt;alert(1)" in html
    assert "<script>alert(1)" not in html
    assert dup.number in html  # listed as merged into this one


def test_the_public_words_are_text_in_list_detail_status_and_inbox(world, client):
    clue, code = world.submit(XSS, place='<img src=x onerror=alert("p")>路口')
    for user in (world.sup, world.leader):
        login(client, user)
        for url in (reverse("clues:list"), reverse("clues:detail", args=[clue.pk])):
            html = client.get(url).content.decode()
            _no_payload(html)
            assert "&lt;img src=x onerror=alert(" in html
    html = login(client, world.sup).get(reverse("notifications:inbox")).content.decode()
    assert clue.number in html
    _no_payload(html)
    client.logout()
    from luoshi.clues.services.triage import clue_reply

    clue_reply(actor=world.sup, clue=clue, text='<script>alert("x")</script>答复')
    html = client.post(reverse("clues:status"), {"code": code}).content.decode()
    _no_payload(html)
    assert "&lt;script&gt;" in html


def test_photo_only_through_the_access_checked_view(world, client, settings):
    photo = SimpleUploadedFile("p.jpg", jpeg_bytes(), "image/jpeg")
    clue, _ = world.submit(photo=photo)
    url = reverse("clues:photo", args=[clue.pk])
    client.logout()
    assert client.get(url).status_code == 302  # to log in
    response = login(client, world.leader).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert str(settings.MEDIA_ROOT) in clue.photo.path
    assert not str(clue.photo.path).startswith(str(settings.STATIC_ROOT))
    no_photo, _ = world.submit()
    assert client.get(reverse("clues:photo", args=[no_photo.pk])).status_code == 404


def test_categories_page(world, client):
    url = reverse("clues:categories")
    assert login(client, world.leader).get(url).status_code == 403
    login(client, world.sup)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": ""}).status_code == 400
    assert "已有同名的类别" in client.post(url, {"name": "民生服务"}).content.decode()
    assert client.post(url, {"name": "生态环境"}).status_code == 302
    added = ClueCategory.objects.get(name="生态环境")
    assert added.active
    assert client.post(url, {"toggle": added.pk}).status_code == 302
    added.refresh_from_db()
    assert not added.active
    assert "生态环境" not in client.get(reverse("clues:submit")).content.decode()
    assert client.post(url, {"toggle": 999999}).status_code == 404
