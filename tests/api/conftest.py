"""The API tests use the access tests' world (tests/access/conftest.py): one task in each
state, A leads and B helps, a person in each place. Each persona gets a token."""

from __future__ import annotations

import pytest

from luoshi.api.models import ApiToken
from luoshi.api.tokens import TOKEN_PREFIX, _hash
from luoshi.lib import clock
from tests.access.conftest import PERSONAS, login, snapshot, today, world  # noqa: F401


def make_token(user, name: str = "测试") -> str:
    """A token for any user (even one whose role may not make one), straight into the table."""
    token = f"{TOKEN_PREFIX}{user.pk:08x}_secret-{user.username}"
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=f"{user.pk:08x}",
        token_hash=_hash(token),
        created_at=clock.now(),
    )
    return token


@pytest.fixture
def api(client, world, today):  # noqa: F811
    """api(persona).get(path) / .post(path, json): calls /api/v1/<path> with the persona's
    token."""

    class Caller:
        def __init__(self, token: str | None):
            self.headers = {"Authorization": f"Bearer {token}"} if token else {}

        def get(self, path: str, **params):
            return client.get(f"/api/v1/{path}", params, headers=self.headers)

        def post(self, path: str, body: dict | None = None):
            return client.post(
                f"/api/v1/{path}",
                body or {},
                content_type="application/json",
                headers=self.headers,
            )

    tokens: dict[str, str] = {}

    def as_persona(persona: str | None) -> Caller:
        if persona is None:
            return Caller(None)
        if persona not in tokens:
            tokens[persona] = make_token(getattr(world, persona))
        return Caller(tokens[persona])

    return as_persona


__all__ = ["PERSONAS", "snapshot"]
