from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.cockpit.services import TEXT_MAX


class LeaderCommentForm(forms.Form):
    text = forms.CharField(
        label=_("批示内容"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写批示内容。")},
    )
    report = forms.IntegerField(required=False, widget=forms.HiddenInput)
