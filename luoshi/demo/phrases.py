"""Words for the demo: task content, progress reports, closure summaries and the reasons
given for 退回, 暂缓 and 撤销. Chosen with the story's random.Random, so loads repeat."""

from __future__ import annotations

import random

MEASURES = (
    "制定年度工作方案，明确时间表、路线图和责任人",
    "成立工作专班，实行周调度、月通报",
    "细化分解目标任务，逐项建立工作台账",
    "强化资金、用地、用能等要素保障",
    "建立部门协同机制，协调解决推进中的堵点难点",
    "对照先进地区经验，完善配套政策措施",
    "压实区县和部门责任，加强督促检查",
)
ENDS = (
    "确保年度目标任务按期完成。",
    "确保各项工作按时间节点推进。",
    "形成一批可复制可推广的经验做法。",
    "定期向市政府报告工作进展。",
    "推动工作落地见效、群众可感可及。",
)

STARTED = (
    "已召开专题部署会，印发工作方案，明确责任分工和时间节点。",
    "已成立工作专班，完成前期调研摸底，建立任务台账。",
    "已完成任务分解，各责任单位均已落实专人负责。",
)
UNDERWAY = (
    "按计划有序推进，已召开调度会{n}次，协调解决问题{m}个。",
    "重点工作取得阶段性进展，累计完成年度任务的{p}%。",
    "已完成{n}个批次的组织实施，正在开展中期评估。",
    "会同配合单位开展现场督导{n}次，整改问题{m}个。",
)
FINISHING = (
    "主体工作已基本完成，正在开展查漏补缺和资料整理。",
    "已完成年度目标任务的{p}%，剩余工作正在集中攻坚。",
    "各项指标均达到序时进度要求，正在准备验收材料。",
)
PROBLEMS = (
    "",
    "",
    "部分项目前期手续办理进度偏慢。",
    "资金拨付进度有待加快。",
    "个别区县工作推进不平衡。",
    "受天气影响，部分工程施工进度滞后。",
    "配合单位数据报送不够及时。",
)
NEXT_STEPS = (
    "下步将加大调度频次，确保按期完成。",
    "下步将聚焦薄弱环节，逐项销号推进。",
    "下步将加强与配合单位的沟通衔接，形成工作合力。",
    "下步将做好总结评估，巩固工作成效。",
)
CO_PART = (
    "本单位已按分工完成配合事项，相关数据已报牵头单位。",
    "已安排专人对接牵头单位，按要求提供政策和数据支持。",
    "已完成职责范围内的前期工作，正在配合开展联合督导。",
)
CLOSURE = (
    "已全面完成年度目标任务，主要指标均达到或超过预期，佐证材料已上传。",
    "各项工作已按方案落实到位，经自查验收合格，申请办结。",
    "任务已完成并建立长效机制，相关总结报告和佐证材料已附后。",
)
RETURN_REASONS = (
    "佐证材料不足，请补充项目竣工验收或第三方评估材料后重新申请。",
    "量化指标完成值与统计部门数据不一致，请核实后重新申请。",
    "办结情况表述笼统，请逐项说明年度目标完成情况。",
    "配合单位意见未附，请补充后重新申请。",
)
SUSPEND_REASONS = (
    "因上级政策调整，项目暂缓实施，待省级文件出台后恢复推进。",
    "项目选址涉及生态保护红线调整，经市政府同意暂缓推进。",
    "受资金筹措影响，经研究暂缓至下一年度实施。",
)
CANCEL_REASONS = (
    "该事项已并入相关专项行动统筹推进，原任务撤销。",
    "经市政府常务会议研究，该项目不再实施。",
    "任务内容与其他部门职责重复，经协调予以撤销。",
)
VERIFY_COMMENTS = ("", "", "材料齐全，同意销号。", "经核实，同意办结。")


def task_content(rng: random.Random, title: str, lead: str, co: list[str]) -> str:
    who = f"由{lead}牵头" + (f"，{'、'.join(co)}配合" if co else "")
    measures = "；".join(rng.sample(MEASURES, 2))
    return f"{title}。{who}，{measures}，{rng.choice(ENDS)}"


def report_texts(rng: random.Random, percent: int) -> tuple[str, str, str]:
    """(工作进展, 存在问题, 下步计划) for a report at `percent`."""
    if percent < 30:
        text = rng.choice(STARTED)
    elif percent < 75:
        text = rng.choice(UNDERWAY)
    else:
        text = rng.choice(FINISHING)
    text = text.format(n=rng.randint(2, 6), m=rng.randint(3, 15), p=percent)
    return text, rng.choice(PROBLEMS), rng.choice(NEXT_STEPS)
