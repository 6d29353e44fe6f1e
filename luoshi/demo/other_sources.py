"""The other sources of the demo: a 市政府常务会议 with its 议定事项, a leader's written
instruction (领导批示) and a policy document (文件). Lines as in goals.py:
``title | lead unit | co-units``. Days are relative to the demo's today (negative: before).
"""

from __future__ import annotations

MEETING = {
    "title": "示范市人民政府第{n}次常务会议纪要",
    "doc_number": "示府常纪〔{year}〕{n}号",
    "issuer": "示范市人民政府",
    "content": "会议研究了东部新城供水保障、秋冬季大气污染防治、促进民营经济发展、"
    "重点项目要素保障、校舍安全、冬季供暖、城区交通拥堵治理和农民工工资支付保障等事项。",
    "days_before": 40,
    "items": """
加快东部新城供水管网工程建设，确保按期通水 | slj | zjj dcq
部署秋冬季大气污染防治攻坚，制定重污染天气应急减排清单 | sthjj | gxj zjj jtj
按程序印发《示范市促进民营经济高质量发展若干措施》并抓好宣传解读 | fgw | sfj gxj
梳理全市重点项目土地要素保障需求，建立问题清单 | zgj | fgw
开展中小学校舍安全隐患排查整治 | jyj | zjj yjj
做好今冬明春供暖保障工作 | zjj | fgw cgj
制定城区交通拥堵综合治理方案 | jtj | gaj cgj
开展农民工工资支付情况专项检查 | rsj | zjj jtj
""",
}

INSTRUCTION = {
    "title": "周立新市长对《群众反映东城区物流园周边道路拥堵问题》的批示",
    "doc_number": "示府批〔{year}〕{n}号",
    "issuer": "周立新市长",
    "content": "“请交通运输局牵头，会同公安交警、发展改革部门和东城区，"
    "一周内拿出解决方案，标本兼治，并举一反三梳理全市物流园区周边交通问题。”",
    "days_before": 4,
    "items": """
研究解决东城区物流园周边道路拥堵问题，一周内报送解决方案 | jtj | gaj dcq
梳理全市物流园区周边配套道路和用地需求 | fgw | zgj jtj
开展物流园区安全生产和消防检查 | yjj | gaj
""",
}

DOCUMENT = {
    "title": "示范市优化营商环境三年行动方案（{year}—{year2}年）",
    "doc_number": "示政发〔{year}〕12号",
    "issuer": "示范市人民政府",
    "content": "围绕市场环境、政务环境、法治环境、人文环境四个方面，"
    "提出二十项重点任务，明确责任单位和完成时限。",
    "days_before": 38,
    # the first six are assigned soon after the document is issued, the next two a few
    # days ago, the rest are still drafts being prepared by the 督查室
    "assigned_early": 6,
    "assigned_recent": 2,
    "items": """
建立营商环境问题线索“一站式”受理和督办机制 | zwb | sfj
推行“综合查一次”联合执法检查 | scj | sfj gaj
开展政府采购和招标投标领域突出问题专项整治 | czj | fgw
推进惠企政策“免申即享”，上线政策20项以上 | zwb | czj gxj
建立涉企行政检查备案和统计分析制度 | sfj | scj
完善企业诉求“接诉即办”闭环机制 | zwb | gxj
建立重大项目要素保障“绿色通道” | fgw | zgj sthjj
优化用水用气报装服务，压缩办理时限 | zjj | slj
开展营商环境“体验官”活动 | fgw | zwb
建立民营企业家恳谈会制度 | gxj | fgw
推进政务服务“跨域通办”，拓展通办事项50项 | zwb | rsj
制定营商环境考核评价办法 | fgw | tjj
""",
}
