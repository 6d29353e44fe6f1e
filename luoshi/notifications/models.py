"""Notifications (消息): one row per recipient in the in-app inbox, and the deliveries that
carry them to other channels (e-mail, SMS, the group robots of 企业微信 / 钉钉 / 飞书).

A Delivery is one message to one target on one channel: a single notification, or a daily
digest of several. Its `idempotency_key` is unique, so a step that runs twice creates it once;
the worker claims due deliveries with a conditional UPDATE, so two workers never send one
twice (see services.deliveries_send_due)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("提醒")
    URGE = "urge", _("催办")
    NOTICE = "notice", _("督办单")
    LEADER = "leader", _("报告领导")
    EXTENSION = "extension", _("延期")
    RECHECK = "recheck", _("回头看")
    TASK = "task", _("任务动态")
    DIGEST = "digest", _("每日汇总")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    url = models.CharField(max_length=300, blank=True)
    # Same key for the same recipient = the same notification: a step that runs twice (a
    # restart, two workers) notifies once.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_recipient_and_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")
    FEISHU = "feishu", _("飞书")


class Platform(models.TextChoices):
    """The group robots a WebhookEndpoint can be."""

    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    FEISHU = "feishu", _("飞书群机器人")


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("即时发送")
    DIGEST = "digest", _("每日汇总")


class NotificationPreference(models.Model):
    """Which channels a user wants besides the inbox, and whether at once or once a day.
    A user without a row has the defaults (settings.LUOSHI NOTIFY_DEFAULT_*)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)
    mode = models.CharField(
        _("发送方式"), max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.DIGEST
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)


class WebhookEndpoint(models.Model):
    """A group robot (群机器人) the system administrator registered: notifications to the users
    of `unit` are also posted to it, once per notification key. Without a unit it receives
    the notifications of every unit (e.g. the office's own group)."""

    name = models.CharField(_("名称"), max_length=100)
    platform = models.CharField(_("平台"), max_length=20, choices=Platform.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"),
        max_length=200,
        blank=True,
        help_text=_("钉钉、飞书机器人开启“加签”时填写；企业微信群机器人不需要。"),
    )
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("单位"),
        help_text=_("发给该单位人员的消息同时推送到这个群；不选则接收全部单位的消息。"),
    )
    mode = models.CharField(
        _("发送方式"), max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )
    enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("失败待重试")
    DEAD = "dead", _("已放弃")


class DeliveryKind(models.TextChoices):
    SINGLE = "single", _("单条")
    DIGEST = "digest", _("每日汇总")


class Delivery(models.Model):
    """One message to one target on one channel. The text is rendered when the row is made,
    so what is sent does not change with later edits and the worker needs no joins."""

    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    kind = models.CharField(
        _("类型"), max_length=10, choices=DeliveryKind.choices, default=DeliveryKind.SINGLE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The e-mail address or phone number (for a robot: the endpoint's name, for display).
    target = models.CharField(_("接收方"), max_length=254)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # A digest: the notifications it gathers (so the next digest does not repeat them).
    covered = models.ManyToManyField(Notification, blank=True, related_name="digests")
    digest_date = models.DateField(null=True, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=500, blank=True)

    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("错误信息"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    idempotency_key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息推送")
        verbose_name_plural = _("消息推送")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.target}: {self.subject}"
