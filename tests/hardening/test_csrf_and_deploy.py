"""CSRF: only the token-authenticated API is exempt, and htmx sends the token the page carries.
Deployment: `luoshi check --deploy` is clean with the production environment of
docs/HARDENING.md, and HTTPS settings follow LUOSHI_HTTPS."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.access.test_access_urls import ENDPOINTS

ROOT = Path(__file__).resolve().parents[2]


def test_only_api_operations_are_csrf_exempt():
    exempt = [e for e in ENDPOINTS if getattr(e.callback, "csrf_exempt", False)]
    assert exempt, "the API's operations are exempt: the walk should find them"
    others = [
        e.route for e in exempt if not (getattr(e.callback, "access_rule", "")).startswith("api:")
    ]
    assert others == []


@pytest.mark.django_db
def test_htmx_posts_carry_the_pages_token(world, today):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.liaison_a)
    page = client.get(reverse("tasks:detail", args=[world.unsigned.pk])).content.decode()
    headers = re.search(r"<body[^>]*hx-headers='([^']+)'", page)
    assert headers, "base.html's <body> sets hx-headers"
    token = json.loads(headers.group(1))["X-CSRFToken"]
    assert token
    url = reverse("tasks:acknowledge", args=[world.unsigned.pk])
    refused = client.post(url, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    assert world.unsigned.assignments.get(unit=world.a).acknowledged_at is None
    accepted = client.post(url, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code in (200, 204, 302)
    assert world.unsigned.assignments.get(unit=world.a).acknowledged_at is not None


# Set by the test run itself (the browser tests' conftest allows sync ORM calls beside
# Playwright's event loop); a deployment never has them, so the check must not see them.
_TEST_ONLY_ENV = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _check_deploy(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "luoshi"), "check", "--deploy"],
        env={k: v for k, v in os.environ.items() if k not in _TEST_ONLY_ENV} | env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


PRODUCTION = {
    "DEBUG": "0",
    "LUOSHI_HTTPS": "1",
    "ALLOWED_HOSTS": "luoshi.example.gov.cn",
}


def test_deploy_check_is_clean_with_the_production_environment(tmp_path):
    env = PRODUCTION | {"SECRET_KEY": secrets.token_urlsafe(50), "LUOSHI_DATA_DIR": str(tmp_path)}
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_deploy_check_warns_without_https(tmp_path):
    env = PRODUCTION | {
        "LUOSHI_HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LUOSHI_DATA_DIR": str(tmp_path),
    }
    out = _check_deploy(env)
    text = out.stdout + out.stderr
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in text
