from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.lib.encryption import EncryptedTextField


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("政府")
    OFFICE = "office", _("办公室")
    DEPARTMENT = "department", _("部门")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道乡镇")
    OTHER = "other", _("其他")


class Unit(models.Model):
    """An organisation node (单位). A tree: government → departments, districts → offices.

    `path` is a materialised path ("0001/0007/") so that a subtree is one indexed prefix query.
    """

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    aliases = models.TextField(
        _("别名"), blank=True, help_text=_("其他常用叫法，每行一个，例如：市发改委、市发展改革委")
    )
    kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 1, 0)

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.replace("、", "\n").splitlines() if a.strip()]


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", _("督查室人员")
    LEADER = "leader", _("领导")
    LIAISON = "liaison", _("单位联络员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("审计管理员")


class User(AbstractUser):
    """A person with exactly one role (三员分立 requires the administrators to be distinct
    accounts, so a role is a field, not a set)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("所在单位"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.LIAISON)
    # For supervisors and leaders: the subtree they oversee. Empty means the whole tree.
    scope_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("管辖范围"),
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    # encrypted at rest when LUOSHI_FIELD_KEY is set (luoshi/lib/encryption.py); read in
    # Python only (SMS notifications), never filtered in the database
    phone = EncryptedTextField(_("手机"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
