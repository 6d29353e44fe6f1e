"""督办: the escalation ladder (督办升级) and the office's manual supervision.

- EscalationRule   one rung of the ladder, per task category ("" = the default for all)
- EscalationStep   the claim that a rung ran for a task on a day (unique: runs once)
- Urge             催办, automatic (a rung) or by hand
- SupervisionNotice 督办单: drafted → issued (numbered 督办〔2026〕12号) → replied → closed
- NoticeReply      a unit's written reply to a notice
- SupervisionRecord 约谈 and 实地核查 records on a task
- SupervisionFile  files attached to a reply or a record
- BulletinListing  a task listed for the next 通报
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

OFFSET_MIN = -30
OFFSET_MAX = 60


class RelativeTo(models.TextChoices):
    DUE = "due", _("完成时限")
    REPORT = "report", _("填报期限")


class StepAction(models.TextChoices):
    REMINDER = "reminder", _("提醒")
    URGE = "urge", _("催办")
    NOTICE_DRAFT = "notice_draft", _("拟制督办单")
    LEADER = "leader", _("报告牵头领导")
    BULLETIN = "bulletin", _("列入通报")


class Recipient(models.TextChoices):
    OWNER = "owner", _("责任人")
    LIAISON = "liaison", _("牵头单位联络员")
    UNIT_HEAD = "unit_head", _("牵头单位负责人")
    LEAD_LEADER = "lead_leader", _("牵头领导")
    SUPERVISOR = "supervisor", _("督查室人员")


class EscalationRule(models.Model):
    """One rung of the ladder: `offset` working days from the task's due date or report
    deadline, do `action` and tell `recipients`. With `repeat_daily` the rung runs on every
    working day from `offset` on (每日催办) while the task stays late.

    A category's rule replaces the default rule with the same (relative_to, step); a step the
    category does not name keeps the default."""

    category = models.CharField(_("任务类别"), max_length=50, blank=True)
    relative_to = models.CharField(_("起算"), max_length=10, choices=RelativeTo.choices)
    step = models.SlugField(_("步骤代码"), max_length=30)
    offset = models.IntegerField(
        _("工作日偏移"),
        validators=[MinValueValidator(OFFSET_MIN), MaxValueValidator(OFFSET_MAX)],
    )
    repeat_daily = models.BooleanField(_("此后每个工作日重复"), default=False)
    action = models.CharField(_("动作"), max_length=20, choices=StepAction.choices)
    recipients = models.JSONField(_("通知对象"), default=list, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["category", "relative_to", "offset", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "relative_to", "step"], name="escalationrule_unique_step"
            )
        ]
        verbose_name = _("督办升级规则")
        verbose_name_plural = _("督办升级规则")

    def __str__(self) -> str:
        return f"{self.category or '*'} {self.relative_to}:{self.step} {self.offset:+d}"

    @property
    def key(self) -> str:
        """The step's name in claims and dedupe keys, e.g. "due:urge"."""
        return f"{self.relative_to}:{self.step}"


class EscalationStep(models.Model):
    """The claim that one rung ran for one task on one day. Inserted in the transaction that
    writes the rung's effects; a second run (a restart, a second worker) hits the unique
    constraint and does nothing."""

    # no index of its own: the unique constraint below starts with the task
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    step = models.CharField(max_length=60)
    on_date = models.DateField()
    action = models.CharField(max_length=20, choices=StepAction.choices)
    # The run (one batch of one worker) that inserted the claim.
    run = models.CharField(max_length=32)
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "step", "on_date"], name="escalationstep_once_per_day"
            )
        ]
        indexes = [models.Index(fields=["on_date", "step"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.step} {self.on_date}"


class Urge(models.Model):
    """催办: automatic (a rung of the ladder, `step` set) or by a supervisor's hand."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="urges")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("催办内容"))
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    urged_at = models.DateTimeField(db_index=True)
    automatic = models.BooleanField(default=False)
    step = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-urged_at", "-id"]
        verbose_name = _("催办")
        verbose_name_plural = _("催办")

    def __str__(self) -> str:
        return f"{self.task_id} {self.urged_at:%Y-%m-%d}"


class NoticeState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("notice state", "待下发")
    ISSUED = "issued", pgettext_lazy("notice state", "待回复")
    REPLIED = "replied", pgettext_lazy("notice state", "已回复")
    CLOSED = "closed", pgettext_lazy("notice state", "已办结")


class SupervisionNotice(models.Model):
    """督办单: a formal, numbered notice to the lead unit (主送; co-units may be copied, 抄送)
    that demands a written reply by `reply_by`. The number is drawn when it is issued, so a
    draft that is never issued leaves no gap."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="notices")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主送单位")
    )
    copy_units = models.ManyToManyField(
        "org.Unit", blank=True, related_name="+", verbose_name=_("抄送单位")
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    content = models.TextField(_("督办内容"))
    reply_by = models.DateField(_("回复期限"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=NoticeState.choices, default=NoticeState.DRAFT
    )
    step = models.CharField(max_length=60, blank=True)  # the rung that drafted it, if any
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_comment = models.TextField(_("办结意见"), blank=True)

    class Meta:
        ordering = ["-drafted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="notice_unique_number")]
        indexes = [models.Index(fields=["state", "reply_by"])]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def number(self) -> str:
        """督办〔2026〕12号, once issued."""
        if self.year is None or self.seq is None:
            return ""
        return _("督办〔%(year)d〕%(seq)d号") % {"year": self.year, "seq": self.seq}


class NoticeSequence(models.Model):
    """The last number drawn for each year's notices (locked while drawing)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class NoticeReply(models.Model):
    """A unit's written reply to a notice: once per unit."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.PROTECT, related_name="replies")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("回复内容"))
    replied_at = models.DateTimeField()

    class Meta:
        ordering = ["replied_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "unit"], name="noticereply_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.unit_id}"


class RecordKind(models.TextChoices):
    TALK = "talk", _("约谈")
    FIELD_CHECK = "field_check", _("实地核查")


class SupervisionRecord(models.Model):
    """约谈 or 实地核查 on a task: when, where, who took part, what was found."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=RecordKind.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.TextField(_("参加人员"))
    content = models.TextField(_("主要内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.held_on}"


def _file_path(instance: SupervisionFile, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"supervision/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class SupervisionFile(models.Model):
    """A file attached to a notice reply or a supervision record."""

    reply = models.ForeignKey(
        NoticeReply, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    record = models.ForeignKey(
        SupervisionRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
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


class BulletinListing(models.Model):
    """A task listed for the next 通报 by the ladder; the bulletin marks it used."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="+")
    listed_on = models.DateField(db_index=True)
    step = models.CharField(max_length=60)
    data = models.JSONField(default=dict, blank=True)
    bulletin_on = models.DateField(null=True, blank=True)  # set by the bulletin that used it

    class Meta:
        ordering = ["listed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "step", "listed_on"], name="bulletinlisting_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.listed_on}"
