"""Keyed hashing and the winnowing guarantee."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leakguard.fingerprint.normalize import TokenStream
from leakguard.fingerprint.winnow import Hasher, Params, siphash24


def stream(codes: list[int]) -> TokenStream:
    array = np.array(codes, np.uint64)
    return TokenStream("python", array, np.arange(1, len(codes) + 1, dtype=np.int32))


def test_siphash_matches_the_published_vector() -> None:
    # Aumasson & Bernstein reference vectors: key 00..0f, message 00..07.
    word = np.array([0x0706050403020100], np.uint64)
    assert int(siphash24(bytes(range(16)), word)[0]) == 0x93F5F5799A932462


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(10, 40), min_size=30, max_size=120),
    st.lists(st.integers(10, 40), max_size=50),
    st.lists(st.integers(10, 40), max_size=50),
)
def test_a_shared_run_of_w_plus_k_minus_1_tokens_shares_a_fingerprint(
    shared: list[int], before: list[int], after: list[int]
) -> None:
    params = Params(k=6, w=5)
    hasher = Hasher(b"k" * 32, params)
    one = set(hasher.fingerprints(stream(shared)).hashes.tolist())
    two = set(hasher.fingerprints(stream(before + shared + after)).hashes.tolist())
    assert len(shared) >= params.w + params.k - 1
    assert one & two


def test_winnowing_keeps_a_small_share_and_lines_follow_tokens() -> None:
    rng = np.random.default_rng(1)
    codes = rng.integers(10, 1000, 5000).tolist()
    prints = Hasher(b"k" * 32, Params(k=12, w=8)).fingerprints(stream(codes))
    assert 0.15 < len(prints) / len(codes) < 0.3  # about 2 / (w + 1)
    assert (prints.last_lines - prints.first_lines == 11).all()


def test_the_key_changes_every_hash() -> None:
    codes = list(range(10, 200))
    one = Hasher(b"a" * 32, Params()).fingerprints(stream(codes), winnowed=False)
    two = Hasher(b"b" * 32, Params()).fingerprints(stream(codes), winnowed=False)
    assert not set(one.hashes.tolist()) & set(two.hashes.tolist())
