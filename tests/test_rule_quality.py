"""Rule shapes that make a scan slow or blind fail here, whatever their examples say."""

from __future__ import annotations

import pytest

from leakguard.rulecheck import lint_rule
from leakguard.rulepack import Rule, builtin_rules, rule_from_mapping

RULES = builtin_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_builtin_rule_shape(rule: Rule) -> None:
    assert lint_rule(rule) == []


def _rule(pattern: str, keywords: list[str]) -> Rule:
    raw = {"id": "x", "description": "x", "pattern": pattern, "keywords": keywords,
           "examples": ["a"], "counterexamples": ["b"]}
    return rule_from_mapping(raw)


@pytest.mark.parametrize(
    ("pattern", "keywords", "problem"),
    [
        (r"[\w.-]{0,40}secret=(\w+)", ["secret"], "starts with a repeat"),
        (r"(?:[\w.-]{0,40})secret=(\w+)", ["secret"], "starts with a repeat"),
        (r"\bs_(\w{20})", ["s"], "shorter than 2"),
        (r"\bsk_live_(\w{20})", [], "no keywords"),
        # "pswd" holds neither keyword: such matches could never be reported
        (r"\b(?:password|pswd)=(\w+)", ["pass"], "hold none of the keywords"),
        (r"\b[Pp]rivate_?[Kk]ey=(\w+)", ["privatekey"], "hold none of the keywords"),
    ],
)
def test_lint_flags_bad_shapes(pattern: str, keywords: list[str], problem: str) -> None:
    assert any(problem in p for p in lint_rule(_rule(pattern, keywords)))


def test_lint_accepts_anchored_rule() -> None:
    assert lint_rule(_rule(r"(?<![\w.-])[\w.-]{0,40}secret=(\w+)", ["secret"])) == []
    assert lint_rule(_rule(r"\bsk_live_([A-Za-z0-9]{24})\b", ["sk_live_"])) == []


@pytest.mark.parametrize(
    ("pattern", "keywords"),
    [
        (r"\bdd(?:[_.-]|api|app)key=(\w+)", ["dd_", "dd.", "dd-", "ddapi", "ddapp"]),
        (r"(?i:ibm\w{0,9}api|iam[_-]?api)key=(\w+)", ["ibm", "iam_api", "iam-api", "iamapi"]),
        (r"(?:mailgun\w{0,5}=|\bapi:)(key-[0-9a-f]{32})", ["mailgun", "api:key-"]),
        (r"(?<![A-Za-z0-9])(A{20,30}[A-Za-z0-9%]{60,140})", ["a" * 20]),
    ],
)
def test_lint_sees_keywords_spread_over_groups(pattern: str, keywords: list[str]) -> None:
    assert lint_rule(_rule(pattern, keywords)) == []
