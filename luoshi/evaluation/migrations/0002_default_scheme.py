"""The default scheme of DESIGN.md ("Evaluation — default scheme"), ready on a new install:
base 100; on-time closure +1; each working day overdue −0.5 per task (at most −5 a task); each
missed report −1; each 督办单 −2; a leader's commendation +3; a public criticism −5; a failed
回头看 −3; quality grades A +2, B +1, C 0, D −2; departments ranked apart from districts."""

from django.db import migrations

NAME = "默认考核方案"
RULES = [
    ("on_time_closure", "1", None, None),
    ("overdue_day", "-0.5", "5", None),
    ("missed_report", "-1", None, None),
    ("notice_received", "-2", None, None),
    ("leader_commendation", "3", None, None),
    ("public_criticism", "-5", None, None),
    ("recheck_failed", "-3", None, None),
]
GROUPS = [("部门", ["department"]), ("区县", ["district"])]


def create(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "EvaluationScheme")
    Rule = apps.get_model("evaluation", "ScoreRule")
    Group = apps.get_model("evaluation", "RankingGroup")
    if Scheme.objects.filter(name=NAME).exists():
        return
    scheme = Scheme.objects.create(
        name=NAME,
        description="DESIGN.md 的默认考核方案，可按需修改。",
        base_score="100",
        grade_points={"A": "2", "B": "1", "C": "0", "D": "-2"},
    )
    for kind, points, task_cap, unit_cap in RULES:
        Rule.objects.create(
            scheme=scheme, kind=kind, points=points, task_cap=task_cap, unit_cap=unit_cap
        )
    for i, (name, kinds) in enumerate(GROUPS):
        Group.objects.create(scheme=scheme, name=name, unit_kinds=kinds, sort_order=i)


def remove(apps, schema_editor):
    apps.get_model("evaluation", "EvaluationScheme").objects.filter(
        name=NAME, periods__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_schemes_periods_scores")]
    operations = [migrations.RunPython(create, remove)]
