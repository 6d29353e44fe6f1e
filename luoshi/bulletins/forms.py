"""The 生成通报 form. It reads the input; the service validates the period and the title."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.bulletins.services import Preset, preset_period
from luoshi.lib import clock
from luoshi.tasks.forms.widgets import date_field

PRESETS = [
    (Preset.LAST_MONTH, _("上月")),
    (Preset.THIS_QUARTER, _("本季度")),
    (Preset.THIS_YEAR, _("本年")),
    (Preset.CUSTOM, _("自定义")),
]


class BulletinForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("通报期间"),
        choices=PRESETS,
        initial=Preset.LAST_MONTH,
        error_messages={"invalid_choice": _("请选择通报期间。")},
    )
    date_from = date_field(_("开始日期"), help_text=_("选“自定义”时填写"))
    date_to = date_field(_("结束日期"), help_text=_("选“自定义”时填写"))
    title = forms.CharField(
        label=_("标题"),
        required=False,
        help_text=_("不填则为“关于……重点工作任务落实情况的通报”"),
    )

    def clean(self):
        data = super().clean()
        period = preset_period(data.get("preset", ""), clock.today())
        if period is not None:
            data["date_from"], data["date_to"] = period
        return data
