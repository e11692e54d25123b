"""Read a YAML document and remember the line of every key, for `FILE:LINE:` errors."""

from __future__ import annotations

import datetime
from typing import Any

from leakguard.errors import ConfigError

Path_ = tuple[str | int, ...]  # a key path into the document: ("rules", 0, "pattern")


def dotted(path: Path_) -> str:
    """``("rules", 0, "pattern")`` -> ``rules[0].pattern``; the root is ``(top level)``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def line_of(lines: dict[Path_, int], path: Path_) -> int:
    """The line of ``path``, or of its nearest ancestor present in the document."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def parse(data: bytes, source: str) -> tuple[Any, dict[Path_, int], list[str]]:
    """Parse YAML; return the value, a path -> line map and structural problems.

    Problems PyYAML lets pass silently (a duplicate key keeps the last value; a
    non-string key) are reported here, each as ``FILE:LINE: key: what``.
    """
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loader = loader_cls(data)
        try:
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        what = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"{source}{line}: YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: YAML error: {exc}") from None
    lines: dict[Path_, int] = {}
    problems: list[str] = []
    if node is not None:
        _walk(node, (), lines, problems, source)
    return _dates_as_text(value), lines, problems


def _dates_as_text(value: Any) -> Any:
    """YAML reads `created: 2026-11-28` as a date; a policy has only text, numbers, flags."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _walk(
    node: Any, path: Path_, lines: dict[Path_, int], problems: list[str], source: str
) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                shown = getattr(key_node, "value", "?")
                problems.append(
                    f"{source}:{line}: {dotted(path)}: key {shown} must be a string (quote it)"
                )
                continue
            key = str(key_node.value)
            if key == "<<":
                continue  # a YAML merge key: its own keys are walked through the alias
            if key in seen:
                problems.append(f"{source}:{line}: {dotted((*path, key))}: duplicate key")
            seen.add(key)
            child: Path_ = (*path, key)
            lines[child] = line
            _walk(value_node, child, lines, problems, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            _walk(item, child, lines, problems, source)


_STR_TAG = "tag:yaml.org,2002:str"
