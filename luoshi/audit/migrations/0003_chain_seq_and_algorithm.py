"""The chain gets a gap-free sequence number and a per-row hash algorithm.

Rows written before this migration keep their SHA-256 hashes over the old payload
(payload_version 1); they get seq 1…n in id order so that `audit verify` can tell a missing
row by its number. New rows are hashed with SM3 over every field (payload_version 2)."""

from django.db import migrations, models


def number_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    seq = 0
    batch = []
    for event in AuditEvent.objects.order_by("id").only("id").iterator(chunk_size=2000):
        seq += 1
        event.seq = seq
        batch.append(event)
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_update(batch, ["seq"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["seq"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="algorithm",
            field=models.CharField(
                choices=[("sm3", "SM3"), ("sha256", "SHA-256")], default="sha256", max_length=16
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="payload_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.RunPython(number_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="payload_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
    ]
