from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Role, Unit, UnitKind


class UnitForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    aliases = forms.CharField(
        label=_("别名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("其他常用叫法，每行一个"),
    )
    kind = forms.ChoiceField(label=_("单位类型"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("上级单位"),
        queryset=Unit.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("上级单位不存在。")},
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class UserForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("所在单位"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        error_messages={"invalid_choice": _("单位不存在。")},
    )
    scope_unit = forms.ModelChoiceField(
        label=_("管辖范围"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        help_text=_("督查室人员和领导：所管辖的单位及其下级；留空表示全部"),
        error_messages={"invalid_choice": _("单位不存在。")},
    )
    title = forms.CharField(label=_("职务"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class NewUserForm(UserForm):
    username = forms.CharField(label=_("登录名"), max_length=150)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)

    field_order = ["username", "password"]


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
