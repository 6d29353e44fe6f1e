"""Receipt codes (回执码): what a public submitter keeps to look up their clue.

Format: five groups of four characters, XXXX-XXXX-XXXX-XXXX-XXXX, from an alphabet of 31
characters without the look-alikes 0/O, 1/I/L. The first 19 characters are random
(19 × log2(31) ≈ 94 bits, from `secrets`); the 20th is a check character: the weighted sum
of all twenty values (weights 1…20) is 0 modulo 31. Because 31 is prime and the weights are
distinct and non-zero modulo 31, every single wrong character and every swap of two
neighbours is caught before the database is asked.

Only the SHA-256 of the normalised code is stored. A code of 94 random bits cannot be
found from its hash by trying, so no salt is needed, and the lookup by hash is an indexed
equality that reveals nothing about the code's characters.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 31, a prime
LENGTH = 20
GROUP = 4
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def _check_char(body: str) -> str:
    total = sum((i + 1) * _VALUE[c] for i, c in enumerate(body))
    # LENGTH * x ≡ -total (mod BASE)
    x = (-total * pow(LENGTH, -1, BASE)) % BASE
    return ALPHABET[x]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH - 1))
    return group(body + _check_char(body))


def group(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(raw: str) -> str:
    """Upper case, without spaces and dashes (what people add or drop when they copy)."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -\t\u3000－—")


def is_well_formed(raw: str) -> bool:
    code = normalise(raw)
    if len(code) != LENGTH or any(c not in _VALUE for c in code):
        return False
    return _check_char(code[:-1]) == code[-1]


def code_hash(raw: str) -> str:
    return hashlib.sha256(normalise(raw).encode("ascii", "ignore")).hexdigest()
