"""Forms of 从文件生成任务: the upload, and the preview's unit choices and tasks left out."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.access import policy
from luoshi.org.models import Unit

DROP = "0"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=_(
            "分工方案、会议纪要、领导批示等：Word（.docx）、文本（.txt）或带文字层的 PDF，"
            "不超过 50 MB。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt,.pdf"}),
    )
    source = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("加入已有任务来源"),
        help_text=_("不选则按下面的标题新登记一个“文件”来源（默认取文件的标题）。"),
    )
    new_source_title = forms.CharField(label=_("新来源标题"), max_length=200, required=False)
    year = forms.IntegerField(
        label=_("时限年份"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("“6月底前”“年底前”等未写年份的时限按此年份计算；不填则从文件标题或日期识别。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = policy.visible_sources(user).order_by("-id")
        self.fields["source"].empty_label = _("（新登记来源）")


class PreviewForm(forms.Form):
    """One select per unmatched unit name; a box per found task to keep it; the year."""

    year = forms.IntegerField(label=_("时限年份"), min_value=2000, max_value=2100)
    new_source_title = forms.CharField(label=_("新来源标题"), max_length=200, required=False)

    def __init__(self, *args, found, excluded, unmatched, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
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
        self.found_count = len(found)
        self.fields["keep"] = forms.TypedMultipleChoiceField(
            label=_("生成的任务"),
            choices=[(str(i), t["title"]) for i, t in enumerate(found)],
            coerce=int,
            required=False,
            initial=[str(i) for i in range(len(found)) if i not in set(excluded)],
            widget=forms.CheckboxSelectMultiple,
        )

    def resolutions(self) -> dict[str, str]:
        return {unit_name: self.cleaned_data.get(name) or "" for unit_name, name in self.names}

    def excluded(self) -> list[int]:
        keep = set(self.cleaned_data.get("keep") or [])
        return [i for i in range(self.found_count) if i not in keep]
