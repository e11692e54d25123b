"""Check rules against their own examples and counterexamples (`leakguard rules check`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from leakguard.detectors.secrets import SecretDetector
from leakguard.engine import MatchEngine
from leakguard.rulepack import Rule


@dataclass(frozen=True)
class RuleProblem:
    rule_id: str
    source: str
    problem: str


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
