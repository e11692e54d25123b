"""Pure-Python fallback: a keyword prefilter, then each surviving rule on the whole text."""

from __future__ import annotations

from collections.abc import Sequence

from leakguard.engine import Window, rule_groups
from leakguard.rulepack import Rule


class PythonEngine:
    name = "python"

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._groups = [
            (members, rules[members[0]].keywords)
            for members in rule_groups(rules, lambda rule: rule.keywords)
        ]

    def windows(self, text: str) -> list[Window]:
        lowered = text.lower() if text.isascii() else _ascii_lower(text)
        found: dict[str, bool] = {}
        out: list[Window] = []
        for members, keywords in self._groups:
            if not keywords or any(_contains(lowered, k, found) for k in keywords):
                out.append((members, 0, len(text)))
        return out


def _contains(lowered: str, keyword: str, found: dict[str, bool]) -> bool:
    hit = found.get(keyword)
    if hit is None:
        hit = found[keyword] = keyword in lowered
    return hit


def _ascii_lower(text: str) -> str:
    # Only ASCII letters fold, as in the rules' re.ASCII | re.IGNORECASE, so offsets
    # and keyword hits agree with the regexes.
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
