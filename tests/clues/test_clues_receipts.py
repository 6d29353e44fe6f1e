"""Receipt codes: format, entropy, the check character, normalisation, stored as a hash."""

from __future__ import annotations

import re

from luoshi.clues import receipts

CHAR = "[23456789ABCDEFGHJKMNPQRSTUVWXYZ]"
FORMAT = re.compile(rf"^{CHAR}{{4}}(-{CHAR}{{4}}){{4}}$")


def test_format_and_alphabet_without_look_alikes():
    for _ in range(200):
        code = receipts.new_code()
        assert FORMAT.match(code), code
        assert not set(code) & set("01OIL")
        assert receipts.is_well_formed(code)


def test_at_least_80_random_bits():
    import math

    assert (receipts.LENGTH - 1) * math.log2(receipts.BASE) >= 80
    codes = {receipts.new_code() for _ in range(2000)}
    assert len(codes) == 2000


def test_every_single_wrong_character_is_caught():
    code = receipts.normalise(receipts.new_code())
    for i, original in enumerate(code):
        for other in receipts.ALPHABET:
            if other == original:
                continue
            typo = code[:i] + other + code[i + 1 :]
            assert not receipts.is_well_formed(typo), (i, other)


def test_every_swap_of_neighbours_is_caught():
    for _ in range(50):
        code = receipts.normalise(receipts.new_code())
        for i in range(len(code) - 1):
            if code[i] == code[i + 1]:
                continue
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert not receipts.is_well_formed(swapped)


def test_lower_case_spaces_and_missing_dashes_are_accepted():
    code = receipts.new_code()
    plain = code.replace("-", "")
    assert receipts.is_well_formed(code.lower())
    assert receipts.is_well_formed(" ".join(plain[i : i + 4] for i in range(0, 20, 4)))
    assert receipts.code_hash(code.lower()) == receipts.code_hash(plain)


def test_wrong_lengths_and_foreign_characters_are_malformed():
    code = receipts.new_code()
    assert not receipts.is_well_formed(code[:-1])
    assert not receipts.is_well_formed(code + "A")
    assert not receipts.is_well_formed("")
    assert not receipts.is_well_formed("0" * 20)
    assert not receipts.is_well_formed("<script>alert(1)</script>")


def test_only_the_hash_is_stored(world):
    clue, code = world.submit()
    assert clue.receipt_hash == receipts.code_hash(code)
    assert len(clue.receipt_hash) == 64
    from luoshi.clues.models import Clue

    row = Clue.objects.filter(pk=clue.pk).values()[0]
    flat = receipts.normalise(code)
    assert not any(flat in str(v) or code in str(v) for v in row.values())
