"""User.phone becomes an encrypted-at-rest text field (luoshi/lib/encryption.py). Existing
values stay as they are (plain text reads back as is); `luoshi rotate-field-key` encrypts
them once LUOSHI_FIELD_KEY is set — a command, not this migration, since the key may well
be absent where migrations run."""

from django.db import migrations

import luoshi.lib.encryption


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=luoshi.lib.encryption.EncryptedTextField(
                blank=True, max_length=20, verbose_name="手机"
            ),
        ),
    ]
