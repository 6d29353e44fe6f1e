"""Manual supervision through the pages: 催办 (one task, many at once), 下发督办单 (numbered,
with a reply date), the unit's written reply, closing a notice, 约谈 / 实地核查 records and
their files; the task page, the unit's 工作台 and the yellow light. Bad input is refused with
a Chinese message and nothing changes. Today is Thursday 2026-09-10."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from luoshi.notifications.models import Notification
from luoshi.supervision.models import (
    NoticeReply,
    NoticeState,
    SupervisionFile,
    SupervisionNotice,
    SupervisionRecord,
    Urge,
)
from luoshi.supervision.services import notice_reply, notice_save
from luoshi.tasks.models import EventKind, Light, TaskEvent
from luoshi.tasks.services.lifecycle import task_suspend
from luoshi.tasks.services.refresh import lights_refresh_all
from tests.rowcounts import count_rows
from tests.supervision.conftest import pdf

TODAY = dt.date(2026, 9, 10)
D = dt.date
MODELS = (
    Urge,
    SupervisionNotice,
    NoticeReply,
    SupervisionRecord,
    SupervisionFile,
    TaskEvent,
    Notification,
    AuditEvent,
)


def snapshot() -> dict:
    counts = count_rows(MODELS)
    counts["notices"] = list(SupervisionNotice.objects.order_by("pk").values_list("state", "seq"))
    return counts


@pytest.fixture(autouse=True)
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


def inbox(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def issue(world, task=None, **extra):
    fields = {"content": "请书面回复办理情况。", "reply_by": D(2026, 9, 14), **extra}
    return notice_save(actor=world.sup, task=task or world.later, **fields)


# --- 催办 ---------------------------------------------------------------------------------------


def test_urge_one_task(world, login):
    client = login(world.sup)
    url = reverse("supervision:urge", args=[world.later.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "请加快推进，本周内报送进展。"})
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[world.later.pk])
    urge = Urge.objects.get()
    assert (urge.task, urge.urged_by, urge.automatic, urge.unit) == (
        world.later,
        world.sup,
        False,
        world.a,
    )
    event = TaskEvent.objects.get(task=world.later, kind=EventKind.URGED)
    assert event.actor == world.sup and event.message == "请加快推进，本周内报送进展。"
    told = Notification.objects.filter(kind="urge").values_list("recipient__username", flat=True)
    assert set(told) == {"liaison_a", "head_a", "owner_a"}
    assert AuditEvent.objects.filter(action="supervision.urge").count() == 1


def test_urge_refuses_bad_input_and_other_people(world, login):
    url = reverse("supervision:urge", args=[world.later.pk])
    before = snapshot()
    response = login(world.sup).post(url, {"message": "   "})
    assert response.status_code == 200
    assert "请填写催办内容。" in response.content.decode()
    refused = login(world.liaison_a).post(url, {"message": "催一下"})
    assert refused.status_code == 403
    assert "只有督查室人员可以催办。" in refused.content.decode()
    assert login(world.liaison_c).post(url, {"message": "催一下"}).status_code == 404
    assert login(world.sup_out).post(url, {"message": "催一下"}).status_code == 404
    assert snapshot() == before
    task_suspend(actor=world.sup, task=world.later, reason="暂缓实施。")
    response = login(world.sup).get(url)
    assert response.status_code == 403
    assert "不能催办" in response.content.decode()


def test_urge_many_from_the_selection_page(world, login):
    client = login(world.sup)
    url = reverse("supervision:urge_many")
    page = client.get(url).content.decode()
    for task in (world.national, world.holiday, world.later):
        assert f'name="task" value="{task.pk}"' in page
    response = client.post(
        url, {"task": [world.national.pk, world.holiday.pk], "message": "国庆前请完成。"}
    )
    assert response.status_code == 302
    assert set(Urge.objects.values_list("task_id", flat=True)) == {
        world.national.pk,
        world.holiday.pk,
    }
    assert TaskEvent.objects.filter(kind=EventKind.URGED).count() == 2
    # the filters narrow the list (here: a keyword)
    narrowed = client.get(url, {"q": "停车"}).content.decode()
    assert f'name="task" value="{world.holiday.pk}"' in narrowed
    assert f'name="task" value="{world.later.pk}"' not in narrowed


def test_urge_many_is_all_or_nothing(world, login):
    task_suspend(actor=world.sup, task=world.holiday, reason="暂缓实施。")
    url = reverse("supervision:urge_many")
    client = login(world.sup)
    before = snapshot()
    response = client.post(url, {"task": [world.national.pk, world.holiday.pk], "message": "催"})
    assert response.status_code == 200
    assert f"任务“{world.holiday.code}”当前状态为“暂缓”，不能催办。" in response.content.decode()
    response = client.post(url, {"message": "催"})
    assert "请选择要催办的任务。" in response.content.decode()
    response = client.post(url, {"task": ["abc"], "message": "催"})
    assert "所选任务无法识别" in response.content.decode()
    response = client.post(url, {"task": [world.national.pk]})
    assert "请填写催办内容。" in response.content.decode()
    # a supervisor scoped elsewhere does not see A's tasks
    response = login(world.sup_out).post(url, {"task": [world.national.pk], "message": "催"})
    assert "不存在或您无权查看" in response.content.decode()
    assert snapshot() == before
    assert login(world.liaison_a).get(url).status_code == 403
    assert (
        login(world.leader).post(url, {"task": [world.national.pk], "message": "催"}).status_code
        == 403
    )
    assert snapshot() == before


def test_the_ledger_links_to_the_selection_page_for_the_office_only(world, login):
    link = reverse("supervision:urge_many")
    assert link in login(world.sup).get(reverse("tasks:list")).content.decode()
    assert link not in login(world.leader).get(reverse("tasks:list")).content.decode()


# --- 督办单 --------------------------------------------------------------------------------------


def test_issue_a_numbered_notice(world, login):
    client = login(world.sup)
    url = reverse("supervision:notice_new", args=[world.later.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"content": "请说明进展滞后原因。", "reply_by": "2026-09-14"})
    assert response.status_code == 302
    notice = SupervisionNotice.objects.get()
    assert notice.number == "督办〔2026〕1号"
    assert (notice.state, notice.reply_by, notice.unit, notice.issued_by) == (
        NoticeState.ISSUED,
        D(2026, 9, 14),
        world.a,
        world.sup,
    )
    event = TaskEvent.objects.get(kind=EventKind.NOTICE_ISSUED)
    assert "督办〔2026〕1号" in event.message and "2026-09-14" in event.message
    assert {n.recipient.username for n in Notification.objects.filter(kind="notice")} == {
        "liaison_a",
        "head_a",
        "owner_a",
    }
    # the next one is 2号, copied to the co-unit, which is told too
    response = client.post(
        url,
        {"content": "请配合单位一并回复。", "reply_by": "2026-09-15", "copy_units": [world.b.pk]},
    )
    second = SupervisionNotice.objects.latest("pk")
    assert second.number == "督办〔2026〕2号"
    assert list(second.copy_units.all()) == [world.b]
    assert Notification.objects.filter(recipient=world.liaison_b, kind="notice").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"content": "请回复。", "reply_by": "2026-09-09"}, "回复期限须晚于今天。"),
        ({"content": "请回复。", "reply_by": "2026-09-10"}, "回复期限须晚于今天。"),
        ({"content": "请回复。", "reply_by": "2026-10-01"}, "2026-10-01 不是工作日"),
        ({"content": "请回复。", "reply_by": "2026-09-31"}, "日期格式不正确"),
        ({"content": "请回复。", "reply_by": ""}, "请填写回复期限。"),
        ({"content": "  ", "reply_by": "2026-09-14"}, "请填写督办内容。"),
        ({"content": "请回复。", "reply_by": "2026-09-14", "copy_units": ["999"]}, "抄送单位须为"),
    ],
)
def test_a_notice_refuses_bad_input(world, login, data, message):
    before = snapshot()
    url = reverse("supervision:notice_new", args=[world.later.pk])
    response = login(world.sup).post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_the_reply_date_may_be_a_make_up_working_day(world, login):
    url = reverse("supervision:notice_new", args=[world.later.pk])
    login(world.sup).post(url, {"content": "请回复。", "reply_by": "2026-09-20"})  # 调休 Sunday
    assert SupervisionNotice.objects.get().reply_by == D(2026, 9, 20)


def test_only_the_office_issues(world, login):
    url = reverse("supervision:notice_new", args=[world.later.pk])
    before = snapshot()
    data = {"content": "请回复。", "reply_by": "2026-09-14"}
    refused = login(world.leader).post(url, data)
    assert (
        refused.status_code == 403 and "只有督查室人员可以下发督办单。" in refused.content.decode()
    )
    assert login(world.liaison_a).post(url, data).status_code == 403
    assert login(world.liaison_c).post(url, data).status_code == 404
    assert snapshot() == before


def test_a_draft_draws_no_number_until_issued(world, login):
    client = login(world.sup)
    url = reverse("supervision:notice_new", args=[world.later.pk])
    client.post(url, {"content": "草稿内容。", "reply_by": "", "draft": "1"})
    draft = SupervisionNotice.objects.get()
    assert draft.state == NoticeState.DRAFT and draft.number == ""
    assert TaskEvent.objects.filter(kind=EventKind.NOTICE_DRAFTED).count() == 1
    issue(world)  # 1号 goes to another notice meanwhile
    # units do not see drafts, nor that one was drafted
    assert (
        login(world.liaison_a).get(reverse("supervision:notice", args=[draft.pk])).status_code
        == 404
    )
    task_url = reverse("tasks:detail", args=[world.later.pk])
    assert "督办单拟稿" not in login(world.liaison_a).get(task_url).content.decode()
    assert "督办单拟稿" in login(world.leader).get(task_url).content.decode()
    response = login(world.sup).post(
        reverse("supervision:notice_issue", args=[draft.pk]),
        {"content": "修改后的督办内容。", "reply_by": "2026-09-15"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.number, draft.state, draft.content) == (
        "督办〔2026〕2号",
        NoticeState.ISSUED,
        "修改后的督办内容。",
    )
    # issuing it again is refused, and draws no number
    again = client.post(
        reverse("supervision:notice_issue", args=[draft.pk]),
        {"content": "再次下发。", "reply_by": "2026-09-15"},
    )
    assert again.status_code == 302
    assert SupervisionNotice.objects.filter(seq__isnull=False).count() == 2


def test_the_lead_unit_replies_in_writing(world, login):
    notice = issue(world)
    client = login(world.liaison_a)
    page = client.get(reverse("supervision:notice", args=[notice.pk])).content.decode()
    assert "书面回复" in page
    response = client.post(
        reverse("supervision:notice_reply", args=[notice.pk]),
        {"text": "已制定整改方案，9月底前完成。", "files": [pdf()]},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.REPLIED and notice.replied_at is not None
    reply = NoticeReply.objects.get()
    assert (reply.unit, reply.author, reply.text) == (
        world.a,
        world.liaison_a,
        "已制定整改方案，9月底前完成。",
    )
    stored = SupervisionFile.objects.get()
    assert stored.reply == reply and stored.original_name == "回复.pdf"
    event = TaskEvent.objects.get(kind=EventKind.NOTICE_REPLIED)
    assert event.unit == world.a and "已制定整改方案" in event.message
    told = Notification.objects.get(dedupe_key=f"notice:{notice.pk}:reply:{world.a.pk}")
    assert told.recipient == world.sup
    # once per unit: the head of the same unit cannot answer again
    before = snapshot()
    again = login(world.head_a).post(
        reverse("supervision:notice_reply", args=[notice.pk]), {"text": "补充说明。"}
    )
    assert again.status_code == 200
    assert "本单位已回复该督办单，无需重复回复。" in again.content.decode()
    assert snapshot() == before


def test_a_reply_refuses_bad_input_and_other_units(world, login):
    notice = issue(world)
    url = reverse("supervision:notice_reply", args=[notice.pk])
    before = snapshot()
    empty = login(world.liaison_a).post(url, {"text": "  "})
    assert empty.status_code == 200 and "请填写回复内容。" in empty.content.decode()
    bad_file = login(world.liaison_a).post(
        url,
        {
            "text": "见附件。",
            "files": [SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/x")],
        },
    )
    assert bad_file.status_code == 200
    assert "附件“x.exe”的类型不允许上传" in bad_file.content.decode()
    # the co-unit, not copied, does not see the notice; another unit neither
    hidden = login(world.liaison_b).post(url, {"text": "我们来回复。"})
    assert hidden.status_code == 404 and "督办单不存在或您无权查看。" in hidden.content.decode()
    assert login(world.liaison_c).post(url, {"text": "我们来回复。"}).status_code == 404
    # the office sees it but does not reply for the unit
    office = login(world.sup).post(url, {"text": "代为回复。"})
    assert office.status_code == 403
    assert "只有督办单的主送或抄送单位可以回复。" in office.content.decode()
    assert snapshot() == before
    notice.refresh_from_db()
    assert notice.state == NoticeState.ISSUED


def test_a_copied_co_unit_replies_its_part(world, login):
    notice = issue(world, copy_units=[world.b])
    response = login(world.liaison_b).post(
        reverse("supervision:notice_reply", args=[notice.pk]), {"text": "配合工作已完成。"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.ISSUED  # the lead unit (主送) still owes its reply
    # the lead unit does not read the co-unit's reply text on the notice? It does: it leads.
    page = login(world.liaison_a).get(reverse("supervision:notice", args=[notice.pk]))
    assert "配合工作已完成。" in page.content.decode()


def test_the_office_closes_a_notice(world, login):
    notice = issue(world)
    url = reverse("supervision:notice_close", args=[notice.pk])
    before = snapshot()
    assert login(world.liaison_a).post(url, {"comment": ""}).status_code == 403
    assert login(world.leader).post(url, {"comment": ""}).status_code == 403
    assert snapshot() == before
    response = login(world.sup).post(url, {"comment": "已落实。"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.state, notice.closed_by, notice.close_comment) == (
        NoticeState.CLOSED,
        world.sup,
        "已落实。",
    )
    # closed: no reply any more
    refused = login(world.liaison_a).post(
        reverse("supervision:notice_reply", args=[notice.pk]), {"text": "迟到的回复。"}
    )
    assert refused.status_code == 200
    assert "督办单已办结，不能再回复。" in refused.content.decode()
    assert not NoticeReply.objects.exists()


def test_closing_a_notice_has_its_own_entry_on_the_timeline(world, login):
    notice = issue(world)
    login(world.sup).post(
        reverse("supervision:notice_close", args=[notice.pk]), {"comment": "已落实。"}
    )
    event = TaskEvent.objects.filter(task=world.later).latest("pk")
    assert (event.kind, event.actor, event.unit) == (EventKind.NOTICE_CLOSED, world.sup, world.a)
    assert event.data == {"notice": notice.pk, "number": notice.number, "closed": True}
    assert not TaskEvent.objects.filter(task=world.later, kind=EventKind.UPDATED).exists()
    page = login(world.liaison_a).get(reverse("tasks:detail", args=[world.later.pk]))
    html = page.content.decode()
    assert "督办单办结" in html
    assert f"{notice.number}：已落实。" in html
    # a co-unit reads only its own part of the 督办 of the lead unit
    page = login(world.liaison_b).get(reverse("tasks:detail", args=[world.later.pk]))
    assert "督办单办结" not in page.content.decode()


def test_closing_a_notice_without_comment_names_the_notice(world):
    from luoshi.supervision.services import notice_close

    notice = notice_close(actor=world.sup, notice=issue(world))
    event = TaskEvent.objects.filter(kind=EventKind.NOTICE_CLOSED).get()
    assert event.message == notice.number


def test_notice_numbers_run_on_per_year(world):
    issue(world)
    with clock.pinned_today(D(2027, 1, 4)):
        next_year = notice_save(
            actor=world.sup, task=world.later, content="新年督办。", reply_by=D(2027, 1, 6)
        )
    assert next_year.number == "督办〔2027〕1号"


# --- the yellow light --------------------------------------------------------------------------


def test_an_unanswered_notice_lights_yellow_until_the_reply(world, login):
    notice = issue(world, reply_by=D(2026, 9, 11))
    with clock.pinned_today(D(2026, 9, 14)):
        lights_refresh_all(today=D(2026, 9, 14))
        world.later.refresh_from_db()
        assert world.later.light == Light.YELLOW
        assert {"code": "notice_unanswered", "count": 1} in world.later.light_reasons
        notice_reply(actor=world.liaison_a, notice=notice, text="已办理。")
        world.later.refresh_from_db()
        assert world.later.light == Light.GREEN


# --- 约谈 / 实地核查 ---------------------------------------------------------------------------


def test_record_a_talk_and_a_field_check(world, login):
    client = login(world.sup)
    url = reverse("supervision:record_new", args=[world.later.pk])
    assert client.get(url, {"kind": "talk"}).status_code == 200
    response = client.post(
        url,
        {
            "kind": "talk",
            "held_on": "2026-09-09",
            "place": "市政府3号会议室",
            "participants": "督查室周某；发改委张主任",
            "content": "约谈进展滞后问题，要求月底前完成。",
            "files": [pdf("约谈记录.pdf")],
        },
    )
    assert response.status_code == 302
    record = SupervisionRecord.objects.get()
    assert (record.kind, record.held_on, record.recorded_by) == ("talk", D(2026, 9, 9), world.sup)
    assert SupervisionFile.objects.get().record == record
    event = TaskEvent.objects.get(kind=EventKind.TALK_RECORDED)
    assert "市政府3号会议室" in event.message
    client.post(
        url,
        {
            "kind": "field_check",
            "held_on": "2026-09-10",
            "participants": "督查室周某",
            "content": "现场施工已启动。",
        },
    )
    assert TaskEvent.objects.filter(kind=EventKind.FIELD_CHECKED).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held_on": "2026-09-11"}, "日期不能晚于今天。"),
        ({"participants": ""}, "请填写参加人员。"),
        ({"content": " "}, "请填写主要内容。"),
        ({"kind": "dinner"}, "请选择约谈或实地核查。"),
        ({"held_on": ""}, "请填写日期。"),
    ],
)
def test_a_record_refuses_bad_input(world, login, data, message):
    good = {
        "kind": "talk",
        "held_on": "2026-09-09",
        "place": "",
        "participants": "督查室周某",
        "content": "约谈。",
    }
    before = snapshot()
    response = login(world.sup).post(
        reverse("supervision:record_new", args=[world.later.pk]), {**good, **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_only_the_office_records(world, login):
    url = reverse("supervision:record_new", args=[world.later.pk])
    data = {"kind": "talk", "held_on": "2026-09-09", "participants": "某", "content": "约谈。"}
    before = snapshot()
    assert login(world.leader).post(url, data).status_code == 403
    assert login(world.head_a).post(url, data).status_code == 403
    assert login(world.liaison_c).post(url, data).status_code == 404
    assert snapshot() == before


# --- pages -------------------------------------------------------------------------------------


def test_the_task_page_shows_supervision(world, login):
    notice = issue(world, copy_units=[])
    task_url = reverse("tasks:detail", args=[world.later.pk])
    office = login(world.sup).get(task_url).content.decode()
    assert reverse("supervision:notice_new", args=[world.later.pk]) in office
    assert reverse("supervision:urge", args=[world.later.pk]) in office
    assert "督办〔2026〕1号" in office
    lead = login(world.liaison_a).get(task_url).content.decode()
    assert "督办〔2026〕1号" in lead and f"/supervision/notices/{notice.pk}/#reply" in lead
    assert reverse("supervision:urge", args=[world.later.pk]) not in lead
    # the co-unit is not copied: it does not see the notice
    assert "督办〔2026〕1号" not in login(world.liaison_b).get(task_url).content.decode()
    leader = login(world.leader).get(task_url).content.decode()
    assert "督办〔2026〕1号" in leader
    assert reverse("supervision:notice_new", args=[world.later.pk]) not in leader


def test_the_units_home_lists_notices_awaiting_reply(world, login):
    notice = issue(world)
    home = login(world.liaison_a).get(reverse("home")).content.decode()
    assert "督办单待回复" in home and notice.number in home
    assert "督办单待回复" not in login(world.liaison_b).get(reverse("home")).content.decode()
    notice_reply(actor=world.liaison_a, notice=notice, text="已办理。")
    assert "督办单待回复" not in login(world.head_a).get(reverse("home")).content.decode()


def test_the_notice_list(world, login):
    issue(world)
    assert (
        "督办〔2026〕1号" in login(world.sup).get(reverse("supervision:notices")).content.decode()
    )
    assert login(world.leader).get(reverse("supervision:notices")).status_code == 200
    assert "督办〔2026〕1号" not in (
        login(world.sup_out).get(reverse("supervision:notices")).content.decode()
    )
    assert login(world.liaison_a).get(reverse("supervision:notices")).status_code == 403


def test_files_are_read_on_the_terms_of_their_owner(world, login):
    notice = issue(world, copy_units=[world.b])
    notice_reply(actor=world.liaison_a, notice=notice, text="见附件。", files=[pdf("甲.pdf")])
    notice_reply(actor=world.liaison_b, notice=notice, text="见附件。", files=[pdf("乙.pdf")])
    lead_file = SupervisionFile.objects.get(original_name="甲.pdf")
    co_file = SupervisionFile.objects.get(original_name="乙.pdf")

    def status(user, item):
        return login(user).get(reverse("supervision:file", args=[item.pk])).status_code

    assert status(world.sup, lead_file) == 200
    assert status(world.leader, co_file) == 200
    assert status(world.head_a, co_file) == 200  # the lead unit reads every part
    assert status(world.liaison_b, co_file) == 200
    assert status(world.liaison_b, lead_file) == 404  # a co-unit: its own part only
    assert status(world.liaison_c, lead_file) == 404
    response = login(world.liaison_a).get(reverse("supervision:file", args=[lead_file.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% reply\n"
