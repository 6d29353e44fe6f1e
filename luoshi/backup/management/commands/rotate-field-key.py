"""luoshi rotate-field-key [--new-key]: encrypt the sensitive fields' plain values, and
re-encrypt those under an older key or cipher, with the active key (the first of
LUOSHI_FIELD_KEY). --new-key prints a fresh key to put in front (docs/BACKUP.md)."""

from __future__ import annotations

import base64
import os
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from luoshi.backup.keys import field_keys_rotate
from luoshi.lib.encryption import FieldKeyError


class Command(BaseCommand):
    help = "用当前密钥加密（或重新加密）标记为敏感的字段。"

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="生成一个新密钥并打印")

    def handle(self, *args, **options):
        if options["new_key"]:
            key_id = "k" + secrets.token_hex(3)
            self.stdout.write(f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}")
            return
        try:
            done = field_keys_rotate()
        except FieldKeyError as exc:
            raise CommandError(str(exc)) from None
        for label, count in done.items():
            self.stdout.write(_("%(f)s：重写 %(n)s 个值") % {"f": label, "n": count})
