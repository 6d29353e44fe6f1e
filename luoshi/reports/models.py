from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressReport(models.Model):
    """进展反馈 / 填报: one unit's report on a task. Never edited or deleted once submitted;
    a correction is a new report."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports"
    )
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    report_date = models.DateField(_("填报日期"))
    progress_text = models.TextField(_("工作进展"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步计划"), blank=True)
    percent = models.PositiveSmallIntegerField(_("完成进度"), validators=[MaxValueValidator(100)])
    # The report form's one-time token (a hidden field): a double click or a retried POST
    # carries the same key and gets the first report back instead of a second one.
    submit_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["task", "unit", "report_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submit_key"],
                condition=models.Q(submit_key__isnull=False),
                name="progressreport_unique_author_submit_key",
            )
        ]
        verbose_name = _("进展反馈")
        verbose_name_plural = _("进展反馈")

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit_id} {self.report_date}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="values")
    indicator = models.ForeignKey(
        "tasks.Indicator", on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="indicatorvalue_unique_report_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a progress report or a closure request (evidence)."""

    report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    closure_request = models.ForeignKey(
        "tasks.ClosureRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
