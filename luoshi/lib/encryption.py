"""Encryption at rest of fields marked sensitive (User.phone, a clue's contact, …).

Configured by two settings (environment variables of the same names):
  LUOSHI_FIELD_KEY     "id:base64,id:base64…": named keys of 32 random bytes each
                       (`luoshi rotate-field-key --new-key` prints one). The first encrypts;
                       every one listed decrypts, so a key is rotated by putting a new one
                       first, running `luoshi rotate-field-key`, then dropping the old one.
  LUOSHI_FIELD_CIPHER  sm4 (default: SM4-GCM, GB/T 32907 in an authenticated mode) or aes
                       (AES-256-GCM).

A stored value is "enc1:<cipher>:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>". The
cipher and key id travel with the value, so changing LUOSHI_FIELD_CIPHER or the active key
never makes old values unreadable. The field's name ("org.user.phone") is the associated
data: a value copied into another field or table does not decrypt. The per-cipher key is
derived from the configured key with HKDF-SHA256.

Without a key the fields store plain text (and read back both plain and encrypted values,
the latter only with their key): an installation that has not configured keys keeps working,
and `luoshi rotate-field-key` encrypts what is there once a key is set. Encrypted values
cannot be searched or filtered in the database; no code does so for these fields.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models

PREFIX = "enc1"
CIPHERS = ("sm4", "aes")
NONCE_BYTES = 12


class FieldKeyError(ImproperlyConfigured):
    pass


@cache
def _parse_keys(config: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for item in filter(None, (part.strip() for part in config.split(","))):
        key_id, sep, material = item.partition(":")
        if not sep or not key_id or not key_id.isalnum():
            raise FieldKeyError(
                "LUOSHI_FIELD_KEY 的格式应为 “编号:base64密钥”，编号只含字母和数字。"
            )
        try:
            raw = base64.b64decode(material, validate=True)
        except (binascii.Error, ValueError):
            raise FieldKeyError(f"LUOSHI_FIELD_KEY 中密钥 {key_id} 不是有效的 base64。") from None
        if len(raw) != 32:
            raise FieldKeyError(f"LUOSHI_FIELD_KEY 中密钥 {key_id} 应为 32 字节，现为 {len(raw)}。")
        keys.append((key_id, raw))
    return tuple(keys)


def field_keys() -> tuple[tuple[str, bytes], ...]:
    return _parse_keys(getattr(settings, "LUOSHI_FIELD_KEY", "") or "")


def active_cipher() -> str:
    cipher = (getattr(settings, "LUOSHI_FIELD_CIPHER", "sm4") or "sm4").lower()
    if cipher not in CIPHERS:
        raise FieldKeyError(f"LUOSHI_FIELD_CIPHER 应为 sm4 或 aes，现为 {cipher!r}。")
    return cipher


def encryption_enabled() -> bool:
    return bool(field_keys())


@cache
def _derived(cipher: str, raw: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    length = 16 if cipher == "sm4" else 32
    return HKDF(
        algorithm=hashes.SHA256(), length=length, salt=None, info=b"luoshi-field-" + cipher.encode()
    ).derive(raw)


def _gcm(cipher: str, raw: bytes, nonce: bytes):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = _derived(cipher, raw)
    algorithm = algorithms.SM4(key) if cipher == "sm4" else algorithms.AES(key)
    return Cipher(algorithm, modes.GCM(nonce))


def is_encrypted(value: str | None) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":")


def encrypt(plain: str, *, context: str) -> str:
    """Encrypt with the active key and cipher (plain text back when no key is configured)."""
    keys = field_keys()
    if not keys:
        return plain
    key_id, raw = keys[0]
    cipher = active_cipher()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = _gcm(cipher, raw, nonce).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(plain.encode("utf-8")) + encryptor.finalize()
    blob = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}:{cipher}:{key_id}:{blob}"


def decrypt(stored: str, *, context: str) -> str:
    """The plain text of a stored value (a plain value is returned as it is)."""
    if not is_encrypted(stored):
        return stored
    from cryptography.exceptions import InvalidTag

    try:
        _prefix, cipher, key_id, blob = stored.split(":", 3)
        data = base64.b64decode(blob, validate=True)
    except (ValueError, binascii.Error):
        raise FieldKeyError(f"{context}: 加密值已损坏，无法解析。") from None
    raw = dict(field_keys()).get(key_id)
    if raw is None:
        raise FieldKeyError(f"{context}: 值由密钥 {key_id} 加密，但 LUOSHI_FIELD_KEY 中没有它。")
    if cipher not in CIPHERS or len(data) < NONCE_BYTES + 16:
        raise FieldKeyError(f"{context}: 加密值已损坏，无法解析。")
    nonce, body, tag = data[:NONCE_BYTES], data[NONCE_BYTES:-16], data[-16:]
    decryptor = _gcm(cipher, raw, nonce).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize_with_tag(tag)).decode("utf-8")
    except InvalidTag:
        raise FieldKeyError(f"{context}: 加密值校验失败（被改动，或密钥不对）。") from None


def needs_rewrite(stored: str | None) -> bool:
    """Whether `luoshi rotate-field-key` should rewrite this stored value: plain text while a
    key is set, or encrypted with another key or cipher than the active ones."""
    if not stored or not encryption_enabled():
        return False
    if not is_encrypted(stored):
        return True
    _prefix, cipher, key_id, _blob = stored.split(":", 3)
    return (cipher, key_id) != (active_cipher(), field_keys()[0][0])


def _not_a_stored_value(value) -> None:
    if is_encrypted(value):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("内容不能以“%(p)s:”开头。") % {"p": PREFIX})


class EncryptedTextField(models.TextField):
    """A text field encrypted at rest when LUOSHI_FIELD_KEY is set. `max_length` limits the
    plain text (validation, forms); the column is unbounded text, since the stored value is
    longer. Never filter or order by it in the database."""

    encrypted = True

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plain_max_length = max_length
        if max_length:
            self.validators.append(MaxLengthValidator(max_length))
        self.validators.append(_not_a_stored_value)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value, context=self.context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value, context=self.context)

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"max_length": self.plain_max_length, "widget": forms.TextInput}
        return super().formfield(**{**defaults, **kwargs})


def encrypted_fields():
    """(model, field) of every EncryptedTextField in the installed apps."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "encrypted", False):
                yield model, field
