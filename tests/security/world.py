"""Helpers of the identity tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt

import pyotp
from django.urls import reverse

from luoshi.org.models import User
from luoshi.security.services.totp import totp_demo_enrol

PASSWORD = "Pw-Secret-2026"
START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def make_user(username: str, role: str, unit=None, **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=username, **extra
    )


def enrol(user, secret: str | None = None) -> pyotp.TOTP:
    secret = secret or pyotp.random_base32()
    totp_demo_enrol(user=user, secret=secret)
    return pyotp.TOTP(secret)


def post_login(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def post_code(client, code: str):
    return client.post(reverse("security:login_code"), {"code": code})


def code_at(totp: pyotp.TOTP, when: dt.datetime, steps: int = 0) -> str:
    return totp.at(when + dt.timedelta(seconds=30 * steps))
