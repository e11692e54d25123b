"""Restoring OpenAI Responses: whole responses and SSE events.

Restored: output_text and refusal parts, function_call ``arguments`` (JSON text: values
go back JSON-escaped), custom tool call ``input``, and ``output_text``. Reasoning
(summaries and encrypted content) is left as the model wrote it, as with Anthropic
thinking. Streamed blocks are keyed by item_id, output_index and content_index; a tail
still held is sent as one more ``.delta`` just before the ``.done`` event, which
repeats the whole text and is restored whole, as are ``output_item.done`` and
``response.completed``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from leakguard.proxy.providers.base import SseEvent
from leakguard.proxy.providers.stream import Channels, event
from leakguard.proxy.providers.walk import loads, restore_field
from leakguard.transform.restore import Matcher
from leakguard.transform.vault import Vault

# event type -> (block kind, field with the text, is JSON text)
DELTAS = {
    "response.output_text.delta": ("text", "delta", False),
    "response.refusal.delta": ("refusal", "delta", False),
    "response.function_call_arguments.delta": ("arguments", "delta", True),
    "response.custom_tool_call_input.delta": ("input", "delta", False),
}
DONES = {
    "response.output_text.done": ("text", "text", False),
    "response.refusal.done": ("refusal", "refusal", False),
    "response.function_call_arguments.done": ("arguments", "arguments", True),
    "response.custom_tool_call_input.done": ("input", "input", False),
}
PARTS = ("response.content_part.added", "response.content_part.done")
ITEMS = ("response.output_item.added", "response.output_item.done")
ENDS = ("response.completed", "response.incomplete", "response.failed", "response.done")
LIFECYCLE = ("response.created", "response.in_progress", "response.queued", *ENDS)
HANDLED = frozenset({*DELTAS, *DONES, *PARTS, *ITEMS, *LIFECYCLE})


class ResponsesRestorer:
    def __init__(self, vault: Vault) -> None:
        self._channels = Channels(vault)
        self._templates: dict[Hashable, tuple[str | None, dict[str, Any]]] = {}

    def restore_json(self, body: Any) -> Any:
        if isinstance(body, dict):
            _restore_response(body, self._channels.matcher)
        return body

    def restore_event(self, sse: SseEvent) -> list[SseEvent]:
        if sse.event is not None and sse.event not in HANDLED:
            return [sse]  # reasoning, annotations, keep-alives: nothing to restore
        data = loads(sse.data)
        if not isinstance(data, dict):
            return [sse]
        kind = str(data.get("type", sse.event))
        if kind in DELTAS:
            return self._delta(sse, data, kind)
        if kind in DONES:
            block, field, json_text = DONES[kind]
            return [*self._flush(_key(block, data)), self._whole(sse, data, field, json_text)]
        matcher = self._channels.matcher
        out: list[SseEvent] = []
        if kind in PARTS:
            changed = _restore_part(data.get("part"), matcher)
        elif kind in ITEMS:
            changed = _restore_item(data.get("item"), matcher)
        else:  # LIFECYCLE: a response that ends flushes what is still held
            out = self.finish() if kind in ENDS else []
            changed = _restore_response(data.get("response"), matcher)
        return [*out, event(sse.event, data) if changed else sse]

    def finish(self) -> list[SseEvent]:
        out: list[SseEvent] = []
        for key in self._channels.open_keys():
            out.extend(self._flush(key))
        return out

    def _delta(self, sse: SseEvent, data: dict[str, Any], kind: str) -> list[SseEvent]:
        block, field, json_text = DELTAS[kind]
        text = data.get(field)
        if not isinstance(text, str):
            return [sse]
        key = _key(block, data)
        self._templates[key] = (sse.event, dict(data))
        out = self._channels.feed(key, text, json_text=json_text)
        if out == text:
            return [sse]
        if not out:
            return []  # all held back: nothing to send yet
        data[field] = out
        return [event(sse.event, data)]

    def _flush(self, key: Hashable) -> list[SseEvent]:
        tail = self._channels.flush(key)
        template = self._templates.pop(key, None)
        if not tail or template is None:
            return []
        name, body = template
        return [event(name, {**body, "delta": tail})]

    def _whole(self, sse: SseEvent, data: dict[str, Any], field: str, json_text: bool) -> SseEvent:
        text = data.get(field)
        if not isinstance(text, str):
            return sse
        restored = self._channels.text(text, json_text=json_text)
        if restored == text:
            return sse
        data[field] = restored
        return event(sse.event, data)


def _key(block: str, data: dict[str, Any]) -> Hashable:
    return (block, data.get("item_id"), data.get("output_index"), data.get("content_index"))


def _restore_response(response: Any, matcher: Matcher) -> bool:
    if not isinstance(response, dict):
        return False
    changed = [_restore_item(item, matcher) for item in response.get("output") or ()]
    return restore_field(response, "output_text", matcher) or any(changed)


def _restore_item(item: Any, matcher: Matcher) -> bool:
    if not isinstance(item, dict):
        return False
    kind = item.get("type")
    if kind == "message":
        return any([_restore_part(part, matcher) for part in item.get("content") or ()])
    if kind == "function_call":
        return restore_field(item, "arguments", matcher, json_text=True)
    if kind == "custom_tool_call":
        return restore_field(item, "input", matcher)
    return False  # reasoning and the rest: left as the model wrote them


def _restore_part(part: Any, matcher: Matcher) -> bool:
    text = restore_field(part, "text", matcher)
    return restore_field(part, "refusal", matcher) or text
