"""The audit hash chain: what a row's hash covers, and the walk that checks it.

hash(row) = H(prev_hash + canonical JSON of the row's fields), H = the row's `algorithm`:
SM3 (GB/T 32905, through OpenSSL 3 via `cryptography`), or SHA-256 where the running OpenSSL
has no SM3. Payload version 2 (every row written since migration 0003) covers seq, time,
actor id and name, address, action, object type/id/description, data, the previous hash and
the algorithm name; version 1 (older rows) covers what the first chain covered.

The walk (`ChainWalker`) reads rows in id order, one row at a time, keeping only the previous
row's hash and seq, so it checks millions of rows in constant memory. It is shared by
`luoshi audit verify` (the database, read in chunks by id) and `--file` (an export).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.translation import gettext as _


@cache
def sm3_available() -> bool:
    try:
        from cryptography.hazmat.primitives import hashes

        digest = hashes.Hash(hashes.SM3())
        digest.update(b"abc")
        # GB/T 32905-2016 appendix A example 1
        return (
            digest.finalize().hex()
            == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        )
    except Exception:
        return False


def default_algorithm() -> str:
    return "sm3" if sm3_available() else "sha256"


def digest_hex(algorithm: str, data: bytes) -> str:
    if algorithm == "sm3":
        from cryptography.hazmat.primitives import hashes

        digest = hashes.Hash(hashes.SM3())
        digest.update(data)
        return digest.finalize().hex()
    if algorithm == "sha256":
        return hashlib.sha256(data).hexdigest()
    raise ValueError(f"unknown audit hash algorithm {algorithm!r}")


def _at(value: Any) -> str:
    """The time as ISO 8601 in UTC (the same text whatever time zone the value came in)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).isoformat()


def payload_v1(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "at": _at(row["at"]),
        "actor": row["actor_id"],
        "actor_name": row["actor_name"],
        "ip": row["ip"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "data": row["data"],
    }


def payload_v2(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **payload_v1(row),
        "seq": row["seq"],
        "object_repr": row["object_repr"],
        "prev_hash": row["prev_hash"],
        "algorithm": row["algorithm"],
    }


def row_hash(row: Mapping[str, Any]) -> str:
    """The hash `row` (a dict of the model's fields, actor as actor_id) should carry."""
    version = row.get("payload_version", 2)
    fields = payload_v1(row) if version == 1 else payload_v2(row)
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return digest_hex(row["algorithm"], (row["prev_hash"] + text).encode("utf-8"))


ROW_FIELDS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "data",
    "prev_hash",
    "hash",
    "algorithm",
    "payload_version",
)


@dataclass
class Break:
    id: int | None
    seq: int | None
    kind: str  # edited, missing, reordered, link
    detail: str

    def as_text(self) -> str:
        return f"id={self.id} seq={self.seq} [{self.kind}] {self.detail}"


@dataclass
class VerifyResult:
    count: int = 0
    last_hash: str = ""
    last_seq: int = 0
    first_seq: int | None = None
    breaks: list[Break] = field(default_factory=list)
    truncated: bool = False  # more breaks than MAX_BREAKS: the rest were counted, not kept
    break_count: int = 0

    @property
    def ok(self) -> bool:
        return self.break_count == 0


MAX_BREAKS = 10_000


class ChainWalker:
    """Feed rows in id order; collects every break.

    `anchor_hash`/`anchor_seq` start the walk mid-chain (an archive of rows from a date on:
    its first row's prev_hash must be the anchor)."""

    def __init__(self, *, anchor_hash: str = "", anchor_seq: int = 0):
        self.result = VerifyResult()
        self.prev_hash = anchor_hash
        self.prev_seq = anchor_seq
        self.prev_id: int | None = None

    def _break(self, row: Mapping[str, Any], kind: str, detail: str) -> None:
        self.result.break_count += 1
        if len(self.result.breaks) < MAX_BREAKS:
            self.result.breaks.append(Break(row.get("id"), row.get("seq"), kind, detail))
        else:
            self.result.truncated = True

    def feed(self, row: Mapping[str, Any]) -> None:
        seq = row["seq"]
        if self.result.first_seq is None:
            self.result.first_seq = seq
        expected = self.prev_seq + 1
        if seq > expected:
            self._break(
                row,
                "missing",
                _("缺少第 %(a)s–%(b)s 条记录（序号不连续）") % {"a": expected, "b": seq - 1},
            )
        elif seq < expected:
            self._break(
                row,
                "reordered",
                _("序号 %(seq)s 出现在序号 %(prev)s 之后（记录被调换或重复）")
                % {"seq": seq, "prev": self.prev_seq},
            )
        if row["prev_hash"] != self.prev_hash:
            self._break(row, "link", _("前一条哈希不符：记录被删除、插入或调换"))
        try:
            recomputed = row_hash(row)
        except ValueError:
            self._break(row, "edited", _("未知的哈希算法 %(a)s") % {"a": row["algorithm"]})
        else:
            if recomputed != row["hash"]:
                self._break(row, "edited", _("内容与哈希不符：记录被修改"))
        self.result.count += 1
        self.prev_hash = row["hash"]
        self.prev_seq = max(seq, self.prev_seq)
        self.prev_id = row.get("id")
        self.result.last_hash = row["hash"]
        self.result.last_seq = seq

    def walk(self, rows: Iterable[Mapping[str, Any]]) -> VerifyResult:
        for row in rows:
            self.feed(row)
        return self.result


CHUNK = 5000


def database_rows(*, chunk: int = CHUNK, using: str = "default") -> Iterator[dict[str, Any]]:
    """Every audit row as a dict, in id order, read `chunk` rows at a time by keyset (id >
    last id): bounded memory whatever the table's size, and no server-side cursor."""
    from luoshi.audit.models import AuditEvent

    last_id = 0
    while True:
        rows = list(
            AuditEvent.objects.using(using)
            .filter(id__gt=last_id)
            .order_by("id")
            .values(*ROW_FIELDS)[:chunk]
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1]["id"]


def verify_database(*, chunk: int = CHUNK, using: str = "default") -> VerifyResult:
    return ChainWalker().walk(database_rows(chunk=chunk, using=using))
