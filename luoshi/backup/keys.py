"""Re-encrypting the encrypted fields (`luoshi rotate-field-key`): every stored value that is
plain text while a key is set, or encrypted with another key or cipher than the active ones,
is rewritten with the active key and cipher. Row by row in chunks, each write conditional on
the value being unchanged since it was read (a user saving meanwhile wins), each chunk in
its own transaction; safe to interrupt and run again."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.lib import encryption

CHUNK = 500


def field_keys_rotate(*, actor=None, chunk: int = CHUNK) -> dict[str, int]:
    """Returns {"app.model.field": values rewritten}."""
    if not encryption.encryption_enabled():
        raise encryption.FieldKeyError(_("没有配置 LUOSHI_FIELD_KEY：无法加密。"))
    quote = connection.ops.quote_name
    done: dict[str, int] = {}
    for model, field in encryption.encrypted_fields():
        table, column = quote(model._meta.db_table), quote(field.column)
        pk = quote(model._meta.pk.column)
        context = f"{model._meta.label_lower}.{field.name}"
        last, rewritten = None, 0
        while True:
            with connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} {where}ORDER BY {pk} LIMIT %s",
                    [last, chunk] if last is not None else [chunk],
                )
                rows = cursor.fetchall()
            if not rows:
                break
            with transaction.atomic(), connection.cursor() as cursor:
                for key, stored in rows:
                    if not encryption.needs_rewrite(stored):
                        continue
                    fresh = encryption.encrypt(
                        encryption.decrypt(stored, context=context), context=context
                    )
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",
                        [fresh, key, stored],
                    )
                    rewritten += cursor.rowcount
            last = rows[-1][0]
        done[context] = rewritten
    audit_log(
        actor=actor,
        action="encryption.rotate",
        data={
            "key": encryption.field_keys()[0][0],
            "cipher": encryption.active_cipher(),
            "rewritten": done,
        },
    )
    return done
