from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.models import EventKind


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例如：OA 系统对接"))
    expires_on = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则长期有效，直到吊销。"),
    )


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    url = forms.URLField(label=_("推送地址"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("签名密钥"),
        max_length=200,
        required=False,
        help_text=_("用于 HMAC-SHA256 签名；新建时留空则自动生成，编辑时留空则不变。"),
    )
    events = forms.MultipleChoiceField(
        label=_("事件"),
        choices=EventKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则推送全部事件。"),
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
