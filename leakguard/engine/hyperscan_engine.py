"""Hyperscan engine: one linear-time pass over the bytes for every rule at once.

Hyperscan reports where matches end; each end is widened to whole lines reaching
back ``max_length`` characters, the window the rule's own regex then runs on. The
compiled database is cached on disk, keyed by the rules' hash, so start-up only
deserialises it. Patterns Hyperscan cannot take even in prefilter mode run as in the
Python engine (whole text, keyword prefilter) so no rule is ever dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import hyperscan

from leakguard import cache
from leakguard.engine import Window
from leakguard.engine.python_engine import PythonEngine
from leakguard.rulepack import Rule, rules_digest

_MODE = hyperscan.HS_MODE_BLOCK
_NOT_COMPILED = 0xFFFF


def _flags(rule: Rule, prefilter: bool) -> int:
    flags = hyperscan.HS_FLAG_CASELESS if rule.ignore_case else 0
    return flags | (hyperscan.HS_FLAG_PREFILTER if prefilter else 0)


def _compile_one(rule: Rule) -> int | None:
    """The flags this rule compiles with on its own, or None if it cannot."""
    for prefilter in (False, True):
        flags = _flags(rule, prefilter)
        try:
            hyperscan.Database(mode=_MODE).compile(
                expressions=[rule.pattern.encode()], ids=[0], flags=[flags]
            )
        except hyperscan.error:
            continue
        return flags
    return None


def _build(rules: Sequence[Rule]) -> tuple[hyperscan.Database | None, list[int]]:
    key = f"hs-{hyperscan.__version__}-{rules_digest(rules)[:32]}"
    blob = cache.read_bytes(key + ".db")
    plan = cache.read_json(key + ".json")
    if blob is not None and isinstance(plan, list) and len(plan) == len(rules):
        try:
            return hyperscan.loadb(blob, _MODE), plan
        except hyperscan.error:
            pass  # built by another platform or version: rebuild
    flags = [_compile_one(rule) for rule in rules]
    plan = [_NOT_COMPILED if f is None else f for f in flags]
    ids = [i for i, f in enumerate(flags) if f is not None]
    if not ids:
        return None, plan
    database = hyperscan.Database(mode=_MODE)
    database.compile(
        expressions=[rules[i].pattern.encode() for i in ids],
        ids=ids,
        flags=[plan[i] for i in ids],
    )
    cache.write_bytes(key + ".db", hyperscan.dumpb(database))
    cache.write_json(key + ".json", plan)
    return database, plan


class HyperscanEngine:
    name = "hyperscan"

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._database, plan = _build(rules)
        self._scratch = hyperscan.Scratch(self._database) if self._database else None
        self._lookback = [rule.max_length for rule in rules]
        uncompiled = [i for i, flags in enumerate(plan) if flags == _NOT_COMPILED]
        self._python_only = uncompiled
        self._fallback = PythonEngine([rules[i] for i in uncompiled]) if uncompiled else None

    @property
    def python_only(self) -> list[int]:
        """Indexes of rules Hyperscan could not compile (they run in Python)."""
        return list(self._python_only)

    def windows(self, text: str) -> list[Window]:
        data = text.encode("utf-8", "surrogatepass")
        ascii_only = len(data) == len(text)
        hits: list[tuple[int, int]] = []
        if self._database is not None:
            def on_match(rule: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
                hits.append((rule, end))

            self._database.scan(data, match_event_handler=on_match, scratch=self._scratch)
        byte_windows = _merge(self._line_windows(data, hits, ascii_only))
        out = _to_chars(data, byte_windows) if not ascii_only else byte_windows
        if self._fallback is not None:
            out.extend((self._python_only[i], s, e) for i, s, e in self._fallback.windows(text))
        return out

    def _line_windows(
        self, data: bytes, hits: list[tuple[int, int]], ascii_only: bool
    ) -> list[Window]:
        size = len(data)
        scale = 1 if ascii_only else 4
        windows: list[Window] = []
        for rule, end in hits:
            last = max(end - 1, 0)
            back = max(last - self._lookback[rule] * scale, 0)
            start = data.rfind(b"\n", 0, back) + 1
            stop = data.find(b"\n", last)
            windows.append((rule, start, size if stop < 0 else stop + 1))
        return windows


def _merge(windows: list[Window]) -> list[Window]:
    """Join overlapping windows of the same rule so each stretch is searched once."""
    merged: list[Window] = []
    for rule, start, end in sorted(windows):
        if merged and merged[-1][0] == rule and start <= merged[-1][2]:
            prev = merged[-1]
            merged[-1] = (rule, prev[1], max(prev[2], end))
        else:
            merged.append((rule, start, end))
    return merged


def _to_chars(data: bytes, windows: list[Window]) -> list[Window]:
    """Byte offsets (always at line boundaries) to character offsets, in one pass."""
    offsets = sorted({o for _, s, e in windows for o in (s, e)})
    chars: dict[int, int] = {}
    position = count = 0
    for offset in offsets:
        count += len(data[position:offset].decode("utf-8", "surrogatepass"))
        chars[offset] = count
        position = offset
    return [(rule, chars[s], chars[e]) for rule, s, e in windows]
