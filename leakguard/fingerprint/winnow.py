"""Keyed k-gram hashes of a token stream, and winnowing to a small, position-robust subset.

Winnowing (Schleimer, Wilkerson & Aiken, SIGMOD 2003): hash every k-gram, slide a window
of ``w`` consecutive hashes and keep each window's minimum (the rightmost on ties). Any
shared run of at least ``w + k - 1`` tokens then shares at least one kept hash, while only
about ``2 / (w + 1)`` of the positions are kept.

Hashing is two-stage, both keyed by the index key. A vectorized rolling hash (token codes
mixed with a key-derived salt, a key-derived odd base, mod 2**64) ranks the k-grams for
winnowing; each kept rank is then passed through SipHash-2-4, a keyed pseudorandom
function, whose low 32 bits the index stores. Without the key a stored value cannot be
recomputed from candidate code, so the index alone tells nothing about what it covers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from leakguard.fingerprint.chars import mix
from leakguard.fingerprint.normalize import TokenStream

Hashes = npt.NDArray[np.uint32]
Positions = npt.NDArray[np.int64]
_REF_MIX = np.uint64(0xD6E8FEB86659FD93)  # odd: distinct distances, distinct values


@dataclass(frozen=True)
class Params:
    """k tokens per k-gram, w k-grams per winnowing window.

    Any shared run of w + k - 1 = 16 normalized tokens shares a fingerprint (a ten-line
    snippet has ~50 tokens, a quarter of them under 40); queries look up every k-gram.
    About 2 / (w + 1) of the positions are kept: w = 5 keeps the index near 14% of the
    source (budget 15%) and gave ten-line snippets about one more fingerprint than w = 6
    (bench/fingerprint.py and bench/fingerprint_heldout.py).
    """

    k: int = 12
    w: int = 5

    def __post_init__(self) -> None:
        if self.k < 2 or self.w < 1:
            raise ValueError("winnowing needs k >= 2 and w >= 1")


@dataclass(frozen=True, eq=False)
class Fingerprints:
    """Selected k-grams: keyed 32-bit hash, token position and source line range. The
    first ``kgrams`` are k-grams, any after them import items."""

    hashes: Hashes
    positions: Positions
    first_lines: npt.NDArray[np.int32]
    last_lines: npt.NDArray[np.int32]
    kgrams: int = -1  # -1: all
    item_tells: npt.NDArray[np.int32] | None = None  # None: ITEM_TELLING each

    def __len__(self) -> int:
        return int(self.hashes.shape[0])


_SIP_INIT = (0x736F6D6570736575, 0x646F72616E646F6D, 0x6C7967656E657261, 0x7465646279746573)


def _rotl(value: npt.NDArray[np.uint64], bits: int) -> npt.NDArray[np.uint64]:
    return np.asarray((value << np.uint64(bits)) | (value >> np.uint64(64 - bits)), np.uint64)


def _sip_rounds(v: list[npt.NDArray[np.uint64]], rounds: int) -> None:
    for _ in range(rounds):
        v[0] = v[0] + v[1]
        v[1] = _rotl(v[1], 13) ^ v[0]
        v[0] = _rotl(v[0], 32)
        v[2] = v[2] + v[3]
        v[3] = _rotl(v[3], 16) ^ v[2]
        v[0] = v[0] + v[3]
        v[3] = _rotl(v[3], 21) ^ v[0]
        v[2] = v[2] + v[1]
        v[1] = _rotl(v[1], 17) ^ v[2]
        v[2] = _rotl(v[2], 32)


def siphash24(key: bytes, words: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SipHash-2-4 (Aumasson & Bernstein 2012) of each 8-byte little-endian word, vectorized.

    A keyed pseudorandom function: one numpy pass over all words instead of one BLAKE2b
    call per fingerprint, which kept index builds from reaching 5 MB/s.
    """
    k0 = np.uint64(int.from_bytes(key[:8], "little"))
    k1 = np.uint64(int.from_bytes(key[8:16], "little"))
    zeros = np.zeros(words.shape[0], np.uint64)
    v = [zeros + (k0 ^ np.uint64(_SIP_INIT[0])), zeros + (k1 ^ np.uint64(_SIP_INIT[1]))]
    v += [zeros + (k0 ^ np.uint64(_SIP_INIT[2])), zeros + (k1 ^ np.uint64(_SIP_INIT[3]))]
    for block in (words, zeros + np.uint64(8 << 56)):  # the message, then its length
        v[3] = v[3] ^ block
        _sip_rounds(v, 2)
        v[0] = v[0] ^ block
    v[2] = v[2] ^ np.uint64(0xFF)
    _sip_rounds(v, 4)
    return np.asarray(v[0] ^ v[1] ^ v[2] ^ v[3], np.uint64)


class Hasher:
    """Fingerprints token streams under one key and one (k, w)."""

    def __init__(self, key: bytes, params: Params) -> None:
        self.key = key
        self.params = params
        seed = hashlib.blake2b(b"rolling", key=key, digest_size=16).digest()
        self._salt = np.uint64(int.from_bytes(seed[:8], "little"))
        self._base = np.uint64(int.from_bytes(seed[8:], "little") | 1)
        self._seal_key = hashlib.blake2b(b"seal", key=key, digest_size=16).digest()
        items = hashlib.blake2b(b"items", key=key, digest_size=8).digest()
        self._item_salt = np.uint64(int.from_bytes(items, "little"))

    def kgram_hashes(
        self, codes: npt.NDArray[np.uint64], refs: npt.NDArray[np.int32] | None = None
    ) -> npt.NDArray[np.uint64]:
        """One 64-bit keyed rank per k-gram (``len(codes) - k + 1`` of them). An identifier
        whose name occurred earlier in the same k-gram (``refs``) is hashed as "the name
        d tokens back" instead of "an identifier"."""
        k = self.params.k
        count = codes.shape[0] - k + 1
        if count <= 0:
            return np.zeros(0, np.uint64)
        values = mix(codes ^ self._salt)
        if refs is None or not refs.any():
            refs = None
        else:
            linked = mix((refs.astype(np.uint64) * _REF_MIX) ^ self._salt)
        ranks = np.zeros(count, np.uint64)
        for offset in range(k):
            value = values[offset : offset + count]
            if refs is not None and offset:
                ref = refs[offset : offset + count]
                inside = (ref > 0) & (ref <= offset)
                value = np.where(inside, linked[offset : offset + count], value)
            ranks = ranks * self._base + value
        return mix(ranks)

    def select(self, ranks: npt.NDArray[np.uint64]) -> Positions:
        """Winnowing: the rightmost minimum of each window of w ranks, each kept once."""
        w = self.params.w
        count = ranks.shape[0]
        if count == 0:
            return np.zeros(0, np.int64)
        if count <= w:
            return np.array([count - 1 - int(np.argmin(ranks[::-1]))], np.int64)
        windows = sliding_window_view(ranks, w)[:, ::-1]
        chosen = (w - 1 - np.argmin(windows, axis=1)) + np.arange(windows.shape[0])
        # Window minima move only rightwards, so repeats are adjacent.
        first = np.ones(chosen.shape[0], bool)
        first[1:] = chosen[1:] != chosen[:-1]
        return np.asarray(chosen[first], np.int64)

    def seal(self, ranks: npt.NDArray[np.uint64]) -> Hashes:
        """The stored form: SipHash-2-4 of each rank under the seal key, low 32 bits."""
        sealed = siphash24(self._seal_key, ranks) & np.uint64(0xFFFFFFFF)
        return np.asarray(sealed, np.uint32)

    def kgrams(
        self, stream: TokenStream, winnowed: bool = True
    ) -> tuple[npt.NDArray[np.uint64], Positions]:
        """(rank, token position) of the winnowed k-grams, or of every k-gram. Not sealed
        yet: a build seals all files' ranks in one call (``seal`` per file was slow)."""
        ranks = self.kgram_hashes(stream.codes, stream.refs)
        positions = self.select(ranks) if winnowed else np.arange(ranks.shape[0])
        return ranks[positions], positions

    def items(self, stream: TokenStream) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32]]:
        """(rank, line) of each import item (``imports``): one fingerprint each, all kept,
        so their order does not matter. Ranks of items and of k-grams are unrelated."""
        if stream.items is None or stream.item_lines is None:
            return np.zeros(0, np.uint64), np.zeros(0, np.int32)
        return mix(stream.items ^ self._item_salt), stream.item_lines

    def fingerprints(self, stream: TokenStream, winnowed: bool = True) -> Fingerprints:
        """Winnowed fingerprints (for the index), or every k-gram (for queries: then each
        indexed fingerprint inside the query is found, also near the query's edges); the
        import items follow the k-grams, each at the first token after its line."""
        ranks, positions = self.kgrams(stream, winnowed)
        last = positions + (self.params.k - 1)
        item_ranks, item_lines = self.items(stream)
        at = np.searchsorted(stream.lines, item_lines).astype(np.int64)
        at = np.minimum(at, max(len(stream) - 1, 0))
        return Fingerprints(
            hashes=self.seal(np.concatenate([ranks, item_ranks])),
            positions=np.concatenate([positions, at]),
            first_lines=np.concatenate([stream.lines[positions], item_lines]),
            last_lines=np.concatenate(
                [stream.lines[last] if len(positions) else stream.lines[:0], item_lines]
            ),
            kgrams=int(positions.shape[0]),
            item_tells=stream.item_tells,
        )
