"""督查活动 (Inspection) under 《政府督查工作条例》: the annual plan, each inspection's scheme,
notices, records, findings with the units' statements, the report, rectifications (each a
real Task) and the use of results (outcome records).

plans.py        InspectionPlan 督查计划, PlanItem 计划事项
inspections.py  Inspection 督查活动 (scheme 督查方案 + life cycle), InspectionEvent (history),
                InspectionNotice 督查通知
records.py      InspectionRecord 督查记录, RecordFile (photos and documents)
findings.py     Finding 发现问题, Statement 陈述申辩, InspectionReport 督查报告,
                Rectification 整改事项 (finding ↔ task), InspectionOutcome 结果运用
"""

from luoshi.campaigns.models.findings import (
    Finding,
    InspectionOutcome,
    InspectionReport,
    Rectification,
    Statement,
    StatementAnswer,
)
from luoshi.campaigns.models.inspections import (
    METHOD_CHOICES,
    Inspection,
    InspectionEvent,
    InspectionKind,
    InspectionNotice,
    InspectionState,
    NoticeWay,
)
from luoshi.campaigns.models.plans import InspectionPlan, PlanItem, PlanState
from luoshi.campaigns.models.records import InspectionRecord, RecordFile, RecordKind

__all__ = [
    "METHOD_CHOICES",
    "Finding",
    "Inspection",
    "InspectionEvent",
    "InspectionKind",
    "InspectionNotice",
    "InspectionOutcome",
    "InspectionPlan",
    "InspectionRecord",
    "InspectionReport",
    "InspectionState",
    "NoticeWay",
    "PlanItem",
    "PlanState",
    "RecordFile",
    "RecordKind",
    "Rectification",
    "Statement",
    "StatementAnswer",
]
