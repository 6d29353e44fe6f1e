"""Security headers on every response (docs/HARDENING.md).

- Content-Security-Policy: only the project's own scripts, styles, fonts and images (plus
  data: images), no inline script, no inline style, no plugins, no framing, forms posting only
  to the site. The one inline <style> of the standalone 500 page is allowed by its hash,
  computed from the template at start-up, so the page stays standalone and the hash follows
  any edit to it. A view may send its own policy with `@csp(...)` (none needs to today).
- Cross-Origin-Resource-Policy, Permissions-Policy (no camera, microphone, geolocation …).
  Referrer-Policy, X-Content-Type-Options, X-Frame-Options, Cross-Origin-Opener-Policy and
  HSTS come from Django's own middleware and settings (settings.py).
- Cache-Control: a page shown to a logged-in user is `private, no-store`: business content
  never sits in a shared cache nor in the browser's disk cache.

Why not django-csp: the policy is one fixed header with no nonces; 60 lines here cost less
than a dependency to follow (docs/HARDENING.md)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


@cache
def _error_page_style_hashes() -> tuple[str, ...]:
    """'sha256-…' of each inline <style> of the standalone 500 page."""
    page = Path(settings.BASE_DIR) / "templates" / "500.html"
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return ()
    blocks = re.findall(r"<style>(.*?)</style>", text, re.S)
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in blocks
    )


@cache
def content_security_policy() -> str:
    styles = " ".join(("'self'", *_error_page_style_hashes()))
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def csp(policy: str) -> Callable:
    """A view sending its own Content-Security-Policy instead of the site's."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Content-Security-Policy"] = policy
            return response

        return wrapped

    return decorator


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
