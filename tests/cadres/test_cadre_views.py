"""干部评价 pages over HTTP: the office opens a round, a reviewer submits a sheet beside the
evidence, results for the office and leaders in scope; 403 for roles that may not, 404 for
what a user may not see, 405 for the wrong method; nothing written on a refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.cadres.models import CadreReview, Dimension, ReviewScore, ReviewSheet
from luoshi.cadres.services import review_create, sheet_submit
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db
MODELS = (CadreReview, ReviewSheet, ReviewScore, AuditEvent)


@pytest.fixture
def review(world, today):
    return review_create(
        actor=world.sup,
        name="2026年一季度单位负责人履职评价",
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 3, 31),
        cadres=[world.lead_head, world.co_head, world.leader_in],
        reviewers=[world.leader_in, world.other_head, world.sup],
    )


def _sheet(grade="8", **over):
    data = {"comment": "总体称职。"}
    for d in Dimension:
        data[f"{d.value}_grade"] = grade
        data[f"{d.value}_comment"] = ""
    data.update(over)
    return data


def test_the_office_opens_a_round_through_the_form(world, today, login):
    client = login(world.sup)
    assert client.get(reverse("cadres:new")).status_code == 200
    response = client.post(
        reverse("cadres:new"),
        {
            "name": "年度评价",
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
            "cadres": [world.lead_head.pk, world.co_head.pk],
            "reviewers": [world.leader_in.pk],
        },
    )
    review = CadreReview.objects.get()
    assert response["Location"] == reverse("cadres:detail", args=[review.pk])
    before = count_rows(MODELS)
    response = client.post(
        reverse("cadres:new"),
        {"name": "", "date_from": "2026-02-01", "date_to": "2026-01-01", "cadres": []},
    )
    page = response.content.decode()
    assert (
        "请填写评价名称。" in page and "请选择被评价的干部。" in page and "请指定评价人。" in page
    )
    assert count_rows(MODELS) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sup", 200), ("leader_in", 403), ("lead_head", 403), ("lead_liaison", 403), ("auditor", 403)],
)
def test_new_round_form_by_role(world, today, login, persona, status):
    assert login(getattr(world, persona)).get(reverse("cadres:new")).status_code == status


def test_a_reviewer_submits_a_sheet_beside_the_evidence(world, today, login, review):
    client = login(world.other_head)
    mine = client.get(reverse("cadres:mine")).content.decode()
    url = reverse("cadres:sheet", args=[review.pk, world.lead_head.pk])
    assert url in mine and "待评价" in mine
    page = client.get(url).content.decode()
    assert "单位任务落实情况" in page and "政治过硬" in page and "按期办结率" in page
    response = client.post(url, _sheet("9"))
    assert response.status_code == 302
    sheet = ReviewSheet.objects.get()
    assert sheet.reviewer == world.other_head and sheet.cadre == world.lead_head
    assert "已提交" in client.get(reverse("cadres:mine")).content.decode()
    # a second submission is refused; nothing written
    before = count_rows(MODELS)
    response = client.post(url, _sheet("3"))
    assert response.status_code == 403
    assert "不能重复提交" in response.content.decode()
    assert count_rows(MODELS) == before
    # a correction makes a new version
    response = client.post(url + "?correct=1", {**_sheet("7"), "correct": "1"})
    assert response.status_code == 302
    assert ReviewSheet.objects.filter(current=True).get().version == 2


def test_bad_sheet_shows_the_message_and_writes_nothing(world, today, login, review):
    client = login(world.other_head)
    url = reverse("cadres:sheet", args=[review.pk, world.lead_head.pk])
    before = count_rows(MODELS)
    response = client.post(url, _sheet("8", political_grade="11", integrity_grade=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“政治过硬”的评分须是 1 到 10 的整数。" in page and "请为“作风廉洁”评分。" in page
    assert count_rows(MODELS) == before


@pytest.mark.parametrize(
    ("persona", "cadre", "status"),
    [
        ("other_head", "lead_head", 200),
        ("leader_in", "lead_head", 200),
        ("leader_in", "leader_in", 404),  # never about oneself
        ("co_head", "lead_head", 404),  # not a reviewer of this round
        ("lead_liaison", "lead_head", 403),  # a liaison reviews no one
        ("auditor", "lead_head", 403),
    ],
)
def test_sheet_page_by_role(world, today, login, review, persona, cadre, status):
    url = reverse("cadres:sheet", args=[review.pk, getattr(world, cadre).pk])
    assert login(getattr(world, persona)).get(url).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sup", 200),
        ("leader_in", 200),
        ("leader_out", 404),
        ("sup_out", 404),
        ("lead_head", 403),
        ("lead_liaison", 403),
        ("auditor", 403),
    ],
)
def test_results_page_by_role(world, today, login, review, persona, status):
    url = reverse("cadres:detail", args=[review.pk])
    assert login(getattr(world, persona)).get(url).status_code == status


def test_results_show_averages_and_sheets_to_the_office_only(world, today, login, review):
    sheet_submit(
        actor=world.other_head,
        review=review,
        cadre=world.lead_head,
        scores={d.value: (9, "实绩突出") for d in Dimension},
    )
    sheet_submit(
        actor=world.sup,
        review=review,
        cadre=world.leader_in,
        scores={d.value: (6, "有待加强") for d in Dimension},
    )
    page = login(world.sup).get(reverse("cadres:detail", args=[review.pk])).content.decode()
    assert "9.00" in page and "优秀" in page
    sheets = reverse("cadres:sheets", args=[review.pk, world.lead_head.pk])
    assert sheets in page
    assert "实绩突出" in login(world.sup).get(sheets).content.decode()
    # a leader in scope: averages of A's cadre only; no individual sheets
    client = login(world.leader_in)
    page = client.get(reverse("cadres:detail", args=[review.pk])).content.decode()
    assert "9.00" in page and "lead_head" in page and "co_head" not in page
    assert sheets not in page
    assert client.get(sheets).status_code == 403
    # the leader reviewed does not read the sheets about them either
    about_leader = reverse("cadres:sheets", args=[review.pk, world.leader_in.pk])
    assert client.get(about_leader).status_code == 403
    # the cadre reviewed (a unit head) reads no results at all
    assert login(world.lead_head).get(sheets).status_code == 403


def test_the_office_does_not_read_sheets_about_itself(world, today, login):
    review = review_create(
        actor=world.sup,
        name="督查室评价",
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 3, 31),
        cadres=[world.sup],
        reviewers=[world.leader_in],
    )
    url = reverse("cadres:sheets", args=[review.pk, world.sup.pk])
    response = login(world.sup).get(url)
    assert response.status_code == 403
    assert "被评价的干部不能查看对本人的个人评分。" in response.content.decode()


def test_close_over_http(world, today, login, review):
    url = reverse("cadres:close", args=[review.pk])
    assert login(world.sup).get(url).status_code == 405
    assert login(world.leader_in).post(url).status_code == 403
    assert login(world.leader_out).post(url).status_code == 403  # role rule first
    response = login(world.sup).post(url)
    assert response.status_code == 302
    review.refresh_from_db()
    assert not review.is_open
    sheet_url = reverse("cadres:sheet", args=[review.pk, world.lead_head.pk])
    client = login(world.other_head)
    assert "该评价已结束" in client.get(sheet_url).content.decode()
    assert client.post(sheet_url, _sheet()).status_code == 403


def test_menu_entries(world, today, login):
    home = reverse("home")
    assert reverse("cadres:list") in login(world.sup).get(home).content.decode()
    assert reverse("cadres:list") in login(world.leader_in).get(home).content.decode()
    assert reverse("cadres:mine") in login(world.lead_head).get(home).content.decode()
    page = login(world.lead_liaison).get(home).content.decode()
    assert "/cadres/" not in page


def test_results_export(world, today, login, review):
    import io

    from openpyxl import load_workbook

    sheet_submit(
        actor=world.other_head,
        review=review,
        cadre=world.lead_head,
        scores={d.value: (9, "") for d in Dimension},
    )
    url = reverse("cadres:export", args=[review.pk])
    response = login(world.sup).get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == review.name
    assert [c.value for c in ws[2]][:4] == ["干部", "职务", "单位", "政治过硬"]
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=3)}
    assert rows["lead_head"][3:10] == [9, 9, 9, 9, 9, 9, "优秀"]
    assert set(rows) == {"lead_head", "co_head", "leader_in"}
    # a leader scoped to A: A's cadre only; outsiders 404, units 403
    ws = load_workbook(io.BytesIO(login(world.leader_in).get(url).content)).active
    assert [r[0].value for r in ws.iter_rows(min_row=3)] == ["lead_head"]
    assert login(world.leader_out).get(url).status_code == 404
    assert login(world.lead_head).get(url).status_code == 403
    assert AuditEvent.objects.filter(action="cadre.results.export").count() == 2


def test_add_people_over_http(world, today, login, review):
    url = reverse("cadres:add", args=[review.pk])
    assert login(world.leader_in).get(url).status_code == 403
    assert login(world.sup_out).get(url).status_code == 404
    client = login(world.sup)
    assert url in client.get(reverse("cadres:detail", args=[review.pk])).content.decode()
    before = count_rows(MODELS)
    response = client.post(url, {})
    assert "请选择要增加的被评价干部或评价人" in response.content.decode()
    assert count_rows(MODELS) == before
    response = client.post(url, {"cadres": [world.other_head.pk], "reviewers": [world.co_head.pk]})
    assert response["Location"] == reverse("cadres:detail", args=[review.pk])
    assert review.cadres.filter(cadre=world.other_head).exists()
    assert (
        reverse("cadres:sheet", args=[review.pk, world.lead_head.pk])
        in login(world.co_head).get(reverse("cadres:mine")).content.decode()
    )
