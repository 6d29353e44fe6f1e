"""A scoped reader sees only the scores of the units in their scope (User.scope_unit): the
ranking page, its chart and trend, a unit's breakdown, the exports and adjustments."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.access.evaluation import visible_scores
from luoshi.evaluation import services
from luoshi.evaluation.models import ScoreAdjustment, UnitScore
from luoshi.lib import clock
from luoshi.org.models import Role
from luoshi.org.services import unit_create
from tests.evaluation.conftest import user

D = dt.date


@pytest.fixture(autouse=True)
def _today():
    with clock.pinned_today(D(2026, 4, 10)):
        yield


@pytest.fixture
def scoped(city):
    """East district with a street office under it; a leader and a supervisor scoped to it."""
    city.street = unit_create(
        actor=None, name="示范市东区东街道", kind="department", parent=city.x1
    )
    for unit in (city.d1, city.d2, city.x1, city.x2, city.street):
        city.task(unit, due=D(2026, 3, 2))
    city.period = services.period_create(
        actor=city.sup, scheme=city.scheme, kind="month", start=D(2026, 3, 1)
    )
    services.period_score(actor=city.sup, period=city.period)
    city.east_leader = user("east_leader", Role.LEADER, city.x1, "东区区长")
    city.east_leader.scope_unit = city.x1
    city.east_leader.save()
    city.east_sup = user("east_sup", Role.SUPERVISOR, city.x1, "东区督查")
    city.east_sup.scope_unit = city.x1
    city.east_sup.save()
    return city


def test_visible_scores_follow_the_scope(scoped):
    every = set(UnitScore.objects.filter(period=scoped.period).values_list("unit_id", flat=True))
    assert {scoped.d1.pk, scoped.x1.pk, scoped.x2.pk, scoped.street.pk} <= every
    mine = set(visible_scores(scoped.east_leader).values_list("unit_id", flat=True))
    assert mine == {scoped.x1.pk, scoped.street.pk}
    assert set(visible_scores(scoped.leader).values_list("unit_id", flat=True)) == every
    assert not visible_scores(scoped.liaison).exists()
    assert not visible_scores(scoped.sysadmin).exists()


def test_ranking_page_shows_only_the_scope_with_true_ranks(scoped, login):
    page = login(scoped.east_leader).get(reverse("evaluation:period", args=[scoped.period.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "示范市东区" in html and "示范市东区东街道" in html
    assert "示范市西区" not in html and "示范市甲局" not in html
    whole = login(scoped.leader).get(reverse("evaluation:period", args=[scoped.period.pk]))
    assert "示范市西区" in whole.content.decode()


def test_breakdown_and_unit_export_of_another_unit_are_404(scoped, login):
    c = login(scoped.east_leader)
    for name in ("evaluation:unit", "evaluation:unit_export"):
        assert c.get(reverse(name, args=[scoped.period.pk, scoped.x2.pk])).status_code == 404
        assert c.get(reverse(name, args=[scoped.period.pk, scoped.street.pk])).status_code == 200


def test_ranking_export_holds_only_the_scope(scoped, login):
    response = login(scoped.east_leader).get(
        reverse("evaluation:period_export", args=[scoped.period.pk])
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert "示范市东区东街道" in cells
    assert "示范市西区" not in cells and "示范市甲局" not in cells


def test_scoped_supervisor_cannot_adjust_outside_the_scope(scoped, login):
    with pytest.raises(ValidationError) as exc:
        services.score_adjust(
            actor=scoped.east_sup,
            period=scoped.period,
            unit_id=scoped.x2.pk,
            points="2",
            reason="核实后补记",
        )
    assert "不在您的管辖范围内" in exc.value.messages[0]
    assert not ScoreAdjustment.objects.exists()
    page = login(scoped.east_sup).post(
        reverse("evaluation:period_adjust", args=[scoped.period.pk]),
        {"unit": scoped.x2.pk, "points": "2", "reason": "核实后补记"},
    )
    assert page.status_code == 400 and not ScoreAdjustment.objects.exists()
    services.score_adjust(
        actor=scoped.east_sup,
        period=scoped.period,
        unit_id=scoped.street.pk,
        points="2",
        reason="核实后补记",
    )
    assert ScoreAdjustment.objects.filter(unit=scoped.street).count() == 1
