from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HashAlgorithm(models.TextChoices):
    SM3 = "sm3", "SM3"
    SHA256 = "sha256", "SHA-256"


class AuditEvent(models.Model):
    """审计日志: who did what, when, from where. Append-only (database triggers refuse UPDATE
    and DELETE, migration 0004) and hash-chained: each row's `hash` covers every field, its
    sequence number `seq` and the previous row's hash, so an edited, removed, inserted or
    reordered row breaks the chain (see audit.chain and `luoshi audit verify`).

    `algorithm` is the hash of this row (SM3, or SHA-256 where OpenSSL lacks SM3);
    `payload_version` 1 marks the rows written before seq existed (their hash covers fewer
    fields: audit.chain.payload_v1)."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    ip = models.CharField(_("来源地址"), max_length=45, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)
    # 1, 2, 3, … with no gaps: a missing number is a removed row (ids may skip on PostgreSQL
    # when a transaction rolls back; seq is taken under the chain lock, so it never does)
    seq = models.BigIntegerField(unique=True)
    algorithm = models.CharField(
        max_length=16, choices=HashAlgorithm.choices, default=HashAlgorithm.SHA256
    )
    payload_version = models.PositiveSmallIntegerField(default=2)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
