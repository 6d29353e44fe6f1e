"""督查活动: one inspection — its scheme (督查方案), life cycle, history and notices.

Life cycle: 草拟 draft → 实施中 active (已通知/实施中: the scheme is launched; notices go out
`notice_days_ahead` working days before the start, never for 暗访) → 报告已出 reported →
整改中 rectifying → 已完结 finished. Every change is an InspectionEvent (append-only).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.campaigns.models.plans import InspectionKind, PlanItem

# 督查方式 (the scheme's methods), per 《政府督查工作条例》 第十三条.
METHOD_CHOICES = [
    ("report", _("听取汇报")),
    ("documents", _("调阅资料")),
    ("site", _("实地核查")),
    ("visit", _("走访")),
    ("unannounced", _("暗访")),
    ("survey", _("问卷调查")),
    ("hearing", _("座谈")),
    ("online", _("网络核查")),
]


class InspectionState(models.TextChoices):
    DRAFT = "draft", _("草拟")
    ACTIVE = "active", _("已通知/实施中")
    REPORTED = "reported", _("报告已出")
    RECTIFYING = "rectifying", _("整改中")
    FINISHED = "finished", _("已完结")


class Inspection(models.Model):
    """A supervision campaign and its scheme. Created from a plan item or ad hoc."""

    plan_item = models.ForeignKey(
        PlanItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("计划事项"),
    )
    code = models.CharField(_("编号"), max_length=40, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("督查事项"), max_length=200)
    kind = models.CharField(_("督查类型"), max_length=20, choices=InspectionKind.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=InspectionState.choices, default=InspectionState.DRAFT
    )
    # 督查方案
    scope = models.TextField(_("督查内容与范围"))
    subject_units = models.ManyToManyField(
        "org.Unit", related_name="inspections", verbose_name=_("督查对象")
    )
    methods = models.JSONField(_("督查方式"), default=list)
    team_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspections_led",
        verbose_name=_("督查组组长"),
    )
    team_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="inspections_joined",
        blank=True,
        verbose_name=_("督查组成员"),
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    notice_days_ahead = models.PositiveSmallIntegerField(
        _("提前通知工作日数"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    unannounced = models.BooleanField(_("暗访（不发通知）"), default=False)
    materials = models.TextField(_("需准备的材料"), blank=True)
    statement_days = models.PositiveSmallIntegerField(
        _("陈述申辩期限（工作日）"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    # The 督查发现 source under which the rectifications are tasks (made at the first one).
    source = models.OneToOneField(
        "tasks.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="inspection"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("督查活动")
        verbose_name_plural = _("督查活动")
        indexes = [models.Index(fields=["year", "state"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def method_labels(self) -> list[str]:
        names = dict(METHOD_CHOICES)
        return [str(names.get(m, m)) for m in self.methods]


class InspectionEvent(models.Model):
    """One entry of an inspection's history. Never changed or deleted."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.kind}"


class NoticeWay(models.TextChoices):
    AUTO = "auto", _("自动发送")
    MANUAL = "manual", _("人工发送")


class InspectionNotice(models.Model):
    """督查通知 to one supervised unit: sent once (unique per inspection and unit)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="notices")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    way = models.CharField(_("发送方式"), max_length=10, choices=NoticeWay.choices)
    sent_on = models.DateField(_("发送日期"))
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "unit__sort_order", "unit_id"]
        verbose_name = _("督查通知")
        verbose_name_plural = _("督查通知")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="campaign_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} → {self.unit_id}"
