"""督查通报 (Bulletin): a periodic Word document in official format (GB/T 9704).

A bulletin keeps the statistics it was generated from (`statistics`, JSON) and the .docx
made from them: once generated its figures never change when the tasks do. It is a draft
(草稿) until the office issues it (已印发); issuing draws its number (督查通报〔2026〕3号) and
makes the document final, so a draft that is never issued leaves no gap in the numbers.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BulletinState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bulletin state", "草稿")
    ISSUED = "issued", pgettext_lazy("bulletin state", "已印发")


def _file_path(instance: Bulletin, filename: str) -> str:
    # A random name: the document's name is kept in the row, never used on disk.
    return f"bulletins/{instance.generated_at:%Y/%m}/{uuid.uuid4().hex}.docx"


class Bulletin(models.Model):
    date_from = models.DateField(_("通报期间自"))
    date_to = models.DateField(_("通报期间至"))
    title = models.CharField(_("标题"), max_length=100)
    issuer = models.CharField(_("发文机关"), max_length=100)
    # The unit whose subtree the statistics cover (the generating user's scope); None: all.
    scope_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    statistics = models.JSONField(default=dict)
    file = models.FileField(upload_to=_file_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(_("生成时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)

    class Meta:
        ordering = ["-generated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="bulletin_unique_number")
        ]
        verbose_name = _("督查通报")
        verbose_name_plural = _("督查通报")

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def number(self) -> str:
        """督查通报〔2026〕3号, once issued."""
        if self.year is None or self.seq is None:
            return ""
        return _("督查通报〔%(year)d〕%(seq)d号") % {"year": self.year, "seq": self.seq}

    @property
    def is_issued(self) -> bool:
        return self.state == BulletinState.ISSUED


class BulletinSequence(models.Model):
    """The last number drawn for each year's bulletins (locked while drawing)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
