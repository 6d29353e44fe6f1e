"""The 导入台账 and 导出台账 pages: who may, preview → mapping → confirm over HTTP, bad
files shown on the form, the export with the ledger page's filters."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from luoshi.ledger.models import ImportStatus, LedgerImport
from luoshi.tasks.models import Source, Task
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import task_assign
from luoshi.tasks.services.sources import source_create
from tests.ledger.conftest import PASSWORD, SAMPLE_XLSX
from tests.ledger.helpers import simple_ledger, upload
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _upload(client, data: bytes, name="台账.xlsx", **extra):
    return client.post(
        reverse("ledger:import"),
        {"file": upload(data, name), "year": 2026, "new_source_title": "", **extra},
    )


def test_upload_page_for_the_office_and_units_only(client, city):
    assert _client(client, city.sup).get(reverse("ledger:import")).status_code == 200
    client.logout()
    assert _client(client, city.gxj_lly).get(reverse("ledger:import")).status_code == 200
    client.logout()
    response = _client(client, city.li).get(reverse("ledger:import"))
    assert response.status_code == 403
    assert "只有督查室人员和承办单位可以导入台账" in response.content.decode()
    client.logout()
    assert _client(client, city.sysadmin).get(reverse("ledger:export")).status_code == 403


def test_wrong_method(client, city):
    c = _client(client, city.sup)
    response = _upload(c, SAMPLE_XLSX.read_bytes())
    imp = LedgerImport.objects.get()
    assert c.get(reverse("ledger:confirm", args=[imp.pk])).status_code == 405
    assert c.get(reverse("ledger:update", args=[imp.pk])).status_code == 405
    assert c.post(reverse("ledger:preview", args=[imp.pk])).status_code == 405
    assert c.post(reverse("ledger:export")).status_code == 405
    assert response.status_code == 302


def test_someone_elses_import_is_not_found(client, city):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user(
        "sup2", password=PASSWORD, role="supervisor", full_name="另一位督查"
    )
    _upload(_client(client, city.sup), SAMPLE_XLSX.read_bytes())
    imp = LedgerImport.objects.get()
    client.logout()
    c = _client(client, other)
    assert c.get(reverse("ledger:preview", args=[imp.pk])).status_code == 404
    assert c.post(reverse("ledger:confirm", args=[imp.pk])).status_code == 404
    assert not Task.objects.exists()


def test_preview_resolve_confirm(client, city):
    c = _client(client, city.sup)
    response = _upload(c, SAMPLE_XLSX.read_bytes(), "taizhang.xlsx")
    imp = LedgerImport.objects.get()
    assert response["Location"] == reverse("ledger:preview", args=[imp.pk])
    page = c.get(response["Location"]).content.decode()
    assert "市园林局" in page and "确认导入" in page and "disabled" in page
    assert "新建 6 项" in page
    # re-map nothing, resolve 市园林局 to 市城管局
    form = {f"col_{i}": k for i, k in imp.mapping.items()}
    form["res_0"] = str(city.cgj.pk)
    form["new_source_title"] = "2026年重点工作台账"
    response = c.post(reverse("ledger:update", args=[imp.pk]), form)
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.resolutions == {"市园林局": city.cgj.pk}
    page = c.get(reverse("ledger:preview", args=[imp.pk])).content.decode()
    assert 'id="plan-blocking"' not in page
    response = c.post(reverse("ledger:confirm", args=[imp.pk]))
    source = Source.objects.get(title="2026年重点工作台账")
    assert response["Location"] == f"{reverse('tasks:list')}?source={source.pk}"
    assert Task.objects.filter(source=source).count() == 6
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    ledger_page = c.get(response["Location"]).content.decode()
    assert "台账已导入：新建 6 项任务" in ledger_page
    assert "实施制造业重点产业链高质量发展行动" in ledger_page


def test_confirm_with_unresolved_name_shows_why_and_writes_nothing(client, city):
    c = _client(client, city.sup)
    _upload(c, SAMPLE_XLSX.read_bytes())
    imp = LedgerImport.objects.get()
    before = count_rows([Task, Source])
    response = c.post(reverse("ledger:confirm", args=[imp.pk]), follow=True)
    assert "市园林局" in response.content.decode()
    assert count_rows([Task, Source]) == before


def test_mapping_by_hand(client, city):
    c = _client(client, city.sup)
    _upload(c, simple_ledger([["1", "任务", "内容", "市财政局", "", "年底前"]]))
    imp = LedgerImport.objects.get()
    form = {f"col_{i}": k for i, k in imp.mapping.items()}
    form["col_2"] = ""  # 具体内容: not imported
    c.post(reverse("ledger:update", args=[imp.pk]), form)
    imp.refresh_from_db()
    assert "2" not in imp.mapping
    # a mapping without 工作任务 is refused with the reason
    form["col_1"] = ""
    response = c.post(reverse("ledger:update", args=[imp.pk]), form)
    assert response.status_code == 400
    assert "工作任务" in response.content.decode()
    # the same field twice is refused
    form["col_1"], form["col_2"] = "title", "title"
    response = c.post(reverse("ledger:update", args=[imp.pk]), form)
    assert response.status_code == 400 and "同一个字段只能对应一列" in response.content.decode()


def test_bad_file_shown_on_the_form(client, city):
    c = _client(client, city.sup)
    response = _upload(c, bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100)
    assert response.status_code == 200
    assert "打开密码" in response.content.decode()
    assert not LedgerImport.objects.exists()


def test_export_applies_filters_and_visibility(client, city):
    source = source_create(actor=city.sup, kind="work_report", title="报告", code="2026-ZD")
    mine = task_create(
        actor=city.sup, source=source, title="工信的任务", lead_unit=city.gxj, ongoing=True
    )
    other = task_create(
        actor=city.sup, source=source, title="教育的任务", lead_unit=city.jyj, ongoing=True
    )
    task_assign(actor=city.sup, task=mine)
    task_assign(actor=city.sup, task=other)

    def codes(response):
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [r[1].value for r in ws.iter_rows(min_row=4)]

    c = _client(client, city.sup)
    response = c.get(reverse("ledger:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert codes(response) == [mine.code, other.code]
    assert codes(c.get(reverse("ledger:export"), {"unit": city.jyj.pk})) == [other.code]
    assert codes(c.get(reverse("ledger:export"), {"q": "工信"})) == [mine.code]
    client.logout()
    c = _client(client, city.gxj_lly)
    assert codes(c.get(reverse("ledger:export"))) == [mine.code]


def test_ledger_page_has_the_buttons(client, city):
    page = _client(client, city.sup).get(reverse("tasks:list")).content.decode()
    assert reverse("ledger:import") in page and reverse("ledger:export") in page


def test_long_ledger_preview_shows_problems_and_the_first_rows(client, city):
    rows = [[str(i), f"任务{i}", "", "市财政局", "", "年底前"] for i in range(1, 601)]
    rows[549][3] = "市火星局"  # one unmatched name far down
    c = _client(client, city.sup)
    _upload(c, simple_ledger(rows))
    imp = LedgerImport.objects.get()
    page = c.get(reverse("ledger:preview", args=[imp.pk])).content.decode()
    assert "新建 600 项" in page
    assert "市火星局?" in page  # the row with a problem is shown
    assert "另有 100 行没有问题" in page
