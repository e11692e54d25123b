"""Placeholders back to their values: whole texts, and streams cut anywhere.

Only placeholders the vault knows are replaced (leftmost, then longest, as an
alternation of the known names would); anything else shaped like one of this vault's
placeholders is left untouched and reported, so a model's invented ``EMAIL_9_a3f9`` is
visible rather than silently kept.

Values the ``encrypt`` operator sealed (``ENC_...``, see encrypt.py) are opened in
the same pass when the key is given; without it, or when one does not verify, they
are left as they are and counted.

Finding them needs no per-vault regex (compiling an alternation of 100 names takes
~15 ms): every placeholder ends with ``_`` + the vault's tag, so ``str.find`` locates
candidates and the vault's names are checked by length at each one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from leakguard.transform import encrypt, placeholders
from leakguard.transform.vault import Vault

# value -> text as put back (identity, or JSON-escaped inside a JSON string)
Encoder = Callable[[str], str]


@dataclass(frozen=True)
class Restored:
    text: str
    restored: int
    unknown: tuple[str, ...]  # placeholder-shaped strings the vault does not know
    decrypted: int = 0  # encrypted values opened
    sealed: int = 0  # encrypted values left: no key given
    unverified: int = 0  # encrypted values left: wrong key, or changed on the way


def known_pattern(vault: Vault) -> re.Pattern[str] | None:
    if not len(vault):
        return None
    names = sorted(vault.values, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


class Matcher:
    """The vault's known placeholders, indexed once (per response, not per event)."""

    def __init__(self, vault: Vault) -> None:
        names = list(vault.values)
        self.values: Mapping[str, str] = vault.values
        self.anchor = "_" + vault.tag
        self.shape = placeholders.shape(vault.tag)
        self.longest = max(map(len, names), default=0)
        self._lengths = sorted({len(n) for n in names}, reverse=True)
        self._sorted = sorted(names)
        self._firsts = frozenset(n[0] for n in names)
        self._alphabet = "".join(set("".join(names)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Known placeholders in ``text``: leftmost first, longest at one start,
        never overlapping (what ``re.finditer`` over the alternation gives)."""
        anchor, values = self.anchor, self.values
        found: list[tuple[int, int]] = []
        at = text.find(anchor)
        while at >= 0:
            end = at + len(anchor)
            for length in self._lengths:
                start = end - length
                if start >= 0 and text[start:end] in values:
                    found.append((start, end))
            at = text.find(anchor, at + 1)
        if len(found) > 1:
            found.sort(key=lambda span: (span[0], span[0] - span[1]))
        kept: list[tuple[int, int]] = []
        position = 0
        for start, end in found:
            if start >= position:
                kept.append((start, end))
                position = end
        return kept

    def hold_start(self, text: str, low: int = 0) -> int:
        """Where the longest tail of ``text`` (from ``low`` on) that could still grow
        into a known placeholder begins; ``len(text)`` when there is none."""
        size = len(text)
        first = max(low, size - self.longest + 1)
        if first >= size:
            return size
        # Only a run of characters that placeholders use can be a prefix of one.
        run = first + len(text[first:].rstrip(self._alphabet))
        for position in range(run, size):
            if text[position] in self._firsts and self._proper_prefix(text[position:]):
                return position
        return size

    def _proper_prefix(self, tail: str) -> bool:
        names = self._sorted
        index = bisect_left(names, tail)
        while index < len(names) and names[index].startswith(tail):
            if len(names[index]) > len(tail):
                return True
            index += 1
        return False

    def unknown(self, text: str) -> list[str]:
        """Placeholder-shaped strings of this vault holding no known placeholder."""
        if self.anchor not in text:
            return []
        return [m.group() for m in self.shape.finditer(text) if not self.spans(m.group())]

    def sub(self, text: str, encode: Encoder | None = None) -> tuple[str, int]:
        """``text`` with every known placeholder replaced, and how many were."""
        spans = self.spans(text)
        if not spans:
            return text, 0
        pieces: list[str] = []
        position = 0
        for start, end in spans:
            value = self.values[text[start:end]]
            pieces.append(text[position:start])
            pieces.append(encode(value) if encode else value)
            position = end
        pieces.append(text[position:])
        return "".join(pieces), len(spans)


def restore(
    text: str, vault: Vault, matcher: Matcher | None = None, key: bytes | None = None
) -> Restored:
    """``text`` with known placeholders and (with ``key``) encrypted values put back."""
    matcher = matcher or Matcher(vault)
    unknown = tuple(dict.fromkeys(matcher.unknown(text)))
    tokens = encrypt.candidates(text)
    if not tokens:
        restored, count = matcher.sub(text)
        return Restored(restored, count, unknown)
    return _with_tokens(text, matcher, tokens, key, unknown)


def _with_tokens(
    text: str, matcher: Matcher, tokens: list[re.Match[str]], key: bytes | None,
    unknown: tuple[str, ...],
) -> Restored:
    """One left-to-right pass over placeholders and encrypted values, so nothing put
    back is looked at again."""
    opened, left = encrypt.open_all(tokens, key)
    values = matcher.values
    spans = [(s, e, values[text[s:e]], False) for s, e in matcher.spans(text)]
    spans += [(s, e, value, True) for s, e, value in opened]
    spans.sort(key=lambda span: (span[0], span[0] - span[1]))
    pieces: list[str] = []
    position = placed = decrypted = 0
    for start, stop, value, sealed in spans:
        if start >= position:
            pieces += (text[position:start], value)
            position = stop
            decrypted += sealed
            placed += not sealed
    pieces.append(text[position:])
    no_key = key is None
    return Restored(
        "".join(pieces), placed, unknown, decrypted,
        sealed=left if no_key else 0, unverified=0 if no_key else left,
    )


class StreamingRestorer:
    """Restores a stream fed in chunks; a placeholder split across chunks still matches.

    Holds back only a tail that is a proper prefix of a known placeholder (``IP_1``
    when ``IP_1_a3f9`` or ``IP_12_a3f9`` is known); everything before it is decided
    and returned at once. ``encode`` says how a value is written back (JSON-escaped
    inside streamed JSON text, where placeholders appear literally).
    """

    def __init__(
        self, vault: Vault, encode: Encoder | None = None, matcher: Matcher | None = None
    ) -> None:
        self._matcher = matcher or Matcher(vault)
        self._encode = encode
        self._pending = ""
        self._unknown: dict[str, None] = {}
        self.restored = 0

    @property
    def unknown(self) -> tuple[str, ...]:
        return tuple(self._unknown)

    @property
    def pending(self) -> bool:
        """True while some text is held back."""
        return bool(self._pending)

    def feed(self, chunk: str) -> str:
        buffer = self._pending + chunk
        matcher = self._matcher
        limit = matcher.hold_start(buffer)
        if limit == len(buffer) and matcher.anchor not in buffer:
            self._pending = ""  # the common case: nothing to restore, nothing to hold
            return buffer
        pieces: list[str] = []
        position = 0
        for start, end in matcher.spans(buffer):
            if start >= limit:
                if position <= limit:
                    break
                # The held tail began inside a placeholder just restored: look again.
                limit = matcher.hold_start(buffer, position)
                if start >= limit:
                    break
            pieces.append(self._raw(buffer[position:start]))
            pieces.append(self._put(buffer[start:end]))
            position = end
        if position > limit:
            limit = matcher.hold_start(buffer, position)
        pieces.append(self._raw(buffer[position:limit]))
        self._pending = buffer[limit:]
        return "".join(pieces)

    def finish(self) -> str:
        """The held-back tail, restored; the stream is complete."""
        tail, self._pending = self._pending, ""
        for value in self._matcher.unknown(tail):
            self._unknown[value] = None
        text, count = self._matcher.sub(tail, self._encode)
        self.restored += count
        return text

    def _put(self, placeholder: str) -> str:
        self.restored += 1
        value = self._matcher.values[placeholder]
        return self._encode(value) if self._encode else value

    def _raw(self, text: str) -> str:
        """Text passed through unchanged; note unknown placeholders in it (one split
        across chunks may go unreported; a known one is always restored)."""
        for value in self._matcher.unknown(text):
            self._unknown[value] = None
        return text
