"""领导批示/点评 (LeaderComment): a leader's written comment on a task or on one of its progress
reports. Append-only: a comment is never edited or deleted; a second thought is a new comment.

Who reads it (access.policy.visible_leader_comments): everyone who sees the task reads the
comments on the task itself; a comment on a report is read by those who read that report
(the office, leaders, the lead unit, and the co-unit that wrote it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LeaderComment(models.Model):
    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="leader_comments")
    report = models.ForeignKey(
        "reports.ProgressReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leader_comments",
        verbose_name=_("进展反馈"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("批示内容"))
    at = models.DateTimeField(_("批示时间"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        indexes = [models.Index(fields=["task", "at"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.author_id} {self.at:%Y-%m-%d}"
