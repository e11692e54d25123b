"""Every built-in rule against its own examples and counterexamples, on both engines."""

from __future__ import annotations

from functools import cache

import pytest

from leakguard.detectors.secrets import SecretDetector
from leakguard.engine import build_engine
from leakguard.rulepack import Rule, builtin_rules

RULES = builtin_rules()
ENGINES = ("hyperscan", "python")


@cache
def detector(engine: str) -> SecretDetector:
    return SecretDetector(RULES, build_engine(RULES, engine))


def rule_ids_found(engine: str, sample: str) -> set[str]:
    found = detector(engine).candidates(sample)
    return {RULES[c[0]].id for c in found}


def test_at_least_150_rules() -> None:
    assert len(RULES) >= 150, len(RULES)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule: Rule, engine: str) -> None:
    for number, sample in enumerate(rule.examples, 1):
        assert rule.id in rule_ids_found(engine, sample), f"example {number} not found"
    for number, sample in enumerate(rule.counterexamples, 1):
        assert rule.id not in rule_ids_found(engine, sample), f"counterexample {number} matched"
