"""Anthropic Messages: ``POST /v1/messages`` and ``/v1/messages/count_tokens``.

Text lives in ``system`` (string or text blocks), every message of every role (string
content or blocks), tool_use inputs, tool_result contents (string or nested blocks),
text documents and tool descriptions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from leakguard.proxy.providers.anthropic_stream import AnthropicRestorer
from leakguard.proxy.providers.base import JsonPath, ResponseRestorer, TextSlot
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

ROUTES = ("/v1/messages", "/v1/messages/count_tokens")

# Not scanned, by rule. Blocks: thinking is signed model output (rewriting it breaks
# the signature), images carry base64 or a URL to pixels. Keys, in any block: opaque
# or structural values (signatures, base64 ``data``, ids, cache hints, citations that
# repeat scanned text). Top level: everything but system, messages and tools
# (model, metadata, limits, sampling, thinking and tool-choice settings, MCP servers).
SKIPPED_BLOCKS = ("thinking", "redacted_thinking", "image")
SKIPPED_KEYS = (
    "type", "id", "tool_use_id", "signature", "data", "media_type", "cache_control",
    "citations", "encrypted_content", "encrypted_index", "file_id", "is_error", "name",
)
TOOL_USE_BLOCKS = ("tool_use", "server_tool_use", "mcp_tool_use")
TOOL_RESULT_BLOCKS = ("tool_result", "mcp_tool_result")
_SKIPPED_KEYS = frozenset(SKIPPED_KEYS)


class Anthropic:
    name = "anthropic"

    def matches(self, method: str, path: str) -> bool:
        return method.upper() == "POST" and route(path).endswith(ROUTES)

    def text_slots(self, body: Any) -> Iterator[TextSlot]:
        if not isinstance(body, dict):
            return
        system = body.get("system")
        if isinstance(system, str):
            yield TextSlot(("system",), system, "system prompt")
        elif isinstance(system, list):
            yield from _blocks(system, ("system",), "system prompt", {})
        messages = body.get("messages")
        if isinstance(messages, list):
            calls = _tool_calls(messages)
            for index, message in enumerate(messages):
                if not isinstance(message, dict):
                    continue
                label = message_label(message.get("role"), index)
                content = message.get("content")
                path: JsonPath = ("messages", index, "content")
                if isinstance(content, str):
                    yield TextSlot(path, content, label)
                elif isinstance(content, list):
                    yield from _blocks(content, path, label, calls)
        tools = body.get("tools")
        if isinstance(tools, list):
            for index, tool in enumerate(tools):
                if isinstance(tool, dict):
                    label = tool_label(tool.get("name"))
                    if isinstance(tool.get("description"), str):
                        yield TextSlot(("tools", index, "description"), tool["description"], label)
                    schema = tool.get("input_schema")
                    yield from descriptions(schema, ("tools", index, "input_schema"), label)

    def error_body(self, message: str) -> dict[str, Any]:
        return {"type": "error", "error": {"type": "invalid_request_error", "message": message}}

    def restorer(self, vault: Vault) -> ResponseRestorer:
        return AnthropicRestorer(vault)


def _tool_calls(messages: list[Any]) -> dict[str, ToolCall]:
    """tool_use id -> ``Read(/repo/.env)``, to name the results that answer them."""
    calls: dict[str, ToolCall] = {}
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        for block in content if isinstance(content, list) else ():
            if isinstance(block, dict) and block.get("type") in TOOL_USE_BLOCKS:
                call = tool_call(str(block.get("name") or ""), block.get("input"))
                calls[str(block.get("id"))] = call
    return calls


def _blocks(
    blocks: list[Any],
    path: JsonPath,
    label: str,
    calls: dict[str, ToolCall],
    source: str | None = None,
) -> Iterator[TextSlot]:
    """Content blocks; ``source`` is the file a tool result's blocks came from."""
    for index, block in enumerate(blocks):
        here = (*path, index)
        if isinstance(block, str):
            yield TextSlot(here, block, label, source)
            continue
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind in SKIPPED_BLOCKS:
            if kind == "image":
                yield from _url_source(block, here, f"image URL in {label}")
            continue
        if kind == "text":
            if isinstance(block.get("text"), str):
                yield TextSlot((*here, "text"), block["text"], label, source)
        elif kind in TOOL_USE_BLOCKS:
            name = str(block.get("name") or "")
            yield from strings(block.get("input"), (*here, "input"), input_label(name))
        elif kind in TOOL_RESULT_BLOCKS:
            call = calls.get(str(block.get("tool_use_id")))
            result, read = output_label(call), call.source if call else None
            content = block.get("content")
            if isinstance(content, str):
                yield TextSlot((*here, "content"), content, result, read)
            elif isinstance(content, list):
                yield from _blocks(content, (*here, "content"), result, calls, read)
        elif kind == "document":
            yield from _document(block, here, f"document in {label}", calls, source)
        else:
            # search results, server tool results and blocks newer than this adapter:
            # every string but the opaque keys, so nothing new slips through unscanned.
            yield from strings(block, here, label, _SKIPPED_KEYS, source)


def _document(
    block: dict[str, Any],
    path: JsonPath,
    label: str,
    calls: dict[str, ToolCall],
    source: str | None,
) -> Iterator[TextSlot]:
    for key in ("title", "context"):
        if isinstance(block.get(key), str):
            yield TextSlot((*path, key), block[key], label, source)
    data = block.get("source")
    if not isinstance(data, dict):
        return
    kind = data.get("type")
    if kind == "text" and isinstance(data.get("data"), str):
        yield TextSlot((*path, "source", "data"), data["data"], label, source)
    elif kind == "content" and isinstance(data.get("content"), list):
        yield from _blocks(data["content"], (*path, "source", "content"), label, calls, source)
    elif kind == "content" and isinstance(data.get("content"), str):
        yield TextSlot((*path, "source", "content"), data["content"], label, source)
    else:
        yield from _url_source(block, path, label)  # base64 and file ids are opaque


def _url_source(block: dict[str, Any], path: JsonPath, label: str) -> Iterator[TextSlot]:
    source = block.get("source")
    if isinstance(source, dict) and source.get("type") == "url" and isinstance(
        source.get("url"), str
    ):
        yield TextSlot((*path, "source", "url"), source["url"], label)
