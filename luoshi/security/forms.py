from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Role, Unit
from luoshi.security.models import SecurityPolicy
from luoshi.security.services.policy import POLICY_FIELDS


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令或恢复码"),
        max_length=20,
        error_messages={"required": _("请输入 6 位动态口令或一个恢复码。")},
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("当前密码"), strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("新密码"), strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password2") != data.get("new_password"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class TotpConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("手机上显示的 6 位动态口令"),
        max_length=10,
        error_messages={"required": _("请输入 6 位动态口令。")},
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = POLICY_FIELDS


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    scope_unit = forms.ModelChoiceField(
        label=_("管辖范围"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        help_text=_("督查室人员和领导：所管辖的单位及其下级；留空表示全部"),
        error_messages={"invalid_choice": _("单位不存在。")},
    )
    is_active = forms.BooleanField(label=_("启用"), required=False)


class UnlockForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[("account", _("账号")), ("address", _("来源地址"))],
        error_messages={"invalid_choice": _("解锁对象不正确。")},
    )
    key = forms.CharField(max_length=150, error_messages={"required": _("请指定要解锁的对象。")})
