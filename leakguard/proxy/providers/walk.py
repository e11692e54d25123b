"""Helpers every adapter shares: walking JSON for strings, naming tool calls for
people, JSON-escaping a value put back inside JSON text, and matching paths."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from leakguard.proxy.providers.base import JsonPath, TextSlot
from leakguard.transform.restore import Matcher

# The argument that says what a tool call was about, most telling first
# ("Read(/repo/.env)", "Bash(cat .env)", "Grep(AKIA)").
MAIN_ARGUMENTS = (
    "file_path", "path", "notebook_path", "absolute_path", "dir_path", "filename", "file",
    "command", "cmd", "pattern", "query", "url", "prompt", "description",
)
TITLE_WIDTH = 60
# A tool output's source file: these arguments always name the file read; these
# others only for a tool whose name says it reads (read_file(path), view(path)).
FILE_ARGUMENTS = ("file_path", "notebook_path", "absolute_path")
READ_ARGUMENTS = ("path", "filename", "file")
READ_WORDS = ("read", "view", "open", "cat")


def strings(
    node: Any, path: JsonPath, label: str, skip: Iterable[str] = (), source: str | None = None
) -> Iterator[TextSlot]:
    """Every string value under ``node`` (object values and list items, recursively);
    object keys and values under a key in ``skip`` are not visited."""
    if isinstance(node, str):
        yield TextSlot(path, node, label, source)
    elif isinstance(node, dict):
        skipped = skip if isinstance(skip, frozenset) else frozenset(skip)
        for key, value in node.items():
            if key not in skipped:
                yield from strings(value, (*path, key), label, skipped, source)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, (*path, index), label, skip, source)


def descriptions(node: Any, path: JsonPath, label: str) -> Iterator[TextSlot]:
    """``description`` strings anywhere in a tool's parameter schema (the rest of a
    schema is structure: names, types, enums)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield TextSlot((*path, key), value, label)
            else:
                yield from descriptions(value, (*path, key), label)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from descriptions(value, (*path, index), label)


@dataclass(frozen=True)
class ToolCall:
    """A tool call as people name it, and the file its output came from, if any."""

    title: str  # Read(/repo/.env)
    source: str | None = None  # /repo/.env, for a tool that reads a file


def tool_call(name: str, arguments: Any) -> ToolCall:
    """``Read(/repo/.env)``: the tool's name and its main argument, shortened.

    ``arguments`` is an object, a JSON string of one (OpenAI), or free text (custom
    tools), whose first line is used.
    """
    name = name or "a tool"
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            arguments = {"input": arguments.strip().split("\n", 1)[0]}
    if not isinstance(arguments, dict):
        return ToolCall(name)
    for key in (*MAIN_ARGUMENTS, "input"):
        value = arguments.get(key)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = " ".join(value)
        if isinstance(value, str) and value.strip():
            reads = key in FILE_ARGUMENTS or (
                key in READ_ARGUMENTS and any(w in name.lower() for w in READ_WORDS)
            )
            # A path's end (the file name) says most; a command's start does.
            title = shorten(value.strip(), keep_end=reads)
            return ToolCall(f"{name}({title})", value if reads else None)
    return ToolCall(name)


def shorten(text: str, width: int = TITLE_WIDTH, keep_end: bool = False) -> str:
    """One line of at most ``width`` characters (its start, or its end with
    ``keep_end``), token-like runs cut to their first four: labels reach block
    messages and the audit log, so a key typed into a command must not ride along."""
    text = _TOKEN_LIKE.sub(_cut_token, " ".join(text.split()))
    if len(text) <= width:
        return text
    return "…" + text[-(width - 1) :] if keep_end else text[: width - 1] + "…"


_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_+=-]{16,}")


def _cut_token(match: re.Match[str]) -> str:
    run = match.group()
    if any(c.isdigit() for c in run) and any(c.isalpha() for c in run):
        return run[:4] + "…"
    return run


def input_label(name: str) -> str:
    return f"input of {name or 'a tool'}"


def output_label(call: ToolCall | None) -> str:
    return f"output of {call.title}" if call else "output of a tool call"


def message_label(role: Any, index: int) -> str:
    """``user message 3``: the role and the 1-based position in the conversation."""
    return f"{role if isinstance(role, str) and role else 'unnamed'} message {index + 1}"


def tool_label(name: Any) -> str:
    return f"description of tool {name}" if isinstance(name, str) and name else "tool description"


def json_escape(value: str) -> str:
    """``value`` as it must appear inside a JSON string (quotes and backslashes
    escaped; non-ASCII kept as is, which JSON allows)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def restore_tree(node: Any, matcher: Matcher) -> tuple[Any, int]:
    """Every string in parsed JSON with placeholders restored (containers in place),
    and how many were: ``(node, count)``; a bare string comes back as a new value."""
    if isinstance(node, str):
        return matcher.sub(node) if matcher.anchor in node else (node, 0)
    count = 0
    items: Iterable[tuple[Any, Any]] = (
        node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list)
        else ()
    )
    for key, value in list(items):
        if isinstance(value, (str, dict, list)):
            node[key], found = restore_tree(value, matcher)
            count += found
    return node, count


def restore_field(node: Any, key: str, matcher: Matcher, *, json_text: bool = False) -> bool:
    """``node[key]`` restored when it is a string (JSON-escaped values for JSON text);
    true when something was put back."""
    if not isinstance(node, dict):
        return False
    value = node.get(key)
    if not isinstance(value, str) or matcher.anchor not in value:
        return False
    node[key], count = matcher.sub(value, json_escape if json_text else None)
    return count > 0


def route(path: str) -> str:
    """The path without a query string (``/v1/messages?beta=true``)."""
    return path.split("?", 1)[0].rstrip("/")


def dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def loads(data: str) -> Any:
    """Parsed event data, or None when it is not JSON (``[DONE]``, keep-alives)."""
    try:
        return json.loads(data)
    except ValueError:
        return None
