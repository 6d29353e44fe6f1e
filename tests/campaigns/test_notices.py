"""督查通知 timing in working days — across 国庆 and the 调休 Saturday 2026-10-10 — through
the daily tick; never for 暗访; once per unit; by hand earlier."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.campaigns.daily import run_daily
from luoshi.campaigns.models import InspectionNotice, NoticeWay
from luoshi.campaigns.services.notices import notice_date, notices_send
from luoshi.lib import clock
from luoshi.notifications.models import Notification
from luoshi.tasks.services.tick import daily_tick

pytestmark = pytest.mark.django_db


def _units_noticed(inspection) -> set[int]:
    return set(
        InspectionNotice.objects.filter(inspection=inspection).values_list("unit", flat=True)
    )


def test_three_working_days_before_monday_after_the_holiday_is_thursday(world):
    # start Mon 10-12: back over Sun 10-11 (rest), Sat 10-10 (调休, works), Fri 10-09, Thu 10-08
    inspection = world.make()
    assert notice_date(inspection) == dt.date(2026, 10, 8)
    for day in (dt.date(2026, 9, 30), dt.date(2026, 10, 5), dt.date(2026, 10, 7)):
        assert run_daily(today=day) == {"campaign_notices": 0}
    assert _units_noticed(inspection) == set()
    assert run_daily(today=dt.date(2026, 10, 8)) == {"campaign_notices": 2}
    assert _units_noticed(inspection) == {world.a.pk, world.b.pk}
    notice = InspectionNotice.objects.get(inspection=inspection, unit=world.a)
    assert notice.way == NoticeWay.AUTO and notice.sent_by is None
    assert notice.sent_on == dt.date(2026, 10, 8)


def test_the_make_up_saturday_counts_as_a_working_day(world):
    inspection = world.make(notice_days_ahead=1)
    assert notice_date(inspection) == dt.date(2026, 10, 10)  # the 调休 Saturday
    assert run_daily(today=dt.date(2026, 10, 9)) == {"campaign_notices": 0}
    assert run_daily(today=dt.date(2026, 10, 10)) == {"campaign_notices": 2}


def test_a_start_right_after_the_holiday_sends_before_it(world):
    # start Thu 10-08 with 2 working days: Tue 09-30 (1 before: 09-30), (2: 09-29)
    inspection = world.make(
        start_date=dt.date(2026, 10, 8), end_date=dt.date(2026, 10, 9), notice_days_ahead=2
    )
    assert notice_date(inspection) == dt.date(2026, 9, 29)
    assert run_daily(today=dt.date(2026, 9, 28)) == {"campaign_notices": 0}
    assert run_daily(today=dt.date(2026, 9, 29)) == {"campaign_notices": 2}


def test_the_tick_sends_them_once_and_catches_up_a_missed_day(world):
    inspection = world.make()
    summary = daily_tick(today=dt.date(2026, 10, 9))  # the 10-08 run was missed
    assert summary["campaigns.campaign_notices"] == 2
    assert daily_tick(today=dt.date(2026, 10, 9))["campaigns.campaign_notices"] == 0
    assert InspectionNotice.objects.filter(inspection=inspection).count() == 2
    inbox = Notification.objects.filter(recipient__in=[world.liaison_a, world.head_a])
    assert inbox.count() == 2  # one each, not two
    assert "优化营商环境专项督查" in inbox.first().title
    assert not Notification.objects.filter(recipient=world.liaison_c).exists()


def test_unannounced_checks_get_no_notice_ever(world):
    inspection = world.make(unannounced=True, methods=["unannounced", "visit"])
    assert notice_date(inspection) is None
    for day in (dt.date(2026, 10, 8), dt.date(2026, 10, 12), dt.date(2026, 10, 15)):
        assert run_daily(today=day) == {"campaign_notices": 0}
    with clock.pinned_today(dt.date(2026, 10, 9)), pytest.raises(ValidationError) as exc:
        notices_send(actor=world.sup, inspection=inspection)
    assert "暗访不发督查通知" in str(exc.value)
    assert not InspectionNotice.objects.filter(inspection=inspection).exists()
    assert not Notification.objects.filter(recipient=world.liaison_a).exists()


def test_the_office_may_send_earlier_by_hand_and_the_tick_adds_nothing(world):
    inspection = world.make()
    with clock.pinned_today(dt.date(2026, 9, 22)):
        sent = notices_send(actor=world.sup, inspection=inspection)
    assert {n.unit_id for n in sent} == {world.a.pk, world.b.pk}
    assert all(n.way == NoticeWay.MANUAL and n.sent_by == world.sup for n in sent)
    assert run_daily(today=dt.date(2026, 10, 8)) == {"campaign_notices": 0}


def test_only_the_office_sends_and_only_once_launched(world):
    draft = world.make(launch=False)
    assert run_daily(today=dt.date(2026, 10, 8)) == {"campaign_notices": 0}
    with clock.pinned_today(dt.date(2026, 9, 22)):
        with pytest.raises(ValidationError):
            notices_send(actor=world.sup, inspection=draft)
        with pytest.raises(PermissionDenied):
            notices_send(actor=world.leader, inspection=draft)


def test_launching_after_the_notice_date_sends_at_once(world):
    inspection = world.make(on=dt.date(2026, 10, 9))
    assert _units_noticed(inspection) == {world.a.pk, world.b.pk}


def test_an_ended_inspection_is_not_noticed_late(world):
    inspection = world.make()
    assert run_daily(today=dt.date(2026, 10, 19)) == {"campaign_notices": 0}
    assert not InspectionNotice.objects.filter(inspection=inspection).exists()
