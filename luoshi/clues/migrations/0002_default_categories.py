from django.db import migrations

DEFAULTS = ["政策落实", "营商环境", "民生服务", "作风问题", "其他"]


def seed(apps, schema_editor):
    ClueCategory = apps.get_model("clues", "ClueCategory")
    for i, name in enumerate(DEFAULTS):
        ClueCategory.objects.get_or_create(name=name, defaults={"sort_order": (i + 1) * 10})


class Migration(migrations.Migration):
    dependencies = [("clues", "0001_clues_categories_events_captcha")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
