"""Pieces every fake API shares: the tool call record, ids, SSE framing, chunking."""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_ALPHABET = string.ascii_letters + string.digits
SYSTEM_REMINDER = "<system-reminder>"


@dataclass(frozen=True)
class ToolCall:
    """A tool call the fake model makes: a tool name and its (JSON object) arguments."""

    name: str
    arguments: dict[str, Any]


def new_id(prefix: str, length: int = 24) -> str:
    """A provider-looking id such as ``toolu_01Ab...`` (random, never reused)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def chunks(text: str, size: int) -> Iterator[str]:
    """``text`` in pieces of ``size`` characters (at least one piece, maybe empty)."""
    size = max(1, size)
    if not text:
        return
    for start in range(0, len(text), size):
        yield text[start : start + size]


def dumps(value: Any) -> str:
    """Compact JSON as the providers send it (non-ASCII kept as is)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sse(data: Any, event: str | None = None, sep: str = "\n\n") -> bytes:
    """One server-sent event frame; ``data`` is JSON-encoded unless already a str."""
    payload = data if isinstance(data, str) else dumps(data)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}{sep}".encode()


def tokens(text: str) -> int:
    """A rough token count (four characters a token), at least 1."""
    return max(1, len(text) // 4)


def user_texts(candidates: list[str]) -> str | None:
    """The last candidate that is not a client-injected ``<system-reminder>`` block."""
    for text in reversed(candidates):
        if not text.lstrip().startswith(SYSTEM_REMINDER):
            return text
    return candidates[-1] if candidates else None


def parts_text(content: Any, kinds: tuple[str, ...] = ("text", "input_text")) -> list[str]:
    """Texts of a string or a list of typed parts (``{"type": "text", "text": ...}``)."""
    if isinstance(content, str):
        return [content]
    out: list[str] = []
    if isinstance(content, list):
        for part in content:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, dict) and part.get("type", "text") in kinds:
                text = part.get("text")
                if isinstance(text, str):
                    out.append(text)
    return out


def sample_from_schema(schema: Any) -> Any:
    """A value that satisfies a (JSON or Gemini OpenAPI-style) schema.

    Gemini CLI asks for JSON answers (model router, next-speaker check); a reply
    that does not parse makes it retry for ~100 s. Enums take their first value
    ("user" for next_speaker, so the CLI stops instead of looping).
    """
    if not isinstance(schema, dict):
        return "ok"
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return sample_from_schema(schema[key][0])
    kind = str(schema.get("type", "object")).lower()
    if isinstance(schema.get("type"), list):
        kind = str(schema["type"][0]).lower()
    if kind == "object":
        props = schema.get("properties") or {}
        return {name: sample_from_schema(sub) for name, sub in props.items()}
    if kind == "array":
        return [sample_from_schema(schema.get("items"))]
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1)
        return int(low) if kind == "integer" else float(low)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return "fake reasoning"
