"""Outgoing webhooks: a task event queues one signed delivery per subscription that wants it
(after commit); the sender POSTs it, verifies with the secret, retries with back-off, and the
system administrator manages subscriptions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from werkzeug import Response

from luoshi.api.models import OutgoingWebhook, WebhookDelivery, WebhookDeliveryStatus
from luoshi.api.webhooks import (
    SIGNATURE_HEADER,
    sign,
    verify,
    webhook_deliveries_send_due,
    webhook_save,
)
from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from luoshi.tasks.services.lifecycle import assignment_acknowledge

pytestmark = pytest.mark.django_db


def test_signature():
    body = b'{"event": "reported"}'
    header = sign("s3cret", body, 1_700_000_000)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify("s3cret", body, header, now=1_700_000_100)
    assert not verify("other", body, header, now=1_700_000_100)
    assert not verify("s3cret", body + b" ", header, now=1_700_000_100)
    assert not verify("s3cret", body, header, now=1_700_001_000)  # too old: a replay
    assert not verify("s3cret", body, "garbage", now=1_700_000_000)


@pytest.fixture
def hook(world, today, httpserver):
    return webhook_save(
        actor=world.sysadmin,
        webhook=None,
        name="OA",
        url=httpserver.url_for("/hook"),
        secret="s3cret",
        events=["acknowledged", "reported"],
    )


def test_an_event_is_delivered_signed(
    world, today, hook, httpserver, django_capture_on_commit_callbacks
):
    received = []

    def handler(request):
        received.append((request.get_data(), request.headers[SIGNATURE_HEADER]))
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(handler)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_acknowledge(actor=world.lead_liaison, task=world.fresh)
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload["event"] == "acknowledged"
    assert delivery.payload["task"]["code"] == world.fresh.code
    assert webhook_deliveries_send_due() == {"sent": 1, "failed": 0}
    body, header = received[0]
    assert verify("s3cret", body, header, now=int(clock.now().timestamp()))
    payload = json.loads(body)
    assert set(payload) >= {"event", "task", "at"}
    assert set(payload["task"]) >= {"code", "state", "light"}
    assert WebhookDelivery.objects.get().status == WebhookDeliveryStatus.SENT
    assert webhook_deliveries_send_due() == {"sent": 0, "failed": 0}  # once


def test_events_not_asked_for_are_not_queued(
    world, today, hook, django_capture_on_commit_callbacks
):
    from luoshi.tasks.services.lifecycle import task_suspend

    with django_capture_on_commit_callbacks(execute=True):
        task_suspend(actor=world.sup, task=world.live, reason="等待。")
    assert not WebhookDelivery.objects.exists()


def test_a_failure_is_retried_with_back_off(
    world, today, hook, httpserver, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/hook").respond_with_data("no", status=500)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_acknowledge(actor=world.lead_liaison, task=world.fresh)
    assert webhook_deliveries_send_due() == {"sent": 0, "failed": 1}
    row = WebhookDelivery.objects.get()
    assert row.status == WebhookDeliveryStatus.PENDING and row.attempts == 1
    assert row.last_error == "HTTP 500" and row.next_attempt_at > clock.now()
    assert webhook_deliveries_send_due() == {"sent": 0, "failed": 0}  # not due yet
    httpserver.clear()
    httpserver.expect_request("/hook").respond_with_data("ok")
    with clock.pinned_today(today + dt.timedelta(days=1)):
        assert webhook_deliveries_send_due() == {"sent": 1, "failed": 0}


def test_bad_subscription_input(world, today):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError, match="未知的事件"):
        webhook_save(
            actor=world.sysadmin, webhook=None, name="甲", url="https://x.test/", events=["boom"]
        )
    with pytest.raises(ValidationError):
        webhook_save(actor=world.sysadmin, webhook=None, name="甲", url="ftp://x.test/")
    with pytest.raises(PermissionDenied):
        webhook_save(actor=world.sup, webhook=None, name="甲", url="https://x.test/")
    assert not OutgoingWebhook.objects.exists()


def test_the_pages(world, today, login):
    client = login(world.sysadmin)
    assert client.get(reverse("api:webhook_list")).status_code == 200
    made = client.post(
        reverse("api:webhook_create"),
        {
            "name": "OA",
            "url": "https://oa.example.test/hook",
            "events": ["reported"],
            "active": "on",
        },
    )
    assert made.status_code == 302
    hook = OutgoingWebhook.objects.get()
    assert len(hook.secret) >= 32 and hook.events == ["reported"]
    audit = AuditEvent.objects.get(action="api.webhook.create")
    assert hook.secret not in json.dumps(audit.data)
    edit = client.post(
        reverse("api:webhook_edit", args=[hook.pk]),
        {"name": "OA2", "url": "https://oa.example.test/hook"},
    )
    assert edit.status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.active, hook.events) == ("OA2", False, [])
    for persona in ("sup", "lead_liaison", "auditor"):
        other = login(getattr(world, persona))
        assert other.get(reverse("api:webhook_list")).status_code == 403
