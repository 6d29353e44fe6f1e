"""Make the .docx documents of the extraction evaluation set (python-docx, a project dependency).

    .venv/bin/python tests/data/documents/make_documents.py

The texts are written out here as an office would type them; each document's answers are in
NAME.expected.json beside it, written by hand. The files are committed: tests do not run this.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def _document() -> docx.Document:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    return document


def _title(document, text: str) -> None:
    paragraph = document.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document, rows: list[list[str]], merges: list[tuple[int, int, int, int]] = ()) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is not None:
                table.cell(r, c).text = text
    for r1, c1, r2, c2 in merges:
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        merged.text = rows[r1][c1]


def fengong_table() -> None:
    """A 分工方案 as a table: two header rows (责任单位 over 牵头单位 | 配合单位), chapter rows."""
    d = _document()
    _title(d, "示范市2026年深入实施“十大工程”重点任务分工表")
    d.add_paragraph("为确保各项任务落地见效，现将重点任务分解如下。")
    head = ["序号", "重点任务", "责任单位", None, "完成时限"]
    head2 = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    rows = [
        head,
        head2,
        ["一、科技创新工程"] * 5,
        [
            "1",
            "新建省级以上创新平台10家，高新技术企业总数突破1200家。",
            "市科技局",
            "市发展改革委\n市工业和信息化局\n市财政局",
            "2026年12月底前",
        ],
        [
            "2",
            "实施“揭榜挂帅”项目20项，财政科技投入增长10%以上。",
            "市科技局",
            "市财政局",
            "三季度",
        ],
        ["二、城市更新工程"] * 5,
        [
            "3",
            "改造城镇老旧小区120个，加装电梯300部。",
            "市住房城乡建设局",
            "各区政府；市财政局",
            "年底前",
        ],
        [
            "4",
            "推进城市地下管网更新改造，完成燃气管网改造200公里。",
            "市住房城乡建设局、市城市管理局",
            "市发展改革委、各区政府",
            "2026年11月30日",
        ],
        [
            "5",
            "建立城市体检常态化机制。",
            "市住房城乡建设局",
            "",
            "长期坚持",
        ],
        ["三、民生保障工程"] * 5,
        [
            "6",
            "新增普惠性托位2000个。",
            "市卫生健康委",
            "市教育局、市民政局",
            "上半年",
        ],
        [
            "7",
            "城乡居民医保财政补助标准提高30元。",
            "市医疗保障局",
            "市财政局、市税务局",
            "2026年6月30日前",
        ],
    ]
    _table(d, rows, merges=[(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)])
    d.add_paragraph("各牵头单位要于每月5日前报送工作进展情况。")
    d.add_paragraph("示范市人民政府办公室")
    d.add_paragraph("2026年3月2日")
    d.save(HERE / "fengong-table.docx")


def huiyi_jiyao() -> None:
    """Meeting minutes: 议定事项 with 牵头单位/完成时限 in brackets and on the next paragraph."""
    d = _document()
    _title(d, "示范市人民政府常务会议纪要")
    _title(d, "〔2026〕第5期")
    d.add_paragraph(
        "2026年3月12日，市长周立新主持召开市政府第5次常务会议，研究城市交通治理、"
        "安全生产和一季度经济运行等工作。纪要如下："
    )
    d.add_paragraph(
        "一、关于城市交通拥堵治理工作。会议听取了市交通运输局的汇报，原则同意《示范市城市交通"
        "拥堵治理三年行动方案》。会议要求，要聚焦重点路段和学校、医院周边，分类施策。"
        "（牵头单位：市交通运输局；配合单位：市公安局交通管理局、市城市管理局、市教育局；"
        "完成时限：2026年9月底前）"
    )
    d.add_paragraph(
        "二、关于安全生产大排查大整治工作。会议强调，要压紧压实各方责任，对排查出的隐患"
        "建立清单、限期整改。"
    )
    d.add_paragraph("牵头单位：市应急管理局")
    d.add_paragraph("配合单位：市安委会各成员单位、各区政府")
    d.add_paragraph("完成时限：持续推进")
    d.add_paragraph(
        "三、关于一季度经济运行情况。会议指出，要加强经济运行监测调度，"
        "确保一季度实现“开门红”。（市发展改革委牵头，市统计局、市财政局参与，4月10日前完成）"
    )
    d.add_paragraph(
        "四、关于示范市第二批重大项目集中开工活动。会议同意于4月中旬举办集中开工活动。"
        "（市发展改革委、市重点项目建设中心牵头，各区政府配合，4月中旬前完成）"
    )
    d.add_paragraph("会议还研究了其他事项。")
    d.add_paragraph("出席：周立新、陈志刚……")
    d.save(HERE / "huiyi-jiyao.docx")


def zerendanwei_block() -> None:
    """责任单位 / 完成时限 in their own paragraphs after each item; （1） numbering."""
    d = _document()
    _title(d, "示范市教育强市建设2026年重点任务清单")
    d.add_paragraph("（一）基础教育扩优提质")
    d.add_paragraph("（1）新建、改扩建中小学和幼儿园15所，新增学位1.2万个。")
    d.add_paragraph("责任单位：市教育局（牵头）、市自然资源和规划局、市住房城乡建设局")
    d.add_paragraph("完成时限：2026年8月底前")
    d.add_paragraph("（2）推进集团化办学，城区优质学校集团化办学覆盖率达到80%。")
    d.add_paragraph("责任单位：市教育局")
    d.add_paragraph("完成时限：2026年12月31日")
    d.add_paragraph("（二）职业教育融合发展")
    d.add_paragraph("（3）推动职业院校与重点产业链企业共建产业学院5个。")
    d.add_paragraph("牵头单位：市教育局    配合单位：市人力资源社会保障局、市工业和信息化局")
    d.add_paragraph("完成时限：下半年")
    d.add_paragraph("（4）落实中等职业学校免学费和国家助学金政策。")
    d.add_paragraph("责任单位：市财政局、市教育局；完成时限：长期坚持")
    d.add_paragraph("（三）教师队伍建设")
    d.add_paragraph("（5）开展中小学教师全员培训，培训教师不少于2万人次。")
    d.add_paragraph("责任单位：市教育局，各区政府")
    d.add_paragraph("完成时限：2026年11月底前完成")
    d.add_paragraph("各责任单位排在第一位的为牵头单位。")
    d.save(HERE / "zerendanwei-block.docx")


def mixed() -> None:
    """Prose with ① items, a table, and an item whose bracket wraps onto its own paragraph."""
    d = _document()
    _title(d, "关于做好2026年城乡环境综合整治工作的实施方案")
    d.add_paragraph("一、重点任务")
    d.add_paragraph("（一）大气污染防治")
    d.add_paragraph(
        "①推进重点行业超低排放改造，完成钢铁、水泥企业改造8家。"
        "（市生态环境局牵头，市工业和信息化局配合，2026年10月底前完成）"
    )
    d.add_paragraph(
        "②加强扬尘污染管控，建筑工地扬尘治理达标率保持100%。"
        "（市住房城乡建设局、市城市管理局按职责分工负责，持续推进）"
    )
    d.add_paragraph("（二）水环境治理")
    d.add_paragraph(
        "①完成城市黑臭水体整治“回头看”，巩固治理成效。（责任单位：市水务局、市生态环境局）"
    )
    d.add_paragraph("②新建改造污水管网150公里。")
    d.add_paragraph("（市水务局牵头，各区政府负责，2026年11月底前完成）")
    d.add_paragraph("二、农村人居环境整治任务表")
    rows = [
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时间"],
        ["1", "完成农村户厕改造5000户", "市农业农村局", "各区政府", "2026年9月30日"],
        [
            "2",
            "农村生活垃圾收运处置体系行政村全覆盖",
            "市城市管理局",
            "各区政府\n市农业农村局",
            "年底前",
        ],
        ["3", "开展村庄清洁行动", "市农业农村局", "", "常态化推进"],
    ]
    _table(d, rows)
    d.add_paragraph("三、保障措施")
    d.add_paragraph("各地各部门要加强组织领导，确保各项任务按期完成。")
    d.save(HERE / "mixed.docx")


def renwu_qingdan() -> None:
    """Written after the engine, to measure it on forms it was not tuned for: deadline before
    the units, labels split by commas inside a bracket, a parent item that names units and
    children that do too, an item over two paragraphs, a 责任领导 line, 配合单位：无, 由…牵头."""
    d = _document()
    _title(d, "示范市2026年文化旅游消费提振行动任务清单")
    d.add_paragraph("根据《示范市提振消费专项行动方案》，制定本任务清单。")
    d.add_paragraph("一、丰富消费场景")
    d.add_paragraph(
        "1.打造夜间文旅消费集聚区3个。（牵头单位：市文化广电旅游局，配合单位：市商务局、"
        "各区政府，完成时限：2026年9月底前）"
    )
    d.add_paragraph("（1）培育夜间消费示范街区。（2026年6月底前完成，东城区政府负责）")
    d.add_paragraph("（2）举办“夜游示范”系列活动不少于30场。（由市文化广电旅游局牵头）")
    d.add_paragraph("2.推动旅游景区提质升级，新增国家4A级以上旅游景区2家，")
    d.add_paragraph(
        "推进A级景区智慧化改造。（市文化广电旅游局、市发展改革委牵头，"
        "各有关单位按职责分工负责，2027年6月底前完成）"
    )
    d.add_paragraph("二、完善消费政策")
    d.add_paragraph("3.发放文旅消费券5000万元。")
    d.add_paragraph("责任领导：陈志刚")
    d.add_paragraph("牵头单位：市商务局")
    d.add_paragraph("配合单位：无")
    d.add_paragraph("完成时限：2026年第二季度")
    d.add_paragraph(
        "4.落实带薪休假制度，鼓励错峰休假、弹性作息。（市人力资源社会保障局牵头，"
        "市总工会参与，常态化开展）"
    )
    d.add_paragraph("三、组织保障")
    d.add_paragraph("各牵头单位要于每季度末向市商务局报送工作进展。")
    d.save(HERE / "renwu-qingdan.docx")


def _auto_numbering(document) -> str:
    """A Word list whose numbers are drawn, not typed: 一、 / （一） / 1. by level; its numId."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="90">{lvls}</w:abstractNum>')
    )
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _numbered(document, text: str, level: int, num_id: str) -> None:
    from docx.oxml import parse_xml

    paragraph = document.add_paragraph(text)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def zidong_bianhao() -> None:
    """Word's automatic numbering: the numbers are not in the paragraphs' text."""
    d = _document()
    _title(d, "示范市2026年数字政府建设重点任务分工方案")
    num = _auto_numbering(d)
    _numbered(d, "提升政务服务数字化水平", 0, num)
    _numbered(d, "推进政务服务“一网通办”", 1, num)
    _numbered(
        d,
        "政务服务事项网上可办率达到99%。（市数据局牵头，市政务服务管理局配合，年底前完成）",
        2,
        num,
    )
    _numbered(
        d,
        "推广电子证照应用，新增电子证照30类。（市数据局、市公安局按职责分工负责，三季度末前完成）",
        2,
        num,
    )
    _numbered(d, "加强政务数据共享", 1, num)
    _numbered(
        d, "建成全市一体化公共数据平台。（市数据局牵头，各区政府配合，2026年10月底前完成）", 2, num
    )
    _numbered(d, "夯实数字基础设施", 0, num)
    _numbered(d, "加快5G网络建设", 1, num)
    _numbered(d, "新建5G基站3000个。（市工业和信息化局牵头，持续推进）", 2, num)
    d.save(HERE / "zidong-bianhao.docx")


if __name__ == "__main__":
    zidong_bianhao()
    renwu_qingdan()
    fengong_table()
    huiyi_jiyao()
    zerendanwei_block()
    mixed()
