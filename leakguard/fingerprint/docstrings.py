"""Docstrings as order-free items: the organisation's own prose, kept out of the k-grams.

The token stream drops docstrings: stripping or rewriting them leaves the code the same,
and k-grams across one would not survive that. But a docstring copied with its code is
the most telling text a snippet holds, and renaming and reformatting leave it alone. So
each docstring of a few words is one item (like an imported name, ``imports``): its words
hashed, quotes, indentation and line breaks ignored (a formatter re-wraps and
re-indents), worth a word of evidence per word up to ``MAX_TELLING``. Docstrings every
project has ("Return self.") are too short, or left out by the common-code pass and the
matcher's ``item_postings`` like any idiom.
"""

from __future__ import annotations

import hashlib

MIN_WORDS = 3
MAX_TELLING = 8
HASHED_WORDS = 24


def docstring_item(profile: str, literal: str) -> tuple[int, int] | None:
    """(stable unkeyed 64-bit code, telling) of a docstring literal, or None for one
    under ``MIN_WORDS`` words."""
    # The first words say what the docstring is about, and hashing them alone keeps the
    # cost of a long docstring down: a copy holds them all.
    # The lexer's literal starts at its quotes (a prefix like r stays behind as a word).
    words = literal.strip("\"'").split(maxsplit=HASHED_WORDS)[:HASHED_WORDS]
    if len(words) < MIN_WORDS:
        return None
    digest = hashlib.blake2b(f"{profile}\0doc\0{' '.join(words)}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "little"), min(2 * len(words), MAX_TELLING)
