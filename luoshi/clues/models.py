"""群众线索 (public clues, 互联网+督查): what the public hands in through the open form, and the
office's triage of it.

The submitter has no account: they hold a receipt code (回执码), of which only the SHA-256 is
stored (receipt_hash). The public status is computed (luoshi.clues.status), never copied: a
clue turned into a task is 已办结 when that task is closed.

History is append-only: the text, place, photo and contact the public submitted are never
changed; each office step is a ClueEvent (and an audit event).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.lib.encryption import EncryptedTextField


class ClueCategory(models.Model):
    """线索类别: the list the office keeps (政策落实、营商环境、民生服务、作风问题、其他).
    A category is retired (active=False), never deleted: old clues keep it."""

    name = models.CharField(_("类别名称"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("线索类别")
        verbose_name_plural = _("线索类别")

    def __str__(self) -> str:
        return self.name


class ClueState(models.TextChoices):
    """The office's triage state. The public status (已受理/处理中/已办结/已合并/不予受理) is
    derived from it and from the task (luoshi.clues.status)."""

    NEW = "new", _("待处理")
    TASK = "task", _("已转为任务")
    INSPECTION = "inspection", _("已转入督查活动")
    MERGED = "merged", _("已合并")
    REJECTED = "rejected", _("不予受理")


class Clue(models.Model):
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    category = models.ForeignKey(
        ClueCategory, on_delete=models.PROTECT, related_name="clues", verbose_name=_("类别")
    )
    place = models.CharField(_("地点"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
        verbose_name=_("涉及单位"),
    )
    text = models.TextField(_("线索内容"))
    # The re-encoded photo (JPEG, no metadata) under MEDIA_ROOT/clues/, random name; served
    # only through the access-checked view.
    photo = models.FileField(_("照片"), upload_to="clues/", blank=True, max_length=200)
    # personal data: encrypted at rest when LUOSHI_FIELD_KEY is set (lib.encryption)
    contact = EncryptedTextField(_("联系电话"), max_length=30, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)

    state = models.CharField(
        _("处理状态"),
        max_length=20,
        choices=ClueState.choices,
        default=ClueState.NEW,
        db_index=True,
    )
    task = models.ForeignKey(
        "tasks.Task",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
        verbose_name=_("转办任务"),
    )
    inspection = models.ForeignKey(
        "campaigns.Inspection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
        verbose_name=_("督查活动"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("并入线索"),
    )
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    triaged_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_reply = models.TextField(_("答复"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("群众线索")
        verbose_name_plural = _("群众线索")
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return _("线索 %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        """The office's reference (XS000123): not the receipt code, not secret."""
        return f"XS{self.pk:06d}" if self.pk else ""


class ClueEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("群众提交")
    TASK = "task", _("受理并转为任务")
    INSPECTION = "inspection", _("受理并转入督查活动")
    MERGED = "merged", _("合并到其他线索")
    REJECTED = "rejected", _("不予受理")
    REPLIED = "replied", _("答复")


class ClueEvent(models.Model):
    """One step in a clue's history. Rows are only ever added."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=ClueEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.clue_id} {self.kind}"


class CaptchaUse(models.Model):
    """A CAPTCHA token's nonce, recorded when it is answered: a second answer with the same
    token is refused (single use across processes). Old rows are pruned as new ones come."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.nonce
