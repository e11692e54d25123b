"""Server-sent events as bytes: cut a stream into events, and write events back.

Only the fields the provider APIs use are kept (``event`` and ``data``); comments and
``id``/``retry`` lines, which none of them send, are dropped.
"""

from __future__ import annotations

from leakguard.proxy.providers.base import SseEvent


class SseParser:
    """Feed bytes as they arrive; get complete events (an event may span chunks)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._event: str | None = None
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[SseEvent]:
        self._buffer += chunk
        events: list[SseEvent] = []
        while True:
            cut = self._buffer.find(b"\n")
            if cut < 0:
                return events
            raw, self._buffer = self._buffer[:cut], self._buffer[cut + 1 :]
            line = raw[:-1] if raw.endswith(b"\r") else raw
            event = self._line(line.decode("utf-8"))
            if event is not None:
                events.append(event)

    def finish(self) -> list[SseEvent]:
        """The last event when the stream ended without a blank line."""
        events = self.feed(b"\n") if self._buffer else []
        event = self._line("")
        return events + ([event] if event is not None else [])

    def _line(self, line: str) -> SseEvent | None:
        if not line:
            if self._event is None and not self._data:
                return None
            event = SseEvent(self._event, "\n".join(self._data))
            self._event, self._data = None, []
            return event
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        return None


def encode(event: SseEvent) -> bytes:
    lines = [f"event: {event.event}"] if event.event is not None else []
    lines.extend(f"data: {line}" for line in event.data.split("\n"))
    return ("\n".join(lines) + "\n\n").encode("utf-8")
