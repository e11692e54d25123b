"""Restoring Anthropic Messages responses: whole messages and SSE streams.

Restored: text blocks and tool_use inputs (``text_delta``; ``input_json_delta``, whose
``partial_json`` is JSON text, so values go back JSON-escaped). Not restored, on
purpose: thinking, which is signed and comes back in the next request unscanned;
leaving its placeholders keeps both the signature and the secret intact.
Blocks are keyed by ``index``; a tail held in a block is sent as one more delta just
before its ``content_block_stop``.
"""

from __future__ import annotations

from typing import Any

from leakguard.proxy.providers.base import SseEvent
from leakguard.proxy.providers.stream import Channels, event
from leakguard.proxy.providers.walk import loads, restore_tree
from leakguard.transform.vault import Vault

RESTORED_DELTAS = {"text_delta": "text", "input_json_delta": "partial_json"}
# Events that never carry model text: passed on without parsing.
PASSED_EVENTS = frozenset({"ping", "error"})
SIGNED_BLOCKS = ("thinking", "redacted_thinking")


class AnthropicRestorer:
    def __init__(self, vault: Vault) -> None:
        self._channels = Channels(vault)
        self._deltas: dict[Any, str] = {}  # open block index -> its delta type

    def restore_json(self, body: Any) -> Any:
        if isinstance(body, dict):
            self._restore_content(body.get("content"))
        return body

    def restore_event(self, sse: SseEvent) -> list[SseEvent]:
        if sse.event in PASSED_EVENTS:
            return [sse]
        data = loads(sse.data)
        if not isinstance(data, dict):
            return [sse]
        kind = data.get("type", sse.event)
        if kind == "content_block_delta":
            return self._delta(sse, data)
        if kind == "content_block_start":
            return self._start(sse, data)
        if kind == "content_block_stop":
            return [*self._flush(data.get("index")), sse]
        if kind == "message_start":
            message = data.get("message")
            if isinstance(message, dict) and message.get("content"):
                self._restore_content(message["content"])
                return [event(sse.event, data)]
            return [sse]
        if kind in ("message_delta", "message_stop"):
            return [*self.finish(), sse]
        return [sse]

    def finish(self) -> list[SseEvent]:
        out: list[SseEvent] = []
        for index in list(self._deltas):
            out.extend(self._flush(index))
        return out

    def _delta(self, sse: SseEvent, data: dict[str, Any]) -> list[SseEvent]:
        delta = data.get("delta")
        if not isinstance(delta, dict):
            return [sse]
        kind = delta.get("type")
        field = RESTORED_DELTAS.get(kind) if isinstance(kind, str) else None
        if field is None or not isinstance(delta.get(field), str):
            return [sse]  # thinking, signatures, citations: passed on as they are
        index = data.get("index")
        self._deltas[index] = str(kind)
        text = delta[field]
        out = self._channels.feed(index, text, json_text=field == "partial_json")
        if out == text:
            return [sse]
        if not out:
            return []  # all held back: nothing to send yet
        delta[field] = out
        return [event(sse.event, data)]

    def _start(self, sse: SseEvent, data: dict[str, Any]) -> list[SseEvent]:
        block = data.get("content_block")
        if not isinstance(block, dict):
            return [sse]
        index = data.get("index")
        text = block.get("text")
        if block.get("type") == "text" and isinstance(text, str) and text:
            self._deltas[index] = "text_delta"
            block["text"] = self._channels.feed(index, text)
            return [sse] if block["text"] == text else [event(sse.event, data)]
        if block.get("type") != "thinking" and block.get("input"):
            block["input"], count = restore_tree(block["input"], self._channels.matcher)
            return [event(sse.event, data)] if count else [sse]
        return [sse]

    def _flush(self, index: Any) -> list[SseEvent]:
        kind = self._deltas.pop(index, None)
        tail = self._channels.flush(index)
        if kind is None or not tail:
            return []
        field = RESTORED_DELTAS[kind]
        body = {"type": "content_block_delta", "index": index, "delta": {"type": kind, field: tail}}
        return [event("content_block_delta", body)]

    def _restore_content(self, content: Any) -> None:
        if not isinstance(content, list):
            return
        matcher = self._channels.matcher
        for block in content:
            if not isinstance(block, dict) or block.get("type") in SIGNED_BLOCKS:
                continue
            if isinstance(block.get("text"), str):
                block["text"], _ = restore_tree(block["text"], matcher)
            if "input" in block:
                block["input"], _ = restore_tree(block["input"], matcher)
