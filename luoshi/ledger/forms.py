"""Forms of the ledger import: the upload, and the preview's column mapping and unit choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.access import policy
from luoshi.ledger.reader import FIELDS, MAPPABLE, max_bytes
from luoshi.lib import clock
from luoshi.org.models import Unit

DROP = "0"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("台账文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm"}),
    )
    source = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("加入已有任务来源"),
        help_text=_("不选则按下面的标题新登记一个来源（默认取台账的标题行）。"),
    )
    new_source_title = forms.CharField(label=_("新来源标题"), max_length=200, required=False)
    year = forms.IntegerField(
        label=_("时限年份"),
        min_value=2000,
        max_value=2100,
        help_text=_("“6月底前”“年底前”等未写年份的时限按此年份计算。"),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"year": clock.today().year})
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel 工作簿（.xlsx 或 .xlsm，宏不会执行），不超过 %(mb)d MB。"
        ) % {"mb": max_bytes() // 1024 // 1024}
        self.fields["source"].queryset = policy.visible_sources(user).order_by("-id")
        self.fields["source"].empty_label = _("（新登记来源）")
        if not policy.is_office_user(user):
            for name in ("source", "new_source_title"):
                del self.fields[name]


def field_choices() -> list[tuple[str, str]]:
    return [("", _("（不导入）"))] + [(key, FIELDS[key][0]) for key in MAPPABLE]


class PreviewForm(forms.Form):
    """One select per column (its field) and one per unmatched unit name (which unit)."""

    def __init__(self, *args, labels, mapping, unmatched, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = []
        for i, label in enumerate(labels):
            name = f"col_{i}"
            self.fields[name] = forms.ChoiceField(
                label=label or _("第 %(n)d 列") % {"n": i + 1},
                choices=field_choices(),
                required=False,
                initial=mapping.get(i, ""),
            )
            self.columns.append((i, name))
        units = [(str(u.pk), u.name) for u in Unit.objects.filter(is_active=True).order_by("path")]
        self.names = []
        for j, unit_name in enumerate(unmatched):
            name = f"res_{j}"
            self.fields[name] = forms.ChoiceField(
                label=unit_name,
                choices=[("", _("— 请选择单位 —")), (DROP, _("不导入此名称")), *units],
                required=False,
                initial=str(resolutions.get(unit_name, "")),
            )
            self.names.append((unit_name, name))

    def mapping(self) -> dict[int, str]:
        return {i: self.cleaned_data.get(name) or "" for i, name in self.columns}

    def resolutions(self) -> dict[str, str]:
        return {
            unit_name: self.cleaned_data[name]
            for unit_name, name in self.names
            if self.cleaned_data.get(name)
        }
