"""政策体系: policy documents (政策文件), the goals they serve, and their deliverables
(政策兑现事项).

A Policy stands on one task source of kind 文件 (Source), whose tasks are its deliverables: a
deliverable IS a task (tasks.Task, made by the task services) with a PolicyDeliverable row
carrying the promise as the policy words it. Units sign, report and close deliverables on the
normal task pages; the ladder urges them and lights apply. A quantitative promise is the
task's Indicator (target, current).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _file_path(instance, filename: str) -> str:
    return f"policies/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("国家")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区")


class PolicyStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REPEALED = "repealed", _("已废止")
    REVISED = "revised", _("已修订")


class Policy(models.Model):
    """政策文件: a policy document and the promises it makes."""

    source = models.OneToOneField(
        "tasks.Source", on_delete=models.PROTECT, related_name="policy", verbose_name=_("任务来源")
    )
    title = models.CharField(_("政策名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=100, blank=True)
    issued_on = models.DateField(_("发布日期"))
    level = models.CharField(
        _("政策层级"), max_length=10, choices=PolicyLevel.choices, default=PolicyLevel.CITY
    )
    category = models.CharField(_("政策类别"), max_length=50, blank=True, db_index=True)
    summary = models.TextField(_("主要内容"), blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期止"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.ACTIVE
    )
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        verbose_name=_("修订后的政策"),
    )
    status_note = models.CharField(_("状态说明"), max_length=200, blank=True)
    file = models.FileField(upload_to=_file_path, max_length=200, blank=True)
    file_name = models.CharField(_("政策文件"), max_length=200, blank=True)
    goals = models.ManyToManyField(
        "tasks.Task", through="PolicyGoal", related_name="policies", verbose_name=_("服务目标")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("政策")
        verbose_name_plural = _("政策")

    def __str__(self) -> str:
        return self.title

    @property
    def original_name(self) -> str:
        """The uploaded file's own name (for lib.downloads)."""
        return self.file_name


class PolicyGoal(models.Model):
    """A goal (top-level task) a policy serves, with a note on how."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="policy_links")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "goal"], name="policy_goal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} → {self.goal_id}"


class PolicyDeliverable(models.Model):
    """政策兑现事项: one promise of a policy, tracked as a task."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="deliverables")
    task = models.OneToOneField(
        "tasks.Task", on_delete=models.PROTECT, related_name="policy_deliverable"
    )
    number = models.PositiveIntegerField(_("序号"))
    promise = models.TextField(_("兑现事项"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy", "number"]
        verbose_name = _("政策兑现事项")
        verbose_name_plural = _("政策兑现事项")
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policy_deliverable_number"),
        ]

    def __str__(self) -> str:
        return self.promise[:50]
