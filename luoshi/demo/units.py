"""The units of 示范市: the government, its office with the 督查室, departments and districts.

Each department and district has a short code (pinyin initials) from which its accounts'
usernames are made: `fgw_lly` is the liaison (联络员) of 市发展改革委, `fgw_fzr` its head.
"""

from __future__ import annotations

from dataclasses import dataclass

from luoshi.org.models import Unit, UnitKind, User
from luoshi.org.services import unit_create

ROOT_NAME = "示范市人民政府"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    short_name: str
    aliases: tuple[str, ...] = ()
    head_title: str = "局长"


DEPARTMENTS = (
    UnitSpec(
        "fgw", "示范市发展和改革委员会", "市发展改革委", ("市发改委", "市发展和改革委"), "主任"
    ),
    UnitSpec("jyj", "示范市教育局", "市教育局", ("市教委",)),
    UnitSpec("kjj", "示范市科学技术局", "市科技局", ("市科学技术局",)),
    UnitSpec("gxj", "示范市工业和信息化局", "市工信局", ("市工业和信息化局", "市经信局")),
    UnitSpec("gaj", "示范市公安局", "市公安局"),
    UnitSpec("mzj", "示范市民政局", "市民政局"),
    UnitSpec("sfj", "示范市司法局", "市司法局"),
    UnitSpec("czj", "示范市财政局", "市财政局"),
    UnitSpec("rsj", "示范市人力资源和社会保障局", "市人社局", ("市人力资源社会保障局",)),
    UnitSpec("zgj", "示范市自然资源和规划局", "市自然资源规划局", ("市自规局", "市资规局")),
    UnitSpec("sthjj", "示范市生态环境局", "市生态环境局", ("市环保局",)),
    UnitSpec("zjj", "示范市住房和城乡建设局", "市住建局", ("市住房城乡建设局",)),
    UnitSpec("jtj", "示范市交通运输局", "市交通运输局", ("市交通局",)),
    UnitSpec("slj", "示范市水利局", "市水利局", ("市水务局",)),
    UnitSpec("nyj", "示范市农业农村局", "市农业农村局", ("市农业局",)),
    UnitSpec("swj", "示范市商务局", "市商务局"),
    UnitSpec("wgl", "示范市文化广电旅游局", "市文广旅局", ("市文化广电和旅游局", "市文旅局")),
    UnitSpec("wjw", "示范市卫生健康委员会", "市卫生健康委", ("市卫健委",), "主任"),
    UnitSpec("tyj", "示范市退役军人事务局", "市退役军人局"),
    UnitSpec("yjj", "示范市应急管理局", "市应急局", ("市应急管理局",)),
    UnitSpec("gzw", "示范市人民政府国有资产监督管理委员会", "市国资委", (), "主任"),
    UnitSpec("scj", "示范市市场监督管理局", "市市场监管局", ("市市场监督管理局",)),
    UnitSpec("ybj", "示范市医疗保障局", "市医保局", ("市医疗保障局",)),
    UnitSpec("zwb", "示范市政务服务和数据管理局", "市政务办", ("市数据局", "市政务服务管理局")),
    UnitSpec("cgj", "示范市城市管理局", "市城管局", ("市城市管理综合执法局",)),
    UnitSpec("tjj", "示范市统计局", "市统计局"),
    UnitSpec("sjj", "示范市审计局", "市审计局"),
)

DISTRICTS = (
    UnitSpec("dcq", "示范市东城区人民政府", "东城区", ("东城区政府",), "区长"),
    UnitSpec("xcq", "示范市西城区人民政府", "西城区", ("西城区政府",), "区长"),
    UnitSpec("nhq", "示范市南湖区人民政府", "南湖区", ("南湖区政府",), "区长"),
    UnitSpec("bsq", "示范市北山区人民政府", "北山区", ("北山区政府",), "区长"),
    UnitSpec("ljx", "临江县人民政府", "临江县", ("临江县政府",), "县长"),
    UnitSpec("qsx", "青山县人民政府", "青山县", ("青山县政府",), "县长"),
    UnitSpec("qhx", "清河县人民政府", "清河县", ("清河县政府",), "县长"),
    UnitSpec("gxq", "示范高新技术产业开发区管理委员会", "高新区", ("高新区管委会",), "主任"),
)

SPECS = {s.code: s for s in (*DEPARTMENTS, *DISTRICTS)}


@dataclass
class Units:
    root: Unit
    office: Unit
    duchashi: Unit
    by_code: dict[str, Unit]

    def __getitem__(self, code: str) -> Unit:
        return self.by_code[code]

    @property
    def department_codes(self) -> list[str]:
        return [s.code for s in DEPARTMENTS]

    @property
    def district_codes(self) -> list[str]:
        return [s.code for s in DISTRICTS]


def _office_of(district: UnitSpec) -> tuple[str, str]:
    """The office-level child of a district: its 政府办 (管委会 has a 综合办)."""
    if district.code == "gxq":
        return "示范高新区管委会综合办公室", "高新区综合办"
    return f"{district.short_name}人民政府办公室", f"{district.short_name}政府办"


def build_units(actor: User | None) -> Units:
    root = unit_create(
        actor=actor,
        name=ROOT_NAME,
        kind=UnitKind.GOVERNMENT,
        short_name="市政府",
        aliases="示范市政府",
    )
    office = unit_create(
        actor=actor,
        name="示范市人民政府办公室",
        kind=UnitKind.OFFICE,
        parent=root,
        short_name="市政府办公室",
        aliases="市政府办",
        sort_order=1,
    )
    duchashi = unit_create(
        actor=actor,
        name="示范市人民政府督查室",
        kind=UnitKind.OFFICE,
        parent=office,
        short_name="督查室",
        aliases="市政府督查室",
    )
    by_code: dict[str, Unit] = {}
    for i, spec in enumerate(DEPARTMENTS, start=10):
        by_code[spec.code] = unit_create(
            actor=actor,
            name=spec.name,
            kind=UnitKind.DEPARTMENT,
            parent=root,
            short_name=spec.short_name,
            aliases="\n".join(spec.aliases),
            sort_order=i,
        )
    for i, spec in enumerate(DISTRICTS, start=100):
        district = unit_create(
            actor=actor,
            name=spec.name,
            kind=UnitKind.DISTRICT,
            parent=root,
            short_name=spec.short_name,
            aliases="\n".join(spec.aliases),
            sort_order=i,
        )
        by_code[spec.code] = district
        office_name, office_short = _office_of(spec)
        unit_create(
            actor=actor,
            name=office_name,
            kind=UnitKind.OFFICE,
            parent=district,
            short_name=office_short,
        )
    return Units(root=root, office=office, duchashi=duchashi, by_code=by_code)
