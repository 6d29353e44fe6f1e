from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.notifications.models import DeliveryMode, Platform, WebhookEndpoint
from luoshi.org.models import Unit


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("电子邮件"), required=False)
    sms = forms.BooleanField(label=_("短信"), required=False)
    mode = forms.ChoiceField(
        label=_("发送方式"),
        choices=[
            (DeliveryMode.IMMEDIATE, _("即时发送：每条消息单独发送")),
            (DeliveryMode.DIGEST, _("每日汇总：每天一封，列出当天的全部消息")),
        ],
        widget=forms.RadioSelect,
    )


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    platform = forms.ChoiceField(label=_("平台"), choices=Platform.choices)
    url = forms.URLField(
        label=_("Webhook 地址"),
        max_length=500,
        assume_scheme="https",
        help_text=_("在群设置中添加自定义机器人后复制的地址。"),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=WebhookEndpoint._meta.get_field("secret").help_text,
    )
    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        required=False,
        empty_label=_("（全部单位）"),
        help_text=WebhookEndpoint._meta.get_field("unit").help_text,
    )
    mode = forms.ChoiceField(
        label=_("发送方式"), choices=DeliveryMode.choices, widget=forms.RadioSelect
    )
    enabled = forms.BooleanField(label=_("启用"), required=False)
