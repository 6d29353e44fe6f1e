"""Unit names as people write them → units of the tree.

Ledgers and documents name units in many ways: 示范市发展和改革委员会, 市发展改革委, 市发改委,
发改委. `unit_matcher()` builds, once, an index of every active unit's name, short name and
aliases under a *normal form*, and `UnitMatcher.match(name)` looks a written name up in it.

The normal form (`normalise`), applied alike to the tree's names and to what was written:

1. NFKC (full-width letters, digits and brackets become half-width), spaces removed, bracket
   characters removed (a bracketed role marker such as （牵头） or （配合） is removed whole);
2. the city's own name as prefix becomes 市 (示范市发展改革委 → 市发展改革委);
3. generic rules: 人民政府 → 政府, 委员会 → 委, 和 dropped (发展和改革 → 发展改革);
4. common abbreviations, longest first (发展改革委 → 发改委, 住房城乡建设局 → 住建局,
   人力资源社会保障局 → 人社局, 政务服务管理办公室 / 政务服务管理局 → 政务办, …).

A written name matches when it is exactly one unit's name, short name or alias, or else when
its normal form, with the leading 市 added or dropped, belongs to exactly one unit. Two units
under one key → ambiguous → no match: a match is never invented. Phrases such as 各区政府
are kept as names; they match only a unit (or alias) of that name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from luoshi.org.models import Unit

# Characters that separate unit names in one cell.
_SEPARATORS = re.compile(r"[、，,;；/／\n\r\t]+|\s{2,}|\u3000+")
_ROLE_MARKER = re.compile(
    r"[（(【\[〔]\s*(牵头|配合|参与|协办|主办|负责|牵头单位|配合单位)\s*[)）】\]〕]"
)
_BRACKETS = re.compile(r"[()（）【】\[\]〔〕<>《》“”\"'‘’]")
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"(等单位|等部门|等)$")

# Generic rules, in order.
_GENERIC = (
    ("人民政府", "政府"),
    ("委员会", "委"),
    ("和", ""),
)

# Long form → common abbreviation (after the generic rules have run, so 和 and 委员会 are gone).
_ABBREVIATIONS = {
    "国有资产监督管理委": "国资委",
    "发展改革委": "发改委",
    "住房城乡建设局": "住建局",
    "住房城乡建设委": "住建委",
    "人力资源社会保障局": "人社局",
    "工业信息化局": "工信局",
    "经济信息化局": "经信局",
    "政务服务管理办公室": "政务办",
    "政务服务数据管理局": "政务办",
    "政务服务管理局": "政务办",
    "自然资源规划局": "自规局",
    "卫生健康委": "卫健委",
    "市场监督管理局": "市场监管局",
    "文化广电旅游局": "文广旅局",
    "应急管理局": "应急局",
    "医疗保障局": "医保局",
    "退役军人事务局": "退役军人局",
    "科学技术局": "科技局",
    "城市管理局": "城管局",
    "生态环境局": "生态环境局",
    "交通运输局": "交通运输局",
    "管理委": "管委",
    "管委会": "管委",
    "政府办公室": "政府办",
}
_ABBREV_ORDER = sorted(_ABBREVIATIONS.items(), key=lambda kv: -len(kv[0]))


def split_unit_names(cell: object) -> list[str]:
    """The unit names in one cell, as written (trimmed), in order, without duplicates.

    Separators: 、，,;； / and line breaks (and runs of spaces). Phrases such as 各区政府 are
    kept as one name.
    """
    if cell is None:
        return []
    text = unicodedata.normalize("NFKC", str(cell))
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        part = _ROLE_MARKER.sub("", part).strip(" .。:：")
        part = _TRAILING.sub("", part).strip()
        if part and part not in names:
            names.append(part)
    return names


def _city_prefix(units: list[Unit]) -> str:
    """The city's own name (示范市), taken from the root units' names."""
    roots = [u.name for u in units if u.parent_id is None] or [u.name for u in units]
    found = Counter(m.group(1) for n in roots if (m := re.match(r"^(.{1,8}?市)", n)))
    if not found:
        return ""
    prefix = found.most_common(1)[0][0]
    return prefix if prefix != "市" else ""


def normalise(name: str, *, city: str = "") -> str:
    """The normal form of a unit name (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _ROLE_MARKER.sub("", text)
    text = _BRACKETS.sub("", text)
    text = _SPACES.sub("", text)
    if city and text.startswith(city) and len(text) > len(city):
        text = "市" + text[len(city) :]
    for old, new in _GENERIC:
        text = text.replace(old, new)
    for old, new in _ABBREV_ORDER:
        if old in text:
            text = text.replace(old, new)
    return text


@dataclass
class UnitMatcher:
    """Index of the active units under their normal forms. Build it with `unit_matcher()`."""

    city: str = ""
    _index: dict[str, set[int]] = field(default_factory=dict)
    _units: dict[int, Unit] = field(default_factory=dict)
    _exact: dict[str, set[int]] = field(default_factory=dict)

    def add(self, unit: Unit) -> None:
        self._units[unit.pk] = unit
        for form in (unit.name, unit.short_name, *unit.alias_list()):
            if not form:
                continue
            self._exact.setdefault(_SPACES.sub("", form), set()).add(unit.pk)
            key = normalise(form, city=self.city)
            if key:
                self._index.setdefault(key, set()).add(unit.pk)

    def candidates(self, name: str) -> set[int]:
        key = normalise(name, city=self.city)
        if not key:
            return set()
        tries = [key, "市" + key]
        if key.startswith("市") and len(key) > 2:
            tries.append(key[1:])
        exact = self._exact.get(_SPACES.sub("", name))
        if exact and len(exact) == 1:
            return exact
        found: set[int] = set()
        for k in tries:
            found |= self._index.get(k, set())
        return found

    def match(self, name: str) -> Unit | None:
        """The one unit this name stands for, or None (unknown or ambiguous)."""
        found = self.candidates(name)
        if len(found) != 1:
            return None
        return self._units[next(iter(found))]

    def is_ambiguous(self, name: str) -> bool:
        return len(self.candidates(name)) > 1

    def split_and_match(self, cell: object) -> tuple[list[Unit], list[str]]:
        """(matched units in order without duplicates, unmatched names as written)."""
        matched: list[Unit] = []
        unmatched: list[str] = []
        for name in split_unit_names(cell):
            unit = self.match(name)
            if unit is None:
                unmatched.append(name)
            elif unit not in matched:
                matched.append(unit)
        return matched, unmatched

    @property
    def units(self) -> list[Unit]:
        return list(self._units.values())


def unit_matcher(queryset=None) -> UnitMatcher:
    """A matcher over the active units (or the given queryset), built with one query."""
    units = list(queryset if queryset is not None else Unit.objects.filter(is_active=True))
    matcher = UnitMatcher(city=_city_prefix(units))
    for unit in units:
        matcher.add(unit)
    return matcher
