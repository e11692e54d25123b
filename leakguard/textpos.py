"""Offsets to 1-based lines and columns, and the masked one-line context of a finding."""

from __future__ import annotations

import bisect
from collections.abc import Sequence


class LineIndex:
    """Maps character offsets of one text to (line, column); built once per text."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._text = text
        self._first = first_line
        starts = [0]
        find = text.find
        position = find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = find("\n", position + 1)
        self._starts = starts

    def line_of(self, offset: int) -> int:
        """1-based line number in the origin (first_line counts the text's first line)."""
        return bisect.bisect_right(self._starts, offset) - 1 + self._first

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + self._first, offset - self._starts[index] + 1

    def line_span(self, offset: int) -> tuple[int, int]:
        """Start and end (without the newline) of the line holding ``offset``."""
        index = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[index]
        end = self._starts[index + 1] - 1 if index + 1 < len(self._starts) else len(self._text)
        return start, end


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
