"""notify() creates the deliveries for each recipient's channels in its own transaction:
e-mail and SMS for users who want them at once, one post per unit's group robot per
notification key — and nothing is sent inline."""

from __future__ import annotations

import pytest
from django.db import transaction

from luoshi.notifications.models import Delivery, DeliveryStatus, Notification, WebhookEndpoint
from luoshi.notifications.services import notify

from .conftest import SITE, prefer


def robot(unit=None, platform="wecom", **extra) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        name=f"{platform}-{unit or 'all'}",
        platform=platform,
        url="http://127.0.0.1:9/hook",
        unit=unit,
        **extra,
    )


def keys() -> set[tuple[str, str]]:
    return set(Delivery.objects.values_list("channel", "target"))


def test_an_immediate_user_gets_one_delivery_per_enabled_channel_with_an_address(world, today):
    prefer(world.liaison_a, email=True, sms=True)
    prefer(world.head_a, email=False, sms=True)
    prefer(world.liaison_b, email=True, sms=True)  # no phone: e-mail only
    notify(
        recipients=[world.liaison_a, world.head_a, world.liaison_b],
        kind="urge",
        title="请尽快填报进展",
        body="本月进展尚未填报。",
        task=world.task,
    )
    assert keys() == {
        ("email", "liaison_a@example.gov.cn"),
        ("sms", "13800000001"),
        ("sms", "13800000002"),
        ("email", "liaison_b@example.gov.cn"),
    }
    mail = Delivery.objects.get(channel="email", target="liaison_a@example.gov.cn")
    assert mail.status == DeliveryStatus.PENDING and mail.attempts == 0
    assert mail.next_attempt_at is not None and mail.sent_at is None
    assert mail.subject == "【催办】请尽快填报进展"
    assert "本月进展尚未填报。" in mail.body and world.task.code in mail.body
    assert mail.url == f"{SITE}/tasks/{world.task.pk}/"
    assert mail.notification.recipient == world.liaison_a


def test_digest_mode_and_missing_addresses_make_no_delivery_now(world, today):
    prefer(world.liaison_a, email=True, sms=True, mode="digest")
    world.head_a.email = ""
    world.head_a.save()
    prefer(world.head_a, email=True, sms=False)
    notify(recipients=[world.liaison_a, world.head_a], kind="reminder", title="三天后到期")
    assert Notification.objects.count() == 2
    assert not Delivery.objects.exists()


def test_without_saved_preferences_the_default_is_a_daily_digest(world, today):
    notify(recipients=[world.liaison_a], kind="reminder", title="三天后到期")
    assert not Delivery.objects.exists()


def test_default_immediate_by_setting(world, today, settings):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DEFAULT_MODE": "immediate"}
    notify(recipients=[world.liaison_a], kind="reminder", title="三天后到期")
    assert keys() == {("email", "liaison_a@example.gov.cn")}  # SMS is off by default


def test_a_repeated_key_creates_no_second_delivery(world, today):
    prefer(world.liaison_a)
    for _ in range(3):
        notify(recipients=[world.liaison_a], kind="urge", title="催办", dedupe_key="urge:1:d")
    assert Delivery.objects.count() == 1


def test_a_units_robot_gets_one_post_per_key_not_one_per_person(world, today):
    hook_a, hook_b, everyone = robot(world.a), robot(world.b, "dingtalk"), robot(None, "feishu")
    robot(world.a, enabled=False)
    robot(world.a, mode="digest")  # posts once a day instead
    notify(
        recipients=[world.liaison_a, world.head_a],
        kind="urge",
        title="请尽快填报进展",
        task=world.task,
        dedupe_key="urge:t1:2026-03-10",
    )
    # The next step for the same key (say, the head alone) posts nothing more.
    notify(
        recipients=[world.head_a, world.liaison_b],
        kind="urge",
        title="请尽快填报进展",
        dedupe_key="urge:t1:2026-03-10",
    )
    posts = Delivery.objects.exclude(endpoint=None)
    by_endpoint = {}
    for d in posts:
        by_endpoint[d.endpoint_id] = by_endpoint.get(d.endpoint_id, 0) + 1
    assert by_endpoint == {hook_a.pk: 1, hook_b.pk: 1, everyone.pk: 1}
    post_a = posts.get(endpoint=hook_a)
    assert post_a.channel == "wecom" and "甲联络员、甲主任" in post_a.body
    assert posts.get(endpoint=hook_b).channel == "dingtalk"


def test_without_a_key_every_call_posts_once(world, today):
    hook = robot(world.a)
    notify(recipients=[world.liaison_a, world.head_a], kind="notice", title="督办单一")
    notify(recipients=[world.liaison_a], kind="notice", title="督办单二")
    assert Delivery.objects.filter(endpoint=hook).count() == 2


def test_deliveries_share_the_callers_transaction(world, today):
    prefer(world.liaison_a)
    robot(world.a)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[world.liaison_a], kind="urge", title="催办")
        assert Delivery.objects.count() == 2
        raise RuntimeError("the caller's step fails after notifying")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_the_inbox_needs_no_delivery(world, today):
    prefer(world.liaison_a, email=False, sms=False)
    created = notify(recipients=[world.liaison_a], kind="task", title="新任务")
    assert len(created) == 1 and not Delivery.objects.exists()


def test_in_one_transaction_preferences_and_robots_are_read_once(world, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    robot(world.a)
    prefer(world.liaison_a)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        for i in range(5):
            notify(recipients=[world.liaison_a, world.head_a], kind="urge", title=f"催办{i}")
    sql = [q["sql"] for q in queries]
    assert len([s for s in sql if "notifications_notificationpreference" in s]) == 1
    assert len([s for s in sql if "notifications_webhookendpoint" in s]) == 1
    assert Delivery.objects.filter(channel="email").count() == 5
    assert Delivery.objects.exclude(endpoint=None).count() == 5


def test_a_preference_or_robot_saved_in_the_same_transaction_is_honoured(world, today):
    with transaction.atomic():
        notify(recipients=[world.liaison_a], kind="urge", title="一")  # digest: nothing yet
        prefer(world.liaison_a, email=True)
        robot(world.a)
        notify(recipients=[world.liaison_a], kind="urge", title="二")
    assert keys() == {
        ("email", "liaison_a@example.gov.cn"),
        ("wecom", "wecom-示范市发展和改革委员会"),
    }
