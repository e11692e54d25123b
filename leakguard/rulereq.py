"""What a rule's pattern tells the engine, read from the parsed pattern.

Whether a match can cross lines (``crosses_lines``), whether it holds a keyword before
any line break (``keyword_on_first_line``), and what every match must contain
(``required_strings``).

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
        if name in _REPEATS and av[0] >= 1 and _leads(av[2], keywords, dotall):
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


_MAX_STRINGS = 512  # the finite sets below give up past this size: "unsure"
_EMPTY: frozenset[str] = frozenset({""})


def keyword_in_every_match(pattern: str, flags: int, keywords: tuple[str, ...]) -> bool:
    """Whether every match of ``pattern`` holds one of ``keywords`` (case-folded).

    A match without a keyword is never reported: the prefilter skips its text and the
    detector rejects it. So a False here, for a rule with keywords, means part of the
    pattern can never fire. Unsure counts as False; ``rules check`` says which it is.
    """
    if not keywords:
        return False
    try:
        parsed = sre_parse.parse(pattern, flags)
        return _guaranteed(parsed.data, tuple(k.lower() for k in keywords))
    except Exception:
        return False


def _guaranteed(
    items: Any,
    keywords: tuple[str, ...],
    before: frozenset[str] = _EMPTY,
    after: frozenset[str] = _EMPTY,
) -> bool:
    """Whether every match of ``items``, between one of ``before`` and one of ``after``,
    holds a keyword."""
    items = list(items)

    def all_hold(strings: set[str]) -> bool:
        return all(any(k in s.lower() for k in keywords) for s in strings)

    # A stretch of nodes that each match one of a few strings: their concatenations
    # must all hold a keyword ("dd" then one of "_", "api", "app" -> dd_, ddapi, ddapp).
    for first in range(len(items)):
        strings = set(before) if first == 0 else {""}
        for last, item in enumerate(items[first:], first):
            options = _finite(item)
            if options is None:
                break
            strings = {a + b for a in strings for b in options}
            if len(strings) > _MAX_STRINGS:
                break
            if all_hold(strings):
                return True
            if last == len(items) - 1 and all_hold({a + b for a in strings for b in after}):
                return True
    for position, (op, av) in enumerate(items):
        name = str(op)
        # The parser factors common prefixes out ("i(?:bm...|am...)"), and a keyword may
        # run on past a group ("api:" then "key-"): carry the neighbours in.
        head = _finite_ends(items[:position], before if position == 0 else None)
        tail = _finite_starts(items[position + 1 :], after)
        if name == "BRANCH" and all(_guaranteed(alt, keywords, head, tail) for alt in av[1]):
            return True
        if name == "SUBPATTERN" and _guaranteed(av[3], keywords, head, tail):
            return True
        if name in _REPEATS and av[0] >= 1 and _guaranteed(av[2], keywords):
            return True
    return False


def _finite_ends(items: list[Any], before: frozenset[str] | None) -> frozenset[str]:
    """The strings the finite nodes just before a position can end with."""
    strings = {""}
    for item in reversed(items):
        options = _finite(item)
        if options is None:
            return frozenset(strings)
        strings = {b + a for a in strings for b in options}
        if len(strings) > _MAX_STRINGS:
            return _EMPTY
    if before is not None:
        strings = {b + a for a in strings for b in before}
    return frozenset(strings)


def _finite_starts(items: list[Any], after: frozenset[str]) -> frozenset[str]:
    """The strings the finite nodes just after a position can start with."""
    strings = {""}
    for op, av in items:
        options = _finite((op, av))
        if options is None:
            if str(op) == "SUBPATTERN":  # a group starts as its own finite start does
                inner = _finite_starts(list(av[3]), _EMPTY)
                strings = {a + b for a in strings for b in inner}
            return frozenset(strings) if len(strings) <= _MAX_STRINGS else _EMPTY
        strings = {a + b for a in strings for b in options}
        if len(strings) > _MAX_STRINGS:
            return _EMPTY
    return frozenset({a + b for a in strings for b in after})


def _finite(item: Any) -> set[str] | None:
    """The strings one node can match, when they are few and short; else None."""
    op, av = item
    name = str(op)
    if name == "LITERAL":
        return {chr(av)}
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return {""}
    if name == "IN":
        chars = _class_chars(av)
        return set(chars) if chars else None
    if name == "SUBPATTERN":
        return _finite_sequence(av[3])
    if name == "BRANCH":
        union: set[str] = set()
        for alternative in av[1]:
            options = _finite_sequence(alternative)
            if options is None:
                return None
            union |= options
        return union if len(union) <= _MAX_STRINGS else None
    if name in _REPEATS and av[1] <= 64:
        body = _finite_sequence(av[2])
        if body is None:
            return None
        found: set[str] = set()
        for count in range(av[0], av[1] + 1):
            strings = {""}
            for _ in range(count):
                strings = {a + b for a in strings for b in body}
                if len(strings) > _MAX_STRINGS:
                    return None
            found |= strings
        return found
    return None


def _finite_sequence(items: Any) -> set[str] | None:
    strings = {""}
    for item in items:
        options = _finite(item)
        if options is None:
            return None
        strings = {a + b for a in strings for b in options}
        if len(strings) > _MAX_STRINGS:
            return None
    return strings
