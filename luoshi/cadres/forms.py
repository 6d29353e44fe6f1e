"""组织干部评价 (a round) and the reviewer's sheet (five dimensions, 1–10, with comments)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.access import policy
from luoshi.cadres.models import GRADE_MAX, GRADE_MIN, Dimension
from luoshi.cadres.services import CADRE_ROLES, COMMENT_MAX, NAME_MAX, REVIEWER_ROLES
from luoshi.org.models import Role, User
from luoshi.tasks.forms.widgets import date_field


class _People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        parts = [obj.display_name, obj.title, obj.unit.display_name if obj.unit_id else ""]
        return " · ".join(p for p in parts if p)


class ReviewForm(forms.Form):
    name = forms.CharField(
        label=_("评价名称"),
        max_length=NAME_MAX,
        help_text=_("例如：2026年度单位负责人履职评价"),
        error_messages={
            "required": _("请填写评价名称。"),
            "max_length": _("评价名称不能超过 %(limit_value)d 字。"),
        },
    )
    date_from = date_field(_("评价期起"), required=True)
    date_to = date_field(_("评价期止"), required=True)
    cadres = _People(
        label=_("被评价干部"),
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "required": _("请选择被评价的干部。"),
            "invalid_choice": _("所选干部不存在。"),
            "invalid_pk_value": _("所选干部不存在。"),
        },
    )
    reviewers = _People(
        label=_("评价人"),
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("督查室人员、领导或单位负责人；评价人不评价自己"),
        error_messages={
            "required": _("请指定评价人。"),
            "invalid_choice": _("所选评价人不存在。"),
            "invalid_pk_value": _("所选评价人不存在。"),
        },
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).select_related("unit")
        scope = policy.scope_units(user)
        cadres = people.filter(role__in=CADRE_ROLES)
        if scope is not None:
            cadres = cadres.filter(unit__in=scope) | cadres.filter(role=Role.LEADER)
        self.fields["cadres"].queryset = cadres.order_by("unit__path", "username")
        self.fields["reviewers"].queryset = people.filter(role__in=REVIEWER_ROLES).order_by(
            "role", "unit__path", "username"
        )


class SheetForm(forms.Form):
    comment = forms.CharField(
        label=_("总体评价"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("总体评价不能超过 %(limit_value)d 字。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(n), str(n)) for n in range(GRADE_MAX, GRADE_MIN - 1, -1)]
        for dim in Dimension:
            self.fields[f"{dim.value}_grade"] = forms.TypedChoiceField(
                label=dim.label,
                choices=choices,
                coerce=int,
                error_messages={
                    "required": _("请为“%(dim)s”评分。") % {"dim": dim.label},
                    "invalid_choice": _("“%(dim)s”的评分须是 %(min)d 到 %(max)d 的整数。")
                    % {"dim": dim.label, "min": GRADE_MIN, "max": GRADE_MAX},
                },
            )
            self.fields[f"{dim.value}_comment"] = forms.CharField(
                label=_("%(dim)s评语") % {"dim": dim.label},
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": _("评语不能超过 %(limit_value)d 字。")},
            )

    def dimension_rows(self):
        return [(self[f"{d.value}_grade"], self[f"{d.value}_comment"]) for d in Dimension]

    def scores(self) -> dict:
        data = self.cleaned_data
        return {
            d.value: (data.get(f"{d.value}_grade"), data.get(f"{d.value}_comment", ""))
            for d in Dimension
        }

    @classmethod
    def initial_from(cls, sheet) -> dict:
        initial = {"comment": sheet.comment}
        for s in sheet.scores.all():
            initial[f"{s.dimension}_grade"] = str(s.grade)
            initial[f"{s.dimension}_comment"] = s.comment
        return initial


class AddPeopleForm(ReviewForm):
    """增加人员: the round's form without its name and period; both lists optional."""

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("name", "date_from", "date_to"):
            del self.fields[name]
        self.fields["cadres"].required = False
        self.fields["reviewers"].required = False
