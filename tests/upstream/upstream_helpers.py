"""Raw HTTP against the fake: requests with compressed bodies, SSE parsing."""

from __future__ import annotations

import json
from typing import Any

import httpx


def post(url: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST JSON (or raw bytes) and read the whole answer (gzip undone by httpx)."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    merged = {"content-type": "application/json", **(headers or {})}
    return httpx.post(url, content=data, headers=merged, timeout=10)


def sse_events(text: str) -> list[tuple[str | None, Any]]:
    """``(event name, parsed data)`` of each event; ``[DONE]`` stays a string."""
    events: list[tuple[str | None, Any]] = []
    for frame in text.replace("\r\n", "\n").split("\n\n"):
        name, data = None, []
        for line in frame.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            payload = "\n".join(data)
            events.append((name, payload if payload == "[DONE]" else json.loads(payload)))
    return events
