"""督查记录: what the team saw and heard, with photos and documents. Append-only: a
correction is a new record pointing at the one it corrects (`corrects`)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.campaigns.models.inspections import Inspection


class RecordKind(models.TextChoices):
    REPORT = "report", _("听取汇报")
    DOCUMENTS = "documents", _("调阅资料")
    SITE = "site", _("实地核查")
    VISIT = "visit", _("走访")
    UNANNOUNCED = "unannounced", _("暗访")


class InspectionRecord(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="records")
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("被督查单位"),
    )
    kind = models.CharField(_("方式"), max_length=12, choices=RecordKind.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200)
    persons = models.CharField(_("参加人员"), max_length=500)
    text = models.TextField(_("情况记录"))
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        verbose_name=_("更正的记录"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("督查记录")
        verbose_name_plural = _("督查记录")

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.kind} {self.held_on}"


def _file_path(instance: RecordFile, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"campaigns/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class RecordFile(models.Model):
    """A photo or document of a record (checked by content; served by an access-checked view)."""

    record = models.ForeignKey(InspectionRecord, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=_file_path, max_length=200)
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
