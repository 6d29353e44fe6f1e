"""The hash chain: SM3 (SHA-256 fallback) per row, every field covered, and every kind of
tampering found by the walk."""

from __future__ import annotations

import hashlib
import itertools
import json

import pytest
from django.db import DatabaseError, connection, transaction

from luoshi.audit import chain
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_log, audit_verify


def _kinds(result):
    return {(b.id, b.kind) for b in result.breaks}


def test_new_rows_are_sm3_numbered_and_linked(chain_of_five):
    rows = list(AuditEvent.objects.order_by("id"))
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert {r.algorithm for r in rows} == {"sm3"}
    assert rows[0].prev_hash == ""
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    # an SM3 hash, not SHA-256, of the previous hash and the canonical payload
    first = rows[0]
    payload = json.dumps(
        chain.payload_v2({**{n: getattr(first, n) for n in chain.ROW_FIELDS if n != "id"}}),
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    assert first.hash == chain.digest_hex("sm3", payload.encode())
    assert first.hash != hashlib.sha256(payload.encode()).hexdigest()
    result = chain.verify_database()
    assert result.ok and result.count == 5 and result.last_hash == rows[-1].hash


def test_sm3_matches_the_standard_example():
    # GB/T 32905-2016 appendix A, example 2: "abcd" × 16
    assert chain.digest_hex("sm3", b"abcd" * 16) == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_sha256_fallback_when_openssl_lacks_sm3(db, monkeypatch):
    audit_log(actor=None, action="test.a")
    monkeypatch.setattr(chain, "default_algorithm", lambda: "sha256")
    event = audit_log(actor=None, action="test.b")
    assert event.algorithm == "sha256"
    assert chain.verify_database().ok  # each row checked with its own algorithm


def test_rows_from_before_the_migration_still_verify(db, tamper):
    """A payload-version-1 row (SHA-256 over the old fields) followed by new rows."""
    at = "2026-01-05T01:02:03+00:00"
    old_fields = {
        "at": at,
        "actor": None,
        "actor_name": "system",
        "ip": "",
        "action": "org.unit.create",
        "object_type": "",
        "object_id": "",
        "data": {"name": "市政府"},
    }
    old_hash = hashlib.sha256(
        json.dumps(old_fields, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    AuditEvent.objects.create(
        seq=1,
        at=at,
        actor_name="system",
        action="org.unit.create",
        data={"name": "市政府"},
        prev_hash="",
        hash=old_hash,
        algorithm="sha256",
        payload_version=1,
    )
    new = audit_log(actor=None, action="test.after")
    assert new.seq == 2 and new.prev_hash == old_hash
    assert chain.verify_database().ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'x'",
        "UPDATE audit_auditevent SET actor_id = NULL",
        "DELETE FROM audit_auditevent",
        "DELETE FROM audit_auditevent WHERE seq = 3",
    ],
)
def test_the_database_refuses_update_and_delete(chain_of_five, sql):
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 5
    assert chain.verify_database().ok


def test_the_orm_cannot_change_rows_either(chain_of_five):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        chain_of_five[0].delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        event = chain_of_five[1]
        event.ip = "10.0.0.9"
        event.save()
    assert list(AuditEvent.objects.values_list("action", flat=True).order_by("id")) == [
        f"test.step{i}" for i in range(1, 6)
    ]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_truncate(chain_of_five):
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks in the way
        cursor.execute("TRUNCATE audit_auditevent")


@pytest.mark.parametrize(
    "column, value",
    [
        ("data", '{"i": 99, "text": "第3步"}'),
        ("actor_name", "someone else"),
        ("ip", "10.1.1.1"),
        ("object_repr", "改过"),
        ("action", "test.other"),
        ("algorithm", "sha256"),
    ],
)
def test_an_edited_row_is_found(chain_of_five, tamper, column, value):
    target = chain_of_five[2]
    tamper(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [value, target.id])
    result = chain.verify_database()
    assert not result.ok
    assert (target.id, "edited") in _kinds(result)
    assert audit_verify() == [target.id]


def test_an_edited_time_is_found(chain_of_five, tamper):
    target = chain_of_five[1]
    tamper(
        "UPDATE audit_auditevent SET at = %s WHERE id = %s",
        [target.at.replace(year=2020), target.id],
    )
    assert (target.id, "edited") in _kinds(chain.verify_database())


def test_a_removed_row_is_found(chain_of_five, tamper):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain_of_five[2].id])
    result = chain.verify_database()
    after = chain_of_five[3].id
    assert (after, "missing") in _kinds(result)
    assert (after, "link") in _kinds(result)
    assert "第 3–3 条" in next(b.detail for b in result.breaks if b.kind == "missing")


def test_a_removed_last_row_is_not_hidden_by_the_count(chain_of_five, tamper):
    """The tail can be cut without a break; what tells is the last hash the verify prints,
    compared with one kept elsewhere (docs/AUDIT.md)."""
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain_of_five[4].id])
    result = chain.verify_database()
    assert result.ok and result.last_hash == chain_of_five[3].hash != chain_of_five[4].hash


def test_reordered_rows_are_found(chain_of_five, tamper):
    """Swap the contents of rows 2 and 3 (every column but id)."""
    a, b = chain_of_five[1], chain_of_five[2]
    cols = ["seq", "action", "data", "prev_hash", "hash", "at"]
    tamper(
        "UPDATE audit_auditevent SET seq = -seq, hash = 'x' || substr(hash, 2)"
        " WHERE id IN (%s, %s)",
        [a.id, b.id],
    )
    for src, dst in ((a, b), (b, a)):
        sets = ", ".join(f"{c} = %s" for c in cols)
        values = [
            src.seq,
            src.action,
            json.dumps(src.data),
            src.prev_hash,
            src.hash,
            src.at,
        ]
        tamper(f"UPDATE audit_auditevent SET {sets} WHERE id = %s", [*values, dst.id])
    result = chain.verify_database()
    kinds = _kinds(result)
    assert (b.id, "reordered") in kinds
    assert (a.id, "link") in kinds


def test_an_inserted_row_is_found(chain_of_five, tamper):
    """A forged row slipped in with a correct hash of its own still breaks the next link."""
    last = chain_of_five[-1]
    forged = {
        "seq": 6,
        "at": last.at,
        "actor_id": None,
        "actor_name": "system",
        "ip": "",
        "action": "test.forged",
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "data": {},
        "prev_hash": chain_of_five[2].hash,
        "algorithm": "sm3",
        "payload_version": 2,
    }
    forged["hash"] = chain.row_hash(forged)
    tamper(
        "INSERT INTO audit_auditevent (seq, at, actor_name, ip, action, object_type, object_id,"
        " object_repr, data, prev_hash, hash, algorithm, payload_version)"
        " VALUES (6, %s, 'system', '', 'test.forged', '', '', '', '{}', %s, %s, 'sm3', 2)",
        [last.at, forged["prev_hash"], forged["hash"]],
    )
    result = chain.verify_database()
    forged_id = AuditEvent.objects.get(seq=6).id
    assert (forged_id, "link") in _kinds(result)
    assert (forged_id, "edited") not in _kinds(result)


def test_the_walk_reads_in_chunks(chain_of_five, tamper):
    tamper("UPDATE audit_auditevent SET ip = 'x' WHERE id = %s", [chain_of_five[4].id])
    for chunk in (1, 2, 3, 100):
        result = chain.verify_database(chunk=chunk)
        assert result.count == 5
        assert _kinds(result) == {(chain_of_five[4].id, "edited")}


def test_sensitive_values_are_masked(db):
    event = audit_log(actor=None, action="org.user.update", data={"phone": "13800000000"})
    assert event.data == {"phone": "***"}
