"""Database triggers that refuse UPDATE and DELETE of audit rows (see luoshi/audit/guard.py)."""

from django.db import migrations

from luoshi.audit import guard


def install(apps, schema_editor):
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        guard.install_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        guard.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chain_seq_and_algorithm"),
    ]

    operations = [migrations.RunPython(install, drop)]
