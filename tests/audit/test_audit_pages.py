"""The auditor's pages: filters (who, what, when, address, object, result), one event's
detail with its hash, the xlsx export (formula-safe, watermarked, audited). Only the audit
administrator: every other role is refused, even the system administrator."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_log
from luoshi.lib import request_context
from luoshi.org.models import Role, User


def _at_ip(ip, **kwargs):
    token = request_context._client_ip.set(ip)
    try:
        return audit_log(**kwargs)
    finally:
        request_context._client_ip.reset(token)


@pytest.fixture
def events(db, auditor):
    unit_user = User.objects.create_user("lly", password="pw-Secret-2026", role=Role.LIAISON)
    return {
        "login": _at_ip("10.1.2.3", actor=unit_user, action="auth.login", obj=unit_user),
        "failed": _at_ip(
            "10.9.9.9", actor=None, action="auth.login_failed", data={"username": "x"}
        ),
        "denied": _at_ip(
            "10.1.2.4", actor=unit_user, action="task.edit", data={"why": "x"}, result="failure"
        ),
        "formula": _at_ip(
            "10.1.2.5", actor=unit_user, action="task.comment", data={"text": "=HYPERLINK(1)"}
        ),
    }


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


def _actions(response):
    return [e.action for e in response.context["page"]]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"ip": "10.1.2"}, ["task.comment", "task.edit", "auth.login"]),
        ({"ip": "10.9."}, ["auth.login_failed"]),
        ({"result": "failure"}, ["task.edit", "auth.login_failed"]),
        # (the auditor's own log-in, first, is a success too)
        ({"result": "success"}, ["task.comment", "auth.login", "auth.login"]),
        ({"obj": "lly"}, ["auth.login"]),
        ({"obj": "org.user"}, ["auth.login", "auth.login"]),
        ({"action": "task."}, ["task.comment", "task.edit"]),
    ],
)
def test_filters(auditor_client, events, query, expected):
    response = auditor_client.get(reverse("audit:log"), query)
    assert response.status_code == 200
    assert _actions(response) == expected


def test_object_by_type_and_id(auditor_client, events):
    user = events["login"].actor
    response = auditor_client.get(reverse("audit:log"), {"obj": f"org.user#{user.pk}"})
    assert _actions(response) == ["auth.login"]
    response = auditor_client.get(reverse("audit:log"), {"obj": f"org.user#{user.pk + 999}"})
    assert _actions(response) == []


def test_bad_filters_show_a_message_and_no_rows(auditor_client, events):
    response = auditor_client.get(
        reverse("audit:log"), {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "开始日期不能晚于结束日期" in response.content.decode()
    assert _actions(response) == []
    response = auditor_client.get(reverse("audit:log"), {"result": "maybe"})
    assert _actions(response) == [] and "结果" in response.content.decode()


def test_event_detail_shows_data_and_hash(auditor_client, events, tamper):
    event = events["formula"]
    page = auditor_client.get(reverse("audit:event", args=[event.pk])).content.decode()
    assert event.hash in page and event.prev_hash in page
    assert "&quot;text&quot;: &quot;=HYPERLINK(1)&quot;" in page
    assert "与其哈希相符" in page
    tamper("UPDATE audit_auditevent SET ip = '1.1.1.1' WHERE id = %s", [event.pk])
    page = auditor_client.get(reverse("audit:event", args=[event.pk])).content.decode()
    assert "与其哈希不符" in page
    assert auditor_client.get(reverse("audit:event", args=[999999])).status_code == 404


def test_export_is_formula_safe_watermarked_and_audited(auditor_client, events, auditor):
    response = auditor_client.get(reverse("audit:export"), {"ip": "10.1.2"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[5] for r in rows] == ["task.comment", "task.edit", "auth.login"]
    assert rows[0][12] == events["formula"].hash
    data_cell = ws.cell(row=2, column=10)
    assert data_cell.data_type == "s" and "=HYPERLINK(1)" in data_cell.value
    assert "aud" in ws["A1"].comment.text and "导出于" in ws["A1"].comment.text
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == auditor
    assert export.data == {
        "via": "page",
        "format": "xlsx",
        "filters": {"ip": "10.1.2"},
        "count": 3,
    }


def test_export_with_bad_filters_exports_nothing(auditor_client, events):
    response = auditor_client.get(
        reverse("audit:export"), {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_export_over_the_limit_is_refused(auditor_client, events, monkeypatch):
    monkeypatch.setattr("luoshi.audit.views.EXPORT_MAX_ROWS", 2)
    response = auditor_client.get(reverse("audit:export"), follow=True)
    assert "超过一次导出的上限" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.export").exists()


@pytest.mark.parametrize("name", ["audit:log", "audit:export", "audit:event"])
@pytest.mark.parametrize(
    "role", [Role.SYSADMIN, Role.SECADMIN, Role.SUPERVISOR, Role.LEADER, Role.LIAISON]
)
def test_only_the_auditor(client, events, name, role):
    other = User.objects.create_user("other", password="pw-Secret-2026", role=role)
    client.force_login(other)
    args = [events["login"].pk] if name == "audit:event" else []
    assert client.get(reverse(name, args=args)).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()


@pytest.mark.parametrize("name", ["audit:log", "audit:export", "audit:event"])
def test_wrong_method(auditor_client, events, name):
    args = [events["login"].pk] if name == "audit:event" else []
    assert auditor_client.post(reverse(name, args=args)).status_code == 405


def test_anonymous_goes_to_log_in(client, events):
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_data_with_an_items_key_is_shown_as_data(auditor_client, events):
    """An event whose data has a key named "items" (a bulletin's or an import's count) once
    made the whole page fail: the template read data.items as that key."""
    audit_log(actor=None, action="ledger.import", data={"items": 3, "keys": "a"})
    page = auditor_client.get(reverse("audit:log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "items</span>: 3" in html and "keys</span>: a" in html
