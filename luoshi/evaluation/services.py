"""Services of the evaluation system: schemes, quality grades, periods, scoring, freezing,
adjustments. Each checks its input, works in one transaction and writes the audit entry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.access.evaluation import visible_scores
from luoshi.audit.services import audit_log
from luoshi.evaluation import scoring
from luoshi.evaluation.models import (
    POSITIVE_KINDS,
    EvaluationPeriod,
    EvaluationScheme,
    Grade,
    PeriodKind,
    PeriodState,
    QualityGrade,
    RankingGroup,
    RuleKind,
    ScoreAdjustment,
    ScoreItem,
    ScoreRule,
    UnitScore,
)
from luoshi.lib import clock
from luoshi.lib.bulk import insert_rows
from luoshi.org.models import UnitKind
from luoshi.tasks.models import EventKind, Task, TaskState
from luoshi.tasks.services.history import task_event_record

MAX_POINTS = Decimal("10000")


def _require(actor, action: str) -> None:
    if actor is not None:  # commands and migrations run as the system
        policy.require(actor, action)


# — schemes —


@dataclass
class RuleSpec:
    kind: str
    points: Decimal
    task_cap: Decimal | None = None
    unit_cap: Decimal | None = None


@dataclass
class GroupSpec:
    name: str
    unit_kinds: list[str]


def _decimal(value: Any, what: str, errors: list[str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.append(_("%(what)s不是数字：%(value)s") % {"what": what, "value": value})
        return None
    if not number.is_finite() or abs(number) > MAX_POINTS:
        errors.append(_("%(what)s超出范围：%(value)s") % {"what": what, "value": value})
        return None
    return number


def validate_scheme(
    *,
    name: str,
    base_score: Any,
    rules: Sequence[RuleSpec],
    grade_points: dict[str, Any],
    grade_total: Any,
    groups: Sequence[GroupSpec],
    instance: EvaluationScheme | None = None,
) -> tuple[Decimal, dict[str, str], Decimal | None]:
    """Refuse a contradictory scheme with every reason in Chinese; return the base score, the
    grade points as strings and the declared grade total."""
    errors: list[str] = []
    if not name.strip():
        errors.append(_("请填写方案名称。"))
    elif (
        EvaluationScheme.objects.filter(name=name.strip())
        .exclude(pk=getattr(instance, "pk", None))
        .exists()
    ):
        errors.append(_("已有同名的考核方案：%(name)s") % {"name": name.strip()})
    base = _decimal(base_score, _("基础分"), errors)
    if base is None and not errors:
        errors.append(_("请填写基础分。"))
    if base is not None and base < 0:
        errors.append(_("基础分不能小于零。"))
    seen: set[str] = set()
    for spec in rules:
        if spec.kind not in RuleKind.values:
            errors.append(_("未知的计分项：%(kind)s") % {"kind": spec.kind})
            continue
        label = RuleKind(spec.kind).label
        if spec.kind in seen:
            errors.append(_("计分项“%(label)s”重复设置。") % {"label": label})
        seen.add(spec.kind)
        if spec.points is None:
            errors.append(_("计分项“%(label)s”未填写分值。") % {"label": label})
        elif spec.kind in POSITIVE_KINDS and spec.points < 0:
            errors.append(_("“%(label)s”是加分项，分值不能为负数。") % {"label": label})
        elif spec.kind not in POSITIVE_KINDS and spec.points > 0:
            errors.append(_("“%(label)s”是扣分项，分值不能为正数。") % {"label": label})
        for cap, words in ((spec.task_cap, _("每任务上限")), (spec.unit_cap, _("每单位上限"))):
            if cap is not None and cap < 0:
                errors.append(
                    _("“%(label)s”的%(cap)s不能小于零（上限按分值的绝对值计）。")
                    % {"label": label, "cap": words}
                )
        if (
            spec.task_cap is not None
            and spec.unit_cap is not None
            and spec.unit_cap >= 0
            and spec.task_cap > spec.unit_cap
        ):
            errors.append(_("“%(label)s”的每任务上限大于每单位上限。") % {"label": label})
    points: dict[str, str] = {}
    total = Decimal("0")
    for grade in Grade.values:
        value = _decimal(grade_points.get(grade), _("等次%(g)s的分值") % {"g": grade}, errors)
        if value is not None:
            points[grade] = str(value)
            total += value
    if points and len(points) != len(Grade.values):
        errors.append(_("质量等次 A、B、C、D 的分值须全部填写或全部留空。"))
    declared = _decimal(grade_total, _("等次权重声明合计"), errors)
    if declared is not None and total != declared:
        errors.append(
            _("质量等次权重合计为 %(total)s，与声明的合计 %(declared)s 不符。")
            % {"total": f"{total.normalize():f}", "declared": f"{declared.normalize():f}"}
        )
    if not groups:
        errors.append(_("至少需要一个排名组。"))
    kinds_seen: dict[str, str] = {}
    for group in groups:
        if not group.name.strip():
            errors.append(_("排名组须有名称。"))
        if not group.unit_kinds:
            errors.append(_("排名组“%(name)s”没有选择单位类型。") % {"name": group.name})
        for kind in group.unit_kinds:
            if kind not in UnitKind.values:
                errors.append(_("未知的单位类型：%(kind)s") % {"kind": kind})
            elif kind in kinds_seen:
                errors.append(
                    _("单位类型“%(kind)s”同时属于排名组“%(a)s”和“%(b)s”。")
                    % {"kind": UnitKind(kind).label, "a": kinds_seen[kind], "b": group.name}
                )
            else:
                kinds_seen[kind] = group.name
    if errors:
        raise ValidationError(errors)
    return base, points, declared


def scheme_save(
    *,
    actor,
    name: str,
    base_score: Any,
    rules: Sequence[RuleSpec],
    grade_points: dict[str, Any],
    groups: Sequence[GroupSpec],
    grade_total: Any = None,
    description: str = "",
    scheme: EvaluationScheme | None = None,
) -> EvaluationScheme:
    """Create a scheme, or replace an existing one's settings (rules and groups as given)."""
    _require(actor, "evaluation.manage")
    base, points, declared = validate_scheme(
        name=name,
        base_score=base_score,
        rules=rules,
        grade_points=grade_points,
        grade_total=grade_total,
        groups=groups,
        instance=scheme,
    )
    with transaction.atomic():
        created = scheme is None
        if created:
            scheme = EvaluationScheme()
        scheme.name = name.strip()
        scheme.description = description
        scheme.base_score = base
        scheme.grade_points = points
        scheme.grade_total = declared
        scheme.updated_by = actor
        scheme.updated_at = clock.now()
        scheme.save()
        ScoreRule.objects.filter(scheme=scheme).delete()
        ScoreRule.objects.bulk_create(
            ScoreRule(
                scheme=scheme,
                kind=r.kind,
                points=r.points,
                task_cap=r.task_cap,
                unit_cap=r.unit_cap,
            )
            for r in rules
        )
        RankingGroup.objects.filter(scheme=scheme).delete()
        RankingGroup.objects.bulk_create(
            RankingGroup(
                scheme=scheme, name=g.name.strip(), unit_kinds=list(g.unit_kinds), sort_order=i
            )
            for i, g in enumerate(groups)
        )
        audit_log(
            actor=actor,
            action="evaluation.scheme_create" if created else "evaluation.scheme_update",
            obj=scheme,
            data={
                "name": scheme.name,
                "base_score": str(base),
                "rules": [
                    {
                        "kind": r.kind,
                        "points": str(r.points),
                        "task_cap": None if r.task_cap is None else str(r.task_cap),
                        "unit_cap": None if r.unit_cap is None else str(r.unit_cap),
                    }
                    for r in rules
                ],
                "grade_points": points,
                "groups": [{"name": g.name, "unit_kinds": list(g.unit_kinds)} for g in groups],
            },
        )
    return scheme


# — quality grades —


def quality_grade_set(*, actor, task: Task, grade: str, comment: str = "") -> QualityGrade:
    """The supervisor grades a closed task; a new grade supersedes the old (history kept)."""
    _require(actor, "evaluation.manage")
    if grade not in Grade.values:
        raise ValidationError(_("质量等次只能是 A、B、C、D。"))
    if task.state != TaskState.CLOSED:
        raise ValidationError(_("只有已办结的任务可以评定质量等次。"))
    with transaction.atomic():
        previous = QualityGrade.objects.filter(task=task).order_by("-at", "-id").first()
        entry = QualityGrade.objects.create(
            task=task, grade=grade, comment=comment.strip(), by=actor, at=clock.now()
        )
        message = _("评定质量等次：%(grade)s") % {"grade": grade}
        if previous:
            message = _("质量等次由 %(old)s 改为 %(new)s") % {"old": previous.grade, "new": grade}
        if entry.comment:
            message = f"{message}。{entry.comment}"
        task_event_record(
            task=task,
            kind=EventKind.UPDATED,
            actor=actor,
            message=message,
            data={"quality_grade": grade, "previous": previous.grade if previous else None},
        )
        audit_log(
            actor=actor,
            action="evaluation.grade",
            obj=task,
            data={"grade": grade, "previous": previous.grade if previous else None},
        )
    return entry


def current_grade(task: Task) -> QualityGrade | None:
    return QualityGrade.objects.filter(task=task).order_by("-at", "-id").first()


# — periods —


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date, str]:
    """The month, quarter or year that contains `day`, and its name."""
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return (
            start,
            nxt - dt.timedelta(days=1),
            _("%(y)d年%(m)d月") % {"y": day.year, "m": day.month},
        )
    if kind == PeriodKind.QUARTER:
        q = (day.month - 1) // 3
        start = dt.date(day.year, q * 3 + 1, 1)
        nxt = (start + dt.timedelta(days=95)).replace(day=1)
        return (
            start,
            nxt - dt.timedelta(days=1),
            _("%(y)d年第%(q)d季度") % {"y": day.year, "q": q + 1},
        )
    if kind == PeriodKind.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), _("%(y)d年度") % {"y": day.year}
    raise ValidationError(_("未知的周期类型。"))


def period_create(
    *,
    actor,
    scheme: EvaluationScheme,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    name: str = "",
) -> EvaluationPeriod:
    """A period of a scheme. For month/quarter/year `start` may be any day inside it."""
    _require(actor, "evaluation.manage")
    if kind not in PeriodKind.values:
        raise ValidationError(_("未知的周期类型。"))
    if kind != PeriodKind.CUSTOM:
        start, end, default_name = period_bounds(kind, start)
    else:
        if end is None:
            raise ValidationError(_("自定义周期须填写结束日期。"))
        default_name = _("%(start)s 至 %(end)s") % {"start": start, "end": end}
    if end < start:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    if (end - start).days > 366 * 2:
        raise ValidationError(_("考核周期不能超过两年。"))
    if EvaluationPeriod.objects.filter(scheme=scheme, kind=kind, start=start, end=end).exists():
        raise ValidationError(_("该方案已有同一时段的考核周期。"))
    with transaction.atomic():
        period = EvaluationPeriod.objects.create(
            scheme=scheme,
            kind=kind,
            start=start,
            end=end,
            name=(name.strip() or default_name)[:100],
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=clock.now(),
        )
        audit_log(
            actor=actor,
            action="evaluation.period_create",
            obj=period,
            data={"scheme": scheme.pk, "kind": kind, "start": str(start), "end": str(end)},
        )
    return period


def previous_period(period: EvaluationPeriod) -> EvaluationPeriod | None:
    """The latest scored period of the same scheme and kind that ends before this one."""
    return (
        EvaluationPeriod.objects.filter(
            scheme_id=period.scheme_id,
            kind=period.kind,
            end__lt=period.start,
            computed_at__isnull=False,
        )
        .order_by("-end", "-id")
        .first()
    )


def period_score(*, actor, period: EvaluationPeriod, as_of: dt.date | None = None) -> int:
    """Score every unit of the period (replacing a draft's earlier rows); how many units.

    The events are read before the writing transaction opens, so a year's reading does not
    hold SQLite's write lock; the period is locked and checked again before writing."""
    _require(actor, "evaluation.manage")
    refused = _("考核周期已发布（冻结），不能重新计分；如需更正请录入调整。")
    period = EvaluationPeriod.objects.select_related("scheme").get(pk=period.pk)
    if period.frozen:
        raise ValidationError(refused)
    as_of = as_of or clock.today()
    result = scoring.compute(period, as_of)
    with transaction.atomic():
        period = EvaluationPeriod.objects.select_for_update(no_key=True).get(pk=period.pk)
        if period.frozen:
            raise ValidationError(refused)
        ScoreItem.objects.filter(period=period).delete()
        UnitScore.objects.filter(period=period).delete()
        _insert_items(period, result.items)
        adjust = _adjustment_totals(period)
        prev = previous_period(period)
        prev_rows = (
            {
                u: (s, r)
                for u, s, r in UnitScore.objects.filter(period=prev).values_list(
                    "unit_id", "score", "rank"
                )
            }
            if prev
            else {}
        )
        base = period.scheme.base_score
        scores = []
        for unit_id, (_name, group, order, points) in result.units.items():
            score = base + points + adjust.get(unit_id, Decimal("0"))
            prev_score, prev_rank = prev_rows.get(unit_id, (None, None))
            scores.append(
                UnitScore(
                    period=period,
                    unit_id=unit_id,
                    group=group,
                    group_order=order,
                    base=base,
                    points=points,
                    adjustments=adjust.get(unit_id, Decimal("0")),
                    score=score,
                    rank=0,
                    prev_score=prev_score,
                    prev_rank=prev_rank,
                )
            )
        _set_ranks(scores, {u: v[0] for u, v in result.units.items()})
        UnitScore.objects.bulk_create(scores, batch_size=2000)
        period.as_of = min(period.end, as_of)
        period.computed_at = clock.now()
        period.computed_by = actor if getattr(actor, "pk", None) else None
        period.save(update_fields=["as_of", "computed_at", "computed_by"])
        audit_log(
            actor=actor,
            action="evaluation.period_score",
            obj=period,
            data={
                "units": len(scores),
                "items": len(result.items),
                "tasks": result.tasks_counted,
                "as_of": str(period.as_of),
            },
        )
    return len(scores)


def _insert_items(period: EvaluationPeriod, items: list[scoring.Item]) -> None:
    """INSERT the items with lib.bulk: hundreds of thousands of rows for a year of a city,
    where bulk_create's model machinery would cost more than the insert itself."""
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"

    def points(value: Decimal):
        return str(value) if sqlite else value

    dates: dict = {}

    def day(value):
        if value is None:
            return None
        found = dates.get(value)
        if found is None:
            found = dates[value] = ops.adapt_datefield_value(value)
        return found

    insert_rows(
        ScoreItem,
        (
            "period_id",
            "unit_id",
            "kind",
            "points",
            "task_id",
            "ref_model",
            "ref_id",
            "on_date",
            "explanation",
        ),
        [
            (
                period.pk,
                i.unit_id,
                i.kind,
                points(i.points),
                i.task_id,
                i.ref_model,
                i.ref_id,
                day(i.on_date),
                i.explanation[:300],
            )
            for i in items
        ],
    )


def _adjustment_totals(period: EvaluationPeriod) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for unit_id, points in ScoreAdjustment.objects.filter(period=period).values_list(
        "unit_id", "points"
    ):
        totals[unit_id] += points
    return totals


def _set_ranks(scores: list[UnitScore], names: dict[int, str]) -> None:
    by_group: dict[str, list[UnitScore]] = defaultdict(list)
    for s in scores:
        by_group[s.group].append(s)
    for rows in by_group.values():
        index = {s.unit_id: s for s in rows}
        for unit_id, rank in scoring.dense_ranks(
            [(s.unit_id, names[s.unit_id], s.score) for s in rows]
        ):
            index[unit_id].rank = rank


def period_freeze(*, actor, period: EvaluationPeriod) -> EvaluationPeriod:
    """冻结/发布: the scores are published and no longer change (only adjustments)."""
    _require(actor, "evaluation.manage")
    with transaction.atomic():
        period = EvaluationPeriod.objects.select_for_update(no_key=True).get(pk=period.pk)
        if period.frozen:
            raise ValidationError(_("考核周期已经发布。"))
        if period.computed_at is None:
            raise ValidationError(_("考核周期尚未计分，不能发布。"))
        period.state = PeriodState.FROZEN
        period.frozen_at = clock.now()
        period.frozen_by = actor if getattr(actor, "pk", None) else None
        period.save(update_fields=["state", "frozen_at", "frozen_by"])
        audit_log(actor=actor, action="evaluation.period_freeze", obj=period)
    return period


def score_adjust(
    *, actor, period: EvaluationPeriod, unit_id: int, points: Any, reason: str
) -> ScoreAdjustment:
    """A recorded correction of one unit's score with its reason; the group is re-ranked."""
    _require(actor, "evaluation.manage")
    errors: list[str] = []
    value = _decimal(points, _("调整分值"), errors)
    if errors:
        raise ValidationError(errors)
    if value is None or value == 0:
        raise ValidationError(_("调整分值不能为零。"))
    if not reason.strip():
        raise ValidationError(_("请填写调整理由。"))
    with transaction.atomic():
        period = EvaluationPeriod.objects.select_for_update(no_key=True).get(pk=period.pk)
        row = UnitScore.objects.filter(period=period, unit_id=unit_id).first()
        if row is None:
            raise ValidationError(_("该单位不在本期排名中，不能调整。"))
        if actor is not None and not visible_scores(actor).filter(pk=row.pk).exists():
            raise ValidationError(_("该单位不在您的管辖范围内，不能调整它的得分。"))
        entry = ScoreAdjustment.objects.create(
            period=period,
            unit_id=unit_id,
            points=value,
            reason=reason.strip(),
            by=actor,
            at=clock.now(),
        )
        rows = list(UnitScore.objects.filter(period=period, group=row.group).select_related("unit"))
        for s in rows:
            if s.unit_id == unit_id:
                s.adjustments += value
                s.score += value
        _set_ranks(rows, {s.unit_id: s.unit.name for s in rows})
        UnitScore.objects.bulk_update(rows, ["adjustments", "score", "rank"], batch_size=2000)
        audit_log(
            actor=actor,
            action="evaluation.adjust",
            obj=period,
            data={"unit": unit_id, "points": str(value), "reason": entry.reason},
        )
    return entry


def may_manage(user) -> bool:
    return policy.allowed(user, "evaluation.manage")


def require_view(user) -> None:
    if not policy.allowed(user, "evaluation.view"):
        raise PermissionDenied(policy.denial_message("evaluation.view", user))
