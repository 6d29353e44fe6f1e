"""The pages: everyone's inbox and unread badge, their preferences; the system
administrator's deliveries (with 重试) and group robots. Each mutating view with the allowed
user, an outsider and the wrong method."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from luoshi.audit.models import AuditEvent
from luoshi.notifications.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)
from luoshi.notifications.services import notify

from .conftest import TODAY


@pytest.fixture
def login(client):
    def as_user(user):
        client.logout()
        client.force_login(user)
        return client

    return as_user


def note(user, title, **extra):
    return notify(recipients=[user], kind="urge", title=title, **extra)[0]


# --- the badge ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sup", "liaison_a", "sysadmin", "auditor"])
def test_every_logged_in_user_sees_their_unread_count(world, today, login, who):
    user = getattr(world, who)
    for i in range(3):
        note(user, f"消息{i}")
    note(world.head_a, "别人的消息")
    first = Notification.objects.filter(recipient=user).order_by("id").first()
    first.read_at = timezone.now()
    first.save()
    client = login(user)
    for url in (reverse("home"), reverse("notifications:inbox")):
        page = client.get(url, follow=True).content.decode()
        assert 'id="notify-badge"' in page and '<span class="notify-count">2</span>' in page


def test_the_badge_costs_one_query(world, today, login):
    note(world.liaison_a, "消息")
    client = login(world.liaison_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


def test_the_badge_fragment_for_htmx(world, today, login):
    note(world.liaison_a, "消息")
    response = login(world.liaison_a).get(reverse("notifications:badge"))
    text = response.content.decode()
    assert text.startswith('<a id="notify-badge"') and 'hx-trigger="every 60s' in text
    assert '<span class="notify-count">1</span>' in text


def test_no_unread_no_count(world, today, login):
    page = login(world.liaison_a).get(reverse("notifications:inbox")).content.decode()
    assert 'id="notify-badge"' in page and "notify-count" not in page


# --- the inbox ---------------------------------------------------------------------------------


def test_inbox_lists_own_notifications_unread_first(world, today, login):
    old_unread = note(world.liaison_a, "较早未读")
    read = note(world.liaison_a, "最新已读")
    Notification.objects.filter(pk=read.pk).update(
        created_at=timezone.now() + dt.timedelta(hours=1), read_at=timezone.now()
    )
    note(world.liaison_b, "别人的消息")
    client = login(world.liaison_a)
    page = client.get(reverse("notifications:inbox"))
    assert [n.pk for n in page.context["page"]] == [old_unread.pk, read.pk]
    text = page.content.decode()
    assert "别人的消息" not in text and "1 条未读" in text
    unread_only = client.get(reverse("notifications:inbox") + "?filter=unread")
    assert [n.pk for n in unread_only.context["page"]] == [old_unread.pk]


def test_opening_a_notification_marks_it_read_and_goes_to_the_task(world, today, login):
    mine = note(world.liaison_a, "请填报", task=world.task)
    response = login(world.liaison_a).get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == f"/tasks/{world.task.pk}/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_one_read(world, today, login):
    mine = note(world.liaison_a, "请填报")
    url = reverse("notifications:read", args=[mine.pk])
    client = login(world.liaison_a)
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": reverse("notifications:inbox") + "?filter=unread"})
    assert response.status_code == 302 and response["Location"].endswith("?filter=unread")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_read_with_htmx_returns_the_row_and_the_badge(world, today, login):
    mine = note(world.liaison_a, "请填报")
    note(world.liaison_a, "另一条")
    response = login(world.liaison_a).post(
        reverse("notifications:read", args=[mine.pk]), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert text.startswith(f'<tr id="note-{mine.pk}"') and "已读" in text
    assert 'hx-swap-oob="true"' in text and '<span class="notify-count">1</span>' in text


def test_nobody_marks_another_users_notification(world, today, login):
    theirs = note(world.liaison_b, "别人的消息")
    client = login(world.liaison_a)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_own(world, today, login):
    for i in range(3):
        note(world.liaison_a, f"消息{i}")
    theirs = note(world.liaison_b, "别人的消息")
    client = login(world.liaison_a)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=world.liaison_a, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- preferences -------------------------------------------------------------------------------


def test_preferences_show_the_defaults_and_save(world, today, login):
    client = login(world.liaison_a)
    url = reverse("notifications:preferences")
    page = client.get(url)
    assert page.context["form"].initial == {"email": True, "sms": False, "mode": "digest"}
    assert "liaison_a@example.gov.cn" in page.content.decode()
    response = client.post(url, {"email": "on", "sms": "on", "mode": "immediate"})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=world.liaison_a)
    assert (pref.email, pref.sms, pref.mode) == (True, True, "immediate")
    assert AuditEvent.objects.filter(action="notifications.preferences").count() == 1


def test_preferences_refuse_an_unknown_mode(world, today, login):
    response = login(world.liaison_a).post(
        reverse("notifications:preferences"), {"email": "on", "mode": "hourly"}
    )
    assert response.status_code == 200 and response.context["form"].errors["mode"]
    assert not NotificationPreference.objects.exists()


# --- the administrator's pages ------------------------------------------------------------------


def failed_delivery(world, status=DeliveryStatus.DEAD):
    now = timezone.now()
    return Delivery.objects.create(
        channel="email",
        user=world.liaison_a,
        target="liaison_a@example.gov.cn",
        subject="【催办】请填报",
        status=status,
        attempts=8,
        last_error="无法连接邮件服务器：Connection refused",
        next_attempt_at=None if status == DeliveryStatus.DEAD else now,
        created_at=now,
        idempotency_key=f"test:{status}",
    )


@pytest.mark.parametrize("who", ["sup", "liaison_a", "auditor"])
def test_only_the_system_administrator_sees_deliveries_and_robots(world, today, login, who):
    delivery = failed_delivery(world)
    client = login(getattr(world, who))
    for url in (reverse("notifications:deliveries"), reverse("notifications:webhooks")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("notifications:retry", args=[delivery.pk])).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD


def test_deliveries_page_shows_failures_and_retries(world, today, login):
    dead = failed_delivery(world)
    sent = failed_delivery(world, DeliveryStatus.SENT)
    client = login(world.sysadmin)
    page = client.get(reverse("notifications:deliveries"))
    assert [d.pk for d in page.context["page"]] == [dead.pk]
    text = page.content.decode()
    assert "无法连接邮件服务器" in text and "重试" in text and "消息推送" in text
    retry = reverse("notifications:retry", args=[dead.pk])
    assert client.get(retry).status_code == 405
    assert client.post(retry).status_code == 302
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (DeliveryStatus.PENDING, 0)
    assert AuditEvent.objects.filter(action="notifications.delivery_retry").count() == 1
    response = client.post(reverse("notifications:retry", args=[sent.pk]), follow=True)
    assert "只有发送失败或已放弃的消息可以重试。" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.SENT
    everything = client.get(reverse("notifications:deliveries") + "?status=all")
    assert {d.pk for d in everything.context["page"]} == {dead.pk, sent.pk}


def test_the_administrator_registers_a_robot_and_its_secret_stays_hidden(world, today, login):
    client = login(world.sysadmin)
    url = reverse("notifications:webhook_create")
    data = {
        "name": "发改委工作群",
        "platform": "dingtalk",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
        "secret": "SECsecret",
        "unit": world.a.pk,
        "mode": "immediate",
        "enabled": "on",
    }
    assert client.post(url, data).status_code == 302
    robot = WebhookEndpoint.objects.get()
    assert (robot.platform, robot.unit, robot.secret) == ("dingtalk", world.a, "SECsecret")
    edit = reverse("notifications:webhook_edit", args=[robot.pk])
    page = client.get(edit).content.decode()
    assert "SECsecret" not in page
    client.post(edit, {**data, "secret": "", "name": "发改委群"})
    robot.refresh_from_db()
    assert (robot.name, robot.secret) == ("发改委群", "SECsecret")
    events = AuditEvent.objects.filter(action__startswith="notifications.webhook")
    assert events.count() == 2 and all(e.data.get("secret") == "***" for e in events)
    listing = client.get(reverse("notifications:webhooks")).content.decode()
    assert "发改委群" in listing and "SECsecret" not in listing


def test_a_robot_address_must_be_http(world, today, login):
    response = login(world.sysadmin).post(
        reverse("notifications:webhook_create"),
        {"name": "x", "platform": "wecom", "url": "ftp://example.com/x", "mode": "immediate"},
    )
    assert response.status_code == 200 and "http://" in str(response.context["form"].errors)
    assert not WebhookEndpoint.objects.exists()


def test_a_test_message_is_queued(world, today, login):
    robot = WebhookEndpoint.objects.create(
        name="工作群", platform="feishu", url="http://127.0.0.1:9/x", unit=world.a
    )
    client = login(world.sysadmin)
    assert client.get(reverse("notifications:webhook_test", args=[robot.pk])).status_code == 405
    client.post(reverse("notifications:webhook_test", args=[robot.pk]))
    queued = Delivery.objects.get()
    assert (queued.endpoint, queued.status, queued.channel) == (robot, "pending", "feishu")


def test_the_menu_shows_the_deliveries_to_the_administrator_only(world, today, login):
    assert "消息推送" in login(world.sysadmin).get(reverse("home")).content.decode()
    assert "消息推送" not in login(world.sup).get(reverse("home")).content.decode()


def test_dates_are_pinned(today):
    assert today == TODAY
