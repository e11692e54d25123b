"""Line-number gutters that AI tools put in front of file contents, taken off.

Claude Code's Read answers each line as ``N<TAB>line`` (older versions ``   N→line``);
``cat -n`` and ``nl`` print ``   N<TAB>line``. A prompt holding a file read that way
is the most common way code leaves for a model, and a number in front of every line
breaks every k-gram of it: the index holds the file without numbers. Only the two
unambiguous shapes are taken (a tab or an arrow after the number): no line of code
starts that way, while ``N:`` or ``N|`` could be a dict entry or a table row. Each
prefix is cut from its line, so line numbers stay and string literals read as in the
file; offsets within a line move, which fingerprint matches (reported by line) allow.
"""

from __future__ import annotations

import re

_GUTTER = re.compile(r"^[ \t]*\d{1,9}(?:\t|\u2192)", re.MULTILINE)


def without_gutters(text: str) -> str:
    """``text`` with any line-number gutter (``N<TAB>``, ``N→``) cut from each line."""
    if "\t" not in text and "\u2192" not in text:
        return text  # the common case: no gutter can be there
    return _GUTTER.sub("", text)
