"""Form widgets for long menus.

Django's Select renders every <option> through its own template (an include per option,
about a quarter of a millisecond each): the ledger's filter menus of a province — 2,000
units, 2,000 sources — took over a second of the page. `LongSelect` writes the same HTML in
one pass."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A single-choice <select> of flat (value, label) choices, written without a template.
    Grouped choices fall back to Django's own rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        parts = [f"<select{flatatt(final)}>"]
        found = False
        for option_value, label in self.choices:  # (iterated once: no COUNT of a queryset)
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            selected = not found and text in chosen
            found = found or selected
            parts.append(
                f'<option value="{conditional_escape(text)}"{" selected" if selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        parts.append("</select>")
        return mark_safe("".join(parts))
