"""办会办文 pages: who may open and do what (allowed / read-only 403 / outsider 404 / wrong
method), the grid of agreed items, 生成任务, the instruction pages and 已阅."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from luoshi.meetings.models import Instruction, InstructionReport, Meeting, MeetingItem
from luoshi.meetings.services import ItemRow, instruction_report, meeting_items_add
from luoshi.tasks.models import Task
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db

CHANGED = [Meeting, MeetingItem, Instruction, InstructionReport, Task]


def grid(*rows, **fields):
    """A POST of the meeting form: the meeting's fields and the grid's parallel lists."""
    data = {
        "name": "市政府第13次常务会议",
        "kind": "standing",
        "held_on": "2026-03-09",
        "place": "",
        "minutes_number": "纪要〔2026〕13号",
        "attendees": "",
        "minutes": "",
        **fields,
    }
    for key in ("text", "lead", "co", "due", "leader"):
        data[f"item_{key}"] = [r.get(key, "") for r in rows]
    return data


# --- pages by role -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("sup", 200), ("mayor", 200), ("vice", 200), ("liaison_a", 403), ("sysadmin", 403)],
)
def test_lists_are_for_the_office_and_leaders(world, login, who, status):
    client = login(getattr(world, who))
    assert client.get(reverse("meetings:list")).status_code == status
    assert client.get(reverse("meetings:instructions")).status_code == status


def test_menu_shows_meetings_and_instructions_to_office_and_leaders(world, login):
    page = login(world.mayor).get(reverse("home")).content.decode()
    assert reverse("meetings:list") in page and reverse("meetings:instructions") in page
    page = login(world.liaison_a).get(reverse("home")).content.decode()
    assert reverse("meetings:list") not in page


def test_a_leader_out_of_scope_gets_404_and_one_in_scope_reads(world, login, today):
    detail = reverse("meetings:detail", args=[world.meeting.pk])
    inst = reverse("meetings:instruction_detail", args=[world.instruction.pk])
    # the vice-mayor's scope is 财政局, which is on nothing: neither page exists for him
    client = login(world.vice)
    assert client.get(detail).status_code == 404
    assert client.get(inst).status_code == 404
    assert (
        world.instruction.source.title
        not in client.get(reverse("meetings:instructions")).content.decode()
    )
    client = login(world.mayor)
    assert client.get(detail).status_code == 200
    assert client.get(inst).status_code == 200


def test_a_leader_sees_the_meeting_they_chaired_and_their_own_instructions(world, login, today):
    world.meeting.chair = world.vice
    world.meeting.save()
    world.instruction.leader = world.vice
    world.instruction.save()
    client = login(world.vice)
    assert client.get(reverse("meetings:detail", args=[world.meeting.pk])).status_code == 200
    url = reverse("meetings:instruction_detail", args=[world.instruction.pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["meetings:meeting_create", "meetings:instruction_create"],
)
def test_forms_are_for_the_office(world, login, name):
    assert login(world.sup).get(reverse(name)).status_code == 200
    response = login(world.mayor).get(reverse(name))
    assert response.status_code == 403
    response = login(world.liaison_a).get(reverse(name))
    assert response.status_code == 403


def test_leader_gets_403_with_reason_on_the_office_actions(world, login, today):
    client = login(world.mayor)
    before = count_rows(CHANGED)
    response = client.post(reverse("meetings:generate", args=[world.meeting.pk]))
    assert response.status_code == 403
    assert "只有督查室人员可以登记会议、议定事项和生成任务。" in response.content.decode()
    url = reverse("meetings:instruction_report", args=[world.instruction.pk])
    response = client.post(url, {"text": "x"})
    assert response.status_code == 403
    assert "只有督查室人员可以登记批示件和报告办理情况。" in response.content.decode()
    assert count_rows(CHANGED) == before


def test_office_outside_scope_gets_404(world, login, today):
    from tests.meetings.world import user

    other = user("sup_c", "supervisor", world.gov, "财政组", scope_unit=world.c)
    client = login(other)
    response = client.post(reverse("meetings:generate", args=[world.meeting.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("meetings:generate", "get"),
        ("meetings:report_read", "get"),
        ("meetings:detail", "post"),
        ("meetings:list", "post"),
        ("meetings:instruction_detail", "post"),
    ],
)
def test_wrong_method_is_405(world, login, name, method):
    args = [] if name == "meetings:list" else [world.meeting.pk]
    response = getattr(login(world.sup), method)(reverse(name, args=args))
    assert response.status_code == 405


# --- recording a meeting -------------------------------------------------------------------


def test_record_a_meeting_with_items_typed_by_name(world, login, today):
    client = login(world.sup)
    response = client.post(
        reverse("meetings:meeting_create"),
        grid(
            {
                "text": "推进供水管网建设",
                "lead": "发改委",
                "co": "市交通局、市财政局",
                "due": "6月底前",
            },
            {
                "text": "做好供暖保障",
                "lead": "市交通局",
                "due": "长期坚持",
                "leader": str(world.mayor.pk),
            },
            {},  # a blank row is not saved
        ),
    )
    meeting = Meeting.objects.get(name="市政府第13次常务会议")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    first, second = meeting.items.order_by("number")
    assert first.lead_units == [world.a] and first.co_units == [world.b, world.c]
    assert str(first.due) == "2026-06-30" and first.due_text == "6月底前"
    assert second.ongoing and second.lead_leader == world.mayor


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"text": "", "lead": "发改委"}, "请填写议定事项的内容。"),
        ({"text": "事项", "lead": "市水务局"}, "牵头单位“市水务局”不存在"),
        ({"text": "事项", "lead": "发改委", "co": "不存在局"}, "配合单位“不存在局”不存在"),
        ({"text": "事项", "lead": "发改委", "due": "尽快"}, "无法识别完成时限“尽快”"),
        ({"text": "事项", "lead": "发改委", "due": "2026-03-01"}, "不能早于会议日期（2026-03-09）"),
    ],
)
def test_bad_rows_are_shown_and_nothing_is_saved(world, login, today, row, message):
    client = login(world.sup)
    before = count_rows(CHANGED)
    response = client.post(
        reverse("meetings:meeting_create"), grid({"text": "好事项", "lead": "发改委"}, row)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "有 1 项议定事项需要修改" in page
    assert "好事项" in page  # what was typed is kept
    assert count_rows(CHANGED) == before


def test_meeting_form_errors_keep_the_grid(world, login, today):
    client = login(world.sup)
    before = count_rows(CHANGED)
    response = client.post(
        reverse("meetings:meeting_create"),
        grid({"text": "好事项", "lead": "发改委"}, name="", held_on="2026-13-01"),
    )
    page = response.content.decode()
    assert "请填写会议名称。" in page and "日期格式不正确" in page and "好事项" in page
    assert count_rows(CHANGED) == before


def test_htmx_adds_one_blank_row(world, login):
    response = login(world.sup).get(reverse("meetings:item_row"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('name="item_text"') == 1 and "<html" not in page


def test_add_items_to_a_recorded_meeting(world, login, today):
    client = login(world.sup)
    url = reverse("meetings:items_add", args=[world.meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, grid({"text": "补充事项", "lead": "市财政局"}))
    assert response.status_code == 302
    assert world.meeting.items.get().text == "补充事项"
    response = client.post(url, grid({}))
    assert "请至少填写一项议定事项。" in response.content.decode()


def test_generate_tasks_then_the_page_shows_each_items_task(world, login, today):
    meeting_items_add(
        actor=world.sup,
        meeting=world.meeting,
        rows=[
            ItemRow(text="事项一", lead_units=[world.a], due=dt.date(2026, 6, 30)),
            ItemRow(text="事项二", lead_units=[world.b], ongoing=True),
        ],
    )
    client = login(world.sup)
    url = reverse("meetings:generate", args=[world.meeting.pk])
    response = client.post(url, {"assign": "1"}, follow=True)
    page = response.content.decode()
    assert "已生成 2 项任务并交办。" in page
    codes = list(Task.objects.filter(source=world.meeting.source).values_list("code", flat=True))
    assert len(codes) == 2 and all(code in page for code in codes)
    assert "已交办" in page
    # again: nothing to make, said plainly, nothing made
    before = count_rows(CHANGED)
    page = client.post(url, follow=True).content.decode()
    assert "所选议定事项都已生成任务，没有需要生成的。" in page
    assert count_rows(CHANGED) == before


def test_generate_a_chosen_item(world, login, today):
    first, second = meeting_items_add(
        actor=world.sup,
        meeting=world.meeting,
        rows=[
            ItemRow(text="事项一", lead_units=[world.a]),
            ItemRow(text="事项二", lead_units=[world.b]),
        ],
    )
    client = login(world.sup)
    client.post(reverse("meetings:generate", args=[world.meeting.pk]), {"items": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.task is None and second.task is not None
    response = client.post(
        reverse("meetings:generate", args=[world.meeting.pk]), {"items": [second.pk]}, follow=True
    )
    assert "所选议定事项不存在或已生成任务。" in response.content.decode()


# --- instructions --------------------------------------------------------------------------


def test_record_an_instruction(world, login, today):
    client = login(world.sup)
    response = client.post(
        reverse("meetings:instruction_create"),
        {
            "leader": world.mayor.pk,
            "given_on": "2026-03-10",
            "text": "请财政局研究。",
            "doc_title": "关于资金的请示",
            "urgency": "urgent",
            "report_due": "2026-03-20",
        },
    )
    instruction = Instruction.objects.get(doc_title="关于资金的请示")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "待分解" in page
    assert reverse("tasks:task_create", kwargs={"source_pk": instruction.source_id}) in page


def test_instruction_form_bad_input(world, login, today):
    client = login(world.sup)
    before = count_rows(CHANGED)
    response = client.post(
        reverse("meetings:instruction_create"),
        {
            "leader": world.sup.pk,
            "given_on": "2026-03-10",
            "text": "",
            "doc_title": "",
            "urgency": "normal",
            "report_due": "2026-03-01",
        },
    )
    page = response.content.decode()
    assert "所选批示领导不存在或不是领导。" in page
    assert "请填写批示内容。" in page and "请填写来文标题。" in page
    assert count_rows(CHANGED) == before


def test_list_highlights_an_overdue_report(world, login):
    from luoshi.lib import clock
    from tests.meetings.world import REPORT_DUE

    with clock.pinned_today(REPORT_DUE + dt.timedelta(days=1)):
        page = login(world.sup).get(reverse("meetings:instructions")).content.decode()
    assert 'class="overdue"' in page and "逾期未报" in page
    page = login(world.sup).get(reverse("meetings:instructions") + "?status=to_decompose")
    assert world.instruction.source.title not in page.content.decode()


def test_report_page_prefills_the_draft_and_sends(world, login, today):
    client = login(world.sup)
    url = reverse("meetings:instruction_report", args=[world.instruction.pk])
    page = client.get(url).content.decode()
    assert "已召开专题会，形成初步方案。" in page
    before = count_rows(CHANGED)
    response = client.post(url, {"text": ""})
    assert "请填写办理情况。" in response.content.decode()
    assert count_rows(CHANGED) == before
    response = client.post(url, {"text": "办理情况：方案已报。"}, follow=True)
    assert "办理情况已报告周市长。" in response.content.decode()
    assert InstructionReport.objects.get().text == "办理情况：方案已报。"


def test_leader_reads_the_report_and_marks_it_read(world, login, today):
    report = instruction_report(actor=world.sup, instruction=world.instruction, text="方案已报。")
    client = login(world.mayor)
    url = reverse("meetings:instruction_detail", args=[world.instruction.pk])
    page = client.get(url).content.decode()
    assert "方案已报。" in page and reverse("meetings:report_read", args=[report.pk]) in page
    response = client.post(
        reverse("meetings:report_read", args=[report.pk]), {"comment": "同意。"}, follow=True
    )
    page = response.content.decode()
    assert "同意。" in page and "已阅（" in page
    # a second time: 403 with the reason
    response = client.post(reverse("meetings:report_read", args=[report.pk]))
    assert response.status_code == 403
    assert "该办理情况报告已标记已阅。" in response.content.decode()


def test_only_the_instructions_leader_may_mark_read(world, login, today):
    report = instruction_report(actor=world.sup, instruction=world.instruction, text="方案已报。")
    url = reverse("meetings:report_read", args=[report.pk])
    response = login(world.sup).post(url)
    assert response.status_code == 403
    assert "只有作出批示的领导可以阅示办理情况报告。" in response.content.decode()
    assert login(world.vice).post(url).status_code == 404  # out of his scope
    assert login(world.liaison_a).post(url).status_code == 403
    report.refresh_from_db()
    assert report.read_at is None


def test_files_are_served_only_to_those_who_see_them(world, login, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.meetings.services import meeting_create

    m = meeting_create(
        actor=world.sup,
        name="会",
        held_on=today,
        minutes_file=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%"),
    )
    url = reverse("meetings:minutes_file", args=[m.pk])
    response = login(world.mayor).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert login(world.vice).get(url).status_code == 404
    url = reverse("meetings:minutes_file", args=[world.meeting.pk])
    assert login(world.sup).get(url).status_code == 404  # no file


def test_generate_and_assign_refuses_an_item_without_due_and_makes_nothing(world, login, today):
    meeting_items_add(
        actor=world.sup, meeting=world.meeting, rows=[ItemRow(text="事项", lead_units=[world.a])]
    )
    before = count_rows(CHANGED)
    url = reverse("meetings:generate", args=[world.meeting.pk])
    page = login(world.sup).post(url, {"assign": "1"}, follow=True).content.decode()
    assert "未设完成时限（或标为长期坚持）" in page
    assert count_rows(CHANGED) == before


# --- 从纪要读取议定事项 -------------------------------------------------------------------------

MINUTES = Path(__file__).resolve().parents[1] / "data" / "documents" / "huiyi-jiyao.docx"


def test_items_are_read_from_a_minutes_file_and_nothing_is_saved(world, login, today):
    client = login(world.sup)
    before = count_rows(CHANGED)
    with MINUTES.open("rb") as f:
        data = grid({"text": "已填的一项", "lead": "发改委"}, action="read", minutes_file=f)
        response = client.post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已从纪要读取 4 项议定事项，请核对后保存。" in page
    assert page.count('name="item_text"') == 6  # the one typed, four read, one blank
    assert "已填的一项" in page
    assert "关于城市交通拥堵治理工作。会议听取了市交通运输局的汇报" in page
    assert 'value="市交通运输局"' in page
    assert 'value="市公安局交通管理局、市城市管理局、市教育局"' in page
    assert 'value="2026年9月底前"' in page and 'value="持续推进"' in page
    assert "示范市人民政府常务会议纪要" in page  # the minutes text, filled in
    assert "请填写会议名称" not in page  # a read is not a save: no complaints yet
    assert count_rows(CHANGED) == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "请先选择纪要文件（.docx、.pdf 或 .txt）。"),
        (("纪要.exe", b"MZ"), "不支持的文件类型"),
        (("纪要.docx", b"not a zip"), ""),
    ],
)
def test_reading_a_bad_minutes_file_says_why(world, login, today, upload, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.sup)
    data = grid(action="read")
    if upload is not None:
        data["minutes_file"] = SimpleUploadedFile(*upload)
    before = count_rows(CHANGED)
    response = client.post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errors"' in page
    assert message in page
    assert count_rows(CHANGED) == before


# --- correcting an item before it is a task -------------------------------------------------


def test_correct_an_item_not_yet_a_task(world, login, today):
    (item,) = meeting_items_add(
        actor=world.sup,
        meeting=world.meeting,
        rows=[ItemRow(text="错字事项", lead_units=[world.a], due=dt.date(2026, 6, 30))],
    )
    client = login(world.sup)
    url = reverse("meetings:item_edit", args=[item.pk])
    page = client.get(url).content.decode()
    assert "错字事项" in page and "再加一行" not in page
    response = client.post(url, grid({"text": "正确事项", "lead": "市交通局", "due": "年底前"}))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "正确事项" and item.lead_units == [world.b]
    assert str(item.due) == "2026-12-31" and item.due_text == "年底前"
    from luoshi.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="meeting.item_update")
    assert event.data["changes"]["text"] == ["错字事项", "正确事项"]
    response = client.post(url, grid({"text": "", "lead": "市交通局"}))
    assert "请填写议定事项的内容。" in response.content.decode()


def test_remove_an_item_not_yet_a_task_but_not_one_that_is(world, login, today):
    first, second = meeting_items_add(
        actor=world.sup,
        meeting=world.meeting,
        rows=[
            ItemRow(text="多余事项", lead_units=[world.a]),
            ItemRow(text="保留事项", lead_units=[world.b]),
        ],
    )
    client = login(world.sup)
    assert (
        login(world.mayor).post(reverse("meetings:item_remove", args=[first.pk])).status_code == 403
    )
    client = login(world.sup)
    page = client.post(reverse("meetings:item_remove", args=[first.pk]), follow=True)
    assert "第 1 项议定事项已删除。" in page.content.decode()
    assert list(world.meeting.items.values_list("text", flat=True)) == ["保留事项"]
    from luoshi.audit.models import AuditEvent

    assert AuditEvent.objects.get(action="meeting.item_remove").data["text"] == "多余事项"
    from luoshi.meetings.services import meeting_generate_tasks

    meeting_generate_tasks(actor=world.sup, meeting=world.meeting)
    before = count_rows(CHANGED)
    page = client.post(reverse("meetings:item_remove", args=[second.pk]), follow=True)
    assert "该议定事项已生成任务，不能删除" in page.content.decode()
    page = client.get(reverse("meetings:item_edit", args=[second.pk]), follow=True)
    assert "该议定事项已生成任务，请在任务页面修改。" in page.content.decode()
    assert count_rows(CHANGED) == before


# --- correcting the meeting itself ------------------------------------------------------------


def test_correct_the_meeting_and_its_source_follows(world, login, today):
    client = login(world.sup)
    url = reverse("meetings:meeting_edit", args=[world.meeting.pk])
    page = client.get(url).content.decode()
    assert 'value="市政府第12次常务会议"' in page and "议定事项" not in page.split("<form")[1]
    data = grid(name="市政府第12次常务会议（扩大）", held_on="2026-03-03", chair=str(world.vice.pk))
    response = client.post(url, data)
    assert response.status_code == 302
    world.meeting.refresh_from_db()
    source = world.meeting.source
    source.refresh_from_db()
    assert world.meeting.name == source.title == "市政府第12次常务会议（扩大）"
    assert str(source.issued_on) == "2026-03-03" and source.doc_number == "纪要〔2026〕13号"
    assert source.issuer == "王副市长"
    from luoshi.audit.models import AuditEvent

    changes = AuditEvent.objects.get(action="meeting.update").data["changes"]
    assert changes["held_on"] == ["2026-03-02", "2026-03-03"]
    assert login(world.mayor).get(url).status_code == 403


def test_the_meeting_date_may_not_pass_an_items_deadline(world, login, today):
    meeting_items_add(
        actor=world.sup,
        meeting=world.meeting,
        rows=[ItemRow(text="事项", lead_units=[world.a], due=dt.date(2026, 3, 5))],
    )
    client = login(world.sup)
    before = count_rows(CHANGED)
    response = client.post(
        reverse("meetings:meeting_edit", args=[world.meeting.pk]), grid(held_on="2026-03-06")
    )
    assert "第 1 项议定事项的完成时限（2026-03-05）早于该日期。" in response.content.decode()
    world.meeting.refresh_from_db()
    assert str(world.meeting.held_on) == "2026-03-02"
    assert count_rows(CHANGED) == before


def test_correct_an_instruction_and_its_source_follows(world, login, today):
    report = instruction_report(actor=world.sup, instruction=world.instruction, text="已报。")
    client = login(world.sup)
    url = reverse("meetings:instruction_edit", args=[world.instruction.pk])
    assert "群众反映物流园周边道路拥堵问题" in client.get(url).content.decode()
    data = {
        "leader": world.mayor.pk,
        "given_on": "2026-03-04",
        "text": "请交通运输局牵头，三日内拿出方案。",
        "doc_title": "群众反映物流园道路拥堵问题",
        "doc_number": "信息〔2026〕8号",
        "urgency": "very_urgent",
        "report_due": "2026-03-12",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    world.instruction.refresh_from_db()
    source = world.instruction.source
    source.refresh_from_db()
    assert source.title == "周市长对《群众反映物流园道路拥堵问题》的批示"
    assert source.content == "请交通运输局牵头，三日内拿出方案。"
    assert str(source.issued_on) == "2026-03-04" and source.doc_number == "信息〔2026〕8号"
    assert world.instruction.urgency == "very_urgent"
    report.refresh_from_db()
    assert report.text == "已报。"  # what was reported stays as it was
    before = count_rows(CHANGED)
    response = client.post(url, {**data, "report_due": "2026-03-01"})
    assert "办理情况报送时限不能早于批示日期。" in response.content.decode()
    assert count_rows(CHANGED) == before
    assert login(world.mayor).get(url).status_code == 403


def test_the_source_page_links_to_the_meeting_and_the_instruction(world, login):
    client = login(world.mayor)
    page = client.get(reverse("tasks:source_detail", args=[world.meeting.source_id]))
    assert reverse("meetings:detail", args=[world.meeting.pk]) in page.content.decode()
    page = client.get(reverse("tasks:source_detail", args=[world.instruction.source_id]))
    url = reverse("meetings:instruction_detail", args=[world.instruction.pk])
    assert url in page.content.decode()
