"""What a rule's pattern tells the engine, read from the parsed pattern.

Whether a match can cross lines (``crosses_lines``), whether it holds a keyword before
any line break (``keyword_on_first_line``), and what every match must contain
(``required_strings``). Whether every match holds a keyword at all is in keywordcover.

The needs are sets of strings of which every match holds at least one. A window of
text lacking any one need cannot match, so the secrets detector skips the rule's regex
there; that check is a few substring tests, the regex a scan from every position. Only
literal runs of three or more characters and punctuation count: single letters and
digits are everywhere and would not narrow anything.

Being conservative is the contract: each answer errs on the side that runs the regex
(a match may cross lines; no keyword leads; no need). Anything unfamiliar in a pattern
counts that way.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import Any

from leakguard.sre import sre_parse

Needs = tuple[tuple[str, ...], ...]

_MAX_CHOICES = 24  # a need with more strings than this costs more than it saves
REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


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
                chars = class_chars(av)
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
            elif name in REPEATS and av[0] >= 1:
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


def class_chars(items: Any) -> set[str] | None:
    """The characters of a small positive class of literals, else None."""
    chars: set[str] = set()
    for op, av in items:
        if str(op) != "LITERAL":
            return None
        chars.add(chr(av))
    return chars if 0 < len(chars) <= 6 else None


def keyword_on_first_line(pattern: str, flags: int, keywords: tuple[str, ...]) -> bool:
    """Whether every match holds a keyword with no line break before it in the match.

    Then a match starts on the line of one of its keyword hits, and the engine's window
    for that hit need not reach back: half the text for a multi-line rule's regex.
    """
    if not keywords:
        return False
    try:
        parsed = sre_parse.parse(pattern, flags)
        return _leads(parsed.data, keywords, bool(parsed.state.flags & re.DOTALL))
    except Exception:
        return False


def _leads(items: Any, keywords: tuple[str, ...], dotall: bool) -> bool:
    """A keyword is guaranteed in ``items`` before anything that can match a newline."""
    run: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            if _holds_keyword("".join(run), keywords):
                return True
            if av == 10:
                return False
            continue
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        run.clear()
        if name == "BRANCH" and all(_leads(alt, keywords, dotall) for alt in av[1]):
            return True
        if name == "SUBPATTERN" and _leads(av[3], keywords, dotall or bool(av[1] & re.DOTALL)):
            return True
        if name in REPEATS and av[0] >= 1 and _leads(av[2], keywords, dotall):
            return True
        if _node_crosses([(op, av)], dotall):
            return False
    return False


def _holds_keyword(run: str, keywords: tuple[str, ...]) -> bool:
    lowered = run.lower()
    return any(k in lowered for k in keywords)


_NEWLINE = 10


def crosses_lines(pattern: str, flags: int) -> bool:
    """Whether any match of ``pattern`` can contain a newline (conservative: True if unsure)."""
    try:
        parsed = sre_parse.parse(pattern, flags)
        return _node_crosses(parsed.data, bool(parsed.state.flags & re.DOTALL))
    except Exception:
        return True


def _class_has_newline(items: Any) -> bool:
    negate = False
    hit = False
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            hit = hit or av == _NEWLINE
        elif name == "RANGE":
            hit = hit or av[0] <= _NEWLINE <= av[1]
        elif name == "CATEGORY":
            hit = hit or str(av) in ("CATEGORY_SPACE", "CATEGORY_NOT_DIGIT", "CATEGORY_NOT_WORD",
                                     "CATEGORY_UNI_SPACE", "CATEGORY_UNI_NOT_DIGIT",
                                     "CATEGORY_UNI_NOT_WORD")
            if str(av) in ("CATEGORY_NOT_SPACE", "CATEGORY_UNI_NOT_SPACE"):
                hit = hit or negate
        else:
            return True
    return hit != negate


def _node_crosses(items: Any, dotall: bool) -> bool:
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            if av == _NEWLINE:
                return True
        elif name == "NOT_LITERAL":
            if av != _NEWLINE:
                return True
        elif name == "ANY":
            if dotall:
                return True
        elif name == "IN":
            if _class_has_newline(av):
                return True
        elif name in ("AT", "GROUPREF"):
            continue
        elif name in ("ASSERT", "ASSERT_NOT"):
            continue  # lookarounds consume nothing
        elif name == "BRANCH":
            if any(_node_crosses(alt, dotall) for alt in av[1]):
                return True
        elif name == "SUBPATTERN":
            if _node_crosses(av[3], dotall or bool(av[1] & re.DOTALL)):
                return True
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if _node_crosses(av[2], dotall):
                return True
        elif name == "ATOMIC_GROUP":
            if _node_crosses(av, dotall):
                return True
        else:
            return True
    return False
