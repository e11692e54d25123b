"""Check rules against their own examples and counterexamples (`leakguard rules check`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from leakguard.detectors.secrets import SecretDetector
from leakguard.engine import MatchEngine
from leakguard.keywordcover import keyword_in_every_match
from leakguard.rulepack import Rule


@dataclass(frozen=True)
class RuleProblem:
    rule_id: str
    source: str
    problem: str


MIN_KEYWORD = 2  # "pw" is a real key name; one letter fires on everything


def lint_rule(rule: Rule) -> list[str]:
    """Shape problems that make a rule slow or blind, whatever its examples say."""
    problems: list[str] = []
    if not rule.keywords:
        problems.append("no keywords: the rule runs on every byte (give it literal keywords)")
    short = [k for k in rule.keywords if len(k) < MIN_KEYWORD and k.isalnum()]
    if short:
        problems.append(
            f"keyword(s) shorter than {MIN_KEYWORD} characters fire everywhere: {', '.join(short)}"
        )
    if rule.keywords and not keyword_in_every_match(rule.pattern, rule.flags, rule.keywords):
        problems.append(
            "some matches may hold none of the keywords, and the prefilter never lets those "
            "through: add keywords that every match contains (e.g. each spelling of the "
            "key name)"
        )
    if _starts_with_repeat(rule):
        problems.append(
            "pattern starts with a repeat: anchor it (e.g. (?<![\\w.-])) or it backtracks "
            "at every position"
        )
    return problems


def _starts_with_repeat(rule: Rule) -> bool:
    from leakguard.sre import sre_parse

    items: list[Any] = list(sre_parse.parse(rule.pattern, rule.flags).data)
    while items and str(items[0][0]) == "SUBPATTERN":
        items = list(items[0][1][3].data)
    if not items:
        return False
    first = str(items[0][0])
    if first in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low: int = items[0][1][0]
        return low == 0 or len(items) > 1
    return False


def check_rules(
    rules: Sequence[Rule], engine: MatchEngine | None = None, context: Sequence[Rule] = ()
) -> list[RuleProblem]:
    """Every example must give a finding of its rule; no counterexample may.

    ``context`` are further rules loaded beside ``rules`` (so overlap resolution acts
    as it does in a real scan) but not themselves checked.
    """
    everything = (*rules, *[r for r in context if r.id not in {x.id for x in rules}])
    detector = SecretDetector(everything, engine)
    problems: list[RuleProblem] = []
    for rule in rules:
        problems.extend(RuleProblem(rule.id, rule.source, p) for p in lint_rule(rule))
        for number, sample in enumerate(rule.examples, 1):
            if not _hits(detector, rule.id, sample):
                problems.append(RuleProblem(rule.id, rule.source, f"example {number} not found"))
        for number, sample in enumerate(rule.counterexamples, 1):
            if _hits(detector, rule.id, sample):
                problems.append(
                    RuleProblem(rule.id, rule.source, f"counterexample {number} matched")
                )
    return problems


def _hits(detector: SecretDetector, rule_id: str, sample: str) -> bool:
    return any(detector.rules[c[0]].id == rule_id for c in detector.candidates(sample))
