"""What every match of a rule's pattern must contain, read from the parsed pattern.

The result is a list of "needs": sets of strings of which every match holds at least
one. A window of text lacking any one need cannot match, so the secrets detector skips
the rule's regex there; that check is a few substring tests, the regex a scan from
every position. Only literal runs of three or more characters and punctuation count:
single letters and digits are everywhere and would not narrow anything.

Being conservative is the contract: a need is reported only when the pattern cannot
match without it. Anything unfamiliar in the pattern adds no need.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import Any

from leakguard.sre import sre_parse

Needs = tuple[tuple[str, ...], ...]

_MAX_CHOICES = 24  # a need with more strings than this costs more than it saves
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def required_strings(pattern: str, flags: int) -> tuple[Needs, bool]:
    """The pattern's needs, and whether they are lower-cased (any part ignores case).

    Lower-cased needs are checked against lower-cased text; lowering both sides never
    hides a string the pattern would match.
    """
    try:
        parsed = sre_parse.parse(pattern, flags)
        walk = _Walk()
        needs = walk.sequence(parsed.data, bool(parsed.state.flags & re.IGNORECASE))
    except Exception:
        return (), False
    if walk.folded:
        needs = [{s.lower() for s in need} for need in needs]
    unique = {tuple(sorted(need)) for need in needs if need}
    return tuple(sorted(unique)), walk.folded


class _Walk:
    def __init__(self) -> None:
        self.folded = False

    def sequence(self, items: Any, fold: bool) -> list[set[str]]:
        found: list[set[str]] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                text = "".join(run)
                if _useful(text):
                    found.append({text})
                run.clear()

        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                self.folded = self.folded or (fold and chr(av).isalpha())
                run.append(chr(av))
                continue
            if name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue  # zero-width: the literal run around it stays contiguous
            flush()
            if name == "IN":
                chars = _class_chars(av)
                if chars and all(_useful(c) for c in chars):
                    found.append(chars)
            elif name == "BRANCH":
                choice = self._branch(av[1], fold)
                if choice:
                    found.append(choice)
            elif name == "SUBPATTERN":
                add, remove = av[1], av[2]
                inner = (fold or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
                found.extend(self.sequence(av[3], inner))
            elif name in _REPEATS and av[0] >= 1:
                found.extend(self.sequence(av[2], fold))
            elif name == "ATOMIC_GROUP":
                found.extend(self.sequence(av, fold))
        flush()
        return found

    def _branch(self, alternatives: Any, fold: bool) -> set[str] | None:
        # Whichever alternative matched holds its own best need: their union is needed.
        union: set[str] = set()
        for alternative in alternatives:
            needs = self.sequence(alternative, fold)
            if not needs:
                return None
            union |= max(needs, key=_selectivity)
        return union if len(union) <= _MAX_CHOICES else None


def _selectivity(need: AbstractSet[str]) -> tuple[int, int]:
    return min(len(s) for s in need), -len(need)


def _useful(text: str) -> bool:
    """Worth a substring test: three characters or more, or punctuation."""
    if text.isspace():
        return False
    return len(text) >= 3 or any(not c.isalnum() for c in text)


def _class_chars(items: Any) -> set[str] | None:
    """The characters of a small positive class of literals, else None."""
    chars: set[str] = set()
    for op, av in items:
        if str(op) != "LITERAL":
            return None
        chars.add(chr(av))
    return chars if 0 < len(chars) <= 6 else None
