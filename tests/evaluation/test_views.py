"""The evaluation pages: who may read and act (allowed / read-only 403 / outsider 404 / wrong
method), bad input shown with the Chinese reason and nothing written, exports, the command."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.audit.models import AuditEvent
from luoshi.evaluation import services
from luoshi.evaluation.models import (
    EvaluationPeriod,
    EvaluationScheme,
    PeriodState,
    QualityGrade,
    ScoreAdjustment,
    ScoreItem,
    UnitScore,
)
from luoshi.lib import clock
from luoshi.org.models import Role
from luoshi.tasks.models import TaskState
from tests.evaluation.conftest import user
from tests.rowcounts import count_rows

D = dt.date
TODAY = D(2026, 4, 10)


@pytest.fixture(autouse=True)
def _today():
    with clock.pinned_today(TODAY):
        yield


@pytest.fixture
def scored(city):
    """March 2026 scored: d1 closed a task on time, d2 has one overdue since 2 March."""
    city.closed = city.task(
        city.d1,
        title="建设智慧城市平台",
        due=D(2026, 3, 31),
        state=TaskState.CLOSED,
        closed=D(2026, 3, 20),
    )
    city.late = city.task(city.d2, title="改造老旧管网", due=D(2026, 3, 2))
    city.task(city.x1, due=D(2026, 12, 31))
    city.period = services.period_create(
        actor=city.sup, scheme=city.scheme, kind="month", start=D(2026, 3, 1)
    )
    services.period_score(actor=city.sup, period=city.period)
    return city


def test_period_list_access(scored, login, client):
    assert login(scored.sup).get(reverse("evaluation:periods")).status_code == 200
    page = login(scored.leader).get(reverse("evaluation:periods"))
    assert page.status_code == 200 and "2026年3月" in page.content.decode()
    assert "新建考核周期" not in page.content.decode()  # leaders read only
    refused = login(scored.liaison).get(reverse("evaluation:periods"))
    assert (
        refused.status_code == 403
        and "考核结果只对督查室人员和领导开放" in refused.content.decode()
    )
    assert login(scored.sysadmin).get(reverse("evaluation:periods")).status_code == 403


def test_period_page_and_breakdown(scored, login):
    c = login(scored.leader)
    page = c.get(reverse("evaluation:period", args=[scored.period.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "echarts-6.1.0.min.js" in html and "eval-chart" in html
    assert "示范市甲局" in html and "区县" in html
    assert "冻结发布" not in html  # read-only
    bd = c.get(reverse("evaluation:unit", args=[scored.period.pk, scored.d1.pk]))
    assert bd.status_code == 200
    text = bd.content.decode()
    assert "按期办结" in text and reverse("tasks:detail", args=[scored.closed.pk]) in text
    assert (
        c.get(reverse("evaluation:unit", args=[scored.period.pk, scored.d3.pk])).status_code == 404
    )
    assert c.get(reverse("evaluation:period", args=[999])).status_code == 404


def test_score_and_freeze_by_office_only(scored, login):
    url = reverse("evaluation:period_score", args=[scored.period.pk])
    freeze = reverse("evaluation:period_freeze", args=[scored.period.pk])
    assert login(scored.leader).post(url).status_code == 403
    assert login(scored.leader).post(freeze).status_code == 403
    c = login(scored.sup)
    assert c.get(url).status_code == 405
    assert c.post(url).status_code == 302
    assert c.post(freeze).status_code == 302
    scored.period.refresh_from_db()
    assert scored.period.state == PeriodState.FROZEN
    before = count_rows([ScoreItem, UnitScore, AuditEvent])
    page = c.post(url, follow=True)
    assert "不能重新计分" in page.content.decode()
    assert count_rows([ScoreItem, UnitScore, AuditEvent]) == before


def test_adjust_bad_input_then_good(scored, login):
    c = login(scored.sup)
    url = reverse("evaluation:period_adjust", args=[scored.period.pk])
    before = count_rows([ScoreAdjustment, UnitScore, AuditEvent])
    page = c.post(url, {"unit": scored.d2.pk, "points": "0", "reason": "补录"})
    assert page.status_code == 400 and "调整分值不能为零" in page.content.decode()
    page = c.post(url, {"unit": scored.d2.pk, "points": "1"})
    assert page.status_code == 400
    assert count_rows([ScoreAdjustment, UnitScore, AuditEvent]) == before
    assert (
        c.post(url, {"unit": scored.d2.pk, "points": "1.5", "reason": "核实后补记"}).status_code
        == 302
    )
    row = UnitScore.objects.get(period=scored.period, unit=scored.d2)
    assert row.adjustments == Decimal("1.50")
    assert (
        login(scored.leader)
        .post(url, {"unit": scored.d2.pk, "points": "1", "reason": "x"})
        .status_code
        == 403
    )


def test_exports_are_formula_safe(scored, login):
    services.score_adjust(
        actor=scored.sup,
        period=scored.period,
        unit_id=scored.d1.pk,
        points="1",
        reason='=HYPERLINK("http://evil")',
    )
    c = login(scored.leader)
    response = c.get(reverse("evaluation:period_export", args=[scored.period.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:2] == ["部门", "区县"]
    rows = list(wb["部门"].iter_rows(values_only=True))
    assert rows[0][:2] == ("名次", "单位")
    assert {r[1] for r in rows[1:]} == {"示范市甲局", "示范市乙局"}
    cell = wb["调整记录"]["C2"]
    assert cell.value.startswith("=") and cell.data_type == "s" and cell.quotePrefix
    unit = c.get(reverse("evaluation:unit_export", args=[scored.period.pk, scored.d2.pk]))
    wb = load_workbook(io.BytesIO(unit.content))
    assert any("逾期" in str(r[0]) for r in wb.active.iter_rows(min_row=2, values_only=True))
    assert (
        login(scored.liaison)
        .get(reverse("evaluation:period_export", args=[scored.period.pk]))
        .status_code
        == 403
    )


def test_period_create_view(city, login):
    c = login(city.sup)
    url = reverse("evaluation:period_create")
    assert c.get(url).status_code == 405
    page = c.post(
        url,
        {"scheme": city.scheme.pk, "kind": "custom", "start": "2026-03-10", "end": "2026-03-01"},
    )
    assert page.status_code == 400 and "结束日期不能早于开始日期" in page.content.decode()
    assert EvaluationPeriod.objects.count() == 0
    response = c.post(url, {"scheme": city.scheme.pk, "kind": "quarter", "start": "2026-05-20"})
    period = EvaluationPeriod.objects.get()
    assert response.status_code == 302 and (period.start, period.end) == (
        D(2026, 4, 1),
        D(2026, 6, 30),
    )
    assert (
        login(city.leader)
        .post(url, {"scheme": city.scheme.pk, "kind": "month", "start": "2026-01-01"})
        .status_code
        == 403
    )


def test_empty_period_page_explains(city, login):
    period = services.period_create(
        actor=city.sup, scheme=city.scheme, kind="month", start=D(2025, 1, 1)
    )
    c = login(city.sup)
    page = c.post(reverse("evaluation:period_score", args=[period.pk]), follow=True)
    html = page.content.decode()
    assert "本期没有可计分的任务" in html
    assert page.status_code == 200


def test_scheme_pages(city, login):
    c = login(city.sup)
    assert c.get(reverse("evaluation:schemes")).status_code == 200
    url = reverse("evaluation:scheme_edit", args=[city.scheme.pk])
    assert c.get(url).status_code == 200
    data = {
        "name": "默认考核方案",
        "base_score": "100",
        "grade_A": "2",
        "grade_B": "1",
        "grade_C": "0",
        "grade_D": "-2",
        "rule_overdue_day_on": "on",
        "rule_overdue_day_points": "0.5",
        "group_0_name": "部门",
        "group_0_kinds": ["department"],
    }
    before = count_rows([EvaluationScheme, AuditEvent])
    rules = list(city.scheme.rules.values_list("kind", "points"))
    page = c.post(url, data)
    assert page.status_code == 200 and "是扣分项，分值不能为正数" in page.content.decode()
    assert count_rows([EvaluationScheme, AuditEvent]) == before
    assert list(city.scheme.rules.values_list("kind", "points")) == rules
    data["rule_overdue_day_points"] = "-1"
    assert c.post(url, data).status_code == 302
    assert list(city.scheme.rules.values_list("kind", "points")) == [
        ("overdue_day", Decimal("-1.00"))
    ]
    assert login(city.leader).get(url).status_code == 403
    assert login(city.leader).get(reverse("evaluation:schemes")).status_code == 200


def test_task_grade_view(city, login):
    closed = city.task(city.d1, due=D(2026, 3, 31), state=TaskState.CLOSED, closed=D(2026, 3, 20))
    open_task = city.task(city.d1)
    url = reverse("evaluation:task_grade", args=[closed.pk])
    c = login(city.sup)
    page = c.get(reverse("tasks:detail", args=[closed.pk]))
    assert "质量等次" in page.content.decode() and url in page.content.decode()
    assert c.get(url).status_code == 405
    assert c.post(url, {"grade": "B", "comment": "按要求完成"}).status_code == 302
    assert QualityGrade.objects.get(task=closed).grade == "B"
    before = count_rows([QualityGrade, AuditEvent])
    page = c.post(
        reverse("evaluation:task_grade", args=[open_task.pk]), {"grade": "A"}, follow=True
    )
    assert "只有已办结的任务可以评定质量等次" in page.content.decode()
    page = c.post(url, {"grade": "E"}, follow=True)
    assert "请选择质量等次" in page.content.decode()
    assert count_rows([QualityGrade, AuditEvent]) == before
    assert login(city.leader).post(url, {"grade": "A"}).status_code == 403
    outsider = user("sup_east", Role.SUPERVISOR, city.x1, "东区督查")
    outsider.scope_unit = city.x1
    outsider.save()
    assert login(outsider).post(url, {"grade": "A"}).status_code == 404
    assert QualityGrade.objects.filter(task=closed).count() == 1


def test_score_command(city):
    city.task(city.d1, due=D(2026, 3, 2))
    out = io.StringIO()
    call_command(
        "score",
        "--scheme",
        str(city.scheme.pk),
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--kind",
        "custom",
        "--freeze",
        stdout=out,
    )
    period = EvaluationPeriod.objects.get()
    assert period.state == PeriodState.FROZEN
    assert "units" in out.getvalue()
    assert UnitScore.objects.filter(period=period, unit=city.d1).get().score < Decimal("100")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="已发布"):
        call_command("score", "--period", str(period.pk), stdout=out)
