"""The bulletin pages over HTTP: who may open each (the office generates and issues, leaders
read and download, everyone else 403 with the reason), the preview, generate, download and
印发, bad input (the Chinese message on the form, nothing written) and wrong methods (405)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.bulletins.models import Bulletin, BulletinSequence, BulletinState
from luoshi.bulletins.services import bulletin_generate
from tests.bulletins.conftest import NOV_1, NOV_30
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MODELS = (Bulletin, BulletinSequence, AuditEvent)
NOVEMBER = {"preset": "custom", "date_from": "2026-11-01", "date_to": "2026-11-30"}


@pytest.fixture
def draft(world, today):
    return bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)


def test_the_menu_shows_bulletins_to_the_office_and_leaders(world, today, login):
    link = f'href="{reverse("bulletins:list")}"'
    assert link in login(world.sup).get(reverse("home")).content.decode()
    assert link in login(world.leader).get(reverse("home")).content.decode()
    assert link not in login(world.liaison_a).get(reverse("home")).content.decode()


def test_list_page(world, today, login, draft):
    page = login(world.sup).get(reverse("bulletins:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert draft.title in html and "生成通报" in html and "草稿" in html
    as_leader = login(world.leader).get(reverse("bulletins:list")).content.decode()
    assert draft.title in as_leader and reverse("bulletins:new") not in as_leader
    refused = login(world.liaison_a).get(reverse("bulletins:list"))
    assert refused.status_code == 403
    assert "督查通报只对督查室人员和领导开放。" in refused.content.decode()
    assert login(world.sysadmin).get(reverse("bulletins:list")).status_code == 403


def test_anonymous_is_sent_to_log_in(world, client, draft):
    for url in (
        reverse("bulletins:list"),
        reverse("bulletins:new"),
        reverse("bulletins:download", args=[draft.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_preview_shows_the_figures_and_writes_nothing(world, today, login):
    before = count_rows(MODELS)
    page = login(world.sup).get(reverse("bulletins:new"), {**NOVEMBER, "preview": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "预览：2026年11月" in html
    assert "建设智慧停车平台" in html  # overdue and listed
    assert "实施重大项目攻坚行动" in html  # commended
    assert "66.7%" in html and "50.0%" in html
    assert count_rows(MODELS) == before


def test_preview_with_a_preset(world, today, login):
    page = login(world.sup).get(reverse("bulletins:new"), {"preset": "last_month", "preview": "1"})
    assert "预览：2026年11月" in page.content.decode()


def test_generate_then_detail_download_and_issue(world, today, login):
    client = login(world.sup)
    response = client.post(reverse("bulletins:new"), {**NOVEMBER, "title": ""})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bulletins:detail", args=[bulletin.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "通报草稿已生成" in detail and "关于2026年11月重点工作任务落实情况的通报" in detail
    assert reverse("bulletins:issue", args=[bulletin.pk]) in detail

    download = client.get(reverse("bulletins:download", args=[bulletin.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action="bulletin.download").count() == 1

    issued = client.post(reverse("bulletins:issue", args=[bulletin.pk]))
    assert issued.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.ISSUED and bulletin.number == "督查通报〔2026〕1号"
    page = client.get(issued["Location"]).content.decode()
    assert "督查通报〔2026〕1号 已印发。" in page
    assert reverse("bulletins:issue", args=[bulletin.pk]) not in page

    # issued is final: a second 印发 changes nothing and says why
    again = client.post(reverse("bulletins:issue", args=[bulletin.pk]), follow=True)
    assert "已印发，不能再修改或重复印发。" in again.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.seq == 1 and BulletinSequence.objects.get().last == 1


def test_issue_through_htmx_redirects_by_header(world, today, login, draft):
    response = login(world.sup).post(
        reverse("bulletins:issue", args=[draft.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("bulletins:detail", args=[draft.pk])


def test_leaders_read_and_download_but_do_not_generate_or_issue(world, today, login, draft):
    client = login(world.leader)
    assert client.get(reverse("bulletins:detail", args=[draft.pk])).status_code == 200
    detail = client.get(reverse("bulletins:detail", args=[draft.pk])).content.decode()
    assert reverse("bulletins:issue", args=[draft.pk]) not in detail
    assert client.get(reverse("bulletins:download", args=[draft.pk])).status_code == 200
    before = count_rows(MODELS)
    for response in (
        client.get(reverse("bulletins:new")),
        client.post(reverse("bulletins:new"), NOVEMBER),
        client.post(reverse("bulletins:issue", args=[draft.pk])),
    ):
        assert response.status_code == 403
        assert "只有督查室人员可以生成和印发督查通报。" in response.content.decode()
    assert count_rows(MODELS) == before
    draft.refresh_from_db()
    assert draft.state == BulletinState.DRAFT


def test_units_and_administrators_get_403(world, today, login, draft):
    for user in (world.liaison_a, world.sysadmin):
        client = login(user)
        for url in (
            reverse("bulletins:detail", args=[draft.pk]),
            reverse("bulletins:download", args=[draft.pk]),
            reverse("bulletins:new"),
        ):
            assert client.get(url).status_code == 403


def test_a_missing_bulletin_is_404(world, today, login):
    client = login(world.sup)
    assert client.get(reverse("bulletins:detail", args=[999])).status_code == 404
    assert client.get(reverse("bulletins:download", args=[999])).status_code == 404
    assert client.post(reverse("bulletins:issue", args=[999])).status_code == 404


def test_wrong_methods(world, today, login, draft):
    client = login(world.sup)
    assert client.get(reverse("bulletins:issue", args=[draft.pk])).status_code == 405
    assert client.post(reverse("bulletins:list")).status_code == 405
    assert client.post(reverse("bulletins:download", args=[draft.pk])).status_code == 405
    assert client.post(reverse("bulletins:detail", args=[draft.pk])).status_code == 405
    assert client.put(reverse("bulletins:new")).status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**NOVEMBER, "date_from": "2026-12-01"}, "开始日期不能晚于结束日期。"),
        ({**NOVEMBER, "date_to": "2026-12-31"}, "通报期间不能晚于今天（2026-12-10）"),
        ({**NOVEMBER, "date_from": "2025-11-30"}, "通报期间不能超过一年。"),
        ({**NOVEMBER, "date_from": ""}, "请填写通报期间的开始日期。"),
        ({**NOVEMBER, "date_from": "2026-02-30"}, "日期格式不正确"),
        ({**NOVEMBER, "title": "题" * 101}, "标题不能超过 100 个字。"),
        ({**NOVEMBER, "preset": "decade"}, "请选择通报期间。"),
    ],
)
def test_bad_input_shows_the_message_and_writes_nothing(world, today, login, data, message):
    client = login(world.sup)
    before = count_rows(MODELS)
    response = client.post(reverse("bulletins:new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert count_rows(MODELS) == before
    if "title" not in data:  # the preview does not use the title
        preview = client.get(reverse("bulletins:new"), {**data, "preview": "1"})
        assert preview.status_code == 400 and message in preview.content.decode()


def test_the_list_page_costs_the_same_queries_however_many_bulletins(
    world, today, login, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.sup)
    bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("bulletins:list"))
    for _ in range(4):
        bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("bulletins:list")).status_code == 200
