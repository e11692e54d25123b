"""OpenAI Responses API: JSON answers and the typed SSE event sequence Codex reads."""

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


def echo_text(body: Any) -> str | None:
    """The last ``function_call_output.output`` or user message text of ``input``."""
    items = body.get("input")
    if isinstance(items, str):
        return items
    for item in reversed(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        if item.get("type") == "function_call_output":
            return "".join(parts_text(item.get("output"), ("input_text", "output_text", "text")))
        if item.get("type", "message") == "message" and item.get("role") == "user":
            found = parts_text(item.get("content"))
            if found:
                return user_texts(found)
    return None


def _items(text: str, tool: ToolCall | None, done: bool) -> list[dict[str, Any]]:
    status = "completed" if done else "in_progress"
    items: list[dict[str, Any]] = []
    if text or tool is None:
        part = {"type": "output_text", "text": text if done else "", "annotations": []}
        items.append(
            {
                "type": "message",
                "id": new_id("msg_"),
                "status": status,
                "role": "assistant",
                "content": [part] if done else [],
            }
        )
    if tool is not None:
        items.append(
            {
                "type": "function_call",
                "id": new_id("fc_"),
                "call_id": new_id("call_"),
                "name": tool.name,
                "arguments": dumps(tool.arguments) if done else "",
                "status": status,
            }
        )
    return items


def _response(body: Any, output: list[dict[str, Any]], text: str, done: bool) -> dict[str, Any]:
    prompt, completion = tokens(dumps(body)), tokens(text)
    usage = {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": completion,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + completion,
    }
    return {
        "id": new_id("resp_"),
        "object": "response",
        "created_at": int(time.time()),
        "status": "completed" if done else "in_progress",
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": None,
        "model": body.get("model", "gpt-fake"),
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": None,
        "store": False,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": usage if done else None,
        "metadata": {},
    }


def answer_json(body: Any, text: str, tool: ToolCall | None) -> dict[str, Any]:
    return _response(body, _items(text, tool, done=True), text, done=True)


def answer_sse(body: Any, text: str, tool: ToolCall | None, size: int) -> list[bytes]:
    """created, in_progress, then per item added/deltas/done, then completed."""
    final = _items(text, tool, done=True)
    events: list[dict[str, Any]] = []
    started = _response(body, [], text, done=False)
    events += [
        {"type": "response.created", "response": started},
        {"type": "response.in_progress", "response": started},
    ]
    for index, item in enumerate(final):
        opening = _items(text, tool, done=False)[index] | {"id": item["id"]}
        if item["type"] == "function_call":
            opening["call_id"] = item["call_id"]
        events.append(
            {"type": "response.output_item.added", "output_index": index, "item": opening}
        )
        where = {"item_id": item["id"], "output_index": index}
        if item["type"] == "message":
            part = item["content"][0]
            empty = {**part, "text": ""}
            events.append(
                {"type": "response.content_part.added", **where, "content_index": 0, "part": empty}
            )
            events += [
                {
                    "type": "response.output_text.delta",
                    **where,
                    "content_index": 0,
                    "delta": piece,
                    "logprobs": [],
                }
                for piece in chunks(text, size)
            ]
            events += [
                {
                    "type": "response.output_text.done",
                    **where,
                    "content_index": 0,
                    "text": text,
                    "logprobs": [],
                },
                {"type": "response.content_part.done", **where, "content_index": 0, "part": part},
            ]
        else:
            events += [
                {"type": "response.function_call_arguments.delta", **where, "delta": piece}
                for piece in chunks(item["arguments"], size)
            ]
            events.append(
                {
                    "type": "response.function_call_arguments.done",
                    **where,
                    "name": item["name"],
                    "arguments": item["arguments"],
                }
            )
        events.append({"type": "response.output_item.done", "output_index": index, "item": item})
    completed = {
        **started,
        "status": "completed",
        "output": final,
        "usage": _response(body, final, text, done=True)["usage"],
    }
    events.append({"type": "response.completed", "response": completed})
    return [sse({**event, "sequence_number": n}, event["type"]) for n, event in enumerate(events)]
