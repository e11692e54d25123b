"""Multi-pattern engines: find where each rule may match, cheaply, in linear time.

An engine answers "these rules may match in text[start:end]" (a window); the secrets
detector then runs each rule's own Python regex on that small window only. Rules with
the same keywords share their windows, so a keyword hit costs one window, not one per
rule. Both engines feed the same extraction step, so they give the same findings.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Protocol

from leakguard.rulepack import Rule

Window = tuple[tuple[int, ...], int, int]  # (rule indexes, start, end) in characters


def rule_groups(rules: Sequence[Rule], key: Callable[[Rule], Hashable]) -> list[tuple[int, ...]]:
    """Rule indexes grouped by ``key`` (first-seen order): a group shares its windows."""
    groups: dict[Hashable, list[int]] = {}
    for index, rule in enumerate(rules):
        groups.setdefault(key(rule), []).append(index)
    return [tuple(members) for members in groups.values()]


class MatchEngine(Protocol):
    name: str

    def windows(self, text: str) -> list[Window]:
        """Windows of ``text`` where a rule may match; every real match lies inside one."""
        ...


def build_engine(rules: Sequence[Rule], prefer: str = "auto") -> MatchEngine:
    """Hyperscan when available (``prefer`` "auto" or "hyperscan"), else pure Python."""
    from leakguard.engine.python_engine import PythonEngine

    if prefer in ("auto", "hyperscan"):
        try:
            from leakguard.engine.hyperscan_engine import HyperscanEngine
        except ImportError:
            if prefer == "hyperscan":
                raise
        else:
            return HyperscanEngine(rules)
    return PythonEngine(rules)
