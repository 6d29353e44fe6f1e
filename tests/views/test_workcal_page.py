"""工作日历: a year as 12 months with holidays, 调休 and overrides; the system administrator
sets or clears a date; others with calendar.view only look."""

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.workcal.models import CalendarDay
from luoshi.workcal.services import WorkCalendar, calendar_day_set

pytestmark = pytest.mark.django_db

URL = reverse("workcal:calendar")


def test_year_page_marks_holidays_makeup_days_and_overrides(world, today, login):
    calendar_day_set(actor=world.sysadmin, day=dt.date(2026, 3, 20), kind="holiday", note="防汛")
    page = login(world.sup).get(URL, {"year": 2026}).content.decode()
    assert page.count('class="card cal-month"') == 12
    assert "国庆节" in page and "春节" in page  # holiday names, in Chinese
    assert 'title="2026-10-01 休息日 · 国庆节"' in page
    assert "2026-02-14 工作日 · 调休上班" in page  # a Saturday worked for the Spring Festival
    assert "管理员调整：防汛" in page
    assert "调整某一天" not in page  # read-only for the supervisor


def test_unknown_year_falls_back_to_weekdays_and_says_so(world, today, login):
    page = login(world.sup).get(URL, {"year": 2099}).content.decode()
    assert "2099 年工作日历" in page and "系统还没有 2099 年的法定节假日安排" in page
    page = login(world.sup).get(URL, {"year": "abc"}).content.decode()
    assert "2026 年工作日历" in page


def test_sysadmin_sets_and_clears_a_day(world, today, login):
    client = login(world.sysadmin)
    page = client.get(URL, {"year": 2026, "date": "2026-10-10"}).content.decode()
    assert "调整某一天" in page and 'value="2026-10-10"' in page
    response = client.post(
        reverse("workcal:day_set"), {"date": "2026-10-10", "kind": "holiday", "note": "调休"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?year=2026#m10"
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 10)).note == "调休"
    assert not WorkCalendar().is_working_day(dt.date(2026, 10, 10))
    response = client.post(reverse("workcal:day_clear"), {"date": "2026-10-10"})
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.filter(action="workcal.day.clear").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2026-02-30", "kind": "holiday"}, "日期格式不正确"),
        ({"date": "十月十日", "kind": "holiday"}, "日期格式不正确"),
        ({"date": "", "kind": "holiday"}, "请填写日期。"),
        ({"date": "1900-01-01", "kind": "holiday"}, "日期须在 2000 年到 2100 年之间。"),
        ({"date": "2026-10-10", "kind": "maybe"}, "请选择工作日或休息日。"),
    ],
)
def test_invalid_input_is_named_and_nothing_written(world, today, login, counts, data, message):
    client = login(world.sysadmin)
    before = counts()
    response = client.post(reverse("workcal:day_set"), data)
    assert response.status_code == 200 and message in response.content.decode()
    response = client.post(reverse("workcal:day_clear"), {"date": data["date"]})
    if data["kind"] == "holiday":
        assert response.status_code == 200 and message in response.content.decode()
    assert counts() == before


def test_calendar_access(world, today, login, counts):
    before = counts()
    data = {"date": "2026-10-10", "kind": "holiday"}
    assert login(world.leader).get(URL).status_code == 200
    assert login(world.sup).post(reverse("workcal:day_set"), data).status_code == 403
    assert login(world.liaison_a).get(URL).status_code == 403
    assert login(world.sysadmin).get(reverse("workcal:day_set")).status_code == 405
    assert login(world.sysadmin).get(reverse("workcal:day_clear")).status_code == 405
    assert counts() == before
