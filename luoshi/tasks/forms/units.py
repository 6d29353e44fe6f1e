"""Picking units on a form. Offices have 40 to 2,000 units, so a lead unit is typed with a
datalist's help and resolved by name (full name, short name or alias) on the server, and
co-units are a multi-select grouped by unit kind."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from luoshi.lib.i18n import join_list
from luoshi.org.models import Unit, UnitKind
from luoshi.org.services import UnitNameIndex

# Names in one cell: separated by 、，,；; or any whitespace.
NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")


def split_unit_names(text: str) -> list[str]:
    return [n for n in NAME_SEPARATORS.split(text or "") if n]


def active_units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).order_by("path"))


def resolve_unit_name(index: UnitNameIndex, name: str, label: str) -> Unit:
    """The unit called `name`, or a ValidationError that says why not (in Chinese)."""
    unit = index.resolve(name)
    if unit is not None:
        return unit
    if index.ambiguous(name):
        raise ValidationError(
            _("%(label)s“%(name)s”对应多个单位，请填写全称。") % {"label": label, "name": name}
        )
    close = index.suggest(name)
    if close:
        raise ValidationError(
            _("%(label)s“%(name)s”不存在。您要填的是不是：%(close)s？")
            % {"label": label, "name": name, "close": join_list(u.name for u in close)}
        )
    raise ValidationError(
        _("%(label)s“%(name)s”不存在，请从列表中选择或填写单位全称、简称。")
        % {"label": label, "name": name}
    )


def resolve_unit_names(index: UnitNameIndex, text: str, label: str) -> list[Unit]:
    """Every unit named in `text`; an error lists every name that does not resolve."""
    units, errors = [], []
    for name in split_unit_names(text):
        try:
            units.append(resolve_unit_name(index, name, label))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return units


class UnitNameField(forms.CharField):
    """A unit typed by name; cleans to a Unit (or None when blank and not required)."""

    def __init__(self, *, index: UnitNameIndex | None = None, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.index = index
        self.widget.attrs.update({"list": "unit-names", "autocomplete": "off"})

    def clean(self, value):
        name = super().clean(value)
        if not name:
            return None
        index = self.index or UnitNameIndex()
        return resolve_unit_name(index, name, str(self.label))


def grouped_unit_choices(units: Iterable[Unit]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a <select> with one optgroup per unit kind, in the tree's order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for unit in units:
        groups.setdefault(unit.kind, []).append((str(unit.pk), unit.name))
    labels = dict(UnitKind.choices)
    return [
        (str(labels.get(kind, kind)), groups[kind]) for kind in UnitKind.values if kind in groups
    ]


class UnitMultipleField(forms.MultipleChoiceField):
    """Units picked from a grouped multi-select; cleans to a list of Units in picking order."""

    default_error_messages = {
        "invalid_choice": gettext_lazy("所选单位不存在或已停用（编号 %(value)s）。"),
    }

    def __init__(self, *, units: list[Unit], **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=grouped_unit_choices(units), **kwargs)
        self.units = {str(u.pk): u for u in units}
        # forms.js builds the filter box from these words, so they come in the page's language.
        self.widget.attrs.update(
            {
                "size": 10,
                "data-unit-filter": "",
                "data-filter-placeholder": gettext_lazy("筛选单位名称"),
                "data-picked": gettext_lazy("已选 %(n)s：%(names)s"),
                "data-separator": pgettext_lazy("list separator", "、"),
            }
        )

    def valid_value(self, value) -> bool:
        return str(value) in self.units

    def clean(self, value):
        values = super().clean(value)
        return [self.units[str(v)] for v in dict.fromkeys(values)]
