"""OpenAI Chat Completions: JSON answers, SSE chunks ending in ``[DONE]``, errors."""

from __future__ import annotations

import time
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
    401: "invalid_request_error",
    403: "invalid_request_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
}


def error_body(status: int, message: str) -> dict[str, Any]:
    """OpenAI's error shape (Chat Completions and Responses share it)."""
    kind = _ERROR_TYPES.get(status, "server_error")
    code = "rate_limit_exceeded" if status == 429 else None
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def echo_text(body: Any) -> str | None:
    """Content of the last ``user`` or ``tool`` message (system/developer skipped)."""
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") in ("user", "tool"):
            found = parts_text(message.get("content"))
            if found:
                return user_texts(found) if message["role"] == "user" else "".join(found)
    return None


def _usage(body: Any, text: str) -> dict[str, int]:
    prompt, completion = tokens(dumps(body)), tokens(text)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def answer_json(body: Any, text: str, tool: ToolCall | None) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text or None, "refusal": None}
    if tool is not None:
        message["tool_calls"] = [
            {
                "id": new_id("call_"),
                "type": "function",
                "function": {"name": tool.name, "arguments": dumps(tool.arguments)},
            }
        ]
    return {
        "id": new_id("chatcmpl-"),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "gpt-fake"),
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if tool else "stop",
            }
        ],
        "usage": _usage(body, text),
        "system_fingerprint": "fp_fake",
    }


def answer_sse(body: Any, text: str, tool: ToolCall | None, size: int) -> list[bytes]:
    """Chunks: role, content pieces, tool call name then argument pieces, finish, usage."""
    base = {
        "id": new_id("chatcmpl-"),
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "gpt-fake"),
        "system_fingerprint": "fp_fake",
    }
    with_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        extra = {"usage": None} if with_usage else {}
        return sse({**base, "choices": [choice], **extra})

    frames = [chunk({"role": "assistant", "content": "", "refusal": None})]
    frames += [chunk({"content": piece}) for piece in chunks(text, size)]
    if tool is not None:
        opening = {
            "index": 0,
            "id": new_id("call_"),
            "type": "function",
            "function": {"name": tool.name, "arguments": ""},
        }
        frames.append(chunk({"tool_calls": [opening]}))
        frames += [
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
            for piece in chunks(dumps(tool.arguments), size)
        ]
    frames.append(chunk({}, "tool_calls" if tool else "stop"))
    if with_usage:
        frames.append(sse({**base, "choices": [], "usage": _usage(body, text)}))
    frames.append(sse("[DONE]"))
    return frames


def models() -> dict[str, Any]:
    """``GET /v1/models`` for OpenAI and Anthropic clients alike (fields of both)."""
    data = [
        {
            "id": name,
            "object": "model",
            "type": "model",
            "display_name": name,
            "created": 0,
            "created_at": "2025-01-01T00:00:00Z",
            "owned_by": "fake",
        }
        for name in ("gpt-4o", "claude-fake")
    ]
    return {
        "object": "list",
        "data": data,
        "has_more": False,
        "first_id": data[0]["id"],
        "last_id": data[-1]["id"],
    }
