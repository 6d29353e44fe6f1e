"""Header detection, synonyms and the numbering tree, on ledgers made here."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.reader import detect_header, numbering, read_sheet, sheet_rows
from tests.ledger.helpers import xlsx


def _rows(data: bytes) -> list[dict]:
    sheet = read_sheet(data)
    return sheet_rows(sheet, sheet.mapping)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("一、推动高质量发展", (1, "一", "推动高质量发展")),
        ("十二、其他", (1, "十二", "其他")),
        ("（三）扩大内需", (2, "（三）", "扩大内需")),
        ("(三)扩大内需", (2, "（三）", "扩大内需")),
        ("1.实施行动", (3, "1", "实施行动")),
        ("12、实施行动", (3, "12", "实施行动")),
        ("（2）细化措施", (4, "（2）", "细化措施")),
        ("①第一步", (5, "①", "第一步")),
        ("1.5万亩高标准农田", None),
        ("推进改革", None),
    ],
)
def test_numbering_kinds(text, found):
    assert numbering(text) == found


def test_synonyms_and_three_row_header():
    data = xlsx(
        [
            ["某某市重点任务清单（第二季度）"],
            ["编号", "重点任务", "工作措施", "责任领导", "责任分工", None, "时间节点", "推进情况"],
            [None, None, None, None, "主办单位", "协办单位", None, None],
            [None, None, None, None, "（填全称）", "（填全称）", None, None],
            ["1", "任务", "措施", "李副市长", "市财政局", "市审计局", "6月底前", "已完成一半"],
        ],
        merges=("A1:H1", "A2:A4", "B2:B4", "C2:C4", "D2:D4", "E2:F2", "G2:G4", "H2:H4"),
    )
    sheet = read_sheet(data)
    assert sorted(sheet.mapping.values()) == sorted(
        ["seq", "title", "content", "lead_leader", "lead_units", "co_units", "due", "progress"]
    )
    assert sheet.labels[4] == "责任分工›主办单位›（填全称）"
    assert sheet.title == "某某市重点任务清单（第二季度）"
    rows = sheet_rows(sheet, sheet.mapping)
    assert len(rows) == 1 and rows[0]["lead_units"] == "市财政局"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [
                "序号",
                "任务名称",
                "主要内容",
                "分管领导",
                "牵头单位",
                "参与单位",
                "完成时间",
                "工作进展",
            ],
            ["seq", "title", "content", "lead_leader", "lead_units", "co_units", "due", "progress"],
        ),
        (
            ["任务编号", "工作任务", "具体内容", "牵头领导", "责任单位", "完成时限"],
            ["code", "title", "content", "lead_leader", "units", "due"],
        ),
    ],
)
def test_header_synonyms(headers, expected):
    start, height, _labels, mapping = detect_header([["标题"], headers])
    assert (start, height) == (1, 1)
    assert [mapping[i] for i in range(len(headers))] == expected


def test_numbering_in_the_task_text_makes_the_tree():
    data = xlsx(
        [
            ["工作任务", "牵头单位", "完成时限"],
            ["一、稳增长", None, None],
            ["（一）扩大有效投资", None, None],
            ["1.推进重大项目", "市发改委", "年底前"],
            ["（1）开工项目100个", "市发改委", "6月底前"],
            ["（2）竣工项目50个", "市发改委", "三季度"],
            ["2.扩大消费", "市商务局", "年底前"],
            ["二、惠民生", None, None],
            ["办好民生实事", "市民政局", "年底前"],
        ]
    )
    rows = _rows(data)
    assert [r["path"] for r in rows] == [
        ["一"],
        ["一", "（一）"],
        ["一", "（一）", "1"],
        ["一", "（一）", "1", "（1）"],
        ["一", "（一）", "1", "（2）"],
        ["一", "（一）", "2"],
        ["二"],
        ["二", "#1"],  # no numbering: under the chapter above
    ]
    assert rows[2]["title"] == "推进重大项目" and rows[0]["is_chapter"]


def test_unnumbered_rows_under_a_chapter_are_siblings():
    data = xlsx(
        [
            ["序号", "工作任务", "牵头单位"],
            ["一", "稳增长", None],
            [None, "甲", "市发改委"],
            [None, "乙", "市财政局"],
        ]
    )
    rows = _rows(data)
    assert [r["path"] for r in rows] == [["一"], ["一", "#1"], ["一", "#2"]]


def test_units_column_without_split_first_leads():
    data = xlsx([["工作任务", "责任单位"], ["任务", "市发改委、市财政局"]])
    row = _rows(data)[0]
    assert row["lead_units"] == "市发改委、市财政局" and row["co_units"] == ""


def test_excel_date_cells_and_blank_rows():
    data = xlsx(
        [
            ["工作任务", "完成时限"],
            ["任务", dt.datetime(2026, 6, 30)],
            [None, None],
            ["任务二", "年底前"],
        ]
    )
    rows = _rows(data)
    assert [r["title"] for r in rows] == ["任务", "任务二"]
    assert rows[0]["due_value"] == dt.datetime(2026, 6, 30)


def test_cells_merged_down_carry_their_value_to_each_row():
    data = xlsx(
        [
            ["序号", "工作任务", "牵头领导", "牵头单位"],
            ["一、稳增长", None, None, None],
            ["1", "甲", "李副市长", "市发改委"],
            ["2", "乙", None, None],
        ],
        merges=("A2:D2", "C3:C4", "D3:D4"),
    )
    rows = _rows(data)
    assert rows[0]["title"] == "稳增长" and rows[0]["path"] == ["一"]  # chapter across the sheet
    assert [(r["lead_leader"], r["lead_units"]) for r in rows[1:]] == [
        ("李副市长", "市发改委"),
        ("李副市长", "市发改委"),
    ]


@pytest.mark.django_db
def test_excel_date_cell_is_the_deadline(city):
    from luoshi.ledger.plan import plan_from_rows

    data = xlsx([["工作任务", "完成时限"], ["任务", dt.datetime(2026, 6, 30)]])
    plan = plan_from_rows(_rows(data), actor=city.sup, year=2026)
    row = plan.rows[0]
    assert (row.due, row.ongoing, row.due_text) == (dt.date(2026, 6, 30), False, "2026年6月30日")
