"""督查计划: the office's annual plan of inspections, drafted then issued (印发)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合督查")
    SPECIAL = "special", _("专项督查")
    EVENT = "event", _("事件督查")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草拟")
    ISSUED = "issued", _("已印发")


class InspectionPlan(models.Model):
    """One year's plan. Items may be added while it is a draft; once issued it is fixed."""

    year = models.PositiveIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("标题"), max_length=200)
    state = models.CharField(
        _("状态"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("督查计划")
        verbose_name_plural = _("督查计划")

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state == PlanState.DRAFT


class PlanItem(models.Model):
    """计划事项: one planned inspection (topic, kind, the units to supervise, month, team)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="items")
    topic = models.CharField(_("督查事项"), max_length=200)
    kind = models.CharField(_("督查类型"), max_length=20, choices=InspectionKind.choices)
    subject_units = models.ManyToManyField("org.Unit", related_name="+", verbose_name=_("督查对象"))
    planned_month = models.PositiveSmallIntegerField(
        _("计划月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    lead_team = models.CharField(_("牵头组织"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "planned_month", "sort_order", "id"]
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")

    def __str__(self) -> str:
        return self.topic
