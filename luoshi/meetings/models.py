"""办会、办文: meetings with their agreed items (议定事项) and leaders' written instructions
(批示件) with the 办理情况 reported back to the leader.

A Meeting and an Instruction each stand on one task source (Source of kind 会议 / 领导批示),
whose tasks are the work they lead to. A meeting's agreed item becomes one task (item.task);
an instruction is decomposed like any source. Reports to the leader are append-only.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _file_path(instance, filename: str) -> str:
    return f"meetings/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class MeetingKind(models.TextChoices):
    STANDING = "standing", _("常务会议")
    PLENARY = "plenary", _("全体会议")
    TOPIC = "topic", _("专题会议")
    OFFICE = "office", _("办公会")
    OTHER = "other", _("其他会议")


class Meeting(models.Model):
    """办会: a meeting, its minutes (纪要) and its agreed items."""

    source = models.OneToOneField(
        "tasks.Source", on_delete=models.PROTECT, related_name="meeting", verbose_name=_("任务来源")
    )
    name = models.CharField(_("会议名称"), max_length=200)
    kind = models.CharField(
        _("会议类型"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.STANDING
    )
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
        verbose_name=_("主持领导"),
    )
    attendees = models.TextField(_("出席人员"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    minutes_number = models.CharField(_("纪要编号"), max_length=100, blank=True)
    minutes_file = models.FileField(upload_to=_file_path, max_length=200, blank=True)
    minutes_file_name = models.CharField(_("纪要文件"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def __str__(self) -> str:
        return self.name


class ItemUnitRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    CO = "co", _("配合单位")


class MeetingItem(models.Model):
    """议定事项: one agreed item of a meeting, and the task it became (once generated)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("议定事项"))
    due = models.DateField(_("完成时限"), null=True, blank=True)
    ongoing = models.BooleanField(_("长期坚持"), default=False)
    due_text = models.CharField(_("时限原文"), max_length=100, blank=True)
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("牵头领导"),
    )
    task = models.OneToOneField(
        "tasks.Task",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_item",
        verbose_name=_("任务"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="meetingitem_unique_number")
        ]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"

    def units_of(self, role: str) -> list:
        return [p.unit for p in self.parts.all() if p.role == role]

    @property
    def lead_units(self) -> list:
        return self.units_of(ItemUnitRole.LEAD)

    @property
    def co_units(self) -> list:
        return self.units_of(ItemUnitRole.CO)


class MeetingItemUnit(models.Model):
    """A unit named on an agreed item, as lead or co-unit, in the order the minutes name them."""

    item = models.ForeignKey(MeetingItem, on_delete=models.CASCADE, related_name="parts")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=ItemUnitRole.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "role", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="meetingitemunit_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.unit_id} ({self.role})"


class Urgency(models.TextChoices):
    NORMAL = "normal", _("平件")
    URGENT = "urgent", _("急件")
    VERY_URGENT = "very_urgent", _("特急")


class InstructionStatus(models.TextChoices):
    """Where an instruction stands (computed, not stored): see services.instruction_status."""

    TO_DECOMPOSE = "to_decompose", _("待分解")
    IN_PROGRESS = "in_progress", _("办理中")
    REPORTED = "reported", _("已报告")
    DONE = "done", _("已办结")


class Instruction(models.Model):
    """办文: a leader's written instruction (批示) on a document, and its 办理情况."""

    source = models.OneToOneField(
        "tasks.Source",
        on_delete=models.PROTECT,
        related_name="instruction",
        verbose_name=_("任务来源"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="instructions",
        verbose_name=_("批示领导"),
    )
    text = models.TextField(_("批示内容"))
    given_on = models.DateField(_("批示日期"))
    doc_title = models.CharField(_("来文标题"), max_length=200)
    doc_number = models.CharField(_("来文文号"), max_length=100, blank=True)
    doc_file = models.FileField(upload_to=_file_path, max_length=200, blank=True)
    doc_file_name = models.CharField(_("来文文件"), max_length=200, blank=True)
    urgency = models.CharField(
        _("缓急"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    report_due = models.DateField(_("办理情况报送时限"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("批示件")
        verbose_name_plural = _("批示件")

    def __str__(self) -> str:
        return self.source.title if self.source_id else self.doc_title


class InstructionReport(models.Model):
    """办理情况报告: what the office reported to the leader. Never edited: a later report is a
    new row. The leader marks it 已阅 once, with an optional further comment."""

    instruction = models.ForeignKey(Instruction, on_delete=models.PROTECT, related_name="reports")
    text = models.TextField(_("办理情况"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("报送时间"), db_index=True)
    read_at = models.DateTimeField(_("阅示时间"), null=True, blank=True)
    read_comment = models.TextField(_("领导意见"), blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("办理情况报告")
        verbose_name_plural = _("办理情况报告")

    def __str__(self) -> str:
        return f"{self.instruction_id} {self.reported_at:%Y-%m-%d}"
