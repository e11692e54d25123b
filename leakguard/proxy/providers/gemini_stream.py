"""Restoring Gemini responses: whole ones (an object, or the array a stream without
``alt=sse`` returns) and SSE chunks.

Restored: text parts (thoughts too: Gemini signs with ``thoughtSignature``, not over
the text) and ``functionCall.args`` strings, which arrive whole in each chunk.
Gemini has no block-stop event: text streams per candidate (thoughts apart from the
answer), and a held tail is sent as a text part placed where the text ended, before
the next non-text part, before a finishReason, or in a last chunk at the end.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from leakguard.proxy.providers.base import SseEvent
from leakguard.proxy.providers.stream import Channels, event
from leakguard.proxy.providers.walk import loads, restore_tree
from leakguard.transform.restore import Matcher
from leakguard.transform.vault import Vault

TEXT_KEYS = frozenset({"text", "thought"})


class GeminiRestorer:
    def __init__(self, vault: Vault) -> None:
        self._channels = Channels(vault)

    def restore_json(self, body: Any) -> Any:
        for response in body if isinstance(body, list) else [body]:
            for candidate in _candidates(response):
                for part in _parts(candidate):
                    _restore_part(part, self._channels.matcher)
        return body

    def restore_event(self, sse: SseEvent) -> list[SseEvent]:
        data = loads(sse.data)
        candidates = _candidates(data)
        if not candidates:
            return [sse]
        changed = False
        for position, candidate in enumerate(candidates):
            changed |= self._candidate(candidate.get("index", position), candidate)
        if not changed:
            return [sse]
        if not any(_parts(c) or c.get("finishReason") for c in candidates) and not (
            data.get("promptFeedback")
        ):
            return []  # all text held back: nothing to send yet
        return [event(sse.event, data)]

    def finish(self) -> list[SseEvent]:
        by_candidate: dict[Any, list[dict[str, Any]]] = {}
        for key in self._channels.open_keys():
            assert isinstance(key, tuple)
            by_candidate.setdefault(key[0], []).extend(self._flush([key]))
        return [
            event(None, {"candidates": [{"index": index, "content": {"role": "model",
                                                                     "parts": parts}}]})
            for index, parts in by_candidate.items() if parts
        ]

    def _candidate(self, index: Any, candidate: dict[str, Any]) -> bool:
        parts = _parts(candidate)
        out: list[dict[str, Any]] = []
        changed = False
        for part in parts:
            text = part.get("text")
            if isinstance(text, str):
                key = (index, bool(part.get("thought")))
                held = self._flush([k for k in self._open(index) if k != key])
                restored = self._channels.feed(key, text)
                changed |= bool(held) or restored != text
                out.extend(held)
                part["text"] = restored
                if restored or not TEXT_KEYS.issuperset(part):
                    out.append(part)
            else:
                held = self._flush(self._open(index))
                restored_any = _restore_part(part, self._channels.matcher)  # always runs
                changed |= bool(held) or restored_any
                out.extend(held)
                out.append(part)
        if candidate.get("finishReason"):
            held = self._flush(self._open(index))
            changed |= bool(held)
            out.extend(held)
        if changed:
            content = candidate.get("content")
            if not isinstance(content, dict):
                content = candidate["content"] = {"role": "model"}
            content["parts"] = out
        return changed

    def _open(self, index: Any) -> list[Hashable]:
        return [k for k in self._channels.open_keys() if isinstance(k, tuple) and k[0] == index]

    def _flush(self, keys: list[Hashable]) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = []
        for key in keys:
            tail = self._channels.flush(key)
            if tail and isinstance(key, tuple):
                parts.append({"text": tail, "thought": True} if key[1] else {"text": tail})
        return parts


def _candidates(body: Any) -> list[dict[str, Any]]:
    found = body.get("candidates") if isinstance(body, dict) else None
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def _parts(candidate: dict[str, Any]) -> list[dict[str, Any]]:
    content = candidate.get("content")
    parts = content.get("parts") if isinstance(content, dict) else None
    return [p for p in parts if isinstance(p, dict)] if isinstance(parts, list) else []


def _restore_part(part: dict[str, Any], matcher: Matcher) -> bool:
    """Whole text and function-call arguments restored; true if anything changed."""
    count = 0
    if isinstance(part.get("text"), str):
        part["text"], count = restore_tree(part["text"], matcher)
    call = part.get("functionCall")
    if isinstance(call, dict) and call.get("args"):
        call["args"], found = restore_tree(call["args"], matcher)
        count += found
    return count > 0
