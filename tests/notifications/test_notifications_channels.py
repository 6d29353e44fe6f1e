"""Each channel against a local endpoint: the documented JSON body of each group robot, the
signatures of 钉钉 and 飞书, the robots' own error answers, the SMS gateways."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse

import pytest
from werkzeug import Response

from luoshi.notifications.channels.sms import ConsoleGateway
from luoshi.notifications.models import Delivery, DeliveryStatus, WebhookEndpoint
from luoshi.notifications.sending import deliveries_send_due
from luoshi.notifications.services import notify

from .conftest import SITE, prefer

OK_WECOM = {"errcode": 0, "errmsg": "ok"}
OK_FEISHU = {"code": 0, "msg": "success", "data": {}}


def post(world, endpoint, **extra):
    notify(
        recipients=[world.liaison_a, world.head_a],
        kind="urge",
        title="请尽快填报进展",
        body="本月进展尚未填报。",
        task=world.task,
        **extra,
    )
    return Delivery.objects.get(endpoint=endpoint)


def endpoint(world, httpserver, platform, path="/hook", secret="", **extra):
    return WebhookEndpoint.objects.create(
        name=platform,
        platform=platform,
        url=httpserver.url_for(path) + extra.pop("query", ""),
        secret=secret,
        unit=world.a,
    )


def only_request(httpserver):
    assert len(httpserver.log) == 1, httpserver.log
    request, _response = httpserver.log[0]
    return request, json.loads(request.get_data(as_text=True))


def test_wecom_markdown_body(world, today, httpserver):
    hook = endpoint(world, httpserver, "wecom", "/cgi-bin/webhook/send", query="?key=abc")
    httpserver.expect_request("/cgi-bin/webhook/send", method="POST").respond_with_json(OK_WECOM)
    delivery = post(world, hook)
    assert deliveries_send_due()["sent"] == 1
    request, body = only_request(httpserver)
    assert request.args["key"] == "abc"
    assert request.headers["Content-Type"].startswith("application/json")
    assert set(body) == {"msgtype", "markdown"} and body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("**【催办】请尽快填报进展**\n")
    assert "甲联络员、甲主任" in content
    assert f"({SITE}/tasks/{world.task.pk}/)" in content
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at is not None


def test_dingtalk_markdown_body_and_signature(world, today, httpserver):
    secret = "SEC0123456789abcdef"
    hook = endpoint(world, httpserver, "dingtalk", "/robot/send", secret, query="?access_token=t")
    httpserver.expect_request("/robot/send", method="POST").respond_with_json(OK_WECOM)
    post(world, hook)
    before = round(time.time() * 1000)
    assert deliveries_send_due()["sent"] == 1
    request, body = only_request(httpserver)
    assert request.args["access_token"] == "t"
    timestamp = request.args["timestamp"]
    assert len(timestamp) == 13 and abs(int(timestamp) - before) < 60_000  # milliseconds
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.args["sign"] == expected  # werkzeug has undone the URL encoding
    on_the_wire = f"sign={urllib.parse.quote_plus(expected)}"  # base64, then URL-encoded
    assert on_the_wire in request.query_string.decode()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "【催办】请尽快填报进展"
    assert body["markdown"]["text"].startswith("#### 【催办】请尽快填报进展")


def test_dingtalk_without_secret_sends_no_signature(world, today, httpserver):
    hook = endpoint(world, httpserver, "dingtalk", "/robot/send", query="?access_token=t")
    httpserver.expect_request("/robot/send", method="POST").respond_with_json(OK_WECOM)
    post(world, hook)
    deliveries_send_due()
    request, _body = only_request(httpserver)
    assert "sign" not in request.args and "timestamp" not in request.args


def test_feishu_text_body_and_signature_in_the_body(world, today, httpserver):
    secret = "feishu-secret"
    hook = endpoint(world, httpserver, "feishu", "/open-apis/bot/v2/hook/x", secret)
    httpserver.expect_request("/open-apis/bot/v2/hook/x", method="POST").respond_with_json(
        OK_FEISHU
    )
    post(world, hook)
    assert deliveries_send_due()["sent"] == 1
    _request, body = only_request(httpserver)
    timestamp = body["timestamp"]
    assert len(timestamp) == 10 and abs(int(timestamp) - time.time()) < 60  # seconds
    # 飞书: "timestamp\nsecret" is the HMAC key, the message is empty.
    key = f"{timestamp}\n{secret}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "text"
    text = body["content"]["text"]
    assert text.startswith("【催办】请尽快填报进展\n本月进展尚未填报。")
    assert f"{SITE}/tasks/{world.task.pk}/" in text


@pytest.mark.parametrize(
    ("platform", "answer", "words"),
    [
        ("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}, "errcode=93000"),
        ("dingtalk", {"errcode": 310000, "errmsg": "sign not match"}, "sign not match"),
        ("feishu", {"code": 19021, "msg": "sign match fail"}, "code=19021"),
        ("feishu", {"StatusCode": 9499, "StatusMessage": "Bad Request"}, "code=9499"),
    ],
)
def test_a_robots_error_answer_is_a_failure(world, today, httpserver, platform, answer, words):
    hook = endpoint(world, httpserver, platform)
    httpserver.expect_request("/hook").respond_with_json(answer)  # HTTP 200 all the same
    delivery = post(world, hook)
    result = deliveries_send_due()
    assert result["sent"] == 0 and result["failed"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and words in delivery.last_error


def test_an_answer_that_is_not_json_is_a_failure(world, today, httpserver):
    hook = endpoint(world, httpserver, "wecom")
    httpserver.expect_request("/hook").respond_with_data("<html>proxy</html>")
    delivery = post(world, hook)
    deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "不是 JSON" in delivery.last_error


def test_a_url_that_is_not_http_is_never_opened(world, today):
    hook = WebhookEndpoint.objects.create(
        name="bad", platform="wecom", url="http://127.0.0.1/x", unit=world.a
    )
    delivery = post(world, hook)
    WebhookEndpoint.objects.filter(pk=hook.pk).update(url="file:///etc/passwd")
    deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "http://" in delivery.last_error


# --- SMS ------------------------------------------------------------------------------------


def test_console_gateway_keeps_the_message(world, today, capsys):
    prefer(world.liaison_a, email=False, sms=True)
    ConsoleGateway.outbox.clear()
    notify(recipients=[world.liaison_a], kind="urge", title="请尽快填报进展", task=world.task)
    assert deliveries_send_due()["sent"] == 1
    phone, text = ConsoleGateway.outbox[-1]
    assert phone == "13800000001"
    assert text == f"【落实】【催办】请尽快填报进展 {SITE}/tasks/{world.task.pk}/"
    assert "13800000001" in capsys.readouterr().out


def test_http_json_gateway_posts_phone_and_text_with_the_token(world, today, httpserver, settings):
    settings.LUOSHI = {
        **settings.LUOSHI,
        "SMS_GATEWAY": "luoshi.notifications.channels.sms.HttpJsonGateway",
        "SMS_URL": httpserver.url_for("/sms"),
        "SMS_TOKEN": "tok-1",
    }
    httpserver.expect_request(
        "/sms", method="POST", headers={"Authorization": "Bearer tok-1"}
    ).respond_with_json({"code": 0})
    prefer(world.liaison_a, email=False, sms=True)
    notify(recipients=[world.liaison_a], kind="urge", title="请尽快填报进展")
    assert deliveries_send_due()["sent"] == 1
    _request, body = only_request(httpserver)
    assert body == {"phone": "13800000001", "text": "【落实】【催办】请尽快填报进展"}


def test_http_json_gateway_refusal_is_a_failure(world, today, httpserver, settings):
    settings.LUOSHI = {
        **settings.LUOSHI,
        "SMS_GATEWAY": "luoshi.notifications.channels.sms.HttpJsonGateway",
        "SMS_URL": httpserver.url_for("/sms"),
    }
    httpserver.expect_request("/sms").respond_with_response(
        Response(json.dumps({"code": 1001, "message": "余额不足"}), 200)
    )
    prefer(world.liaison_a, email=False, sms=True)
    notify(recipients=[world.liaison_a], kind="urge", title="请尽快填报进展")
    deliveries_send_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "余额不足" in delivery.last_error
