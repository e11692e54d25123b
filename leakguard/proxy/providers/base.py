"""What every provider adapter offers: text slots of a request, errors, restoring.

An adapter knows one API's JSON shapes and nothing of transport or detection:
``text_slots`` says where outbound text lives (and names it for people),
``replace`` writes rewritten text back, ``restorer`` puts placeholders back in
responses, whole (JSON) or event by event (SSE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from leakguard.transform.vault import Vault

JsonPath = tuple["str | int", ...]


@dataclass(frozen=True)
class TextSlot:
    """One string in a request body that leaves the machine.

    ``path`` locates it in the parsed JSON; ``label`` names it for a person
    ("user message 3", "output of Read(/repo/.env)", "system prompt").
    """

    path: JsonPath
    text: str
    label: str
    # The file the text was read from when it is a tool's output (Read(file_path),
    # read_file(path)...), so protected paths apply; None when unknown.
    source: str | None = None


@dataclass(frozen=True)
class SseEvent:
    """One server-sent event: the ``event:`` name (or None) and its ``data:`` text."""

    event: str | None
    data: str


class ResponseRestorer(Protocol):
    """Placeholders back to values in one response (a fresh object per response)."""

    def restore_json(self, body: Any) -> Any:
        """A whole (non-streamed) response body, parsed JSON, restored."""

    def restore_event(self, event: SseEvent) -> list[SseEvent]:
        """One streamed event in, the events to send on out (may hold text back)."""

    def finish(self) -> list[SseEvent]:
        """End of stream: anything still held back."""


# value -> how it must appear where it is put back (identity, or JSON-escaped
# inside a streamed JSON string such as ``partial_json``).
Encoder = Callable[[str], str]


class Provider(Protocol):
    """One API family (Anthropic Messages, OpenAI Chat, OpenAI Responses, Gemini)."""

    name: str  # the default destination: anthropic | openai | gemini

    def matches(self, method: str, path: str) -> bool:
        """True for the request paths this adapter understands."""

    def text_slots(self, body: Any) -> Iterator[TextSlot]:
        """Every outbound string of a parsed request body (opaque fields skipped)."""

    def error_body(self, message: str) -> dict[str, Any]:
        """The provider's own error JSON for a blocked request (sent with HTTP 400)."""

    def restorer(self, vault: Vault) -> ResponseRestorer:
        """A restorer for one response, with the session's vault (placeholder -> value)."""


def replace(body: Any, path: JsonPath, text: str) -> None:
    """Write ``text`` at ``path`` in a parsed JSON body (in place)."""
    node = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = text
