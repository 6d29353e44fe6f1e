"""表彰与问责: recorded outcomes of the evaluation system (评价体系).

OutcomeRecord: one 表彰 / 领导表扬 / 通报批评 / 约谈 / 问责建议 about a unit, optionally a task
and a named cadre. Append-only: a record's content is never edited or deleted. A correction
is a new record that supersedes the old one (`superseded_by`); a mistake is revoked with a
reason (`revoked_at`, `revoke_reason`). Only records in force (neither superseded nor
revoked) count: `OutcomeRecord.objects.in_force()`.

Scoring reads records by `recorded_on` (`.recorded_between(start, end)`); no score period here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeKind(models.TextChoices):
    COMMENDATION = "commendation", _("表彰")
    LEADER_COMMENDATION = "leader_commendation", _("领导表扬")
    PUBLIC_CRITICISM = "public_criticism", _("通报批评")
    TALK = "talk", _("约谈")
    ACCOUNTABILITY = "accountability", _("问责建议")


# Kinds that praise and kinds that criticise (the bulletin's two sections, scoring's sign).
COMMENDING_KINDS = (OutcomeKind.COMMENDATION, OutcomeKind.LEADER_COMMENDATION)
CRITICISING_KINDS = (
    OutcomeKind.PUBLIC_CRITICISM,
    OutcomeKind.TALK,
    OutcomeKind.ACCOUNTABILITY,
)


class OutcomeRecordQuerySet(models.QuerySet):
    def in_force(self) -> OutcomeRecordQuerySet:
        """Records that count: not superseded by a correction, not revoked."""
        return self.filter(superseded_by__isnull=True, revoked_at__isnull=True)

    def recorded_between(self, start: dt.date, end: dt.date) -> OutcomeRecordQuerySet:
        """Records dated within [start, end], both ends included."""
        return self.filter(recorded_on__gte=start, recorded_on__lte=end)

    def commending(self) -> OutcomeRecordQuerySet:
        return self.filter(kind__in=COMMENDING_KINDS)

    def criticising(self) -> OutcomeRecordQuerySet:
        return self.filter(kind__in=CRITICISING_KINDS)


class OutcomeRecord(models.Model):
    """One commendation or accountability outcome. Never edited: superseded or revoked."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="outcome_records", verbose_name=_("单位")
    )
    task = models.ForeignKey(
        "tasks.Task",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_records",
        verbose_name=_("任务"),
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_records",
        verbose_name=_("干部"),
    )
    kind = models.CharField(_("类型"), max_length=30, choices=OutcomeKind.choices)
    recorded_on = models.DateField(_("日期"))
    text = models.TextField(_("事由"))
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    # The 约谈 record of the supervision app this outcome rests on, if one exists.
    talk_record = models.ForeignKey(
        "supervision.SupervisionRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("约谈记录"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # Append-only corrections: the newer record that replaces this one.
    superseded_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        verbose_name=_("更正记录"),
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(_("撤销理由"), blank=True)

    objects = OutcomeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name = _("表彰问责记录")
        verbose_name_plural = _("表彰问责记录")
        indexes = [
            models.Index(fields=["recorded_on", "kind"]),
            models.Index(fields=["unit", "recorded_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.recorded_on}"

    @property
    def in_force(self) -> bool:
        return self.superseded_by_id is None and self.revoked_at is None

    @property
    def commending(self) -> bool:
        return self.kind in COMMENDING_KINDS
