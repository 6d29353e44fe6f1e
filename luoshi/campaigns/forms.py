"""Forms of the campaign pages. They read and shape input only; every rule is checked by the
services (luoshi.campaigns.services), whose Chinese messages the views put on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.access.policy import OVERSIGHT_ROLES, UNIT_ROLES
from luoshi.campaigns.models import (
    METHOD_CHOICES,
    InspectionKind,
    PlanItem,
    PlanState,
    RecordKind,
    StatementAnswer,
)
from luoshi.campaigns.services.common import default_notice_days, default_statement_days
from luoshi.campaigns.services.results import RESULT_KINDS
from luoshi.campaigns.uploads import files_validate
from luoshi.org.models import Unit, User
from luoshi.outcomes.models import OutcomeKind
from luoshi.reports.forms import AttachmentsField
from luoshi.tasks.forms.widgets import date_field

TEXTAREA = {"rows": 4}


def _units():
    return Unit.objects.filter(is_active=True).order_by("path", "sort_order")


class UnitChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        error_messages={"required": _("请填写年度。"), "invalid": _("请填写年度。")},
    )
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)


class PlanItemForm(forms.Form):
    topic = forms.CharField(label=_("督查事项"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("督查类型"), choices=InspectionKind.choices, required=False)
    subject_units = UnitChoice(
        label=_("督查对象"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    planned_month = forms.IntegerField(
        label=_("计划月份"),
        required=False,
        error_messages={"invalid": _("请填写 1 至 12 的月份。")},
    )
    lead_team = forms.CharField(label=_("牵头组织"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_units"].queryset = _units()


class PlanIssueForm(forms.Form):
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)


class InspectionForm(forms.Form):
    """督查方案."""

    plan_item = forms.ModelChoiceField(
        label=_("计划事项"),
        queryset=PlanItem.objects.none(),
        required=False,
        help_text=_("从已印发的督查计划中选择；临时督查留空"),
    )
    title = forms.CharField(label=_("督查事项"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("督查类型"), choices=InspectionKind.choices)
    scope = forms.CharField(
        label=_("督查内容与范围"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    subject_units = UnitChoice(
        label=_("督查对象"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    methods = forms.MultipleChoiceField(
        label=_("督查方式"),
        choices=METHOD_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    team_leader = PersonChoice(label=_("督查组组长"), queryset=User.objects.none(), required=False)
    team_members = PeopleChoice(
        label=_("督查组成员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    start_date = date_field(_("开始日期"))
    end_date = date_field(_("结束日期"))
    notice_days_ahead = forms.IntegerField(
        label=_("提前通知（工作日）"),
        required=False,
        error_messages={"invalid": _("请填写工作日数。")},
    )
    statement_days = forms.IntegerField(
        label=_("陈述申辩期限（工作日）"),
        required=False,
        error_messages={"invalid": _("请填写工作日数。")},
    )
    unannounced = forms.BooleanField(label=_("暗访（不发督查通知）"), required=False)
    materials = forms.CharField(
        label=_("需准备的材料"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = PlanItem.objects.filter(
            plan__state=PlanState.ISSUED
        ).select_related("plan")
        self.fields["subject_units"].queryset = _units()
        people = User.objects.filter(is_active=True, role__in=OVERSIGHT_ROLES).order_by("pk")
        self.fields["team_leader"].queryset = people
        self.fields["team_members"].queryset = people
        self.fields["notice_days_ahead"].initial = default_notice_days()
        self.fields["statement_days"].initial = default_statement_days()
        self.fields["kind"].initial = InspectionKind.SPECIAL

    def scheme(self) -> dict:
        data = dict(self.cleaned_data)
        data["subject_units"] = list(data["subject_units"])
        data["team_members"] = list(data["team_members"])
        data["title"] = data["title"] or ""
        return data


class RecordFilesField(AttachmentsField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        files_validate(files)
        return [forms.FileField.clean(self, f, initial) for f in files]


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=RecordKind.choices)
    held_on = date_field(_("日期"))
    unit = forms.ModelChoiceField(
        label=_("被督查单位"), queryset=Unit.objects.none(), required=False
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    persons = forms.CharField(label=_("参加人员"), max_length=500, required=False)
    text = forms.CharField(
        label=_("情况记录"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    files = RecordFilesField(label=_("照片和文件"))
    corrects = forms.ModelChoiceField(
        label=_("更正的记录"),
        queryset=None,
        required=False,
        help_text=_("更正已有记录时选择；原记录保留"),
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection.subject_units.all()
        self.fields["unit"].label_from_instance = lambda u: u.display_name
        self.fields["corrects"].queryset = inspection.records.filter(corrected_by__isnull=True)


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("被督查单位"), queryset=Unit.objects.none(), required=False
    )
    title = forms.CharField(label=_("问题"), max_length=200, required=False)
    detail = forms.CharField(
        label=_("具体情况"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection.subject_units.all()
        self.fields["unit"].label_from_instance = lambda u: u.display_name


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("陈述申辩"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("对督查发现的问题说明情况、提出异议；提交后不能修改"),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("处理意见"),
        choices=StatementAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择采纳、部分采纳或不采纳。")},
    )
    answer_reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("总体评价和建议"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class RectificationForm(forms.Form):
    due = date_field(_("整改时限"))
    owner = PersonChoice(label=_("整改责任人"), queryset=User.objects.none(), required=False)
    lead_leader = PersonChoice(label=_("牵头领导"), queryset=User.objects.none(), required=False)
    required_evidence = forms.CharField(
        label=_("佐证材料要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, unit_id=finding.unit_id, role__in=UNIT_ROLES
        ).order_by("pk")
        self.fields["lead_leader"].queryset = User.objects.filter(
            is_active=True, role="leader"
        ).order_by("pk")


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(k.value, k.label) for k in RESULT_KINDS],
        error_messages={"invalid_choice": _("请选择通报批评、表彰、约谈或问责建议。")},
    )
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    finding = forms.ModelChoiceField(label=_("相关问题"), queryset=None, required=False)
    recorded_on = date_field(_("日期"))
    text = forms.CharField(
        label=_("事由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection.subject_units.all()
        self.fields["unit"].label_from_instance = lambda u: u.display_name
        self.fields["finding"].queryset = inspection.findings.all()
        self.fields["kind"].initial = OutcomeKind.PUBLIC_CRITICISM
