"""The pattern detector: rules from rule packs, run cheap before expensive.

engine windows -> the rule's regex on each window -> keyword check -> allow-list,
entropy, placeholder filter, named validators -> Finding. Overlaps between rules are
resolved so one stretch of text yields one finding (the most specific rule wins).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from leakguard.detectors import validators
from leakguard.detectors.validators import Validator
from leakguard.engine import MatchEngine, build_engine
from leakguard.errors import ConfigError
from leakguard.models import Finding, Fragment
from leakguard.rulepack import Rule

Candidate = tuple[int, int, int, str, str]  # rule index, start, end, secret, whole match
# The value checks every candidate passes (entropy, placeholder), loaded with the first.
_Checks = tuple[Callable[[str], float], Callable[[str], bool]]


class SecretDetector:
    """Finds rule matches in a fragment's text (any category a rule declares)."""

    name = "secrets"

    def __init__(
        self, rules: Sequence[Rule], engine: MatchEngine | None = None, key: bytes | None = None
    ) -> None:
        self.rules = tuple(rules)
        self._engine = engine or build_engine(self.rules)
        self._key = key
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self.rules)
        self._allow: list[tuple[re.Pattern[str], ...] | None] = [None] * len(self.rules)
        for rule in self.rules:
            unknown = [v for v in rule.validators if v not in validators.NAMES]
            if unknown:
                raise ConfigError(f"rule {rule.id}: unknown validator {', '.join(unknown)}")
        # The checks load with the first candidate: a clean text never needs them.
        self._validators: list[tuple[Validator, ...] | None] = [None] * len(self.rules)
        self._checks: _Checks | None = None

    @property
    def engine_name(self) -> str:
        return self._engine.name

    def _regex(self, index: int) -> re.Pattern[str]:
        # Compiled on first use: most rules never fire, and compiling all costs start-up.
        compiled = self._compiled[index]
        if compiled is None:
            rule = self.rules[index]
            compiled = self._compiled[index] = re.compile(rule.pattern, rule.flags)
        return compiled

    def _allowed(self, index: int, secret: str) -> bool:
        patterns = self._allow[index]
        if patterns is None:
            patterns = self._allow[index] = tuple(re.compile(a) for a in self.rules[index].allow)
        return any(p.search(secret) for p in patterns)

    def candidates(self, text: str) -> list[Candidate]:
        """Every accepted (rule, span, secret) in ``text``, overlaps resolved."""
        found: dict[tuple[int, int, int], Candidate] = {}
        rules = self.rules
        for members, start, end in self._engine.windows(text):
            chunk: str | None = None
            lowered: str | None = None
            for index in members:
                rule = rules[index]
                if rule.required:
                    if chunk is None:
                        chunk = text[start:end]
                    haystack = chunk
                    if rule.required_folded:
                        haystack = lowered = chunk.lower() if lowered is None else lowered
                    if not _holds(haystack, rule.required):
                        continue  # the window lacks a string every match holds
                for match in self._regex(index).finditer(text, start, end):
                    candidate = self._accept(index, rule, match)
                    if candidate is not None:
                        found.setdefault(candidate[:3], candidate)
        return _resolve_overlaps(list(found.values()), rules)

    def _rule_checks(self, index: int) -> tuple[Validator, ...]:
        checks = self._validators[index]
        if checks is None:
            table = validators.registry()
            checks = self._validators[index] = tuple(table[v] for v in self.rules[index].validators)
        return checks

    def _accept(self, index: int, rule: Rule, match: re.Match[str]) -> Candidate | None:
        secret = match.group(rule.secret_group)
        if not secret:
            return None
        whole = match.group(0)
        if rule.keywords:
            lowered = whole.lower()
            if not any(k in lowered for k in rule.keywords):
                return None
        if rule.allow and self._allowed(index, secret):
            return None
        entropy, is_placeholder = self._checks or self._load_checks()
        if rule.entropy is not None and entropy(secret) < rule.entropy:
            return None
        if is_placeholder(secret):
            return None
        if not all(check(secret, whole) for check in self._rule_checks(index)):
            return None
        start, end = match.span(rule.secret_group)
        return index, start, end, secret, whole

    def _load_checks(self) -> _Checks:
        from leakguard.detectors.entropy import shannon_entropy
        from leakguard.detectors.filters import is_placeholder

        self._checks = (shannon_entropy, is_placeholder)
        return self._checks

    def detect(self, fragment: Fragment) -> list[Finding]:
        text = fragment.text
        accepted = self.candidates(text)
        if not accepted:
            return []
        from leakguard.detectors.finding import span_finding
        from leakguard.textpos import LineIndex

        lines = LineIndex(text, fragment.line_start)
        findings: list[Finding] = []
        for index, start, end, _secret, _whole in accepted:
            rule = self.rules[index]
            finding = span_finding(
                fragment, lines, start, end, rule_id=rule.id, category=rule.category,
                severity=rule.severity, message=rule.description, key=self._key,
            )
            if finding is not None:
                findings.append(finding)
        return findings


def _holds(text: str, needs: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``text`` holds one string of every need (plain loops: no generator cost)."""
    for need in needs:
        for string in need:
            if string in text:
                break
        else:
            return False
    return True


def _specificity(rule: Rule) -> tuple[int, int]:
    generic = rule.id.startswith("generic")
    return (0 if generic else 1, rule.severity.rank)


def _resolve_overlaps(found: list[Candidate], rules: Sequence[Rule]) -> list[Candidate]:
    """Keep one candidate per stretch: provider rules over generic, then severity, length."""
    ranked = sorted(
        found, key=lambda c: (_specificity(rules[c[0]]), c[2] - c[1], -c[1], -c[0]), reverse=True
    )
    kept: list[Candidate] = []
    for candidate in ranked:
        if all(candidate[2] <= k[1] or candidate[1] >= k[2] for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda c: (c[1], c[2], c[0]))
