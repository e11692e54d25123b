"""Anthropic Messages API: JSON answers, SSE events, errors, and the last user text."""

from __future__ import annotations

from typing import Any

from tests.fakeapi.common import (
    ToolCall,
    chunks,
    dumps,
    new_id,
    parts_text,
    sse,
    tokens,
    user_texts,
)

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


def error_body(status: int, message: str) -> dict[str, Any]:
    kind = _ERROR_TYPES.get(status, "api_error")
    return {
        "type": "error",
        "error": {"type": kind, "message": message},
        "request_id": new_id("req_"),
    }


def echo_text(body: Any) -> str | None:
    """Text of the last user message: its last text block or tool_result content."""
    for message in reversed(body.get("messages") or []):
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        content = message.get("content")
        found: list[str] = []
        for block in content if isinstance(content, list) else [content]:
            if isinstance(block, dict) and block.get("type") == "tool_result":
                found.append("".join(parts_text(block.get("content"))))
            else:
                found.extend(parts_text([block]))
        if found:
            return user_texts(found)
    return None


def _usage(body: Any, text: str) -> dict[str, int]:
    return {
        "input_tokens": tokens(dumps(body)),
        "output_tokens": tokens(text),
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }


def _blocks(text: str, tool: ToolCall | None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if text or tool is None:
        blocks.append({"type": "text", "text": text})
    if tool is not None:
        blocks.append(
            {
                "type": "tool_use",
                "id": new_id("toolu_01"),
                "name": tool.name,
                "input": tool.arguments,
            }
        )
    return blocks


def answer_json(body: Any, text: str, tool: ToolCall | None) -> dict[str, Any]:
    return {
        "id": new_id("msg_01"),
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "claude-fake"),
        "content": _blocks(text, tool),
        "stop_reason": "tool_use" if tool else "end_turn",
        "stop_sequence": None,
        "usage": _usage(body, text),
    }


def answer_sse(body: Any, text: str, tool: ToolCall | None, size: int) -> list[bytes]:
    """The event sequence of a streamed answer, ``size`` characters per delta."""
    message = answer_json(body, text, tool)
    start = {**message, "content": [], "stop_reason": None}
    start["usage"] = {**message["usage"], "output_tokens": 1}
    frames = [sse({"type": "message_start", "message": start}, "message_start")]
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            opening: dict[str, Any] = {"type": "text", "text": ""}
            deltas = [
                {"type": "text_delta", "text": piece} for piece in chunks(block["text"], size)
            ]
        else:
            opening = {**block, "input": {}}
            deltas = [{"type": "input_json_delta", "partial_json": ""}]
            deltas += [
                {"type": "input_json_delta", "partial_json": piece}
                for piece in chunks(dumps(block["input"]), size)
            ]
        frames.append(
            sse(
                {"type": "content_block_start", "index": index, "content_block": opening},
                "content_block_start",
            )
        )
        if index == 0:
            frames.append(sse({"type": "ping"}, "ping"))
        frames += [
            sse({"type": "content_block_delta", "index": index, "delta": d}, "content_block_delta")
            for d in deltas
        ]
        frames.append(sse({"type": "content_block_stop", "index": index}, "content_block_stop"))
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    usage = {"output_tokens": message["usage"]["output_tokens"]}
    frames.append(sse({"type": "message_delta", "delta": delta, "usage": usage}, "message_delta"))
    frames.append(sse({"type": "message_stop"}, "message_stop"))
    return frames


def count_tokens(body: Any) -> dict[str, Any]:
    return {"input_tokens": tokens(dumps(body))}
