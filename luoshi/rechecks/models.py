"""回头看 (Recheck): months after a task is closed, the office checks that the result holds.

scheduled 已安排 → (the daily run, on or after due_on) due 待反馈 → (the lead unit answers with
evidence) submitted 待核验 → (the office's verdict) confirmed 通过 or failed 未通过. A failed
re-check reopens the task. Before the lead unit answers, the office may call it off with a
reason: cancelled 已取消 (the row stays; nothing is deleted). A task has at most one open
re-check at a time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RecheckState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("recheck state", "已安排")
    DUE = "due", pgettext_lazy("recheck state", "待反馈")
    SUBMITTED = "submitted", pgettext_lazy("recheck state", "待核验")
    CONFIRMED = "confirmed", pgettext_lazy("recheck state", "通过")
    FAILED = "failed", pgettext_lazy("recheck state", "未通过")
    CANCELLED = "cancelled", pgettext_lazy("recheck state", "已取消")


OPEN_RECHECK_STATES = (RecheckState.SCHEDULED, RecheckState.DUE, RecheckState.SUBMITTED)
# The office may cancel a re-check the lead unit has not answered yet.
CANCELLABLE_RECHECK_STATES = (RecheckState.SCHEDULED, RecheckState.DUE)


class Recheck(models.Model):
    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="rechecks")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("回头看日期"), db_index=True)
    note = models.TextField(_("回头看要求"), blank=True)
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=RecheckState.choices,
        default=RecheckState.SCHEDULED,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    became_due_on = models.DateField(null=True, blank=True)
    # The lead unit's answer (落实情况) with evidence.
    answer = models.TextField(_("落实情况"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # The office's verdict.
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verdict_at = models.DateTimeField(null=True, blank=True)
    verdict_comment = models.TextField(_("核验意见"), blank=True)
    # The office calling it off before the answer (取消回头看).
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("取消理由"), blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state__in=OPEN_RECHECK_STATES),
                name="recheck_one_open_per_task",
            )
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="recheck_state_due")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.due_on} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_RECHECK_STATES


def _evidence_path(instance: RecheckEvidence, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"rechecks/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class RecheckEvidence(models.Model):
    """A file the lead unit attaches to its re-check answer (佐证材料)."""

    recheck = models.ForeignKey(Recheck, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
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
