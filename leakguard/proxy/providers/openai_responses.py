"""OpenAI Responses: ``POST /v1/responses`` (also ``/compact`` and ``/input_tokens``).

Text lives in ``instructions``, ``input`` (a string, or items: messages with text
parts, function and custom tool calls and their outputs, shell calls, reasoning
summaries), prompt variables and tool descriptions (also Codex's ``additional_tools``
items and namespaced tools).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from leakguard.proxy.providers.base import JsonPath, ResponseRestorer, TextSlot
from leakguard.proxy.providers.openai_chat import openai_error
from leakguard.proxy.providers.openai_responses_stream import ResponsesRestorer
from leakguard.proxy.providers.walk import (
    ToolCall,
    descriptions,
    input_label,
    message_label,
    output_label,
    route,
    strings,
    tool_call,
    tool_label,
)
from leakguard.transform.vault import Vault

ROUTES = ("/responses", "/responses/compact", "/responses/input_tokens")

# Not scanned, by rule: reasoning ``encrypted_content`` (opaque), input_image and
# input_file parts (pixels and base64 files), ids and call ids, item references, and
# every top-level field but instructions, input, prompt and tools (model, reasoning
# and text settings with their JSON schemas, include, metadata, client_metadata,
# prompt_cache_key, previous_response_id).
SKIPPED_PARTS = ("input_image", "input_file", "input_audio")
SKIPPED_KEYS = (
    "type", "id", "call_id", "status", "encrypted_content", "role", "name", "file_id",
    "image_url", "file_data", "server_label", "approval_request_id",
)
CALL_ITEMS = {"function_call": "arguments", "custom_tool_call": "input"}
OUTPUT_ITEMS = ("function_call_output", "custom_tool_call_output", "local_shell_call_output")
_SKIPPED_KEYS = frozenset(SKIPPED_KEYS)
_PART_SKIPPED_KEYS = _SKIPPED_KEYS | {"annotations", "logprobs"}


class OpenAIResponses:
    name = "openai"

    def matches(self, method: str, path: str) -> bool:
        return method.upper() == "POST" and route(path).endswith(ROUTES)

    def text_slots(self, body: Any) -> Iterator[TextSlot]:
        if not isinstance(body, dict):
            return
        instructions = body.get("instructions")
        if isinstance(instructions, str):
            yield TextSlot(("instructions",), instructions, "system prompt")
        elif isinstance(instructions, list):
            yield from _items(instructions, ("instructions",), {})
        items = body.get("input")
        if isinstance(items, str):
            yield TextSlot(("input",), items, message_label("user", 0))
        elif isinstance(items, list):
            yield from _items(items, ("input",), _tool_calls(items))
        prompt = body.get("prompt")
        if isinstance(prompt, dict) and isinstance(prompt.get("variables"), dict):
            for name, value in prompt["variables"].items():
                here = ("prompt", "variables", name)
                yield from strings(value, here, f"prompt variable {name}", _SKIPPED_KEYS)
        yield from _tools(body.get("tools"), ("tools",))

    def error_body(self, message: str) -> dict[str, Any]:
        return openai_error(message)  # both OpenAI APIs answer errors alike

    def restorer(self, vault: Vault) -> ResponseRestorer:
        return ResponsesRestorer(vault)


def _tool_calls(items: list[Any]) -> dict[str, ToolCall]:
    """call_id -> ``shell(cat .env)``, to name the outputs that answer the calls."""
    calls: dict[str, ToolCall] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        if kind in CALL_ITEMS:
            name = str(item.get("name") or "")
            calls[str(item.get("call_id"))] = tool_call(name, item.get(CALL_ITEMS[kind]))
        elif kind == "local_shell_call":
            calls[str(item.get("call_id"))] = tool_call("shell", item.get("action"))
    return calls


def _items(items: list[Any], path: JsonPath, calls: dict[str, ToolCall]) -> Iterator[TextSlot]:
    for index, item in enumerate(items):
        here = (*path, index)
        if isinstance(item, str):
            yield TextSlot(here, item, message_label("user", index))
            continue
        if not isinstance(item, dict):
            continue
        kind = item.get("type", "message")
        if kind == "message":
            yield from _content(item.get("content"), (*here, "content"),
                                message_label(item.get("role"), index))
        elif kind in CALL_ITEMS:
            field = CALL_ITEMS[kind]
            if isinstance(item.get(field), str):
                label = input_label(str(item.get("name") or ""))
                yield TextSlot((*here, field), item[field], label)
        elif kind in OUTPUT_ITEMS:
            call = calls.get(str(item.get("call_id")))
            source = call.source if call else None
            yield from _content(item.get("output"), (*here, "output"), output_label(call), source)
        elif kind == "reasoning":
            # The summary and reasoning text are plain; encrypted_content is opaque.
            for key in ("summary", "content"):
                yield from strings(item.get(key), (*here, key), "reasoning summary",
                                   _SKIPPED_KEYS)
        elif kind == "additional_tools":
            yield from _tools(item.get("tools"), (*here, "tools"))
        elif kind == "item_reference":
            continue
        else:
            # Shell and MCP calls, and items newer than this adapter: every string but
            # the opaque keys, so nothing new slips through unscanned.
            yield from strings(item, here, f"{kind} item {index + 1}", _SKIPPED_KEYS)


def _content(
    content: Any, path: JsonPath, label: str, source: str | None = None
) -> Iterator[TextSlot]:
    if isinstance(content, str):
        yield TextSlot(path, content, label, source)
        return
    for number, part in enumerate(content if isinstance(content, list) else ()):
        if isinstance(part, str):
            yield TextSlot((*path, number), part, label, source)
        elif isinstance(part, dict) and part.get("type") not in SKIPPED_PARTS:
            yield from strings(part, (*path, number), label, _PART_SKIPPED_KEYS, source)


def _tools(tools: Any, path: JsonPath) -> Iterator[TextSlot]:
    for index, tool in enumerate(tools if isinstance(tools, list) else ()):
        if not isinstance(tool, dict):
            continue
        here = (*path, index)
        if tool.get("type") == "namespace" and isinstance(tool.get("tools"), list):
            if isinstance(tool.get("description"), str):
                yield TextSlot((*here, "description"), tool["description"],
                               tool_label(tool.get("name")))
            yield from _tools(tool["tools"], (*here, "tools"))
        else:
            yield from descriptions(tool, here, tool_label(tool.get("name")))
