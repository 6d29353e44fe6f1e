"""LongSelect writes the same <select> as Django's Select, in one pass: values and labels
escaped, the chosen option marked once, grouped choices left to Django."""

from __future__ import annotations

from django import forms

from luoshi.lib.widgets import LongSelect


def _render(choices, value, **attrs):
    widget = LongSelect(attrs=attrs)
    widget.choices = choices
    return widget.render("unit", value, attrs={"id": "id_unit"})


def test_options_are_escaped_and_the_chosen_one_is_selected():
    html = _render([("", "全部单位"), (1, "<b>发改委</b>"), (2, "交通局 & 港口")], "2")
    assert html.startswith('<select name="unit" id="id_unit">') or html.startswith(
        '<select id="id_unit" name="unit">'
    )
    assert '<option value="">全部单位</option>' in html
    assert '<option value="1">&lt;b&gt;发改委&lt;/b&gt;</option>' in html
    assert '<option value="2" selected>交通局 &amp; 港口</option>' in html
    assert html.count("selected") == 1


def test_nothing_chosen_selects_the_empty_option_as_django_does():
    choices = [("", "全部"), (1, "甲")]
    theirs = forms.Select(choices=choices).render("unit", None)
    assert '<option value="" selected>全部</option>' in theirs
    assert '<option value="" selected>全部</option>' in _render(choices, None)


def test_same_options_as_djangos_select():
    choices = [("", "全部"), (1, "甲"), (2, "乙")]
    ours = _render(choices, "1")
    theirs = forms.Select(choices=choices).render("unit", "1", attrs={"id": "id_unit"})
    option = '<option value="1" selected>甲</option>'
    assert option in ours and option in theirs
    assert ours.count("<option") == theirs.count("<option") == 3


def test_grouped_choices_fall_back_to_django():
    html = _render([("市直", [(1, "甲"), (2, "乙")])], "2")
    assert '<optgroup label="市直">' in html
