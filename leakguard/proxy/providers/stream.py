"""Per-block streaming restore for one response.

A streamed answer interleaves blocks (a text block, then tool arguments; several tool
calls at once). Each block gets its own :class:`StreamingRestorer`, keyed the way the
API names blocks, so a tail held back in one never leaks into another. Tool arguments
stream as JSON text, where a value is put back JSON-escaped.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from leakguard.proxy.providers.base import SseEvent
from leakguard.proxy.providers.walk import dumps, json_escape
from leakguard.transform.restore import Matcher, StreamingRestorer
from leakguard.transform.vault import Vault


class Channels:
    """The open blocks of one streamed response and what each holds back."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.matcher = Matcher(vault)
        self._open: dict[Hashable, StreamingRestorer] = {}
        # The last delta event of each block, parsed: the shape of a flush event.
        self.templates: dict[Hashable, tuple[str | None, Any]] = {}

    def feed(self, key: Hashable, text: str, *, json_text: bool = False) -> str:
        """The part of ``text`` that can go on now (restored); the rest is held."""
        restorer = self._open.get(key)
        if restorer is None:
            encode = json_escape if json_text else None
            restorer = StreamingRestorer(self.vault, encode, self.matcher)
            self._open[key] = restorer
        return restorer.feed(text)

    def flush(self, key: Hashable) -> str:
        """Close a block: whatever it held, restored ("" when nothing)."""
        restorer = self._open.pop(key, None)
        return restorer.finish() if restorer is not None else ""

    def open_keys(self) -> list[Hashable]:
        return list(self._open)

    def text(self, text: str, *, json_text: bool = False) -> str:
        """A whole text (``.done`` events repeat it), restored at once."""
        if self.matcher.anchor not in text:
            return text
        return self.matcher.sub(text, json_escape if json_text else None)[0]


def event(name: str | None, body: Any) -> SseEvent:
    return SseEvent(name, dumps(body))
