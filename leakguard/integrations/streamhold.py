"""Restoring placeholders in a response that arrives one hook call per chunk.

Each chunk is its own process, so the tail held back (the start of a placeholder whose
end is in the next chunk) waits in a small file per session. It only ever holds a
proper prefix of a placeholder, never a value. The held tail is flushed into the next
chunk that has text, or the chunk that finishes the response; BeforeModel clears it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leakguard.integrations.hookscan import HookSession, session_vault_path

if TYPE_CHECKING:
    from leakguard.transform.vault import Vault


def hold_path(session: HookSession) -> Path:
    vault = session_vault_path(session.tool, session.session_id)
    return vault.with_suffix(".held")


def clear(session: HookSession) -> None:
    with contextlib.suppress(FileNotFoundError):
        hold_path(session).unlink()


def _held(session: HookSession) -> str:
    try:
        return hold_path(session).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _keep(session: HookSession, text: str) -> None:
    path = hold_path(session)
    if not text:
        clear(session)
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def held_tail(text: str, names: Collection[str]) -> int:
    """Length of the longest tail of ``text`` that could still grow into a known
    placeholder (a proper prefix of one); 0 when none could."""
    longest = max(map(len, names), default=0)
    for size in range(min(len(text), longest - 1), 0, -1):
        tail = text[-size:]
        if any(len(name) > size and name.startswith(tail) for name in names):
            return size
    return 0


def split_restore(text: str, vault: Vault, final: bool) -> tuple[str, str]:
    """(restored text that can go out now, tail to hold back)."""
    from leakguard.transform.restore import restore

    keep = 0 if final else held_tail(text, vault.values.keys())
    decided, tail = text[: len(text) - keep], text[len(text) - keep :]
    return restore(decided, vault).text, tail


def restore_chunk(session: HookSession, response: dict[str, Any]) -> dict[str, Any] | None:
    """The chunk with placeholders restored, or None when it needs no change."""
    candidates = response.get("candidates")
    if not isinstance(candidates, list) or not candidates:
        return None
    first = candidates[0] if isinstance(candidates[0], dict) else {}
    raw_content = first.get("content")
    content: dict[str, Any] = raw_content if isinstance(raw_content, dict) else {}
    parts = content.get("parts")
    if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
        return None  # no text here (a function call): leave the chunk whole
    held = _held(session)
    text = held + "".join(parts)
    with session.vault() as vault:
        if not len(vault):
            return None
        out, tail = split_restore(text, vault, bool(first.get("finishReason")))
    _keep(session, tail)
    if out == "".join(parts) and not held:
        return None
    new_first = {**first, "content": {**content, "parts": [out]}}
    updated = {**response, "candidates": [new_first, *candidates[1:]]}
    if "text" in response:
        updated["text"] = out
    return updated
