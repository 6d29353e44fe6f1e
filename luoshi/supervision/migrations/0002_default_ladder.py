"""The default escalation ladder of DESIGN.md, for due dates and for report deadlines:
−3 提醒 (owner, liaison); 0 催办 (liaison, unit head); +1… 每日催办; +3 督办单 drafted for the
office to issue; +10 report to the lead leader and listing for the next 通报.
The values are written out here (not imported) so that later code changes do not alter what
this migration did."""

from django.db import migrations

LADDER = [
    ("remind", -3, False, "reminder", ["owner", "liaison"]),
    ("urge", 0, False, "urge", ["liaison", "unit_head"]),
    ("urge_daily", 1, True, "urge", ["liaison", "unit_head"]),
    ("notice", 3, False, "notice_draft", ["supervisor"]),
    ("leader", 10, False, "leader", ["lead_leader"]),
    ("bulletin", 10, False, "bulletin", []),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("supervision", "EscalationRule")
    for relative_to in ("due", "report"):
        for step, offset, repeat, action, recipients in LADDER:
            Rule.objects.get_or_create(
                category="",
                relative_to=relative_to,
                step=step,
                defaults={
                    "offset": offset,
                    "repeat_daily": repeat,
                    "action": action,
                    "recipients": recipients,
                    "enabled": True,
                },
            )


def unseed(apps, schema_editor):
    Rule = apps.get_model("supervision", "EscalationRule")
    Rule.objects.filter(category="", step__in=[row[0] for row in LADDER]).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
