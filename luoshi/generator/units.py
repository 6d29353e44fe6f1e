"""The unit tree of a province and its people.

省政府 → 省政府办公厅 (the office with the 督查室) and 省直部门; 市 (a city government) →
市直部门 and 区县; 区县 → 区县部门 and 乡镇. The tree is cut to exactly `n_units` units:
departments first, then cities filled one by one, so a small province is a few whole cities.

Each unit gets a liaison (联络员) and a head (负责人); the office gets supervisors (督查室人员)
for the whole province and one per city (scoped to it), the province leaders, one leader
per city (scoped), and the three administrators (三员)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from luoshi.generator import names
from luoshi.org.models import Role, UnitKind


@dataclass
class UnitRow:
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    path: str
    sort_order: int
    city: int | None = None  # the city government's id, for units under a city


@dataclass
class People:
    liaison: dict[int, int] = field(default_factory=dict)  # unit id → user id
    head: dict[int, int] = field(default_factory=dict)
    supervisors: list[int] = field(default_factory=list)  # whole-province office staff
    leaders: list[int] = field(default_factory=list)  # province leaders
    city_leader: dict[int, int] = field(default_factory=dict)  # city unit id → leader id
    rows: list[tuple] = field(default_factory=list)  # User rows for the writer


USER_FIELDS = (
    "id", "username", "password", "full_name", "role", "unit_id", "scope_unit_id", "title",
    "is_active", "date_joined",
)  # fmt: skip


def plan_units(n_units: int, first_id: int, prefix: str = "") -> list[UnitRow]:
    """Exactly `n_units` units (at least 3: the government, its office and a department)."""
    rows: list[UnitRow] = []
    children: dict[int | None, int] = {}

    def add(name, short, kind, parent: UnitRow | None, city=None) -> UnitRow | None:
        if len(rows) >= n_units:
            return None
        uid = first_id + len(rows)
        parent_id = parent.id if parent else None
        children[parent_id] = siblings = children.get(parent_id, 0) + 1
        row = UnitRow(
            id=uid,
            name=prefix + name,
            short_name=short,
            kind=kind,
            parent_id=parent_id,
            path=f"{parent.path if parent else ''}{uid:04d}/",
            sort_order=siblings,
            city=city,
        )
        rows.append(row)
        return row

    p = names.PROVINCE
    root = add(f"{p}人民政府", "省政府", UnitKind.GOVERNMENT, None)
    add(f"{p}人民政府办公厅", "省政府办公厅", UnitKind.OFFICE, root)
    n_depts = max(1, min(len(names.DEPARTMENTS), n_units // 12))
    for dept in names.DEPARTMENTS[:n_depts]:
        add(f"{p}{dept}", f"省{dept[:4]}", UnitKind.DEPARTMENT, root)
    c = 0
    while len(rows) < n_units:
        stem = names.CITY_STEMS[c % len(names.CITY_STEMS)]
        stem += "" if c < len(names.CITY_STEMS) else str(c // len(names.CITY_STEMS) + 1)
        city = add(f"{stem}市人民政府", f"{stem}市", UnitKind.DISTRICT, root)
        c += 1
        for dept in names.CITY_DEPARTMENTS:
            add(f"{stem}市{dept}", f"{stem}市{dept[:4]}", UnitKind.DEPARTMENT, city, city.id)
        for k in range(8):
            county_stem = names.COUNTY_STEMS[(c * 8 + k) % len(names.COUNTY_STEMS)]
            suffix = "区" if k < 3 else "县"
            county_name = f"{stem}市{county_stem}{suffix}"
            county = add(
                f"{county_name}人民政府", f"{county_stem}{suffix}", UnitKind.DISTRICT, city, city.id
            )
            if county is None:
                break
            for dept in names.COUNTY_DEPARTMENTS:
                add(f"{county_name}{dept}", dept, UnitKind.DEPARTMENT, county, city.id)
            for t in range(10):
                town = names.TOWN_STEMS[(k * 10 + t) % len(names.TOWN_STEMS)]
                add(
                    f"{county_name}{town}{'街道' if k < 3 else '镇'}",
                    town,
                    UnitKind.STREET,
                    county,
                    city.id,
                )
    return rows


def _name(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + "".join(rng.choices(names.GIVEN, k=rng.randint(1, 2)))


def plan_people(
    units: list[UnitRow], first_id: int, password: str, joined, rng: random.Random, prefix: str
) -> People:
    people = People()
    root, office = units[0], units[1]
    cities = [u for u in units if u.parent_id == root.id and u.kind == UnitKind.DISTRICT]

    def add(username, role, unit, scope=None, title="") -> int:
        uid = first_id + len(people.rows)
        people.rows.append(
            (uid, prefix + username, password, _name(rng), role, unit, scope, title, True, joined)
        )
        return uid

    for i in range(3):
        people.supervisors.append(add(f"dcs{i + 1}", Role.SUPERVISOR, office.id, title="督查专员"))
    for i, title in enumerate(("省长", "常务副省长", "副省长")):
        people.leaders.append(add(f"ld{i + 1}", Role.LEADER, root.id, title=title))
    for city in cities:
        add(f"dcs_c{city.id}", Role.SUPERVISOR, city.id, scope=city.id, title="督查专员")
        people.city_leader[city.id] = add(
            f"ld_c{city.id}", Role.LEADER, city.id, scope=city.id, title="市长"
        )
    add("sysadmin", Role.SYSADMIN, office.id)
    add("secadmin", Role.SECADMIN, office.id)
    add("auditor", Role.AUDITOR, office.id)
    for unit in units[2:]:
        people.liaison[unit.id] = add(f"u{unit.id}_lly", Role.LIAISON, unit.id, title="联络员")
        people.head[unit.id] = add(f"u{unit.id}_fzr", Role.UNIT_HEAD, unit.id, title="负责人")
    return people
