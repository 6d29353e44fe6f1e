"""A document uploaded to 从文件生成任务, awaiting preview and confirmation.

The file and the tasks found in it are kept, so that the preview, the user's unit choices and the
tasks left out survive a reload; no task is written until the user confirms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtractionStatus(models.TextChoices):
    PREVIEW = "preview", _("待确认")
    DONE = "done", _("已生成")


class Extraction(models.Model):
    file = models.FileField(_("文件"), upload_to="extraction/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PREVIEW,
    )
    # where the new tasks go: an existing source, or a new one with this title
    source = models.ForeignKey(
        "tasks.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_source_title = models.CharField(_("新来源标题"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("时限年份"))
    found = models.JSONField(default=list, blank=True)  # the engine's tasks (FoundTask.as_dict)
    excluded = models.JSONField(default=list, blank=True)  # indexes into `found` left out
    resolutions = models.JSONField(default=dict, blank=True)  # {"name": unit id or 0}
    result = models.JSONField(default=dict, blank=True)  # counts after the tasks were made
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("从文件生成任务")
        verbose_name_plural = _("从文件生成任务")

    def __str__(self) -> str:
        return self.original_name
