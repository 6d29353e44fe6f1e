"""Notifications (消息): one row per recipient in the in-app inbox. Deliveries to other channels
(e-mail, group robots, SMS) and digests are built on these rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("提醒")
    URGE = "urge", _("催办")
    NOTICE = "notice", _("督办单")
    LEADER = "leader", _("报告领导")
    EXTENSION = "extension", _("延期")
    RECHECK = "recheck", _("回头看")
    TASK = "task", _("任务动态")
    DIGEST = "digest", _("每日汇总")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    url = models.CharField(max_length=300, blank=True)
    # Same key for the same recipient = the same notification: a step that runs twice (a
    # restart, two workers) notifies once.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_recipient_and_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
