"""评价体系: scoring schemes (考核方案), quality grades (质量等次), periods scored (考核周期)
and their results.

EvaluationScheme: base score, one ScoreRule per kind (points, optional caps), the points of
the supervisor's quality grades A/B/C/D, and the ranking groups (which unit kinds are ranked
together). EvaluationPeriod: a scheme over dates; scoring writes one UnitScore per unit and
one ScoreItem per point-bearing event (the task and the record behind it). A frozen
(published) period never changes again except through ScoreAdjustment rows.
QualityGrade is append-only: a newer grade of a task supersedes the older ones.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleKind(models.TextChoices):
    ON_TIME_CLOSURE = "on_time_closure", _("按期办结")
    OVERDUE_DAY = "overdue_day", _("逾期（每工作日每任务）")
    MISSED_REPORT = "missed_report", _("未按期反馈")
    NOTICE_RECEIVED = "notice_received", _("被下发督办单")
    LEADER_COMMENDATION = "leader_commendation", _("领导表扬")
    PUBLIC_CRITICISM = "public_criticism", _("通报批评")
    RECHECK_FAILED = "recheck_failed", _("回头看未通过")


# Rules that add points and rules that take them away: a rule's points must have this sign.
POSITIVE_KINDS = (RuleKind.ON_TIME_CLOSURE, RuleKind.LEADER_COMMENDATION)

# ScoreItem kinds: every rule kind, the quality grades, and the caps' corrections.
QUALITY_GRADE = "quality_grade"
ITEM_KIND_LABELS = {
    **{k.value: k.label for k in RuleKind},
    QUALITY_GRADE: _("质量等次"),
}


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class EvaluationScheme(models.Model):
    name = models.CharField(_("方案名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    base_score = models.DecimalField(
        _("基础分"), max_digits=8, decimal_places=2, default=Decimal("100")
    )
    # Points a task's current quality grade gives its lead unit: {"A": "2", "B": "1", …}
    grade_points = models.JSONField(_("质量等次分值"), default=dict, blank=True)
    # When set, the four grades' points must add up to exactly this (e.g. 100 for shares in %).
    grade_total = models.DecimalField(
        _("等次权重声明合计"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")

    def __str__(self) -> str:
        return self.name

    def grade_value(self, grade: str) -> Decimal:
        return Decimal(str(self.grade_points.get(grade, "0")))


class ScoreRule(models.Model):
    scheme = models.ForeignKey(EvaluationScheme, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("计分项"), max_length=30, choices=RuleKind.choices)
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    task_cap = models.DecimalField(
        _("每任务上限"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    unit_cap = models.DecimalField(
        _("每单位上限"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="scorerule_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.kind} {self.points}"


class RankingGroup(models.Model):
    """Units of these kinds are ranked together (部门 apart from 区县)."""

    scheme = models.ForeignKey(EvaluationScheme, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("排名组"), max_length=50)
    unit_kinds = models.JSONField(_("单位类型"), default=list)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class QualityGrade(models.Model):
    """The supervisor's grade of a closed task. Append-only: the newest one counts."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="quality_grades")
    grade = models.CharField(_("质量等次"), max_length=1, choices=Grade.choices)
    comment = models.TextField(_("评语"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["task", "at"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.grade}"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")
    CUSTOM = "custom", _("自定义")


class PeriodState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("period state", "草稿")
    FROZEN = "frozen", pgettext_lazy("period state", "已发布")


class EvaluationPeriod(models.Model):
    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.PROTECT, related_name="periods", verbose_name=_("方案")
    )
    kind = models.CharField(_("周期类型"), max_length=10, choices=PeriodKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    state = models.CharField(
        _("状态"), max_length=10, choices=PeriodState.choices, default=PeriodState.DRAFT
    )
    # the day scoring counted up to (min(end, today) when scored)
    as_of = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["scheme", "kind", "start"])]
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")

    def __str__(self) -> str:
        return self.name

    @property
    def frozen(self) -> bool:
        return self.state == PeriodState.FROZEN


class UnitScore(models.Model):
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=50)
    group_order = models.PositiveIntegerField(default=0)
    base = models.DecimalField(max_digits=10, decimal_places=2)
    points = models.DecimalField(max_digits=10, decimal_places=2)  # sum of the items
    adjustments = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    score = models.DecimalField(max_digits=10, decimal_places=2)
    rank = models.PositiveIntegerField()
    prev_score = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    prev_rank = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["period", "group_order", "rank", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="unitscore_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.unit_id} {self.score}"

    @property
    def delta_score(self) -> Decimal | None:
        return None if self.prev_score is None else self.score - self.prev_score

    @property
    def delta_rank(self) -> int | None:
        """Places gained since the previous period (positive: moved up)."""
        return None if self.prev_rank is None else self.prev_rank - self.rank


class ScoreItem(models.Model):
    """One point-bearing event: the rule, the task and the record behind it."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="items")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    points = models.DecimalField(max_digits=10, decimal_places=2)
    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ref_model = models.CharField(max_length=60, blank=True)  # "supervision.supervisionnotice"
    ref_id = models.BigIntegerField(null=True, blank=True)
    on_date = models.DateField(null=True, blank=True)
    explanation = models.CharField(max_length=300)

    class Meta:
        ordering = ["period", "unit", "kind", "on_date", "id"]
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.points}"

    @property
    def kind_label(self) -> str:
        return str(ITEM_KIND_LABELS.get(self.kind, self.kind))


class ScoreAdjustment(models.Model):
    """A recorded correction of a unit's score, with its reason (also after freezing)."""

    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.PROTECT, related_name="adjustments"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("调整分值"), max_digits=8, decimal_places=2)
    reason = models.TextField(_("调整理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.points}"
