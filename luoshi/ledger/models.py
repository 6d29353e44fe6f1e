"""An uploaded ledger awaiting preview and confirmation (导入台账).

The file is kept so that the preview, the user's column mapping and unit resolutions survive
a reload; nothing else is written until the import is confirmed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("待确认")
    DONE = "done", _("已导入")


class LedgerImport(models.Model):
    file = models.FileField(_("台账文件"), upload_to="ledger/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # where new tasks go: an existing source, or a new one with this title
    source = models.ForeignKey(
        "tasks.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_source_title = models.CharField(_("新来源标题"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("时限年份"))
    mapping = models.JSONField(default=dict, blank=True)  # {"column index": "field"}
    resolutions = models.JSONField(default=dict, blank=True)  # {"name": unit id or 0}
    result = models.JSONField(default=dict, blank=True)  # counts after the import
    # the sheet as read at upload (reader.sheet_to_json): preview and confirm need no re-parse
    sheet = models.JSONField(default=dict, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")

    def __str__(self) -> str:
        return self.original_name
