"""notify_many(): many messages at once through the same door as notify() — one inbox row
per recipient and key, inactive users skipped, and the same deliveries (e-mail and SMS for
users who want them at once, one robot post per unit per message)."""

from __future__ import annotations

import pytest
from django.db import transaction

from luoshi.notifications.models import Delivery, Notification
from luoshi.notifications.services import NotifyItem, notify, notify_many

from .conftest import prefer
from .test_notifications_deliveries import keys, robot


def item(recipients, title, key="", **extra) -> NotifyItem:
    return NotifyItem(recipients=recipients, kind="urge", title=title, dedupe_key=key, **extra)


def rows() -> list[tuple]:
    return list(
        Notification.objects.order_by("pk").values_list(
            "recipient__username", "title", "dedupe_key", "task_id", "url", "body"
        )
    )


def test_each_message_reaches_each_active_recipient_once(world, today):
    world.head_a.is_active = False
    world.head_a.save()
    made = notify_many(
        [
            item([world.liaison_a, world.head_a, world.liaison_a], "一", "k:1", task=world.task),
            item([world.liaison_b], "二", url="/tasks/1/", body="请填报。"),
            item([world.liaison_a, world.liaison_b], "三", "k:3"),
        ]
    )
    assert made == 4
    assert sorted(rows()) == sorted(
        [
            ("liaison_a", "一", "k:1", world.task.pk, "", ""),
            ("liaison_b", "二", "", None, "/tasks/1/", "请填报。"),
            ("liaison_a", "三", "k:3", None, "", ""),
            ("liaison_b", "三", "k:3", None, "", ""),
        ]
    )
    assert {n.created_at for n in Notification.objects.all()} == {
        Notification.objects.first().created_at
    }


def test_a_key_already_used_notifies_nobody_twice_whichever_door(world, today):
    notify(recipients=[world.liaison_a], kind="urge", title="催办", dedupe_key="ladder:1:urge")
    made = notify_many(
        [
            item([world.liaison_a, world.liaison_b], "催办", "ladder:1:urge"),
            item([world.liaison_b], "同一个键再来一次", "ladder:1:urge"),  # same call: the first
        ]
    )
    assert made == 1
    assert notify_many([item([world.liaison_a, world.liaison_b], "催办", "ladder:1:urge")]) == 0
    assert sorted(rows()) == [
        ("liaison_a", "催办", "ladder:1:urge", None, "", ""),
        ("liaison_b", "催办", "ladder:1:urge", None, "", ""),
    ]
    assert (
        notify(recipients=[world.liaison_b], kind="urge", title="x", dedupe_key="ladder:1:urge")
        == []
    )


def test_deliveries_as_notify_makes_them(world, today):
    prefer(world.liaison_a, email=True, sms=True)  # at once
    prefer(world.liaison_b, email=True, mode="digest")  # the digest: the inbox only
    hook = robot(world.a)
    notify_many(
        [
            item([world.liaison_a, world.head_a], "一", "k:1"),
            item([world.liaison_a], "二"),
            item([world.liaison_b], "三", "k:3"),  # no robot of B's, digest: no delivery
        ]
    )
    assert keys() == {
        ("email", "liaison_a@example.gov.cn"),
        ("sms", "13800000001"),
        ("wecom", "wecom-示范市发展和改革委员会"),
    }
    assert Delivery.objects.filter(channel="email").count() == 2  # one per message
    posts = {d.subject: d.body for d in Delivery.objects.filter(endpoint=hook)}
    assert len(posts) == 2  # one post per message, naming its recipients
    assert "甲联络员、甲主任" in posts["【催办】一"] and "甲主任" not in posts["【催办】二"]
    assert {d.notification.recipient for d in Delivery.objects.exclude(channel="wecom")} == {
        world.liaison_a
    }


def test_no_preferences_no_robots_means_the_inbox_alone(world, today):
    assert notify_many([item([world.liaison_a, world.liaison_b], "一", "k:1")]) == 2
    assert not Delivery.objects.exists()


def test_nothing_to_do(world, today):
    assert notify_many([]) == 0
    assert notify_many([item([], "一", "k"), item([None], "二")]) == 0
    assert not Notification.objects.exists()


def test_it_is_one_transaction_with_the_caller(world, today):
    prefer(world.liaison_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_many([item([world.liaison_a], "一", "k:1"), item([world.liaison_a], "二")])
        assert Delivery.objects.count() == 2
        raise RuntimeError("the ladder's batch fails after notifying")
    assert not Notification.objects.exists() and not Delivery.objects.exists()
