"""Every rule of the default scheme on a dated scenario, caps, grades, ranking groups and ties,
the previous period, freezing and adjustments, the empty period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from luoshi.evaluation import services
from luoshi.evaluation.models import (
    QUALITY_GRADE,
    EvaluationPeriod,
    RuleKind,
    ScoreItem,
    UnitScore,
)
from luoshi.evaluation.scoring import dense_ranks
from luoshi.evaluation.services import GroupSpec, RuleSpec
from luoshi.outcomes.models import OutcomeRecord
from luoshi.rechecks.models import Recheck, RecheckState
from luoshi.reports.models import ProgressReport
from luoshi.supervision.models import NoticeState, SupervisionNotice
from luoshi.tasks.models import Task, TaskState
from tests.evaluation.conftest import at

D = dt.date


def period(city, kind, day, scheme=None):
    return services.period_create(
        actor=city.sup, scheme=scheme or city.scheme, kind=kind, start=day
    )


def score(city, p, as_of):
    services.period_score(actor=city.sup, period=p, as_of=as_of)
    p.refresh_from_db()
    return {s.unit_id: s for s in UnitScore.objects.filter(period=p)}


def items(p, unit=None, kind=None):
    qs = ScoreItem.objects.filter(period=p)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("on_date", "id"))


def only(city, **rules):
    """A scheme with just these rules: kind=(points, task_cap, unit_cap)."""
    specs = [
        RuleSpec(
            kind=k, points=Decimal(p), task_cap=tc and Decimal(tc), unit_cap=uc and Decimal(uc)
        )
        for k, (p, tc, uc) in rules.items()
    ]
    return services.scheme_save(
        actor=city.sup,
        name="测试方案" + "".join(sorted(rules)),
        base_score="100",
        rules=specs,
        grade_points={},
        groups=[GroupSpec("部门", ["department"]), GroupSpec("区县", ["district"])],
    )


def test_dense_ranks_ties_by_name():
    ranks = dense_ranks(
        [
            (1, "乙", Decimal(90)),
            (2, "甲", Decimal(95)),
            (3, "丙", Decimal(90)),
            (4, "丁", Decimal(80)),
        ]
    )
    assert ranks == [(2, 1), (1, 2), (3, 2), (4, 3)] or ranks[0] == (2, 1)
    assert dict(ranks) == {2: 1, 1: 2, 3: 2, 4: 3}


def test_overdue_working_days_across_national_day(city):
    """Due Tuesday 29 Sep 2026; October has 国庆 1–7 off and Saturday 10 Oct worked (调休):
    overdue working days in October up to the 16th are 8, 9, 10, 12–16 = 8."""
    scheme = only(city, overdue_day=("-0.5", None, None))
    t = city.task(city.d1, due=D(2026, 9, 29))
    p = period(city, "month", D(2026, 10, 1), scheme)
    scores = score(city, p, D(2026, 10, 16))
    [item] = items(p, city.d1, RuleKind.OVERDUE_DAY)
    assert item.task_id == t.pk
    assert item.points == Decimal("-4.00")
    assert "8 个工作日" in item.explanation
    assert scores[city.d1.pk].score == Decimal("96.00")
    # September: only the 30th (the due day itself is not late)
    q = period(city, "month", D(2026, 9, 1), scheme)
    score(city, q, D(2026, 10, 16))
    [item] = items(q, city.d1, RuleKind.OVERDUE_DAY)
    assert item.points == Decimal("-0.50")


def test_overdue_stops_at_closure_and_cap(city):
    scheme = only(city, overdue_day=("-0.5", "3", "4"))
    city.task(
        city.d1, due=D(2026, 3, 2), state=TaskState.CLOSED, closed=D(2026, 3, 6), closed_late=True
    )  # 3,4,5,6 March: 4 working days → −2
    city.task(city.d1, due=D(2026, 3, 2))  # open all month: 21 days → −10.5, task cap −3
    p = period(city, "month", D(2026, 3, 1), scheme)
    scores = score(city, p, D(2026, 4, 15))
    found = items(p, city.d1, RuleKind.OVERDUE_DAY)
    assert sorted(i.points for i in found if i.ref_model) == [Decimal("-10.50"), Decimal("-2.00")]
    caps = [i for i in found if not i.ref_model]
    assert {i.points for i in caps} == {Decimal("7.50"), Decimal("1.00")}  # task cap, unit cap
    assert scores[city.d1.pk].points == Decimal("-4.00")


def test_on_time_closure_and_extension_and_late(city):
    scheme = only(city, on_time_closure=("1", None, "2"))
    city.task(city.d1, due=D(2026, 3, 31), state=TaskState.CLOSED, closed=D(2026, 3, 20))
    city.task(city.d1, due=D(2026, 3, 31), state=TaskState.CLOSED, closed=D(2026, 3, 31))
    city.task(city.d1, due=D(2026, 3, 31), state=TaskState.CLOSED, closed=D(2026, 3, 30))
    city.task(
        city.d2, due=D(2026, 3, 10), state=TaskState.CLOSED, closed=D(2026, 3, 12), closed_late=True
    )
    city.task(city.d2, due=D(2026, 3, 10), state=TaskState.CLOSED, closed=D(2026, 2, 12))
    p = period(city, "month", D(2026, 3, 1), scheme)
    scores = score(city, p, D(2026, 4, 1))
    assert len([i for i in items(p, city.d1) if i.ref_model]) == 3
    assert scores[city.d1.pk].points == Decimal("2.00")  # per-unit cap 2
    assert items(p, city.d2) == []  # late, and the other closed in February
    assert scores[city.d2.pk].score == Decimal("100.00")


def test_only_leaf_tasks_count(city):
    scheme = only(city, on_time_closure=("1", None, None))
    goal = city.task(city.d1, due=D(2026, 3, 31))
    city.task(
        city.d1, parent=goal, due=D(2026, 3, 31), state=TaskState.CLOSED, closed=D(2026, 3, 20)
    )
    Task.objects.filter(pk=goal.pk).update(state=TaskState.CLOSED, closed_at=at(D(2026, 3, 20)))
    p = period(city, "month", D(2026, 3, 1), scheme)
    score(city, p, D(2026, 4, 1))
    assert len(items(p, city.d1)) == 1


def test_missed_reports_lead_and_co_unit(city):
    """Monthly reports (window = the month, deadline its last working day). Assigned 5 Jan;
    in the first quarter d1 reported in January and March, d2 (co-unit) only in January."""
    scheme = only(city, missed_report=("-1", None, None))
    t = city.task(city.d1, co_units=[city.d2], report_cycle="monthly")
    for unit, day in (
        (city.d1, D(2026, 1, 20)),
        (city.d1, D(2026, 3, 25)),
        (city.d2, D(2026, 1, 21)),
    ):
        ProgressReport.objects.create(
            task=t,
            unit=unit,
            author=city.liaison,
            submitted_at=at(day),
            report_date=day,
            progress_text="推进",
            percent=10,
        )
    p = period(city, "quarter", D(2026, 1, 1), scheme)
    scores = score(city, p, D(2026, 4, 10))
    d1 = items(p, city.d1)
    d2 = items(p, city.d2)
    # February's deadline: Saturday 28 Feb 2026 is a working day (春节调休)
    assert [i.on_date for i in d1] == [D(2026, 2, 28)]
    assert [i.on_date for i in d2] == [D(2026, 2, 28), D(2026, 3, 31)]
    assert scores[city.d2.pk].points == Decimal("-2.00")
    # scored mid-March: the March window's deadline has not passed yet
    q = period(city, "month", D(2026, 3, 1), scheme)
    score(city, q, D(2026, 3, 20))
    assert items(q) == []


def test_first_report_grace(city):
    scheme = only(city, missed_report=("-1", None, None))
    city.task(city.d1, report_cycle="monthly", assigned=D(2026, 1, 27))
    p = period(city, "month", D(2026, 1, 1), scheme)
    score(city, p, D(2026, 2, 10))
    assert items(p) == []  # deadline 30 Jan is within a week of assignment


def test_notices_rechecks_outcomes(city):
    t = city.task(city.d1)
    SupervisionNotice.objects.create(
        task=t,
        unit=city.d1,
        content="请加快",
        state=NoticeState.ISSUED,
        year=2026,
        seq=3,
        drafted_at=at(D(2026, 5, 6)),
        issued_at=at(D(2026, 5, 7)),
        issued_by=city.sup,
    )
    SupervisionNotice.objects.create(  # a draft never issued does not count
        task=t,
        unit=city.d1,
        content="草稿",
        drafted_at=at(D(2026, 5, 8)),
    )
    Recheck.objects.create(
        task=t,
        unit=city.d1,
        due_on=D(2026, 5, 1),
        state=RecheckState.FAILED,
        requested_by=city.sup,
        requested_at=at(D(2026, 1, 5)),
        verdict_at=at(D(2026, 5, 12)),
        verdict_by=city.sup,
    )
    for kind, unit in (
        ("leader_commendation", city.d2),
        ("public_criticism", city.x1),
        ("talk", city.x1),
    ):
        OutcomeRecord.objects.create(
            unit=unit,
            task=t,
            kind=kind,
            recorded_on=D(2026, 5, 15),
            text="事由",
            recorded_by=city.sup,
            created_at=at(D(2026, 5, 15)),
        )
    p = period(city, "month", D(2026, 5, 1))
    scores = score(city, p, D(2026, 6, 1))
    d1 = {i.kind: i for i in items(p, city.d1)}
    assert d1[RuleKind.NOTICE_RECEIVED].points == Decimal("-2.00")
    assert "督办〔2026〕3号" in d1[RuleKind.NOTICE_RECEIVED].explanation
    assert d1[RuleKind.RECHECK_FAILED].points == Decimal("-3.00")
    assert [i.points for i in items(p, city.d2)] == [Decimal("3.00")]
    assert [i.kind for i in items(p, city.x1)] == [RuleKind.PUBLIC_CRITICISM]  # 约谈 not scored
    assert scores[city.x1.pk].score == Decimal("95.00")
    assert scores[city.x1.pk].group == "区县"


def test_quality_grades_latest_counts(city):
    t = city.task(city.d1, due=D(2026, 3, 31), state=TaskState.CLOSED, closed=D(2026, 3, 20))
    services.quality_grade_set(actor=city.sup, task=t, grade="D", comment="材料不全")
    services.quality_grade_set(actor=city.sup, task=t, grade="A", comment="复核后改评")
    assert t.quality_grades.count() == 2
    p = period(city, "month", D(2026, 3, 1))
    score(city, p, D(2026, 4, 1))
    [grade] = items(p, city.d1, QUALITY_GRADE)
    assert grade.points == Decimal("2.00") and "A" in grade.explanation


def test_grade_refused_on_open_task(city):
    t = city.task(city.d1)
    with pytest.raises(ValidationError) as exc:
        services.quality_grade_set(actor=city.sup, task=t, grade="A")
    assert "只有已办结的任务" in exc.value.messages[0]
    assert t.quality_grades.count() == 0


def test_groups_ranks_ties_and_previous_period(city):
    scheme = only(city, on_time_closure=("1", None, None), overdue_day=("-1", None, None))
    for unit in (city.d1, city.d2):
        city.task(unit, due=D(2026, 3, 31), state=TaskState.CLOSED, closed=D(2026, 3, 10))
    city.task(city.d2, due=D(2026, 12, 31))  # keeps d2 in April's ranking
    city.task(city.d3, due=D(2026, 3, 30))  # overdue 31 March: −1
    city.task(city.x1, due=D(2026, 12, 31))
    city.task(city.x2, due=D(2026, 3, 30))
    march = period(city, "month", D(2026, 3, 1), scheme)
    s = score(city, march, D(2026, 3, 31))
    assert (s[city.d1.pk].rank, s[city.d2.pk].rank, s[city.d3.pk].rank) == (1, 1, 2)
    assert (s[city.x1.pk].rank, s[city.x2.pk].rank) == (1, 2)
    assert s[city.d1.pk].prev_score is None
    # April: d3's task runs on overdue (−21), d1 gets one more closure
    city.task(city.d1, due=D(2026, 4, 30), state=TaskState.CLOSED, closed=D(2026, 4, 2))
    april = period(city, "month", D(2026, 4, 1), scheme)
    s = score(city, april, D(2026, 4, 30))
    assert s[city.d1.pk].prev_score == Decimal("101.00")
    assert s[city.d1.pk].delta_score == Decimal("0.00")
    assert s[city.d2.pk].prev_rank == 1 and s[city.d2.pk].rank == 2
    assert s[city.d2.pk].delta_rank == -1
    assert s[city.d3.pk].score == Decimal("79.00")


def test_recompute_replaces_then_freeze_refuses(city):
    t = city.task(city.d1, due=D(2026, 3, 2))
    p = period(city, "month", D(2026, 3, 1))
    score(city, p, D(2026, 3, 10))
    assert ScoreItem.objects.filter(period=p).count() == 1
    score(city, p, D(2026, 3, 31))
    first = ScoreItem.objects.filter(period=p).count()
    assert first == 2  # the days overdue and the per-task cap
    score(city, p, D(2026, 3, 31))
    assert ScoreItem.objects.filter(period=p).count() == first  # replaced, not added
    assert UnitScore.objects.filter(period=p, unit=city.d1).count() == 1
    services.period_freeze(actor=city.sup, period=p)
    before = list(ScoreItem.objects.filter(period=p).values_list("id", "points"))
    t.due = D(2026, 1, 1)
    t.save()
    with pytest.raises(ValidationError) as exc:
        services.period_score(actor=city.sup, period=p)
    assert "已发布" in exc.value.messages[0]
    assert list(ScoreItem.objects.filter(period=p).values_list("id", "points")) == before


def test_adjustment_after_freeze_reranks(city):
    city.task(city.d1, due=D(2026, 3, 31), state=TaskState.CLOSED, closed=D(2026, 3, 10))
    city.task(city.d2, due=D(2026, 12, 31))
    p = period(city, "month", D(2026, 3, 1))
    s = score(city, p, D(2026, 3, 31))
    assert s[city.d1.pk].rank == 1
    services.period_freeze(actor=city.sup, period=p)
    services.score_adjust(
        actor=city.sup, period=p, unit_id=city.d2.pk, points="2", reason="3月受省政府表扬，补录"
    )
    d2 = UnitScore.objects.get(period=p, unit=city.d2)
    assert (d2.score, d2.adjustments, d2.rank) == (Decimal("102.00"), Decimal("2.00"), 1)
    assert UnitScore.objects.get(period=p, unit=city.d1).rank == 2
    with pytest.raises(ValidationError) as exc:
        services.score_adjust(actor=city.sup, period=p, unit_id=city.d2.pk, points="1", reason=" ")
    assert "调整理由" in exc.value.messages[0]
    assert p.adjustments.count() == 1


def test_empty_period_is_explained_not_an_error(city):
    p = period(city, "month", D(2025, 6, 1))
    assert services.period_score(actor=city.sup, period=p, as_of=D(2025, 6, 30)) == 0
    p.refresh_from_db()
    assert p.computed_at is not None
    assert not UnitScore.objects.filter(period=p).exists()


def test_default_scheme_shipped(city):
    rules = {r.kind: r.points for r in city.scheme.rules.all()}
    assert rules[RuleKind.OVERDUE_DAY] == Decimal("-0.5")
    assert rules[RuleKind.NOTICE_RECEIVED] == Decimal("-2")
    assert rules[RuleKind.LEADER_COMMENDATION] == Decimal("3")
    assert rules[RuleKind.PUBLIC_CRITICISM] == Decimal("-5")
    assert [g.name for g in city.scheme.groups.all()] == ["部门", "区县"]
    assert EvaluationPeriod.objects.count() == 0
