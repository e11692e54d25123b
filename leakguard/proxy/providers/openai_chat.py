"""OpenAI Chat Completions: ``POST /v1/chat/completions`` (and gateway paths ending so).

Text lives in messages of every role (string content or text parts), assistant tool
calls' ``function.arguments`` (a JSON string, scanned as it is), tool messages, a
prediction's content and tool descriptions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from leakguard.proxy.providers.base import JsonPath, ResponseRestorer, TextSlot
from leakguard.proxy.providers.openai_chat_stream import ChatRestorer
from leakguard.proxy.providers.walk import (
    ToolCall,
    descriptions,
    input_label,
    message_label,
    output_label,
    route,
    tool_call,
    tool_label,
)
from leakguard.transform.vault import Vault

ROUTE = "/chat/completions"

# Not scanned, by rule: image_url, input_audio and file parts (pixels, sound, base64
# files), names and ids, and every top-level field but messages, tools, functions and
# prediction (model, sampling, response_format schemas, metadata, user).
SKIPPED_PARTS = ("image_url", "input_audio", "file")
TEXT_PARTS = {"text": "text", "refusal": "refusal"}


class OpenAIChat:
    name = "openai"

    def matches(self, method: str, path: str) -> bool:
        return method.upper() == "POST" and route(path).endswith(ROUTE)

    def text_slots(self, body: Any) -> Iterator[TextSlot]:
        if not isinstance(body, dict):
            return
        messages = body.get("messages")
        if isinstance(messages, list):
            calls = _tool_calls(messages)
            for index, message in enumerate(messages):
                if isinstance(message, dict):
                    yield from _message(message, index, calls)
        prediction = body.get("prediction")
        if isinstance(prediction, dict):
            yield from _content(prediction.get("content"), ("prediction",), "predicted output")
        for key in ("tools", "functions"):
            tools = body.get(key)
            for index, tool in enumerate(tools if isinstance(tools, list) else ()):
                if isinstance(tool, dict):
                    nested = isinstance(tool.get("function"), dict)
                    function = tool["function"] if nested else tool
                    path: JsonPath = (key, index, "function") if nested else (key, index)
                    name = function.get("name") or tool.get("name")
                    yield from descriptions(function, path, tool_label(name))

    def error_body(self, message: str) -> dict[str, Any]:
        return openai_error(message)

    def restorer(self, vault: Vault) -> ResponseRestorer:
        return ChatRestorer(vault)


def openai_error(message: str) -> dict[str, Any]:
    """OpenAI's error shape, as the SDKs raise it (BadRequestError with this message)."""
    return {
        "error": {
            "message": message,
            "type": "invalid_request_error",
            "param": None,
            "code": "leakguard_blocked",
        }
    }


def _tool_calls(messages: list[Any]) -> dict[str, ToolCall]:
    """tool_call id -> ``Read(/repo/.env)``; legacy function messages go by name."""
    found: dict[str, ToolCall] = {}
    for message in messages:
        if not isinstance(message, dict):
            continue
        calls = message.get("tool_calls")
        for call in calls if isinstance(calls, list) else ():
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict):
                name = str(function.get("name") or "")
                found[str(call.get("id"))] = tool_call(name, function.get("arguments"))
        legacy = message.get("function_call")
        if isinstance(legacy, dict):
            name = str(legacy.get("name") or "")
            found[f"function:{name}"] = tool_call(name, legacy.get("arguments"))
    return found


def _message(
    message: dict[str, Any], index: int, calls: dict[str, ToolCall]
) -> Iterator[TextSlot]:
    role = message.get("role")
    path: JsonPath = ("messages", index)
    call: ToolCall | None = None
    if role == "tool":
        call = calls.get(str(message.get("tool_call_id")))
    elif role == "function":
        name = str(message.get("name") or "")
        call = calls.get(f"function:{name}", ToolCall(name or "a tool"))
    label = output_label(call) if role in ("tool", "function") else message_label(role, index)
    source = call.source if call else None
    yield from _content(message.get("content"), (*path, "content"), label, source)
    if isinstance(message.get("refusal"), str):
        yield TextSlot((*path, "refusal"), message["refusal"], label)
    requested = message.get("tool_calls")
    for number, item in enumerate(requested if isinstance(requested, list) else ()):
        function = item.get("function") if isinstance(item, dict) else None
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            here = (*path, "tool_calls", number, "function", "arguments")
            yield TextSlot(here, function["arguments"], input_label(str(function.get("name"))))
    legacy = message.get("function_call")
    if isinstance(legacy, dict) and isinstance(legacy.get("arguments"), str):
        here = (*path, "function_call", "arguments")
        yield TextSlot(here, legacy["arguments"], input_label(str(legacy.get("name"))))


def _content(
    content: Any, path: JsonPath, label: str, source: str | None = None
) -> Iterator[TextSlot]:
    if isinstance(content, str):
        yield TextSlot(path, content, label, source)
        return
    for number, part in enumerate(content if isinstance(content, list) else ()):
        if not isinstance(part, dict) or part.get("type") in SKIPPED_PARTS:
            continue
        field = TEXT_PARTS.get(str(part.get("type") or "text"), "text")
        if isinstance(part.get(field), str):
            yield TextSlot((*path, number, field), part[field], label, source)
