"""The pages: allowed, read-only, outsider 404, wrong method 405, and bad input on forms."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.campaigns.daily import run_daily
from luoshi.campaigns.models import Inspection, InspectionNotice, InspectionPlan, Statement
from luoshi.campaigns.services.findings import statement_answer, statement_submit
from luoshi.campaigns.services.rectifications import rectification_create
from luoshi.campaigns.services.reporting import report_issue
from luoshi.lib import clock
from tests.campaigns.world import CREATED, START

pytestmark = pytest.mark.django_db


def test_lists_and_menu(world, login):
    world.make()
    client = login(world.sup)
    page = client.get(reverse("campaigns:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "优化营商环境专项督查" in html and reverse("campaigns:plans") in html
    assert client.get(reverse("campaigns:list") + "?year=2026&state=active").status_code == 200
    assert (
        "优化营商环境专项督查"
        not in client.get(reverse("campaigns:list") + "?state=finished").content.decode()
    )
    assert login(world.leader).get(reverse("campaigns:list")).status_code == 200
    for refused in (world.liaison_a, world.sysadmin, world.auditor):
        assert login(refused).get(reverse("campaigns:list")).status_code == 403
    home = login(world.liaison_a).get(reverse("campaigns:unit_home"))
    assert home.status_code == 200 and "督查通知与整改" in home.content.decode()


def test_every_tab_renders_for_the_office_and_a_leader(world, login):
    inspection = world.make()
    world.visited(inspection)
    for user in (world.sup, world.leader):
        client = login(user)
        for tab in (
            "scheme",
            "notices",
            "records",
            "findings",
            "report",
            "rectifications",
            "results",
        ):
            page = client.get(reverse("campaigns:detail", args=[inspection.pk]) + f"?tab={tab}")
            assert page.status_code == 200, (user, tab)
    # the leader reads but gets no forms
    html = (
        login(world.leader)
        .get(reverse("campaigns:detail", args=[inspection.pk]) + "?tab=findings")
        .content.decode()
    )
    assert "add-finding" not in html


def test_outsiders_get_404_and_wrong_methods_405(world, login):
    inspection = world.make()
    url = reverse("campaigns:detail", args=[inspection.pk])
    assert login(world.liaison_c).get(url).status_code == 404
    assert login(world.sup_out).get(url).status_code == 404
    assert login(world.liaison_a).get(url).status_code == 404  # not told yet
    client = login(world.sup)
    assert client.post(url).status_code == 405
    assert client.get(reverse("campaigns:launch", args=[inspection.pk])).status_code == 405
    assert client.get(reverse("campaigns:finding_add", args=[inspection.pk])).status_code == 405


def test_read_only_leader_gets_403_on_every_change(world, login):
    inspection = world.make()
    finding = world.visited(inspection)
    client = login(world.leader)
    for name, args in (
        ("campaigns:launch", [inspection.pk]),
        ("campaigns:notify", [inspection.pk]),
        ("campaigns:finding_add", [inspection.pk]),
        ("campaigns:report_issue", [inspection.pk]),
        ("campaigns:outcome_add", [inspection.pk]),
        ("campaigns:rectify", [finding.pk]),
        ("campaigns:record_add", [inspection.pk]),
    ):
        assert client.post(reverse(name, args=args), {}).status_code == 403, name


def test_office_creates_a_scheme_and_bad_input_shows_messages(world, login):
    client = login(world.sup)
    assert client.get(reverse("campaigns:create")).status_code == 200
    with clock.pinned_today(CREATED):
        bad = client.post(
            reverse("campaigns:create"),
            {"title": "", "kind": "special", "start_date": "2026-10-16", "end_date": "2026-10-12"},
        )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "结束日期不能早于开始日期" in html and "请填写督查内容与范围" in html
    assert not Inspection.objects.exists()
    good = client.post(
        reverse("campaigns:create"),
        {
            "title": "安全生产专项督查",
            "kind": "special",
            "scope": "检查安全生产责任落实。",
            "subject_units": [world.a.pk],
            "methods": ["report", "site"],
            "team_leader": world.sup.pk,
            "start_date": "2026-10-12",
            "end_date": "2026-10-16",
            "notice_days_ahead": "3",
            "statement_days": "5",
        },
    )
    inspection = Inspection.objects.get()
    assert good.status_code == 302 and good["Location"].endswith(f"/campaigns/{inspection.pk}/")


def test_plan_pages(world, login):
    client = login(world.sup)
    with clock.pinned_today(CREATED):
        assert (
            client.post(reverse("campaigns:plans"), {"year": "2026", "title": ""}).status_code
            == 400
        )
        assert not InspectionPlan.objects.exists()
        client.post(reverse("campaigns:plans"), {"year": "2026", "title": "2026年度督查计划"})
    plan = InspectionPlan.objects.get()
    bad = client.post(reverse("campaigns:plan_item_add", args=[plan.pk]), {"topic": ""})
    assert bad.status_code == 400 and "请填写督查事项" in bad.content.decode()
    client.post(
        reverse("campaigns:plan_item_add", args=[plan.pk]),
        {
            "topic": "河长制专项督查",
            "kind": "special",
            "subject_units": [world.b.pk],
            "planned_month": "11",
        },
    )
    client.post(reverse("campaigns:plan_issue", args=[plan.pk]), {"doc_number": "督查〔2026〕1号"})
    plan.refresh_from_db()
    assert plan.state == "issued" and plan.items.count() == 1
    item = plan.items.get()
    form = client.get(reverse("campaigns:create") + f"?item={item.pk}").content.decode()
    assert "河长制专项督查" in form
    assert (
        login(world.leader)
        .post(reverse("campaigns:plans"), {"year": "2026", "title": "x"})
        .status_code
        == 403
    )
    assert login(world.liaison_a).get(reverse("campaigns:plan", args=[plan.pk])).status_code == 403


def test_the_unit_reads_its_notice_and_states_its_case(world, login):
    inspection = world.make()
    run_daily(today=dt.date(2026, 10, 8))
    finding = world.visited(inspection)
    notice = InspectionNotice.objects.get(inspection=inspection, unit=world.a)
    client = login(world.liaison_a)
    page = client.get(reverse("campaigns:notice", args=[notice.pk]))
    assert page.status_code == 200 and "近一年工作台账" in page.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None
    other = InspectionNotice.objects.get(inspection=inspection, unit=world.b)
    assert client.get(reverse("campaigns:notice", args=[other.pk])).status_code == 404
    # the unit's view of the inspection: its own tabs only
    html = client.get(
        reverse("campaigns:detail", args=[inspection.pk]) + "?tab=records"
    ).content.decode()
    assert "市发展改革委政务服务大厅" not in html
    # statement: in time on the page (the live server's clock is today, so via the service)
    with clock.pinned_today(dt.date(2026, 10, 13)):
        statement_submit(actor=world.liaison_a, finding=finding, text="申辩")
    assert (
        login(world.liaison_b)
        .post(reverse("campaigns:statement", args=[finding.pk]), {"text": "x"})
        .status_code
        == 404
    )
    # after the deadline the form refuses with the reason
    client = login(world.liaison_a)
    with clock.pinned_today(dt.date(2026, 10, 20)):
        late = client.post(reverse("campaigns:statement", args=[finding.pk]), {"text": "迟交"})
    assert late.status_code == 400 and "已过" in late.content.decode()
    assert Statement.objects.count() == 1


def test_report_download_is_audited_and_refused_to_units(world, login):
    inspection = world.make()
    run_daily(today=dt.date(2026, 10, 8))
    finding = world.visited(inspection)
    with clock.pinned_today(dt.date(2026, 10, 13)):
        st = statement_submit(actor=world.liaison_a, finding=finding, text="申辩")
        statement_answer(actor=world.sup, statement=st, answer="rejected", reason="证据充分")
        rectification_create(
            actor=world.sup,
            finding=finding,
            due=dt.date(2026, 12, 31),
            owner=world.head_a,
            required_evidence="整改报告",
        )
        report_issue(actor=world.sup, inspection=inspection, summary="较好")
    preview = login(world.sup).get(reverse("campaigns:report_preview", args=[inspection.pk]))
    assert preview.status_code == 200 and preview.content[:2] == b"PK"
    url = reverse("campaigns:report_download", args=[inspection.pk])
    got = login(world.leader).get(url)
    assert got.status_code == 200 and got["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="campaigns.report_download").count() == 1
    assert login(world.liaison_a).get(url).status_code == 403
    assert login(world.liaison_c).get(url).status_code == 404
    # the unit sees its rectification with the task's light
    home = login(world.liaison_a).get(reverse("campaigns:unit_home")).content.decode()
    assert inspection.code in home
    tab = (
        login(world.sup)
        .get(reverse("campaigns:detail", args=[inspection.pk]) + "?tab=rectifications")
        .content.decode()
    )
    assert f"{inspection.code}-001" in tab


def test_record_form_with_a_fake_photo(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    inspection = world.make(end_date=dt.date(2026, 10, 30))
    client = login(world.sup2)
    fake = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0 truncated, not a photo", "image/jpeg")
    with clock.pinned_today(START):
        response = client.post(
            reverse("campaigns:record_add", args=[inspection.pk]),
            {
                "kind": "site",
                "held_on": START.isoformat(),
                "place": "现场",
                "persons": "张三",
                "text": "记录",
                "files": [fake],
            },
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "已损坏或不是图片" in html, re.findall(r'class="error"[^<]*<', html)
    assert not inspection.records.exists()


def test_office_answers_and_rectifies_through_the_finding_page(world, login):
    inspection = world.make()
    finding = world.visited(inspection)
    with clock.pinned_today(dt.date(2026, 10, 13)):
        statement = statement_submit(actor=world.liaison_a, finding=finding, text="申辩")
    client = login(world.sup)
    url = reverse("campaigns:answer", args=[statement.pk])
    with clock.pinned_today(dt.date(2026, 10, 14)):
        page = client.get(reverse("campaigns:finding", args=[finding.pk]))
        assert page.status_code == 200 and "申辩" in page.content.decode()
        bad = client.post(url, {f"s{statement.pk}-answer": "rejected"})
        assert bad.status_code == 400 and "须写明理由" in bad.content.decode()
        ok = client.post(
            url, {f"s{statement.pk}-answer": "partly", f"s{statement.pk}-answer_reason": "部分属实"}
        )
        assert ok.status_code == 302
        rect_url = reverse("campaigns:rectify", args=[finding.pk])
        bad = client.post(rect_url, {"due": "2026-10-01", "required_evidence": ""})
        assert bad.status_code == 400 and "请写明整改须提交的佐证材料" in bad.content.decode()
        ok = client.post(
            rect_url,
            {"due": "2026-12-31", "owner": world.liaison_a.pk, "required_evidence": "整改报告"},
        )
        assert ok.status_code == 302
    statement.refresh_from_db()
    assert statement.answer == "partly" and statement.answer_reason == "部分属实"
    assert finding.rectification.task.state == "assigned"
    # the unit may not answer, the leader may not rectify
    assert login(world.liaison_a).post(url, {}).status_code == 403
    assert login(world.leader).post(rect_url, {}).status_code == 403
