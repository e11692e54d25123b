"""Text as numpy arrays for the lexers: code points, character classes and span hashes.

Lexing one token at a time in Python (a regex ``findall`` and a dict lookup per token)
capped index builds near 4 MB/s. Here a text becomes one array of code points; word
boundaries, classes and token hashes are whole-array operations, so per-token Python
work is gone and only comments and string literals are still found by a regex.

A span's hash is a polynomial in its code points, ``sum(cp[s + i] * B**i) mod 2**64``,
read off prefix sums in O(1) per span (``B`` is odd, so it has an inverse mod 2**64).
It is unkeyed: keyed hashing happens later, in ``winnow``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]

WORD, SPACE, DIGIT, ALPHA = 1, 2, 4, 8  # class bits (ALPHA includes "_")
_BASE = 0x9E3779B97F4A7C15  # odd: invertible mod 2**64
_MASK = (1 << 64) - 1
_WORD_RE = re.compile(r"\w")


def _bits(char: str) -> int:
    """The class bits of one character, by the same rules as the regex lexer had."""
    bits = WORD if _WORD_RE.match(char) else 0
    bits |= SPACE if char.isspace() else 0
    bits |= DIGIT if char.isdigit() else 0
    bits |= ALPHA if (char.isalpha() or char == "_") else 0
    return bits


_ASCII = np.array([_bits(chr(c)) for c in range(128)], np.uint8)


def codepoints(text: str) -> npt.NDArray[np.uint32]:
    # surrogatepass: text decoded with surrogateescape (or from JSON) may hold lone surrogates
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def classes(cp: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    """Class bits per code point; the few distinct non-ASCII ones are asked one by one."""
    out = _ASCII[np.minimum(cp, 127)]
    high = np.flatnonzero(cp >= 128)
    if high.shape[0]:
        distinct, inverse = np.unique(cp[high], return_inverse=True)
        out[high] = np.array([_bits(chr(int(c))) for c in distinct], np.uint8)[inverse]
    return out


def word_hash(word: str) -> int:
    """What ``SpanHasher.spans`` gives for ``word``, computed in Python (keyword tables)."""
    value, power = 0, 1
    for char in word:
        value = (value + ord(char) * power) & _MASK
        power = (power * _BASE) & _MASK
    return value


@dataclass
class SpanHasher:
    """Polynomial hashes of spans of one text; keeps a table of powers across texts."""

    _powers: U64 = field(default_factory=lambda: np.ones(1, np.uint64))
    _inverses: U64 = field(default_factory=lambda: np.ones(1, np.uint64))

    def _grow(self, n: int) -> None:
        have = self._powers.shape[0]
        if have > n:
            return
        size = max(n + 1, 2 * have)
        steps = np.full(size - 1, _BASE, np.uint64)
        self._powers = np.concatenate([np.ones(1, np.uint64), np.cumprod(steps)])
        steps[:] = pow(_BASE, -1, 1 << 64)
        self._inverses = np.concatenate([np.ones(1, np.uint64), np.cumprod(steps)])

    def prefix(self, cp: npt.NDArray[np.uint32]) -> U64:
        """``P[i] = sum(cp[j] * B**j for j < i)``, length ``len(cp) + 1``."""
        n = cp.shape[0]
        self._grow(n)
        out = np.zeros(n + 1, np.uint64)
        np.cumsum(cp.astype(np.uint64) * self._powers[:n], out=out[1:])
        return out

    def spans(self, prefix: U64, starts: Ints, ends: Ints) -> U64:
        """The hash of each ``text[start:end]``, independent of where the span sits."""
        return np.asarray((prefix[ends] - prefix[starts]) * self._inverses[starts], np.uint64)


def span_mask(n: int, starts: Ints, ends: Ints) -> npt.NDArray[np.bool_]:
    """True for every position inside one of the half-open spans (sorted, disjoint)."""
    marks = np.zeros(n + 1, np.int8)
    marks[starts] += 1
    marks[ends] -= 1
    return np.cumsum(marks[:n], dtype=np.int8) > 0


_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def mix(values: U64) -> U64:
    """The MurmurHash3 64-bit finalizer, vectorized: spreads every input bit."""
    values = values ^ (values >> _S33)
    values = values * _C1
    values = values ^ (values >> _S33)
    values = values * _C2
    return np.asarray(values ^ (values >> _S33), np.uint64)
