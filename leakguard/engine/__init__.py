"""Multi-pattern engines: find where each rule may match, cheaply, in linear time.

An engine answers "rule i may match in text[start:end]" (a window); the secrets
detector then runs the rule's own Python regex on that small window only. Both
engines feed the same extraction step, so they give the same findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from leakguard.rulepack import Rule

Window = tuple[int, int, int]  # (rule index, start, end) in characters


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
