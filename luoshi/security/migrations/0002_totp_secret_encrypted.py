"""AccountSecurity.totp_secret becomes an encrypted-at-rest text field (luoshi/lib/encryption.py),
as User.phone did (org 0002): existing secrets read back as they are, and
`luoshi rotate-field-key` encrypts them once LUOSHI_FIELD_KEY is set."""

from django.db import migrations

import luoshi.lib.encryption


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_identity_policy_attempts_second_factor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accountsecurity",
            name="totp_secret",
            field=luoshi.lib.encryption.EncryptedTextField(blank=True, max_length=64),
        ),
    ]
