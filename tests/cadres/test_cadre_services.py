"""干部评价: opening a round, submitting sheets (once; corrections are new versions),
results, who reads what, and the evidence beside the sheet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.access import policy
from luoshi.audit.models import AuditEvent
from luoshi.cadres.models import (
    CadreReview,
    Dimension,
    ReviewCadre,
    Reviewer,
    ReviewScore,
    ReviewSheet,
    grade_band,
)
from luoshi.cadres.services import (
    cadre_evidence,
    review_close,
    review_create,
    review_results,
    sheet_correct,
    sheet_submit,
)
from luoshi.outcomes.models import OutcomeKind
from luoshi.outcomes.services import outcome_record
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db

MODELS = (CadreReview, ReviewCadre, Reviewer, ReviewSheet, ReviewScore, AuditEvent)
JAN_1 = dt.date(2026, 1, 1)
MAR_31 = dt.date(2026, 3, 31)


def _round(world, **kw):
    args = {
        "actor": world.sup,
        "name": "2026年一季度单位负责人履职评价",
        "date_from": JAN_1,
        "date_to": MAR_31,
        "cadres": [world.lead_head, world.co_head],
        "reviewers": [world.leader_in, world.other_head, world.lead_head],
    }
    args.update(kw)
    return review_create(**args)


def _scores(grade=8, **over):
    scores = {d.value: (grade, f"{d.label}表现良好") for d in Dimension}
    scores.update(over)
    return scores


def test_the_office_opens_a_round(world, today):
    review = _round(world)
    assert review.is_open and review.scope_unit is None
    assert {c.cadre for c in review.cadres.all()} == {world.lead_head, world.co_head}
    assert review.cadres.get(cadre=world.lead_head).unit == world.a
    assert review.reviewers.count() == 3
    assert AuditEvent.objects.filter(action="cadre.review.create").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": " "}, "name", "请填写评价名称。"),
        ({"name": "评" * 201}, "name", "评价名称不能超过 200 字。"),
        ({"date_to": dt.date(2025, 12, 31)}, "date_to", "评价期的截止日期不能早于起始日期。"),
        ({"date_from": None}, "date_to", "请填写评价期的起止日期。"),
        ({"cadres": []}, "cadres", "请选择被评价的干部。"),
        ({"reviewers": []}, "reviewers", "请指定评价人。"),
        ({"reviewers": ["lead_liaison"]}, "reviewers", "评价人须是督查室人员、领导或单位负责人"),
        ({"cadres": ["auditor"]}, "cadres", "不能作为被评价干部"),
        (
            {"cadres": ["lead_head"], "reviewers": ["lead_head"]},
            "reviewers",
            "干部不能评价自己",
        ),
    ],
)
def test_bad_rounds_are_refused_and_nothing_is_written(world, today, change, field, message):
    args = {
        k: [getattr(world, p) for p in v] if isinstance(v, list) else v for k, v in change.items()
    }
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        _round(world, **args)
    assert any(message in m for m in exc.value.message_dict[field])
    assert count_rows(MODELS) == before


@pytest.mark.parametrize("persona", ["leader_in", "lead_head", "lead_liaison", "sysadmin"])
def test_only_the_office_opens_a_round(world, today, persona):
    before = count_rows(MODELS)
    with pytest.raises(PermissionDenied) as exc:
        _round(world, actor=getattr(world, persona))
    assert "只有督查室人员可以组织干部评价。" in str(exc.value)
    assert count_rows(MODELS) == before


def test_a_scoped_office_names_cadres_of_its_scope_only(world, today):
    with pytest.raises(ValidationError) as exc:
        _round(world, actor=world.sup_out)
    assert "不在您的管辖范围内" in exc.value.message_dict["cadres"][0]


def test_a_sheet_is_submitted_once(world, today):
    review = _round(world)
    sheet = sheet_submit(
        actor=world.other_head,
        review=review,
        cadre=world.lead_head,
        scores=_scores(9),
        comment="总体优秀。",
    )
    assert sheet.version == 1 and sheet.current
    assert sheet.scores.count() == 5
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        sheet_submit(
            actor=world.other_head, review=review, cadre=world.lead_head, scores=_scores(3)
        )
    assert "不能重复提交" in exc.value.messages[0]
    assert count_rows(MODELS) == before
    assert set(ReviewScore.objects.values_list("grade", flat=True)) == {9}


def test_a_correction_is_a_new_version(world, today):
    review = _round(world)
    first = sheet_submit(
        actor=world.other_head, review=review, cadre=world.lead_head, scores=_scores(9)
    )
    second = sheet_correct(
        actor=world.other_head, review=review, cadre=world.lead_head, scores=_scores(7)
    )
    first.refresh_from_db()
    assert not first.current and first.superseded_by == second
    assert second.version == 2 and second.current
    assert set(first.scores.values_list("grade", flat=True)) == {9}  # kept as it was
    (result,) = [r for r in review_results(review) if r.item.cadre == world.lead_head]
    assert result.overall == 7.0 and result.sheets == 1


@pytest.mark.parametrize(
    ("persona", "cadre", "error", "message"),
    [
        ("co_head", "lead_head", PermissionDenied, "您不是该评价的评价人。"),
        ("lead_liaison", "lead_head", PermissionDenied, "只有被指定的评价人"),
        ("lead_head", "lead_head", PermissionDenied, "干部不能评价自己。"),
        ("other_head", "other_liaison", ValidationError, "该干部不在本次评价范围内。"),
    ],
)
def test_who_may_not_submit(world, today, persona, cadre, error, message):
    review = _round(world)
    before = count_rows(MODELS)
    with pytest.raises(error) as exc:
        sheet_submit(
            actor=getattr(world, persona),
            review=review,
            cadre=getattr(world, cadre),
            scores=_scores(),
        )
    assert message in str(exc.value)
    assert count_rows(MODELS) == before


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"political": (11, "")}, "“政治过硬”的评分须是 1 到 10 的整数。"),
        ({"political": (0, "")}, "“政治过硬”的评分须是 1 到 10 的整数。"),
        ({"integrity": (None, "")}, "请为“作风廉洁”评分。"),
        ({"fighting": (6, "语" * 2001)}, "评语不能超过 2000 字。"),
    ],
)
def test_bad_sheets_are_refused(world, today, over, message):
    review = _round(world)
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        sheet_submit(
            actor=world.other_head, review=review, cadre=world.lead_head, scores=_scores(**over)
        )
    assert message in exc.value.messages
    assert count_rows(MODELS) == before


def test_a_closed_round_takes_no_sheets(world, today):
    review = _round(world)
    review_close(actor=world.sup, review=review)
    with pytest.raises(ValidationError) as exc:
        sheet_submit(actor=world.other_head, review=review, cadre=world.lead_head, scores=_scores())
    assert exc.value.messages == ["该评价已结束，不能再提交评价表。"]
    with pytest.raises(ValidationError):
        review_close(actor=world.sup, review=review)
    with pytest.raises(PermissionDenied):
        review_close(actor=world.leader_in, review=_round(world))


def test_results_average_per_dimension_and_overall(world, today):
    review = _round(world)
    sheet_submit(actor=world.other_head, review=review, cadre=world.lead_head, scores=_scores(9))
    sheet_submit(
        actor=world.leader_in,
        review=review,
        cadre=world.lead_head,
        scores=_scores(7, political=(10, "")),
    )
    results = {r.item.cadre.username: r for r in review_results(review)}
    lead = results["lead_head"]
    assert lead.sheets == 2 and lead.expected == 2  # the cadre does not review themselves
    assert dict(lead.by_dimension)[Dimension.POLITICAL.label] == 9.5
    assert dict(lead.by_dimension)[Dimension.INTEGRITY.label] == 8.0
    assert lead.overall == 8.3 and lead.band == "称职"
    co = results["co_head"]
    assert co.sheets == 0 and co.expected == 3 and co.overall is None and co.band == ""
    assert [grade_band(v) for v in (9, 7, 5, 4)] == ["优秀", "称职", "基本称职", "不称职"]


def test_who_reads_the_results(world, today):
    review = _round(world)
    for persona in ("sup", "leader_in"):
        assert policy.can_review_results(getattr(world, persona), review), persona
    for persona in ("sup_out", "leader_out", "lead_head", "other_head", "lead_liaison", "auditor"):
        assert not policy.can_review_results(getattr(world, persona), review), persona
    # a leader scoped to A reads A's cadre only
    assert [c.cadre for c in policy.visible_review_cadres(world.leader_in, review)] == [
        world.lead_head
    ]
    assert policy.visible_review_cadres(world.sup, review).count() == 2
    # individual sheets: the office only, never about the reader
    assert policy.can_read_sheets(world.sup, review, world.lead_head.pk)
    assert not policy.can_read_sheets(world.leader_in, review, world.lead_head.pk)
    assert not policy.can_read_sheets(world.sup, review, world.sup.pk)


def test_evidence_counts_the_units_tasks_and_names_only_what_the_reader_sees(world, today):
    from luoshi.lib import clock
    from luoshi.tasks.models import Task

    review = _round(world)
    # make one of A's tasks overdue within the period
    Task.objects.filter(pk=world.live.pk).update(due=dt.date(2026, 3, 2))
    outcome_record(
        actor=world.sup,
        kind=OutcomeKind.PUBLIC_CRITICISM,
        unit=world.a,
        task=world.live,
        recorded_on=dt.date(2026, 3, 3),
        text="城市更新行动进度滞后。",
    )
    item = review.cadres.get(cadre=world.lead_head)
    with clock.pinned_today(today):
        seen = cadre_evidence(user=world.leader_in, review=review, item=item)
        blind = cadre_evidence(user=world.other_head, review=review, item=item)
    unit = seen["unit"]
    assert unit["total"] == 5  # fresh, live, pending, closed, suspended (not the draft)
    assert unit["overdue_count"] == 1 and [t.pk for t in unit["overdue"]] == [world.live.pk]
    assert blind["unit"]["overdue"] == [] and blind["unit"]["overdue_hidden"] == 1
    assert [o.text for o in seen["outcomes"]] == ["城市更新行动进度滞后。"]
    assert seen["owner"]["total"] == 0


def test_people_are_added_to_an_open_round_once(world, today):
    from luoshi.cadres.services import review_add

    review = _round(world)
    review_add(actor=world.sup, review=review, cadres=[world.other_head, world.lead_head])
    assert review.cadres.count() == 3  # lead_head was there already
    review_add(actor=world.sup, review=review, reviewers=[world.co_head])
    assert review.reviewers.filter(user=world.co_head).exists()
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        review_add(actor=world.sup, review=review, cadres=[world.lead_head])
    assert "请选择要增加的被评价干部或评价人" in exc.value.message_dict["cadres"][0]
    with pytest.raises(ValidationError) as exc:
        review_add(actor=world.sup, review=review, reviewers=[world.lead_liaison])
    assert "评价人须是督查室人员、领导或单位负责人" in exc.value.message_dict["reviewers"][0]
    with pytest.raises(PermissionDenied):
        review_add(actor=world.leader_in, review=review, reviewers=[world.sup])
    assert count_rows(MODELS) == before
    review_close(actor=world.sup, review=review)
    with pytest.raises(ValidationError) as exc:
        review_add(actor=world.sup, review=review, reviewers=[world.sup])
    assert exc.value.messages == ["该评价已结束，不能再增加人员。"]
