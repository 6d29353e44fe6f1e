"""The demo city 示范市 (`luoshi demo`): units, accounts, sources, ~290 tasks and three months
of history, all made through the real services and relative to the day it is loaded.

    units.py          the unit tree and each unit's short code (fgw, jtj, …)
    people.py         accounts: fixed demo accounts, leaders, a liaison and head per unit
    goals.py          the work report's goals and tasks, one ledger line per task
    other_sources.py  a 常务会议 with its 议定事项, a 领导批示 and a 文件
    catalogue.py      ledger lines → TaskSpec
    plan.py           each task's fate, dates and schedule of actions
    story.py          playing the schedule day by day through the services
    phrases.py        the words of contents, reports and reasons
    evidence.py       small PDF files used as evidence
    builder.py        putting it together: demo_present, demo_load, demo_summary
"""
