"""Encryption at rest: User.phone stored as SM4-GCM (or AES-GCM) when a key is set, plain
without one; keys rotate; a tampered or foreign value does not decrypt; SMS still gets the
number."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from luoshi.audit.models import AuditEvent
from luoshi.lib import encryption
from luoshi.notifications.models import Delivery
from luoshi.notifications.services import notify, preference_save
from luoshi.org.models import Role, User

K1 = "k1:" + base64.b64encode(b"1" * 32).decode()
K2 = "k2:" + base64.b64encode(b"2" * 32).decode()
PHONE = "13800138000"


def stored_phone(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM org_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def make_user(name="u1", phone=PHONE):
    return User.objects.create_user(
        name, password="pw-Secret-2026", role=Role.SUPERVISOR, phone=phone
    )


def test_without_a_key_the_phone_is_plain(db, settings):
    settings.LUOSHI_FIELD_KEY = ""
    user = make_user()
    assert stored_phone(user) == PHONE
    assert User.objects.get(pk=user.pk).phone == PHONE


@pytest.mark.parametrize("cipher", ["sm4", "aes"])
def test_with_a_key_the_phone_is_encrypted(db, settings, cipher):
    settings.LUOSHI_FIELD_KEY = K1
    settings.LUOSHI_FIELD_CIPHER = cipher
    user = make_user()
    raw = stored_phone(user)
    assert raw.startswith(f"enc1:{cipher}:k1:") and PHONE not in raw
    assert User.objects.get(pk=user.pk).phone == PHONE
    assert User.objects.filter(pk=user.pk).values_list("phone", flat=True).get() == PHONE
    other = make_user("u2")
    assert stored_phone(other) != raw  # a fresh nonce each time
    # switching the cipher later: old values still read (the cipher travels with the value)
    settings.LUOSHI_FIELD_CIPHER = "aes" if cipher == "sm4" else "sm4"
    assert User.objects.get(pk=user.pk).phone == PHONE


def test_sm4_gcm_is_really_sm4():
    """The stored value decrypts with SM4-GCM by hand (independently of the field)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from django.test import override_settings

    with override_settings(LUOSHI_FIELD_KEY=K1, LUOSHI_FIELD_CIPHER="sm4"):
        stored = encryption.encrypt(PHONE, context="org.user.phone")
    data = base64.b64decode(stored.split(":", 3)[3])
    key = encryption._derived("sm4", b"1" * 32)
    dec = Cipher(algorithms.SM4(key), modes.GCM(data[:12])).decryptor()
    dec.authenticate_additional_data(b"org.user.phone")
    assert dec.update(data[12:-16]) + dec.finalize_with_tag(data[-16:]) == PHONE.encode()


def test_tampered_or_moved_values_do_not_decrypt(settings):
    settings.LUOSHI_FIELD_KEY = K1
    stored = encryption.encrypt(PHONE, context="org.user.phone")
    with pytest.raises(encryption.FieldKeyError, match="校验失败"):
        encryption.decrypt(stored, context="clues.clue.contact")
    blob = bytearray(base64.b64decode(stored.split(":", 3)[3]))
    blob[14] ^= 1
    bad = ":".join([*stored.split(":", 3)[:3], base64.b64encode(bytes(blob)).decode()])
    with pytest.raises(encryption.FieldKeyError, match="校验失败"):
        encryption.decrypt(bad, context="org.user.phone")
    settings.LUOSHI_FIELD_KEY = K2
    with pytest.raises(encryption.FieldKeyError, match="密钥 k1"):
        encryption.decrypt(stored, context="org.user.phone")


@pytest.mark.parametrize(
    "config, message",
    [
        ("nokey", "格式"),
        ("k1:***", "base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "32 字节"),
    ],
)
def test_bad_key_configuration_is_told(settings, config, message):
    settings.LUOSHI_FIELD_KEY = config
    with pytest.raises(encryption.FieldKeyError, match=message):
        encryption.encrypt(PHONE, context="x")


def test_bad_cipher_is_told(settings):
    settings.LUOSHI_FIELD_KEY = K1
    settings.LUOSHI_FIELD_CIPHER = "des"
    with pytest.raises(encryption.FieldKeyError, match="sm4 或 aes"):
        encryption.encrypt(PHONE, context="x")


def test_a_value_that_looks_encrypted_is_refused(db):
    user = User(username="x", role=Role.SUPERVISOR, phone="enc1:sm4:k1:AAAA")
    with pytest.raises(ValidationError) as err:
        user.full_clean(exclude=["password"])
    assert "phone" in err.value.message_dict
    user.phone = "1" * 21
    with pytest.raises(ValidationError):
        user.full_clean(exclude=["password"])


def test_rotation_encrypts_plain_values_and_moves_to_the_new_key(db, settings):
    settings.LUOSHI_FIELD_KEY = ""
    plain = make_user("plain")
    settings.LUOSHI_FIELD_KEY = K1
    old = make_user("old", phone="13900000000")
    empty = make_user("empty", phone="")
    settings.LUOSHI_FIELD_KEY = f"{K2},{K1}"
    out = io.StringIO()
    call_command("rotate-field-key", stdout=out)
    assert "org.user.phone：重写 2 个值" in out.getvalue()
    assert stored_phone(plain).startswith("enc1:sm4:k2:")
    assert stored_phone(old).startswith("enc1:sm4:k2:")
    assert stored_phone(empty) == ""
    settings.LUOSHI_FIELD_KEY = K2  # the old key can go now
    assert User.objects.get(pk=old.pk).phone == "13900000000"
    assert User.objects.get(pk=plain.pk).phone == PHONE
    assert AuditEvent.objects.get(action="encryption.rotate").data["rewritten"] == {
        "org.user.phone": 2,
        "clues.clue.contact": 0,  # every encrypted field is walked, even with nothing to do
        "security.accountsecurity.totp_secret": 0,
    }
    call_command("rotate-field-key", stdout=io.StringIO())  # again: nothing left to do
    assert AuditEvent.objects.filter(action="encryption.rotate").order_by("id").last().data[
        "rewritten"
    ] == {
        "org.user.phone": 0,
        "clues.clue.contact": 0,
        "security.accountsecurity.totp_secret": 0,
    }


def test_rotation_without_a_key_is_refused(db, settings):
    settings.LUOSHI_FIELD_KEY = ""
    with pytest.raises(CommandError, match="没有配置 LUOSHI_FIELD_KEY"):
        call_command("rotate-field-key")


def test_new_key_prints_a_usable_key(settings):
    out = io.StringIO()
    call_command("rotate-field-key", "--new-key", stdout=out)
    settings.LUOSHI_FIELD_KEY = out.getvalue().strip()
    assert encryption.decrypt(encryption.encrypt("x", context="c"), context="c") == "x"


def test_sms_gets_the_plain_number(db, settings):
    settings.LUOSHI_FIELD_KEY = K1
    user = make_user()
    preference_save(actor=user, email=False, sms=True, mode="immediate")
    notify(recipients=[User.objects.get(pk=user.pk)], kind="task", title="测试")
    assert Delivery.objects.get(channel="sms").target == PHONE


def test_the_second_factor_secret_is_encrypted_and_still_gives_codes(db, settings):
    """The TOTP secret is as sensitive as a password: stored encrypted with a key set, and
    the account's codes still verify."""
    import pyotp

    from luoshi.security.models import AccountSecurity
    from luoshi.security.services.totp import totp_demo_enrol, totp_verify

    settings.LUOSHI_FIELD_KEY = K1
    user = make_user()
    secret = pyotp.random_base32()
    totp_demo_enrol(user=user, secret=secret)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT totp_secret FROM security_accountsecurity WHERE user_id = %s", [user.pk]
        )
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:sm4:k1:") and secret not in raw
    assert AccountSecurity.objects.get(user=user).totp_secret == secret
    assert totp_verify(user=user, code=pyotp.TOTP(secret).now()) == "totp"
