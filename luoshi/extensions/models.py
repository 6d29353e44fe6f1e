"""延期申请 (ExtensionRequest): the lead unit asks for a later 完成时限, with a reason.

The flow: the office (督查室) decides; for a task of high priority (重要 or 紧急) that has a lead
leader, the office's 同意 sends the request on to that leader, whose 同意 is final. A 不同意 at
either stage ends the request. Only an approved request changes Task.due; the request keeps
the due it replaced (old_due), so statistics can tell the original deadline from the extended
one. A task has at most one open request at a time (a constraint, not only a check).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExtensionState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("extension state", "待督查室审核")
    LEADER_PENDING = "leader_pending", pgettext_lazy("extension state", "待牵头领导审批")
    APPROVED = "approved", pgettext_lazy("extension state", "同意")
    REFUSED = "refused", pgettext_lazy("extension state", "不同意")


OPEN_EXTENSION_STATES = (ExtensionState.PENDING, ExtensionState.LEADER_PENDING)


class ExtensionRequest(models.Model):
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, related_name="extension_requests"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    reason = models.TextField(_("延期理由"))
    old_due = models.DateField(_("原完成时限"))
    new_due = models.DateField(_("申请延至"))
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=ExtensionState.choices,
        default=ExtensionState.PENDING,
        db_index=True,
    )
    # The office's decision (督查室审核).
    office_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office_at = models.DateTimeField(null=True, blank=True)
    office_comment = models.TextField(_("督查室意见"), blank=True)
    # The lead leader's decision, for a task of high priority (牵头领导审批).
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批领导"),
    )
    leader_at = models.DateTimeField(null=True, blank=True)
    leader_comment = models.TextField(_("领导意见"), blank=True)
    decided_at = models.DateTimeField(_("办理完毕时间"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state__in=OPEN_EXTENSION_STATES),
                name="extension_one_open_request_per_task",
            ),
            models.CheckConstraint(
                condition=Q(new_due__gt=F("old_due")), name="extension_new_due_after_old"
            ),
        ]
        indexes = [models.Index(fields=["task", "state"], name="extension_task_state")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.old_due} → {self.new_due} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_EXTENSION_STATES
