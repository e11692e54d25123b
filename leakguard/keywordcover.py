"""Whether every match of a rule's pattern holds one of its keywords.

The keyword prefilter only lets through text holding a keyword, and the detector
rejects a match without one; so a pattern that can match without any of its keywords
has a part that never fires (a `pswd` spelling when the keywords are `pass` and `pw`).
``leakguard rules check`` reports such rules. The answer is read from the parsed
pattern: stretches of nodes that match only a few short strings are spelled out, and
every spelling must hold a keyword. Unsure counts as "no".
"""

from __future__ import annotations

from typing import Any

from leakguard.rulereq import REPEATS, class_chars
from leakguard.sre import sre_parse

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
        if name in REPEATS and av[0] >= 1 and _guaranteed(av[2], keywords):
            return True
        if name not in ("BRANCH", "SUBPATTERN"):
            continue
        # The parser factors common prefixes out ("i(?:bm...|am...)"), and a keyword may
        # run on past a group ("api:" then "key-"): carry the neighbours in.
        head = _finite_ends(items[:position], before if position == 0 else None)
        tail = _finite_starts(items[position + 1 :], after)
        inner = av[1] if name == "BRANCH" else [av[3]]
        if all(_guaranteed(alt, keywords, head, tail) for alt in inner):
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
        chars = class_chars(av)
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
    if name in REPEATS and av[1] <= 64:
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
