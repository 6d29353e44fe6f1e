"""Walk the demo city as each role, following the links of every page, and check each page
against the content-security policy and the other headers; then fetch every export the walk
found and check its watermark.

Per page: the CSP and the other security headers are sent, Cache-Control is no-store; no
inline <script> (a JSON data block is not a script), no on*="" handler, no javascript: URL,
no style="" attribute nor <style> element; every POST form carries the CSRF token."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, get_resolver, resolve

from luoshi.lib import clock
from luoshi.lib.security_headers import content_security_policy
from luoshi.org.models import Role, User

DEMO_TODAY = dt.date(2026, 10, 20)
PAGES_PER_ROLE = 70
SKIP = re.compile(r"^/(static|media)/|/logout|/i18n/|/api/v1/(?!docs)|/openapi")
EXPORT = re.compile(r"export")
# downloads that hand back a unit's own upload, byte for byte (never altered: history)
ORIGINALS = re.compile(r"attachment|file|evidence|minutes|doc_file|photo")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        with clock.pinned_today(DEMO_TODAY):
            call_command("demo", stdout=StringIO())
        yield media
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _uploads(settings, demo):
    """Replaces the hardening conftest's per-test upload directory: the files the demo
    saved (its bulletin, its evidence) live in the module's directory, and the walk's
    downloads must find them there."""
    settings.MEDIA_ROOT = demo


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.problems: list[str] = []
        self.forms: list[dict] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name.startswith("hx-on") or name.startswith("data-hx-on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and not a.get("src") and a.get("type") != "application/json":
            self.problems.append("inline <script>")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(), "token": False})
        if tag == "input" and a.get("name") == "csrfmiddlewaretoken" and self.forms:
            self.forms[-1]["token"] = True


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _people() -> list[User]:
    people = []
    for role in Role.values:
        user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        if user is not None:
            people.append(user)
    return people


def _walk(user: User) -> tuple[dict[str, list[str]], set[str], dict[str, int]]:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    problems: dict[str, list[str]] = {}
    exports: set[str] = set()
    errors: dict[str, int] = {}
    queue, seen, routes = ["/"], set(), Counter()
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            location = response["Location"]
            if location.startswith("/"):
                queue.append(location)
            continue
        if response.status_code >= 500:
            errors[path] = response.status_code
        own = []
        if response.get("Content-Security-Policy") != content_security_policy():
            own.append("no CSP header")
        for header, value in (
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        ):
            if response.get(header) != value:
                own.append(f"{header}: {response.get(header)}")
        if "camera=()" not in response.get("Permissions-Policy", ""):
            own.append("no Permissions-Policy")
        if "no-store" not in response.get("Cache-Control", ""):
            own.append("Cache-Control without no-store")
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            page = Page()
            page.feed(response.content.decode())
            own += page.problems
            own += [
                f"POST form without CSRF token ({i})"
                for i, f in enumerate(page.forms)
                if f["method"] == "post" and not f["token"]
            ]
            for href in page.links:
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                route = _route(parts.path)
                if route is None or SKIP.search(parts.path):
                    continue
                name = resolve(parts.path).view_name
                if EXPORT.search(name) or name == "bulletins:download":
                    exports.add(target)
                    continue
                if ORIGINALS.search(name):
                    continue
                if routes[route] < 2 and target not in seen:
                    routes[route] += 1
                    queue.append(target)
        if own:
            problems[path] = own
    return problems, exports, errors


@pytest.fixture(scope="module")
def walks(demo):
    return {user.username: (user, *_walk(user)) for user in _people()}


def test_every_role_was_walked(walks):
    roles = {user.role for user, _p, _e, _x in walks.values()}
    assert roles >= {
        Role.SUPERVISOR,
        Role.LEADER,
        Role.LIAISON,
        Role.UNIT_HEAD,
        Role.SYSADMIN,
        Role.SECADMIN,
        Role.AUDITOR,
    }


def test_every_page_complies_with_the_policy(walks):
    problems = {
        f"{name} {path}": found
        for name, (_u, by_page, _e, _x) in walks.items()
        for path, found in by_page.items()
    }
    assert problems == {}


def _export_names() -> set[str]:
    names = set()
    for pattern_name in _all_names(get_resolver()):
        if EXPORT.search(pattern_name) or pattern_name == "bulletins:download":
            names.add(pattern_name)
    return names


def _all_names(resolver, prefix="") -> list[str]:
    names = []
    for p in resolver.url_patterns:
        if hasattr(p, "url_patterns"):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names += _all_names(p, ns)
        elif p.name:
            names.append(prefix + p.name)
    return names


def _parts_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(
            zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml")
        )


def test_every_export_found_is_watermarked_with_the_reader(walks):
    done: dict[str, str] = {}
    for user, _problems, exports, _errors in walks.values():
        client = Client()
        client.force_login(user)
        for url in sorted(exports):
            name = resolve(urlsplit(url).path).view_name
            response = client.get(url)
            assert response.status_code == 200, url
            data = b"".join(response.streaming_content) if response.streaming else response.content
            mark = f"{user.full_name or user.username} {user.username} 导出于"
            assert mark in _parts_text(data), (user.username, url)
            done.setdefault(name, user.username)
    exported = _export_names()
    assert exported, "no export endpoint found in the URLconf"
    # exports deeper than the walk's page budget: fetched directly as the office
    for name, (url, office) in _deep_exports().items():
        if name in done or name not in exported:
            continue
        client = Client()
        client.force_login(office)
        response = client.get(url)
        assert response.status_code == 200, url
        data = b"".join(response.streaming_content) if response.streaming else response.content
        mark = f"{office.full_name or office.username} {office.username} 导出于"
        assert mark in _parts_text(data), (office.username, url)
        done[name] = office.username
    missing = exported - set(done)
    assert missing <= {"audit:export"}, f"exports the walk never reached: {missing}"


def _deep_exports() -> dict[str, tuple[str, User]]:
    """URLs of the exports that sit deeper in the demo than the walk goes, each with the
    office account that made the object (a scoped supervisor may not see it)."""
    from django.urls import reverse

    from luoshi.bulletins.models import Bulletin
    from luoshi.cadres.models import CadreReview

    urls = {}
    review = CadreReview.objects.order_by("pk").first()
    if review is not None:
        urls["cadres:export"] = (reverse("cadres:export", args=[review.pk]), review.created_by)
    bulletin = Bulletin.objects.order_by("pk").first()
    if bulletin is not None:
        urls["bulletins:download"] = (
            reverse("bulletins:download", args=[bulletin.pk]),
            bulletin.generated_by,
        )
    return urls


def test_no_page_the_walk_reached_fails(walks):
    errors = {name: found for name, (_u, _p, _e, found) in walks.items() if found}
    assert errors == {}
