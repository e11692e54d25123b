"""decide(): the action per finding and overall, as tables."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from leakguard.models import Action, Category
from leakguard.policy import Destination, Policy, decide, default_policy, destination_for
from tests.policy.policy_helpers import finding

S, P, R = Category.SECRET, Category.PII, Category.PROPRIETARY
ALLOW, WARN, ANON, BLOCK = Action.ALLOW, Action.WARN, Action.ANONYMIZE, Action.BLOCK

POLICY = Policy(
    default_action=MappingProxyType({S: BLOCK, P: ANON, R: WARN}),
    rule_actions=MappingProxyType({"generic-password": WARN, "internal-host": BLOCK}),
    destinations=MappingProxyType(
        {
            "internal-llm": Destination(
                "internal-llm", actions=MappingProxyType({R: ALLOW, S: WARN})
            ),
            "strict": Destination("strict", action=WARN),
            "unknown": Destination("unknown", action=BLOCK),
        }
    ),
)


@pytest.mark.parametrize(
    ("rule_id", "category", "destination", "expected"),
    [
        # default_action per category
        ("github-pat", S, None, BLOCK),
        ("email", P, None, ANON),
        ("code-match", R, None, WARN),
        # the destination's per-category action beats the default
        ("code-match", R, "internal-llm", ALLOW),
        ("github-pat", S, "internal-llm", WARN),
        ("email", P, "internal-llm", ANON),  # not overridden there: default
        # a rule override beats both
        ("generic-password", S, None, WARN),
        ("generic-password", S, "internal-llm", WARN),
        ("internal-host", R, "internal-llm", BLOCK),
        # canaries block whatever the policy says
        ("canary-token", R, "internal-llm", BLOCK),
        ("canary", P, None, BLOCK),
    ],
)
def test_action_per_finding(
    rule_id: str, category: Category, destination: str | None, expected: Action
) -> None:
    verdict = decide([(finding(rule_id, category), None)], POLICY, destination)
    (decision,) = verdict.decisions
    assert decision.action is expected
    assert decision.suppressed_by is None


@pytest.mark.parametrize(
    ("findings", "destination", "expected"),
    [
        ([], None, ALLOW),
        ([("email", P)], None, ANON),
        ([("email", P), ("code-match", R)], None, ANON),
        ([("email", P), ("github-pat", S)], None, BLOCK),
        ([("code-match", R)], "internal-llm", ALLOW),
        # a destination's `action` is a floor for the whole request
        ([], "strict", WARN),
        ([("github-pat", S)], "strict", BLOCK),
        # an unconfigured destination gets `unknown`: blocked even without findings
        ([], "somewhere-else", BLOCK),
        ([("code-match", R)], "somewhere-else", BLOCK),
    ],
)
def test_overall_action(
    findings: list[tuple[str, Category]], destination: str | None, expected: Action
) -> None:
    candidates = [(finding(r, c), None) for r, c in findings]
    assert decide(candidates, POLICY, destination).action is expected


def test_suppressed_findings_are_kept_as_allowed_and_do_not_count() -> None:
    candidates = [
        (finding("github-pat", S), "baseline"),
        (finding("email", P), None),
        (finding("aws-key", S), "path"),
    ]
    verdict = decide(candidates, POLICY)
    assert [(d.action, d.suppressed_by) for d in verdict.decisions] == [
        (ALLOW, "baseline"),
        (ANON, None),
        (ALLOW, "path"),
    ]
    assert verdict.action is ANON
    assert [d.finding.rule_id for d in verdict.active] == ["email"]


def test_all_suppressed_is_allow() -> None:
    verdict = decide([(finding(), "inline")], POLICY)
    assert verdict.action is ALLOW
    assert verdict.active == ()


def test_a_suppressed_canary_still_blocks() -> None:
    verdict = decide([(finding("canary-aws", S), "path")], POLICY)
    (decision,) = verdict.decisions
    assert (decision.action, decision.suppressed_by) == (BLOCK, None)
    assert verdict.action is BLOCK


def test_canary_blocks_even_when_the_rule_is_set_to_allow() -> None:
    policy = Policy(rule_actions=MappingProxyType({"canary-token": ALLOW}))
    assert decide([(finding("canary-token", S), None)], policy).action is BLOCK


def test_unknown_destination_without_unknown_entry_fails_closed() -> None:
    policy = Policy(destinations=MappingProxyType({}))
    assert decide([], policy, "anthropic").action is BLOCK
    assert decide([], policy, None).action is ALLOW


def test_default_policy_destinations() -> None:
    policy = default_policy()
    assert decide([], policy, "anthropic").action is ALLOW
    assert decide([], policy, "no-such-tool").action is BLOCK
    assert decide([(finding("email", P), None)], policy, "openai").action is ANON
    dest = destination_for(policy, "anthropic")
    assert dest is not None and dest.upstream == "https://api.anthropic.com"
    assert destination_for(policy, None) is None


def test_decisions_keep_input_order() -> None:
    names = ["a-rule", "b-rule", "c-rule", "canary-x"]
    verdict = decide([(finding(n, S), None) for n in names], POLICY)
    assert [d.finding.rule_id for d in verdict.decisions] == names
