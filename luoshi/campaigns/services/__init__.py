"""督查活动 services. Each function is one transaction, takes the acting user, checks the
permission (luoshi.access.campaigns), validates with Chinese messages, writes an
InspectionEvent and the audit log.

plans.py           plan_create, plan_item_add, plan_issue
inspections.py     inspection_create, inspection_update, inspection_launch, inspection_finish
notices.py         notice_date, notices_send (by hand or from the daily tick), notice_mark_read
records.py         record_add (with photos and documents; corrections are new records)
findings.py        finding_add, statement_submit, statement_answer
reporting.py       report_issue (numbered .docx kept as issued)
rectifications.py  rectification_create (a real Task under the inspection's 督查发现 source)
results.py         inspection_outcome_record (结果运用 through outcomes.outcome_record)
"""
