"""Schemes: saving through the service, and contradictions refused with the reason in
Chinese and nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from luoshi.audit.models import AuditEvent
from luoshi.evaluation import services
from luoshi.evaluation.models import EvaluationScheme, RankingGroup, ScoreRule
from luoshi.evaluation.services import GroupSpec, RuleSpec
from tests.rowcounts import count_rows

MODELS = [EvaluationScheme, ScoreRule, RankingGroup, AuditEvent]
GROUPS = [GroupSpec("部门", ["department"]), GroupSpec("区县", ["district"])]


def save(city, **overrides):
    args = {
        "name": "2026年度绩效考核",
        "base_score": "100",
        "rules": [
            RuleSpec("on_time_closure", Decimal("1")),
            RuleSpec("overdue_day", Decimal("-0.5"), Decimal("5")),
        ],
        "grade_points": {"A": "40", "B": "30", "C": "20", "D": "10"},
        "grade_total": "100",
        "groups": GROUPS,
    }
    args.update(overrides)
    return services.scheme_save(actor=city.sup, **args)


def test_scheme_saved_and_audited(city):
    scheme = save(city)
    assert {r.kind for r in scheme.rules.all()} == {"on_time_closure", "overdue_day"}
    assert scheme.grade_value("A") == Decimal("40")
    assert AuditEvent.objects.filter(action="evaluation.scheme_create").count() == 1
    save(city, scheme=scheme, rules=[RuleSpec("missed_report", Decimal("-1"))])
    assert [r.kind for r in scheme.rules.all()] == ["missed_report"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"rules": [RuleSpec("overdue_day", Decimal("-0.5"), Decimal("-1"))]},
            "每任务上限不能小于零",
        ),
        (
            {"rules": [RuleSpec("missed_report", Decimal("-1"), None, Decimal("-3"))]},
            "每单位上限不能小于零",
        ),
        ({"rules": [RuleSpec("public_criticism", Decimal("5"))]}, "是扣分项，分值不能为正数"),
        ({"rules": [RuleSpec("leader_commendation", Decimal("-3"))]}, "是加分项，分值不能为负数"),
        (
            {
                "rules": [
                    RuleSpec("missed_report", Decimal("-1")),
                    RuleSpec("missed_report", Decimal("-2")),
                ]
            },
            "重复设置",
        ),
        (
            {"grade_points": {"A": "40", "B": "30", "C": "20", "D": "5"}},
            "合计为 95，与声明的合计 100 不符",
        ),
        ({"grade_points": {"A": "40", "B": "30"}}, "须全部填写或全部留空"),
        ({"groups": []}, "至少需要一个排名组"),
        ({"groups": [GroupSpec("部门", [])]}, "没有选择单位类型"),
        (
            {"groups": [GroupSpec("部门", ["department"]), GroupSpec("其他", ["department"])]},
            "同时属于排名组",
        ),
        ({"base_score": "-1"}, "基础分不能小于零"),
        ({"name": "默认考核方案"}, "已有同名的考核方案"),
    ],
)
def test_contradictions_refused_nothing_written(city, overrides, message):
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        save(city, **overrides)
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert count_rows(MODELS) == before


def test_refused_edit_leaves_scheme_as_it_was(city):
    scheme = city.scheme
    rules = list(scheme.rules.values_list("kind", "points"))
    with pytest.raises(ValidationError):
        save(
            city,
            scheme=scheme,
            name=scheme.name,
            rules=[RuleSpec("on_time_closure", Decimal("-1"))],
        )
    scheme.refresh_from_db()
    assert list(scheme.rules.values_list("kind", "points")) == rules
    assert scheme.updated_at is None


def test_only_the_office_manages(city):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.scheme_save(
            actor=city.leader, name="x", base_score="100", rules=[], grade_points={}, groups=GROUPS
        )
