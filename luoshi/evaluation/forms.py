from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.evaluation.models import (
    EvaluationScheme,
    Grade,
    PeriodKind,
    RuleKind,
)
from luoshi.evaluation.services import GroupSpec, RuleSpec
from luoshi.org.models import UnitKind

GROUP_ROWS = 4
NUMBER = {"step": "0.01"}


def _number(label, required=False):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs=NUMBER),
    )


class SchemeForm(forms.Form):
    """A scheme with its rules grid (one row per rule kind) and ranking groups."""

    name = forms.CharField(label=_("方案名称"), max_length=100)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    base_score = _number(_("基础分"), required=True)
    grade_total = _number(_("等次权重声明合计"))

    def __init__(self, *args, scheme: EvaluationScheme | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if scheme is not None:
            initial.update(
                name=scheme.name,
                description=scheme.description,
                base_score=scheme.base_score,
                grade_total=scheme.grade_total,
            )
            for grade in Grade.values:
                initial[f"grade_{grade}"] = scheme.grade_points.get(grade)
            for rule in scheme.rules.all():
                initial[f"rule_{rule.kind}_on"] = True
                initial[f"rule_{rule.kind}_points"] = rule.points
                initial[f"rule_{rule.kind}_task_cap"] = rule.task_cap
                initial[f"rule_{rule.kind}_unit_cap"] = rule.unit_cap
            for i, group in enumerate(scheme.groups.all()[:GROUP_ROWS]):
                initial[f"group_{i}_name"] = group.name
                initial[f"group_{i}_kinds"] = group.unit_kinds
        super().__init__(*args, initial=initial, **kwargs)
        for grade in Grade.values:
            self.fields[f"grade_{grade}"] = _number(_("等次 %(g)s") % {"g": grade})
        for kind in RuleKind:
            self.fields[f"rule_{kind.value}_on"] = forms.BooleanField(
                label=kind.label, required=False
            )
            self.fields[f"rule_{kind.value}_points"] = _number(_("分值"))
            self.fields[f"rule_{kind.value}_task_cap"] = _number(_("每任务上限"))
            self.fields[f"rule_{kind.value}_unit_cap"] = _number(_("每单位上限"))
        for i in range(GROUP_ROWS):
            self.fields[f"group_{i}_name"] = forms.CharField(
                label=_("排名组名称"), max_length=50, required=False
            )
            self.fields[f"group_{i}_kinds"] = forms.MultipleChoiceField(
                label=_("单位类型"),
                choices=UnitKind.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def rule_rows(self):
        return [
            {
                "kind": kind,
                "on": self[f"rule_{kind.value}_on"],
                "points": self[f"rule_{kind.value}_points"],
                "task_cap": self[f"rule_{kind.value}_task_cap"],
                "unit_cap": self[f"rule_{kind.value}_unit_cap"],
            }
            for kind in RuleKind
        ]

    def grade_fields(self):
        return [self[f"grade_{g}"] for g in Grade.values]

    def group_rows(self):
        return [
            {"name": self[f"group_{i}_name"], "kinds": self[f"group_{i}_kinds"]}
            for i in range(GROUP_ROWS)
        ]

    def service_args(self) -> dict:
        data = self.cleaned_data
        rules = [
            RuleSpec(
                kind=kind.value,
                points=data[f"rule_{kind.value}_points"],
                task_cap=data[f"rule_{kind.value}_task_cap"],
                unit_cap=data[f"rule_{kind.value}_unit_cap"],
            )
            for kind in RuleKind
            if data[f"rule_{kind.value}_on"]
        ]
        groups = [
            GroupSpec(name=data[f"group_{i}_name"], unit_kinds=data[f"group_{i}_kinds"])
            for i in range(GROUP_ROWS)
            if data[f"group_{i}_name"] or data[f"group_{i}_kinds"]
        ]
        grades = {g: data[f"grade_{g}"] for g in Grade.values if data[f"grade_{g}"] is not None}
        return {
            "name": data["name"],
            "description": data["description"],
            "base_score": data["base_score"],
            "grade_total": data["grade_total"],
            "grade_points": grades,
            "rules": rules,
            "groups": groups,
        }


class PeriodForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label=_("考核方案"),
        queryset=EvaluationScheme.objects.filter(is_active=True),
        empty_label=None,
    )
    kind = forms.ChoiceField(label=_("周期类型"), choices=PeriodKind.choices)
    start = forms.DateField(
        label=_("开始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("月度、季度、年度只需填所在的任意一天。"),
    )
    end = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    name = forms.CharField(label=_("名称"), max_length=100, required=False)


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("质量等次"), choices=Grade.choices)
    comment = forms.CharField(
        label=_("评语"), required=False, max_length=500, widget=forms.TextInput()
    )


class AdjustForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int, choices=())
    points = forms.DecimalField(
        label=_("调整分值"), max_digits=8, decimal_places=2, widget=forms.NumberInput(attrs=NUMBER)
    )
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *list(units)]
