"""Gemini generateContent / streamGenerateContent: answers, JSON-mode, errors."""

from __future__ import annotations

import json
from typing import Any

from tests.fakeapi.common import (
    ToolCall,
    chunks,
    dumps,
    new_id,
    sample_from_schema,
    sse,
    tokens,
    user_texts,
)

_STATUSES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def error_body(status: int, message: str) -> dict[str, Any]:
    return {
        "error": {"code": status, "message": message, "status": _STATUSES.get(status, "UNKNOWN")}
    }


def model_of(path: str) -> str:
    """``/v1beta/models/gemini-x:generateContent`` -> ``gemini-x``."""
    return path.rsplit("/", 1)[-1].split(":", 1)[0]


def json_schema(body: Any) -> Any | None:
    """The schema of a JSON-mode request (router, next-speaker check), else None."""
    config = body.get("generationConfig") or {}
    if config.get("responseMimeType") != "application/json":
        return None
    return config.get("responseJsonSchema") or config.get("responseSchema") or {}


def echo_text(body: Any) -> str | None:
    """The last user turn: a ``functionResponse.response`` (its ``output``) or text part."""
    for content in reversed(body.get("contents") or []):
        if not isinstance(content, dict) or content.get("role", "user") != "user":
            continue
        found: list[str] = []
        for part in content.get("parts") or []:
            if not isinstance(part, dict):
                continue
            if "functionResponse" in part:
                response = (part["functionResponse"] or {}).get("response")
                output = response.get("output") if isinstance(response, dict) else None
                found.append(output if isinstance(output, str) else dumps(response))
            elif isinstance(part.get("text"), str):
                found.append(part["text"])
        if found:
            return user_texts(found)
    return None


def _chunk(
    parts: list[dict[str, Any]], model: str, finish: bool, usage: dict[str, int], response_id: str
) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"parts": parts, "role": "model"}, "index": 0}
    if finish:
        candidate["finishReason"] = "STOP"
    return {
        "candidates": [candidate],
        "usageMetadata": usage,
        "modelVersion": model,
        "responseId": response_id,
    }


def answer_chunks(
    body: Any, path: str, text: str, tool: ToolCall | None, size: int
) -> list[dict[str, Any]]:
    """Response objects: text pieces, then a whole functionCall part, the last one finished.

    A JSON-mode request gets a single JSON text matching its schema (not ``text``).
    """
    model, response_id = model_of(path), new_id("", 22)
    schema = json_schema(body)
    if schema is not None:
        text, tool = json.dumps(sample_from_schema(schema)), None
    prompt, completion = tokens(dumps(body)), tokens(text)
    usage = {
        "promptTokenCount": prompt,
        "candidatesTokenCount": completion,
        "totalTokenCount": prompt + completion,
    }
    size = size if schema is None else max(1, len(text))  # JSON answers arrive whole
    parts: list[list[dict[str, Any]]] = [[{"text": piece}] for piece in chunks(text, size)]
    if tool is not None:
        parts.append([{"functionCall": {"name": tool.name, "args": tool.arguments}}])
    parts = parts or [[{"text": ""}]]
    return [_chunk(p, model, n == len(parts) - 1, usage, response_id) for n, p in enumerate(parts)]


def answer_json(body: Any, path: str, text: str, tool: ToolCall | None) -> dict[str, Any]:
    pieces = answer_chunks(body, path, text, tool, size=max(1, len(text)))
    merged = [part for piece in pieces for part in piece["candidates"][0]["content"]["parts"]]
    pieces[-1]["candidates"][0]["content"]["parts"] = merged
    return pieces[-1]


def answer_sse(body: Any, path: str, text: str, tool: ToolCall | None, size: int) -> list[bytes]:
    """``data:`` frames separated by CRLF pairs, as the real endpoint sends them."""
    return [sse(chunk, sep="\r\n\r\n") for chunk in answer_chunks(body, path, text, tool, size)]


def count_tokens(body: Any) -> dict[str, Any]:
    return {"totalTokens": tokens(dumps(body))}


def models() -> dict[str, Any]:
    names = ("gemini-2.5-pro", "gemini-2.5-flash")
    return {
        "models": [
            {
                "name": f"models/{n}",
                "displayName": n,
                "supportedGenerationMethods": ["generateContent"],
            }
            for n in names
        ]
    }
