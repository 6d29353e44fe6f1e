"""PostgreSQL's full-text index over SearchEntry.terms: GIN on to_tsvector('simple', terms).
(Other databases use the SearchTerm table.)"""

from django.db import migrations

POSTGRES = [
    "CREATE INDEX search_terms_gin ON search_searchentry USING GIN (to_tsvector('simple', terms))"
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS search_terms_gin"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_REVERSE if vendor == "postgresql" else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_entries")]

    operations = [migrations.RunPython(forward, backward)]
