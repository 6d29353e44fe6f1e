"""The 表彰与问责 pages over HTTP: list and filters, export, recording from the list and
from a task's page, a record's page, revoke and correct; allowed, read-only 403, outsider
404, wrong method 405."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.outcomes.models import OutcomeKind, OutcomeRecord
from luoshi.outcomes.services import outcome_record
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db

MODELS = (OutcomeRecord, AuditEvent)


def _record(world, **kw):
    args = {
        "actor": world.sup,
        "kind": OutcomeKind.COMMENDATION,
        "unit": world.a,
        "task": world.closed,
        "recorded_on": dt.date(2026, 3, 5),
        "text": "提前完成年度投资计划编制。",
    }
    args.update(kw)
    return outcome_record(**args)


def _post(world, **kw):
    data = {
        "kind": OutcomeKind.COMMENDATION,
        "unit": str(world.a.pk),
        "recorded_on": "2026-03-09",
        "text": "编制工作提前完成，予以表彰。",
        "doc_number": "市府办通〔2026〕8号",
    }
    data.update(kw)
    return data


def test_list_filters_by_kind_unit_and_dates(world, today, login):
    _record(world)
    _record(world, kind=OutcomeKind.PUBLIC_CRITICISM, unit=world.c, task=None, text="通报批评丙")
    _record(world, recorded_on=dt.date(2026, 1, 5), text="一月份的表彰")
    client = login(world.sup)
    page = client.get(reverse("outcomes:list")).content.decode()
    assert "提前完成年度投资计划编制" in page and "通报批评丙" in page
    page = client.get(reverse("outcomes:list"), {"kind": "public_criticism"}).content.decode()
    assert "通报批评丙" in page and "提前完成年度投资计划编制" not in page
    page = client.get(reverse("outcomes:list"), {"unit": world.a.pk}).content.decode()
    assert "通报批评丙" not in page and "一月份的表彰" in page
    page = client.get(
        reverse("outcomes:list"), {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    ).content.decode()
    assert "一月份的表彰" not in page and "提前完成年度投资计划编制" in page
    # malformed filters are ignored, not an error
    assert (
        client.get(reverse("outcomes:list"), {"unit": "x", "date_from": "昨天"}).status_code == 200
    )


def test_list_shows_only_what_the_reader_may_read(world, today, login):
    _record(world)
    _record(world, kind=OutcomeKind.PUBLIC_CRITICISM, unit=world.c, task=None, text="通报批评丙")
    page = login(world.lead_liaison).get(reverse("outcomes:list")).content.decode()
    assert "提前完成年度投资计划编制" in page and "通报批评丙" not in page
    assert reverse("outcomes:new") not in page
    page = login(world.other_head).get(reverse("outcomes:list")).content.decode()
    assert "通报批评丙" in page and "提前完成年度投资计划编制" not in page


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_administrators_get_403(world, today, login, persona):
    client = login(getattr(world, persona))
    for name in ("outcomes:list", "outcomes:export", "outcomes:new"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "表彰" in response.content.decode()


def test_export_is_an_xlsx_with_formula_text_kept_as_text(world, today, login):
    from openpyxl import load_workbook

    _record(world, text='=HYPERLINK("http://x")')
    response = login(world.sup).get(reverse("outcomes:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]][:3] == ["日期", "类型", "单位"]
    row = [c for c in ws[2]]
    assert row[1].value == "表彰"
    assert row[7].value == '=HYPERLINK("http://x")'
    assert row[7].data_type == "s"
    assert AuditEvent.objects.filter(action="outcome.export").count() == 1
    # a unit exports only its own
    _record(world, kind=OutcomeKind.TALK, unit=world.c, task=None, text="约谈丙")
    ws = load_workbook(
        io.BytesIO(login(world.lead_head).get(reverse("outcomes:export")).content)
    ).active
    assert ws.max_row == 2


def test_the_office_records_for_a_unit(world, today, login):
    response = login(world.sup).post(reverse("outcomes:new"), _post(world, unit=str(world.c.pk)))
    record = OutcomeRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:detail", args=[record.pk])
    assert record.unit == world.c and record.task is None
    assert record.doc_number == "市府办通〔2026〕8号"


def test_bad_input_shows_the_chinese_message_and_writes_nothing(world, today, login):
    client = login(world.sup)
    before = count_rows(MODELS)
    response = client.post(reverse("outcomes:new"), _post(world, text="", recorded_on="2026-04-01"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写事由。" in page
    assert count_rows(MODELS) == before
    response = client.post(reverse("outcomes:new"), _post(world, recorded_on="2026-04-01"))
    assert "日期不能晚于今天。" in response.content.decode()
    assert count_rows(MODELS) == before


def test_recording_from_the_task_page(world, today, login):
    client = login(world.sup)
    page = client.get(reverse("tasks:detail", args=[world.closed.pk])).content.decode()
    url = reverse("outcomes:new_for_task", args=[world.closed.pk])
    assert url in page
    response = client.post(url, _post(world))
    assert response.status_code == 302
    record = OutcomeRecord.objects.get()
    assert record.task == world.closed
    page = client.get(reverse("tasks:detail", args=[world.closed.pk])).content.decode()
    assert 'id="outcomes"' in page and "编制工作提前完成，予以表彰。" in page
    # the co-unit B does not read A's record on the task page
    page = login(world.co_liaison).get(reverse("tasks:detail", args=[world.closed.pk]))
    assert "编制工作提前完成，予以表彰。" not in page.content.decode()
    # the lead unit does
    page = login(world.lead_liaison).get(reverse("tasks:detail", args=[world.closed.pk]))
    assert "编制工作提前完成，予以表彰。" in page.content.decode()
    assert url not in page.content.decode()


def test_a_leader_praises_from_the_task_page(world, today, login):
    client = login(world.leader_in)
    url = reverse("outcomes:new_for_task", args=[world.closed.pk])
    page = client.get(reverse("tasks:detail", args=[world.closed.pk])).content.decode()
    assert url in page and "领导表扬" in page
    form = client.get(url).content.decode()
    assert 'value="public_criticism"' not in form
    response = client.post(url, _post(world, kind=OutcomeKind.LEADER_COMMENDATION))
    assert response.status_code == 302
    assert OutcomeRecord.objects.get().kind == OutcomeKind.LEADER_COMMENDATION
    before = count_rows(MODELS)
    response = client.post(url, _post(world, kind=OutcomeKind.PUBLIC_CRITICISM))
    assert response.status_code == 200  # the choice is not offered: a form error
    assert count_rows(MODELS) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sup", 200),
        ("leader_in", 200),
        ("lead_head", 403),
        ("co_liaison", 403),
        ("other_head", 404),
        ("leader_out", 404),
        ("sup_out", 404),
        ("auditor", 404),
    ],
)
def test_record_form_on_a_task_by_role(world, today, login, persona, status):
    response = login(getattr(world, persona)).get(
        reverse("outcomes:new_for_task", args=[world.closed.pk])
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sup", 200), ("leader_in", 200), ("lead_head", 200), ("other_head", 404), ("sup_out", 404)],
)
def test_record_page_by_role(world, today, login, persona, status):
    record = _record(world)
    response = login(getattr(world, persona)).get(reverse("outcomes:detail", args=[record.pk]))
    assert response.status_code == status


def test_revoke_and_correct_over_http(world, today, login):
    record = _record(world)
    url = reverse("outcomes:revoke", args=[record.pk])
    # read-only reader: 403; outsider: 404; wrong method: 405
    before = count_rows(MODELS)
    assert login(world.lead_head).post(url, {"reason": "不同意"}).status_code == 403
    assert login(world.other_head).post(url, {"reason": "不同意"}).status_code == 404
    client = login(world.sup)
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": ""})
    assert "请填写撤销理由。" in response.content.decode()
    assert count_rows(MODELS) == before
    correct = reverse("outcomes:correct", args=[record.pk])
    assert login(world.lead_head).get(correct).status_code == 403
    client = login(world.sup)
    response = client.post(correct, _post(world, text="更正后的事由。"))
    new = OutcomeRecord.objects.exclude(pk=record.pk).get()
    assert response["Location"] == reverse("outcomes:detail", args=[new.pk])
    record.refresh_from_db()
    assert record.superseded_by == new
    # a superseded record can no longer be revoked or corrected
    assert client.post(url, {"reason": "撤销"}).status_code == 403
    assert (
        client.post(reverse("outcomes:revoke", args=[new.pk]), {"reason": "撤销"}).status_code
        == 302
    )
    new.refresh_from_db()
    assert new.revoke_reason == "撤销"
    page = client.get(reverse("outcomes:detail", args=[new.pk])).content.decode()
    assert "已撤销" in page


def test_menu_entry(world, today, login):
    url = reverse("outcomes:list")
    assert url in login(world.sup).get(reverse("home")).content.decode()
    assert url in login(world.lead_liaison).get(reverse("home")).content.decode()
    assert url not in login(world.sysadmin).get(reverse("org:units")).content.decode()


def test_the_list_reads_a_bounded_number_of_queries(
    world, today, login, django_assert_max_num_queries
):
    for n in range(30):
        _record(world, text=f"第{n}条表彰。", cadre=world.lead_head if n % 2 else None)
    client = login(world.sup)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("outcomes:list"))
    assert response.content.decode().count("条表彰。") == 30
