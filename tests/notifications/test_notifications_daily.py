"""每日汇总: a user in digest mode gets one message per channel per day listing what they have
not been sent — a liaison with 30 due tasks gets one message, not 30 — and never the same
notification twice; a group robot in digest mode gets one post a day per unit."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from luoshi.lib import clock
from luoshi.notifications.daily import run_daily
from luoshi.notifications.models import Delivery, DeliveryKind, Notification, WebhookEndpoint
from luoshi.notifications.sending import deliveries_send_due
from luoshi.notifications.services import notifications_mark_read, notify

from .conftest import SITE, TODAY, prefer


def remind(user, n, day=TODAY, prefix="提醒"):
    with clock.pinned_today(day):
        for i in range(n):
            notify(
                recipients=[user],
                kind="reminder",
                title=f"{prefix}{i + 1}：三个工作日后到期",
                dedupe_key=f"{prefix}:{i}:{day}",
            )


def digests(**filters):
    return Delivery.objects.filter(kind=DeliveryKind.DIGEST, **filters)


def test_thirty_reminders_make_one_message(world, smtp):
    smtp.start()
    remind(world.liaison_a, 30)  # no saved preferences: digest mode, e-mail on
    assert not Delivery.objects.exists()
    result = run_daily(today=TODAY)
    assert result == {"digests": 1, "digest_notifications": 30, "robot_digests": 0}
    digest = digests().get()
    assert (digest.channel, digest.target) == ("email", "liaison_a@example.gov.cn")
    assert digest.digest_date == TODAY and digest.covered.count() == 30
    assert digest.subject == "落实每日汇总（2026-03-10）：您有 30 条新消息"
    assert digest.body.startswith("甲联络员，您好：\n您有 30 项待办或提醒：\n1. 【提醒】提醒1")
    assert "30. 【提醒】提醒30：三个工作日后到期" in digest.body
    assert digest.url == f"{SITE}/notifications/?filter=unread"
    assert deliveries_send_due()["sent"] == 1
    assert len(smtp.messages) == 1


def test_a_second_run_the_same_day_adds_nothing(world):
    remind(world.liaison_a, 3)
    run_daily(today=TODAY)
    assert run_daily(today=TODAY) == {"digests": 0, "digest_notifications": 0, "robot_digests": 0}
    assert digests().count() == 1


def test_the_next_day_lists_only_what_is_new(world):
    remind(world.liaison_a, 3, day=TODAY)
    run_daily(today=TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    remind(world.liaison_a, 2, day=tomorrow, prefix="催办")
    assert run_daily(today=tomorrow)["digest_notifications"] == 2
    later = digests().get(digest_date=tomorrow)
    assert {n.title[:3] for n in later.covered.all()} == {"催办1", "催办2"}
    assert run_daily(today=tomorrow + dt.timedelta(days=1))["digests"] == 0


def test_what_arrived_after_yesterdays_run_is_in_todays(world):
    yesterday = TODAY - dt.timedelta(days=1)
    run_daily(today=yesterday)  # in the morning: nothing yet
    remind(world.liaison_a, 1, day=yesterday)  # a 催办 by hand in the afternoon
    assert run_daily(today=TODAY)["digest_notifications"] == 1


def test_read_notifications_and_immediate_users_are_left_out(world):
    remind(world.liaison_a, 2)
    notifications_mark_read(user=world.liaison_a, ids=[Notification.objects.first().pk])
    prefer(world.head_a, email=True, mode="immediate")
    remind(world.head_a, 2)  # sent one by one already
    assert run_daily(today=TODAY)["digest_notifications"] == 1
    assert not digests(user=world.head_a).exists()


def test_one_digest_per_channel(world):
    prefer(world.liaison_a, email=True, sms=True, mode="digest")
    remind(world.liaison_a, 4)
    run_daily(today=TODAY)
    assert set(digests().values_list("channel", "target")) == {
        ("email", "liaison_a@example.gov.cn"),
        ("sms", "13800000001"),
    }


def test_a_long_list_is_cut_and_counted(world, settings):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DIGEST_MAX_ITEMS": 5}
    remind(world.liaison_a, 8)
    run_daily(today=TODAY)
    digest = digests().get()
    assert "5. 【提醒】提醒5" in digest.body and "6. " not in digest.body
    assert digest.body.endswith("……另有 3 条，请登录系统查看。")
    assert digest.covered.count() == 8


def test_a_robot_in_digest_mode_posts_once_a_day_each_key_once(world):
    robot = WebhookEndpoint.objects.create(
        name="发改委工作群",
        platform="wecom",
        url="http://127.0.0.1:9/x",
        unit=world.a,
        mode="digest",
    )
    with clock.pinned_today(TODAY):
        for i in range(3):
            notify(
                recipients=[world.liaison_a, world.head_a],
                kind="urge",
                title=f"催办{i + 1}",
                dedupe_key=f"urge:{i}",
            )
        notify(recipients=[world.liaison_b], kind="urge", title="别的单位")
    assert not Delivery.objects.filter(endpoint=robot).exists()  # nothing at once
    assert run_daily(today=TODAY)["robot_digests"] == 1
    post = Delivery.objects.get(endpoint=robot)
    assert post.subject.endswith("您有 3 条新消息") and post.body.startswith("市发展改革委，您好：")
    assert "别的单位" not in post.body
    assert run_daily(today=TODAY)["robot_digests"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_digest_at_once_make_it_once(world):
    remind(world.liaison_a, 5)
    remind(world.head_a, 5)
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            run_daily(today=TODAY)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert digests().count() == 2
    assert Delivery.covered.through.objects.count() == 10


def test_a_robot_switched_to_digest_does_not_repeat_what_it_posted(world):
    robot = WebhookEndpoint.objects.create(
        name="发改委工作群", platform="wecom", url="http://127.0.0.1:9/x", unit=world.a
    )
    with clock.pinned_today(TODAY):
        notify(
            recipients=[world.liaison_a, world.head_a], kind="urge", title="已推送", dedupe_key="k1"
        )
        robot.mode = "digest"
        robot.save()
        notify(recipients=[world.liaison_a], kind="urge", title="未推送", dedupe_key="k2")
    run_daily(today=TODAY)
    post = Delivery.objects.get(endpoint=robot, kind=DeliveryKind.DIGEST)
    assert "未推送" in post.body and "已推送" not in post.body


def test_a_day_the_worker_missed_is_caught_up(world):
    remind(world.liaison_a, 2, day=TODAY - dt.timedelta(days=2))
    assert run_daily(today=TODAY)["digest_notifications"] == 2
    assert run_daily(today=TODAY + dt.timedelta(days=1))["digest_notifications"] == 0
