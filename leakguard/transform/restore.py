"""Placeholders back to their values: whole texts, and streams cut anywhere.

Only placeholders the vault knows are replaced (an exact alternation, longest first);
anything else shaped like one of this vault's placeholders is left untouched and
reported, so a model's invented ``EMAIL_9_a3f9`` is visible rather than silently kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leakguard.transform import placeholders
from leakguard.transform.vault import Vault


@dataclass(frozen=True)
class Restored:
    text: str
    restored: int
    unknown: tuple[str, ...]  # placeholder-shaped strings the vault does not know


def known_pattern(vault: Vault) -> re.Pattern[str] | None:
    if not len(vault):
        return None
    names = sorted(vault.values, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


def _unknown(text: str, vault: Vault, known: re.Pattern[str] | None) -> list[str]:
    found = []
    for match in placeholders.shape(vault.tag).finditer(text):
        value = match.group()
        if known is None or not known.search(value):
            found.append(value)
    return found


def restore(text: str, vault: Vault) -> Restored:
    known = known_pattern(vault)
    unknown = tuple(dict.fromkeys(_unknown(text, vault, known)))
    if known is None:
        return Restored(text, 0, unknown)
    values = vault.values
    count = 0

    def put_back(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return values[match.group()]

    return Restored(known.sub(put_back, text), count, unknown)


class StreamingRestorer:
    """Restores a stream fed in chunks; a placeholder split across chunks still matches.

    Holds back at most (longest placeholder - 1) characters between chunks: any
    placeholder starting before that tail ends inside the buffer, so it is complete.
    """

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._known = known_pattern(vault)
        self._hold = max((len(p) for p in vault.values), default=1) - 1
        self._pending = ""
        self._unknown: dict[str, None] = {}
        self.restored = 0

    @property
    def unknown(self) -> tuple[str, ...]:
        return tuple(self._unknown)

    def feed(self, chunk: str) -> str:
        buffer = self._pending + chunk
        if self._known is None:
            self._pending = ""
            return self._raw(buffer)
        cut = max(0, len(buffer) - self._hold)
        pieces: list[str] = []
        position = 0
        for match in self._known.finditer(buffer):
            if match.start() >= cut:
                break
            pieces.append(self._raw(buffer[position : match.start()]))
            pieces.append(self._vault.values[match.group()])
            self.restored += 1
            position = match.end()
        end = max(position, cut)
        pieces.append(self._raw(buffer[position:end]))
        self._pending = buffer[end:]
        return "".join(pieces)

    def finish(self) -> str:
        """The held-back tail, restored; the stream is complete."""
        tail, self._pending = self._pending, ""
        restored = restore(tail, self._vault)
        self.restored += restored.restored
        for value in restored.unknown:
            self._unknown[value] = None
        return restored.text

    def _raw(self, text: str) -> str:
        """Text passed through unchanged; note unknown placeholders in it (one split
        across chunks may go unreported; a known one is always restored)."""
        for value in _unknown(text, self._vault, self._known):
            self._unknown[value] = None
        return text
