"""Sending under faults, against a local SMTP server and local HTTP endpoints: a server that
is down, answers 500 or never answers; two senders at once; a sender killed mid-run. No
delivery is lost and none is sent twice; failures are retried with backoff, then given up."""

from __future__ import annotations

import datetime as dt
import json
import threading
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from luoshi.notifications.models import Delivery, DeliveryStatus, WebhookEndpoint
from luoshi.notifications.sending import (
    FAILED,
    Outcome,
    backoff,
    deliveries_claim,
    deliveries_record,
    deliveries_send_due,
)
from luoshi.notifications.services import delivery_retry, notify

from .conftest import prefer

OK = {"errcode": 0, "errmsg": "ok"}


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def mail_to_liaison(world, n=1, **extra):
    prefer(world.liaison_a)
    for i in range(n):
        notify(recipients=[world.liaison_a], kind="urge", title=f"请尽快填报进展{i}", **extra)
    return list(Delivery.objects.order_by("id"))


def hook(world, url, platform="wecom", unit=None) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        name=url, platform=platform, url=url, unit=unit or world.a
    )


def urge_unit_a(world, n=1):
    for i in range(n):
        notify(recipients=[world.liaison_a], kind="urge", title=f"催办{i}", dedupe_key=f"u{i}")


def subjects(smtp) -> list[str]:
    return [
        str(make_header(decode_header(message_from_bytes(raw)["Subject"])))
        for _sender, _to, raw in smtp.messages
    ]


# --- e-mail --------------------------------------------------------------------------------------


def test_mail_reaches_the_smtp_server_once(world, today, smtp):
    smtp.start()
    mail_to_liaison(world, task=world.task)
    assert deliveries_send_due() == {
        "claimed": 1,
        "sent": 1,
        "failed": 0,
        "deferred": 0,
        "dead": 0,
    }
    assert deliveries_send_due()["claimed"] == 0
    assert len(smtp.messages) == 1
    sender, to, raw = smtp.messages[0]
    assert sender == "luoshi@example.gov.cn" and to == ["liaison_a@example.gov.cn"]
    assert subjects(smtp) == ["【催办】请尽快填报进展0"]
    text = message_from_bytes(raw).get_payload(decode=True).decode("utf-8")
    assert f"/tasks/{world.task.pk}/" in text and world.task.code in text


def test_smtp_down_fails_with_a_retry_then_sends_exactly_once_when_up(world, today, smtp):
    (delivery,) = mail_to_liaison(world)
    now = timezone.now()
    assert deliveries_send_due(now=now)["failed"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert delivery.next_attempt_at == now + minutes(1)
    assert "无法连接邮件服务器" in delivery.last_error
    smtp.start()
    assert deliveries_send_due(now=now + minutes(0.5))["claimed"] == 0  # not due yet
    assert deliveries_send_due(now=now + minutes(1))["sent"] == 1
    for later in (2, 30, 600):
        assert deliveries_send_due(now=now + minutes(later))["claimed"] == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert delivery.last_error == "" and delivery.next_attempt_at is None
    assert len(smtp.messages) == 1


def test_an_unreachable_server_is_tried_once_per_run_and_the_rest_wait(world, today, smtp):
    first, *rest = mail_to_liaison(world, n=4)
    now = timezone.now()
    assert deliveries_send_due(now=now) == {
        "claimed": 4,
        "sent": 0,
        "failed": 1,
        "deferred": 3,
        "dead": 0,
    }
    first.refresh_from_db()
    assert first.status == DeliveryStatus.FAILED and first.attempts == 1
    for d in rest:
        d.refresh_from_db()
        assert d.status == DeliveryStatus.PENDING and d.attempts == 0
        assert d.next_attempt_at == now + minutes(1)
        assert "已顺延" in d.last_error
    smtp.start()
    assert deliveries_send_due(now=now + minutes(1))["sent"] == 4
    assert sorted(subjects(smtp)) == [f"【催办】请尽快填报进展{i}" for i in range(4)]


# --- robots: 500, timeouts, one endpoint down --------------------------------------------------


def test_http_500_is_retried_with_backoff_and_sent_once(world, today, httpserver):
    hook(world, httpserver.url_for("/hook"))
    urge_unit_a(world)
    for _ in range(2):
        httpserver.expect_oneshot_request("/hook").respond_with_data("busy", status=500)
    httpserver.expect_request("/hook").respond_with_json(OK)
    now = timezone.now()
    deliveries_send_due(now=now)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "HTTP 500" in delivery.last_error
    assert deliveries_send_due(now=now + minutes(0.9))["claimed"] == 0
    deliveries_send_due(now=now + minutes(1))
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == now + minutes(1 + 5)
    assert deliveries_send_due(now=now + minutes(5))["claimed"] == 0
    assert deliveries_send_due(now=now + minutes(6))["sent"] == 1
    assert deliveries_send_due(now=now + minutes(600))["claimed"] == 0
    assert len(httpserver.log) == 3
    assert [r.status_code for _q, r in httpserver.log] == [500, 500, 200]


def test_an_endpoint_that_never_answers_times_out_and_does_not_stop_the_others(
    world, today, httpserver, silent_port, settings
):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_TIMEOUT": 0.3}
    stuck = hook(world, f"http://127.0.0.1:{silent_port}/hook")
    fine = hook(world, httpserver.url_for("/hook"), platform="dingtalk")
    httpserver.expect_request("/hook").respond_with_json(OK)
    urge_unit_a(world, n=3)
    result = deliveries_send_due()
    assert result == {"claimed": 6, "sent": 3, "failed": 1, "deferred": 2, "dead": 0}
    assert Delivery.objects.filter(endpoint=fine, status=DeliveryStatus.SENT).count() == 3
    failed = Delivery.objects.get(endpoint=stuck, status=DeliveryStatus.FAILED)
    assert "超时" in failed.last_error and failed.attempts == 1
    assert len(httpserver.log) == 3


def test_backoff_grows_five_fold_up_to_the_cap():
    assert [backoff(n) for n in range(1, 7)] == [
        minutes(1),
        minutes(5),
        minutes(25),
        minutes(125),
        minutes(625),
        minutes(720),
    ]


def test_after_the_last_attempt_a_delivery_is_given_up(world, today, closed_port, settings):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_MAX_ATTEMPTS": 3}
    hook(world, f"http://127.0.0.1:{closed_port}/hook")
    urge_unit_a(world)
    now = timezone.now()
    for at in (0, 1, 1 + 5):
        deliveries_send_due(now=now + minutes(at))
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 3
    assert delivery.next_attempt_at is None and "无法连接" in delivery.last_error
    assert deliveries_send_due(now=now + minutes(10_000))["claimed"] == 0


def test_retry_puts_a_dead_delivery_back_in_the_queue(world, today, httpserver, closed_port):
    endpoint = hook(world, f"http://127.0.0.1:{closed_port}/hook")
    urge_unit_a(world)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DEAD, attempts=8)
    delivery_retry(actor=world.sysadmin, delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=httpserver.url_for("/hook"))
    httpserver.expect_request("/hook").respond_with_json(OK)
    assert deliveries_send_due()["sent"] == 1
    delivery.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        delivery_retry(actor=world.sysadmin, delivery=delivery)
    assert refused.value.messages == ["只有发送失败或已放弃的消息可以重试。"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_deactivated_recipient_or_robot_is_not_sent_to(world, today, httpserver):
    endpoint = hook(world, httpserver.url_for("/hook"))
    prefer(world.liaison_a)
    urge_unit_a(world)
    world.liaison_a.is_active = False
    world.liaison_a.save()
    endpoint.enabled = False
    endpoint.save()
    assert deliveries_send_due()["dead"] == 2
    errors = set(Delivery.objects.values_list("last_error", flat=True))
    assert errors == {"接收人的账号已停用。", "群机器人已停用。"}
    assert httpserver.log == []


# --- two senders, a killed sender ---------------------------------------------------------------


def test_a_claimed_delivery_is_not_claimed_again(world, today):
    mail_to_liaison(world, n=3)
    now = timezone.now()
    _token, first = deliveries_claim(now=now, limit=2)
    _token, second = deliveries_claim(now=now, limit=10)
    _token, third = deliveries_claim(now=now, limit=10)
    assert len(first) == 2 and len(second) == 1 and third == []
    assert not {d.pk for d in first} & {d.pk for d in second}


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_delivery_once(world, httpserver):
    hook(world, httpserver.url_for("/hook"))
    httpserver.expect_request("/hook").respond_with_json(OK)
    urge_unit_a(world, n=30)
    start = threading.Barrier(2)
    results = []

    def sender():
        try:
            start.wait()
            results.append(deliveries_send_due(limit=200))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["claimed"] for r in results) == 30 and sum(r["sent"] for r in results) == 30
    posted = [json.loads(q.get_data())["markdown"]["content"] for q, _r in httpserver.log]
    assert len(posted) == 30 and len(set(posted)) == 30
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 30


def test_a_sending_row_left_by_a_killed_worker_is_reclaimed_after_the_stale_window(
    world, today, httpserver
):
    hook(world, httpserver.url_for("/hook"))
    httpserver.expect_request("/hook").respond_with_json(OK)
    urge_unit_a(world)
    now = timezone.now()
    _token, claimed = deliveries_claim(now=now, limit=10)  # ...and the worker dies here
    assert len(claimed) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENDING
    assert deliveries_send_due(now=now + minutes(9))["claimed"] == 0  # its claim still holds
    assert deliveries_send_due(now=now + minutes(11))["sent"] == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert len(httpserver.log) == 1
    assert deliveries_send_due(now=now + minutes(30))["claimed"] == 0


def test_the_late_outcome_of_a_reclaimed_row_does_not_overwrite_the_new_claim(world, today):
    mail_to_liaison(world)
    now = timezone.now()
    old_token, rows = deliveries_claim(now=now, limit=10)
    new_token, again = deliveries_claim(now=now + minutes(11), limit=10)
    assert [r.pk for r in again] == [r.pk for r in rows] and new_token != old_token
    deliveries_record(
        token=old_token, rows=rows, outcomes=[Outcome(rows[0].pk, FAILED, "x")], now=now
    )
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENDING and delivery.claim_token == new_token


def test_the_command_sends_what_is_due(world, today, smtp, capsys):
    smtp.start()
    mail_to_liaison(world, n=2)
    call_command("send-notifications")
    assert "成功 2 条" in capsys.readouterr().out
    assert len(smtp.messages) == 2
