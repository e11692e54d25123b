"""Offsets to 1-based lines and columns, and the masked one-line context of a finding."""

from __future__ import annotations

import bisect
from collections.abc import Sequence


class LineIndex:
    """Maps character offsets of one text to (line, column).

    A text usually has a finding or two: the first lookups count newlines (one C pass
    each); the table of line starts is built only for a text with many lookups.
    """

    _DIRECT_LOOKUPS = 8

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._text = text
        self._first = first_line
        self._starts: list[int] | None = None
        self._lookups = 0

    def _line(self, offset: int) -> tuple[int, int]:
        """0-based line index and start offset of the line holding ``offset``."""
        starts = self._starts
        if starts is None:
            if self._lookups < self._DIRECT_LOOKUPS:
                self._lookups += 1
                text = self._text
                return text.count("\n", 0, offset), text.rfind("\n", 0, offset) + 1
            starts = self._starts = self._table()
        index = bisect.bisect_right(starts, offset) - 1
        return index, starts[index]

    def _table(self) -> list[int]:
        starts = [0]
        find = self._text.find
        position = find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = find("\n", position + 1)
        return starts

    def line_of(self, offset: int) -> int:
        """1-based line number in the origin (first_line counts the text's first line)."""
        return self._line(offset)[0] + self._first

    def position(self, offset: int) -> tuple[int, int]:
        index, start = self._line(offset)
        return index + self._first, offset - start + 1

    def line_span(self, offset: int) -> tuple[int, int]:
        """Start and end (without the newline) of the line holding ``offset``."""
        _, start = self._line(offset)
        end = self._text.find("\n", offset)
        return start, len(self._text) if end < 0 else end


def masked_context(
    text: str,
    line_start: int,
    line_end: int,
    spans: Sequence[tuple[int, int, str]],
    focus: int,
    width: int = 120,
) -> str:
    """The line with every (start, end, mask) span replaced, trimmed around ``focus``."""
    pieces: list[str] = []
    cursor = line_start
    focus_at = 0
    for start, end, mask in sorted(spans):
        if end <= line_start or start >= line_end:
            continue  # another line's finding
        start, end = max(start, line_start), min(end, line_end)
        if end <= cursor:
            continue  # inside a span already masked
        if start < cursor:  # overlaps one: hide the rest of it too
            pieces.append("…")
            cursor = end
            continue
        pieces.append(text[cursor:start])
        if start <= focus < max(end, start + 1):
            focus_at = sum(len(p) for p in pieces)
        pieces.append(mask)
        cursor = end
    pieces.append(text[cursor:line_end])
    line = "".join(pieces).replace("\t", " ").rstrip("\r")
    if len(line) <= width:
        return line.strip()
    left = max(0, min(focus_at - width // 3, len(line) - width))
    snippet = line[left : left + width]
    return ("…" if left else "") + snippet.strip() + ("…" if left + width < len(line) else "")
