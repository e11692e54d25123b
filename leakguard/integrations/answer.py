"""A hook's answer to its tool, and the pieces of JSON the handlers share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from leakguard.record import Record, record

# The tools' blocking convention for command hooks: exit 2 with the reason on stderr.
EXIT_BLOCK = 2
WITHHELD = "[leakguard withheld this output: {reason}]"

JsonPath = tuple["str | int", ...]


@record
class HookAnswer(Record):
    """What a hook prints and how it exits: ``output`` as JSON on stdout (exit 0), or
    ``message`` on stderr with ``exit_code`` 2 (block)."""

    exit_code: int = 0
    output: dict[str, Any] | None = None
    message: str = ""

    @property
    def blocks(self) -> bool:
        return self.exit_code == EXIT_BLOCK


@record
class Leaf(Record):
    """One string inside a tool's JSON (a tool response, a tool input)."""

    path: JsonPath
    text: str


class HookError(Exception):
    """Input a handler cannot work with (not the JSON it expects): blocks."""


def leaves(value: Any, path: JsonPath = ()) -> Iterator[Leaf]:
    """Every non-empty string in a JSON value, with where it sits."""
    if isinstance(value, str):
        if value:
            yield Leaf(path, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))


def replaced(value: Any, change: Callable[[JsonPath, str], str], path: JsonPath = ()) -> Any:
    """A copy of a JSON value with every string passed through ``change``."""
    if isinstance(value, str):
        return change(path, value)
    if isinstance(value, dict):
        return {k: replaced(v, change, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [replaced(v, change, (*path, i)) for i, v in enumerate(value)]
    return value


def withheld(value: Any, reason: str, keep: frozenset[str] = frozenset({"type"})) -> Any:
    """The same shape with its text gone: the first string says why, the others are
    emptied (keys in ``keep``, such as a response's ``type``, stay)."""
    notice = WITHHELD.format(reason=reason)
    first: list[JsonPath] = []

    def change(path: JsonPath, text: str) -> str:
        if path and path[-1] in keep:
            return text
        if not first:
            first.append(path)
            return notice
        return ""

    return replaced(value, change)


def require(event: dict[str, Any], key: str, kind: type) -> Any:
    value = event.get(key)
    if not isinstance(value, kind):
        raise HookError(f"hook input has no {kind.__name__} {key!r}")
    return value
