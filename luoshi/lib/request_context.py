"""The request's client address, available to services (for the audit log) without passing the
request object into business code."""

from __future__ import annotations

import contextvars

_client_ip: contextvars.ContextVar[str] = contextvars.ContextVar("luoshi_client_ip", default="")


def client_ip() -> str:
    return _client_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = request.META.get("REMOTE_ADDR", "")
        token = _client_ip.set(ip)
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
