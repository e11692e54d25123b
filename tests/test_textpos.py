"""Offsets to lines and columns: the direct count and the line table agree."""

from __future__ import annotations

import random

from leakguard.textpos import LineIndex


def test_direct_lookups_and_the_table_agree() -> None:
    rng = random.Random(3)
    text = "".join(rng.choice("ab\n\n c") for _ in range(5_000))
    offsets = [rng.randrange(len(text) + 1) for _ in range(300)]
    direct = [LineIndex(text, 7) for _ in offsets]  # a fresh index per lookup: direct mode
    shared = LineIndex(text, 7)  # past a few lookups it builds the table
    for offset, fresh in zip(offsets, direct, strict=True):
        expected = (text.count("\n", 0, offset) + 7, offset - (text.rfind("\n", 0, offset) + 1) + 1)
        assert fresh.position(offset) == expected
        assert shared.position(offset) == expected
        assert shared.line_of(offset) == expected[0]
        start, end = shared.line_span(offset)
        assert text[start:end] == text.split("\n")[expected[0] - 7]
    assert shared._starts is not None  # the table mode was exercised


def test_line_span_of_the_last_line_without_newline() -> None:
    index = LineIndex("one\ntwo")
    assert index.line_span(5) == (4, 7)
    assert index.position(0) == (1, 1)
