"""Unit names as written in ledgers and documents → units of the demo city's tree."""

from __future__ import annotations

import pytest

from luoshi.demo.units import build_units
from luoshi.org.matching import normalise, split_unit_names, unit_matcher
from luoshi.org.models import Unit, UnitKind
from luoshi.org.services import unit_create


@pytest.fixture
def city(db):
    return build_units(actor=None)


def test_split_on_every_separator_and_keep_phrases():
    cell = "市发改委、市科技局\n市财政局；市司法局;市审计局，市统计局,各区人民政府/市城管局"
    assert split_unit_names(cell) == [
        "市发改委",
        "市科技局",
        "市财政局",
        "市司法局",
        "市审计局",
        "市统计局",
        "各区人民政府",
        "市城管局",
    ]


def test_split_drops_role_markers_duplicates_and_trailing_deng():
    assert split_unit_names("市发改委（牵头）、市财政局(配合)、市发改委、市税务局等") == [
        "市发改委",
        "市财政局",
        "市税务局",
    ]
    assert split_unit_names(None) == []
    assert split_unit_names("  ") == []


def test_normal_form_generic_rules_then_abbreviations():
    assert normalise("示范市发展和改革委员会", city="示范市") == "市发改委"
    assert normalise("市发展改革委") == "市发改委"
    assert normalise("市住房和城乡建设局") == normalise("市住建局") == "市住建局"
    assert normalise("市人力资源和社会保障局") == normalise("市人社局")
    assert normalise("市工业和信息化局") == normalise("市工信局")
    assert normalise("市政务服务管理办公室") == normalise("市政务服务管理局") == "市政务办"
    assert normalise("ＡＢＣ 局") == "ABC局"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("示范市发展和改革委员会", "fgw"),
        ("市发展和改革委员会", "fgw"),
        ("市发展改革委", "fgw"),
        ("市发改委", "fgw"),
        ("发改委", "fgw"),
        ("市工信局", "gxj"),
        ("市工业和信息化局", "gxj"),
        ("市政务办", "zwb"),
        ("市政务服务管理办公室", "zwb"),
        ("市住建局", "zjj"),
        ("市住房城乡建设局", "zjj"),
        ("市住房和城乡建设局", "zjj"),
        ("市人社局", "rsj"),
        ("市人力资源社会保障局", "rsj"),
        ("市市场监管局", "scj"),
        ("市场监管局", "scj"),
        ("市自然资源和规划局", "zgj"),
        ("市卫健委", "wjw"),
        ("市卫生健康委员会", "wjw"),
        ("市国资委", "gzw"),
        ("东城区", "dcq"),
        ("东城区人民政府", "dcq"),
        ("示范市东城区人民政府", "dcq"),
        ("高新区管委会", "gxq"),
        ("示范高新技术产业开发区管理委员会", "gxq"),
        ("（市财政局）", "czj"),
        ("市 财 政 局", "czj"),
    ],
)
def test_demo_names_and_abbreviations_match(city, written, code):
    assert unit_matcher().match(written) == city[code]


@pytest.mark.parametrize("written", ["市园林局", "各区政府", "各区人民政府", "省发改委", "", "局"])
def test_unknown_names_never_match(city, written):
    assert unit_matcher().match(written) is None


def test_phrase_matches_when_an_alias_exists(city):
    city.root.aliases = "各区政府"
    city.root.save()
    assert unit_matcher().match("各区人民政府") == city.root


def test_ambiguous_name_is_left_unmatched(city):
    unit_create(
        actor=None,
        name="示范市发展改革研究中心",
        kind=UnitKind.OTHER,
        short_name="市发展改革委员会",
    )
    matcher = unit_matcher()
    assert matcher.match("发改委") is None
    assert matcher.is_ambiguous("发改委")
    assert matcher.match("市发展和改革委员会") is None
    # a name written exactly as a unit's own name, short name or alias still finds it
    assert matcher.match("示范市发展和改革委员会") == city["fgw"]


def test_inactive_units_are_not_matched(city):
    Unit.objects.filter(pk=city["tjj"].pk).update(is_active=False)
    assert unit_matcher().match("市统计局") is None


def test_split_and_match_the_sample_cells(city):
    m = unit_matcher()
    units, unmatched = m.split_and_match("市发改委、市科技局\n市财政局")
    assert units == [city["fgw"], city["kjj"], city["czj"]] and unmatched == []
    units, unmatched = m.split_and_match("市自然资源和规划局、市住建局、市园林局")
    assert units == [city["zgj"], city["zjj"]] and unmatched == ["市园林局"]
    units, unmatched = m.split_and_match("市发改委、市发展改革委")
    assert units == [city["fgw"]] and unmatched == []
