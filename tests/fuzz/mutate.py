"""Byte mutations for the parser fuzzing: flips, cuts, insertions and overwrites of a valid
file, as a damaged upload or a hostile one would look."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def mutated(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "overwrite", "truncate"]))
        if not out:
            break
        at = draw(st.integers(min_value=0, max_value=len(out) - 1))
        if kind == "flip":
            out[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif kind == "cut":
            del out[at : at + draw(st.integers(min_value=1, max_value=64))]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            out[at : at + len(chunk)] = chunk
        else:
            del out[at:]
    return bytes(out)
