"""发现问题 and what follows from them: the unit's 陈述申辩 and the office's answer, the
督查报告, 整改事项 (each a real Task) and 结果运用 (outcome records)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.campaigns.models.inspections import Inspection


class Finding(models.Model):
    """A problem found at one supervised unit. Never edited: the text stays as found."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("被督查单位")
    )
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("问题"), max_length=200)
    detail = models.TextField(_("具体情况"))
    # Last day the unit may submit a statement (working days after the finding is recorded).
    statement_due = models.DateField(_("陈述申辩截止日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["inspection", "number"]
        verbose_name = _("发现问题")
        verbose_name_plural = _("发现问题")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="campaign_finding_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class StatementAnswer(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    REJECTED = "rejected", _("不采纳")


class Statement(models.Model):
    """陈述申辩: the unit's statement on a finding and, once given, the office's answer.
    The statement is never changed; the answer is written once."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="statements")
    text = models.TextField(_("陈述申辩"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    answer = models.CharField(
        _("处理意见"), max_length=10, choices=StatementAnswer.choices, blank=True
    )
    answer_reason = models.TextField(_("理由"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["finding", "submitted_at", "id"]
        verbose_name = _("陈述申辩")
        verbose_name_plural = _("陈述申辩")

    def __str__(self) -> str:
        return f"{self.finding_id} {self.submitted_at:%Y-%m-%d}"


def _report_path(instance: InspectionReport, filename: str) -> str:
    return f"campaigns/reports/{instance.issued_at:%Y}/{uuid.uuid4().hex}.docx"


class InspectionReport(models.Model):
    """督查报告 as issued: numbered, the .docx kept exactly as it was issued."""

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="report")
    number = models.CharField(_("文号"), max_length=60, unique=True)
    seq = models.PositiveIntegerField()
    year = models.PositiveIntegerField()
    file = models.FileField(upload_to=_report_path, max_length=200)
    original_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    summary = models.TextField(_("总体评价"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("督查报告")
        verbose_name_plural = _("督查报告")
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="campaign_report_seq")]

    def __str__(self) -> str:
        return self.number


class Rectification(models.Model):
    """整改事项: a finding the office decided must be fixed, tracked as a Task."""

    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="rectification")
    task = models.OneToOneField(
        "tasks.Task", on_delete=models.PROTECT, related_name="rectification"
    )
    required_evidence = models.TextField(_("整改佐证材料要求"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["finding__inspection", "finding__number"]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")

    def __str__(self) -> str:
        return f"{self.finding_id} → {self.task_id}"


class InspectionOutcome(models.Model):
    """结果运用: an outcome record (通报, 表扬, 约谈, 问责建议) made from this inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="outcomes")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    outcome = models.OneToOneField(
        "outcomes.OutcomeRecord", on_delete=models.PROTECT, related_name="inspection_link"
    )

    class Meta:
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id} → {self.outcome_id}"
