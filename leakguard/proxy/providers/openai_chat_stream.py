"""Restoring OpenAI Chat Completions responses: whole completions and SSE chunks.

Restored: message content and refusals, tool calls' ``function.arguments`` (JSON text:
values go back JSON-escaped). Blocks are keyed by choice index, then field (and tool
call index). A tail still held when a choice finishes goes into that finishing chunk
when it carries the same field, else into one extra chunk just before it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from leakguard.proxy.providers.base import SseEvent
from leakguard.proxy.providers.stream import Channels, event
from leakguard.proxy.providers.walk import loads, restore_field
from leakguard.transform.vault import Vault

ENVELOPE = ("id", "object", "created", "model", "system_fingerprint", "service_tier")
TEXT_FIELDS = ("content", "refusal")


class ChatRestorer:
    def __init__(self, vault: Vault) -> None:
        self._channels = Channels(vault)
        self._envelope: dict[str, Any] = {"object": "chat.completion.chunk"}

    def restore_json(self, body: Any) -> Any:
        matcher = self._channels.matcher
        for choice in _choices(body):
            message = choice.get("message")
            if not isinstance(message, dict):
                continue
            for field in TEXT_FIELDS:
                restore_field(message, field, matcher)
            for call in message.get("tool_calls") or ():
                if isinstance(call, dict):
                    restore_field(call.get("function"), "arguments", matcher, json_text=True)
            restore_field(message.get("function_call"), "arguments", matcher, json_text=True)
        return body

    def restore_event(self, sse: SseEvent) -> list[SseEvent]:
        data = loads(sse.data)
        if not isinstance(data, dict):
            return [*self.finish(), sse] if sse.data.strip() == "[DONE]" else [sse]
        choices = _choices(data)
        if not choices:
            return [sse]
        self._envelope = {k: data[k] for k in ENVELOPE if k in data}
        changed = False
        before: list[SseEvent] = []
        for position, choice in enumerate(choices):
            index = choice.get("index", position)
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                delta = choice["delta"] = {}
            changed |= self._feed(index, delta)
            if choice.get("finish_reason") is not None:
                leftover: dict[str, Any] = {}
                for key in self._keys(index):
                    tail = self._channels.flush(key)
                    if tail and _attach(delta, key, tail, create=False):
                        changed = True
                    elif tail:
                        _attach(leftover, key, tail, create=True)
                if leftover:
                    before.append(self._chunk(index, leftover))
        if not changed:
            return [*before, sse]
        return [*before, event(sse.event, data)]

    def finish(self) -> list[SseEvent]:
        out: list[SseEvent] = []
        by_choice: dict[Any, dict[str, Any]] = {}
        for key in self._channels.open_keys():
            tail = self._channels.flush(key)
            if tail and isinstance(key, tuple):
                _attach(by_choice.setdefault(key[0], {}), key, tail, create=True)
        for index, delta in by_choice.items():
            out.append(self._chunk(index, delta))
        return out

    def _feed(self, index: Any, delta: dict[str, Any]) -> bool:
        changed = False
        for field in TEXT_FIELDS:
            text = delta.get(field)
            if isinstance(text, str):
                out = self._channels.feed((index, field), text)
                changed |= out != text
                delta[field] = out
        calls = delta.get("tool_calls")
        for position, call in enumerate(calls if isinstance(calls, list) else ()):
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                key = (index, "tool_calls", call.get("index", position))
                text = function["arguments"]
                function["arguments"] = self._channels.feed(key, text, json_text=True)
                changed |= function["arguments"] != text
        legacy = delta.get("function_call")
        if isinstance(legacy, dict) and isinstance(legacy.get("arguments"), str):
            text = legacy["arguments"]
            legacy["arguments"] = self._channels.feed((index, "function_call"), text,
                                                      json_text=True)
            changed |= legacy["arguments"] != text
        return changed

    def _keys(self, index: Any) -> list[Hashable]:
        return [k for k in self._channels.open_keys() if isinstance(k, tuple) and k[0] == index]

    def _chunk(self, index: Any, delta: dict[str, Any]) -> SseEvent:
        choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": None}
        return event(None, {**self._envelope, "choices": [choice]})


def _choices(body: Any) -> list[dict[str, Any]]:
    choices = body.get("choices") if isinstance(body, dict) else None
    return [c for c in choices if isinstance(c, dict)] if isinstance(choices, list) else []


def _attach(delta: dict[str, Any], key: Hashable, tail: str, *, create: bool) -> bool:
    """Append ``tail`` to the field ``key`` names in ``delta`` (true if done); when
    the field is absent, add it only if ``create``."""
    assert isinstance(key, tuple)
    holder: dict[str, Any] = delta
    name = key[1]
    if name not in TEXT_FIELDS:
        outer, inner = delta, "function_call"
        if name == "tool_calls":
            calls = delta.get("tool_calls")
            found = [c for c in calls if isinstance(c, dict) and c.get("index") == key[2]] if (
                isinstance(calls, list)) else []
            if not found and not create:
                return False
            if not found:
                found = [{"index": key[2]}]
                delta.setdefault("tool_calls", []).append(found[0])
            outer, inner = found[0], "function"
        if not isinstance(outer.get(inner), dict):
            if not create:
                return False
            outer[inner] = {}
        holder, name = outer[inner], "arguments"
    if isinstance(holder.get(name), str):
        holder[name] += tail
        return True
    if create:
        holder[name] = tail
    return create
