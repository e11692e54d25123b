"""Hyperscan engine: one linear-time pass finds every rule keyword at once.

Every match of a rule contains one of its keywords (the detector checks it), so a
window reaching ``max_length`` characters around each keyword hit, widened to whole
lines, holds every match; the rule's own regex then runs on those windows only. When
every match holds a keyword before any line break (read from the pattern), a match
starts on its keyword's line, and the window starts there too.

Hyperscan runs here in literal mode only. Its full-regex mode was faster still, but
on this build it missed matches of some alternation-heavy patterns (found by the
engine-equivalence test), and a scanner that can silently miss is worse than a
slower one. Literal matching is the simplest, best-tested path of the library.
The compiled database is cached on disk with the keywords it was built from, so
start-up only deserialises it. Rules without keywords run as in the Python engine.
"""

from __future__ import annotations

import _thread
import marshal
import zlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import hyperscan

from leakguard import cache
from leakguard.engine import Window, rule_groups
from leakguard.engine.python_engine import PythonEngine
from leakguard.rulepack import Rule

_MODE = hyperscan.HS_MODE_BLOCK


def _database(keywords: Sequence[str]) -> hyperscan.Database:
    # Named by a cheap checksum; the entry holds the keywords it was compiled from and
    # counts only when they are exactly these (no hashing library on start-up).
    joined = "\0".join(keywords).encode("utf-8", "surrogatepass")
    version = getattr(hyperscan, "__version__", "0")
    name = f"hs-{version}-{zlib.crc32(joined):08x}-{len(keywords)}.db"
    entry = _cached(name)
    if entry is not None and entry[0] == joined:
        try:
            return hyperscan.loadb(entry[1], _MODE)
        except hyperscan.error:
            pass  # built by another platform or version: rebuild
    database = hyperscan.Database(mode=_MODE)
    database.compile(
        expressions=[k.encode("utf-8") for k in keywords],
        ids=list(range(len(keywords))),
        flags=[hyperscan.HS_FLAG_CASELESS] * len(keywords),
        literal=True,
    )
    cache.write_bytes(name, marshal.dumps((joined, hyperscan.dumpb(database))))
    return database


def _cached(name: str) -> tuple[bytes, bytes] | None:
    entry = cache.read_marshal(name)
    if not (isinstance(entry, tuple) and len(entry) == 2
            and all(isinstance(part, bytes) for part in entry)):
        return None
    return entry[0], entry[1]


class HyperscanEngine:
    name = "hyperscan"

    def __init__(self, rules: Sequence[Rule]) -> None:
        keywords = sorted({k for rule in rules for k in rule.keywords})
        position = {k: i for i, k in enumerate(keywords)}
        # Rules with the same keywords and reach share windows: a hit on "key" makes one
        # window for the dozen generic rules that list it, not a dozen windows.
        keyed = [i for i, rule in enumerate(rules) if rule.keywords]
        groups = [
            tuple(keyed[m] for m in members)
            for members in rule_groups(
                [rules[i] for i in keyed], lambda r: (r.keywords, _reach(r), r.keyword_leads)
            )
        ]
        by_keyword: list[list[int]] = [[] for _ in keywords]
        for group_id, members in enumerate(groups):
            for keyword in rules[members[0]].keywords:
                by_keyword[position[keyword]].append(group_id)
        self._groups = groups
        self._by_keyword = by_keyword
        # A single-line rule's match sits on its keyword's line; others reach max_length.
        self._reach = [_reach(rules[members[0]]) for members in groups]
        self._leads = [rules[members[0]].keyword_leads for members in groups]
        self._database = _database(keywords) if keywords else None
        # Scratch space is per thread: the proxy scans requests in several threads.
        self._scratch = hyperscan.Scratch(self._database) if self._database else None
        self._owner = _thread.get_ident()
        self._local: Any = None  # other threads' scratch (threading loads only for them)
        bare = [i for i, rule in enumerate(rules) if not rule.keywords]
        self._bare = bare
        self._fallback = PythonEngine([rules[i] for i in bare]) if bare else None

    def _thread_scratch(self) -> hyperscan.Scratch:
        assert self._scratch is not None  # only called when there is a database
        if _thread.get_ident() == self._owner:
            return self._scratch
        local = self._local
        if local is None:
            import threading

            # Two threads may both get here: the loser's scratch is cloned again, no harm.
            local = self._local = threading.local()
        scratch = getattr(local, "scratch", None)
        if scratch is None:
            scratch = local.scratch = self._scratch.clone()
        return scratch

    def windows(self, text: str) -> list[Window]:
        data = text.encode("utf-8", "surrogatepass")
        ascii_only = len(data) == len(text)
        ends: dict[int, list[int]] = defaultdict(list)
        if self._database is not None:
            by_keyword = self._by_keyword

            def on_match(keyword: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
                for group in by_keyword[keyword]:
                    ends[group].append(end)

            self._database.scan(data, match_event_handler=on_match, scratch=self._thread_scratch())
        byte_windows = self._line_windows(data, ends, 1 if ascii_only else 4)
        out = byte_windows if ascii_only else _to_chars(data, byte_windows)
        if self._fallback is not None:
            bare = self._bare
            out.extend(
                (tuple(bare[m] for m in members), s, e)
                for members, s, e in self._fallback.windows(text)
            )
        return out

    def _line_windows(self, data: bytes, ends: dict[int, list[int]], scale: int) -> list[Window]:
        """Whole-line windows reaching max_length around each hit, merged per rule group."""
        size = len(data)
        find, rfind = data.find, data.rfind
        windows: list[Window] = []
        for group, positions in ends.items():
            members = self._groups[group]
            reach = self._reach[group] * scale
            current_start = current_end = -1
            positions.sort()
            if not reach:  # single-line rules: the lines holding a hit (most groups)
                for end in positions:
                    if end < current_end:
                        continue  # on the current line
                    if current_end >= 0:
                        windows.append((members, current_start, current_end))
                    current_start = rfind(b"\n", 0, end) + 1
                    stop = find(b"\n", end)
                    current_end = size if stop < 0 else stop + 1
                if current_end >= 0:
                    windows.append((members, current_start, current_end))
                continue
            back = 0 if self._leads[group] else reach  # a match starts on its keyword's line
            for end in positions:
                if end <= current_end - reach:
                    continue  # inside the current window, and so is its reach
                low, high = end - back, end + reach
                if current_end >= 0 and low <= current_end:
                    if high > current_end:
                        stop = find(b"\n", min(high, size))
                        current_end = size if stop < 0 else stop + 1
                    continue
                if current_end >= 0:
                    windows.append((members, current_start, current_end))
                current_start = rfind(b"\n", 0, max(low, 0)) + 1
                stop = find(b"\n", min(high, size))
                current_end = size if stop < 0 else stop + 1
            if current_end >= 0:
                windows.append((members, current_start, current_end))
        return windows


def _reach(rule: Rule) -> int:
    return rule.max_length if rule.multiline else 0


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
