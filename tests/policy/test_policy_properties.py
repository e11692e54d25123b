"""Invariants of decide() and of merging, over generated inputs."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from leakguard.models import Action, Category
from leakguard.policy import Destination, Policy, decide
from leakguard.policy.merge import merge
from tests.policy.policy_helpers import finding

actions = st.sampled_from(list(Action))
categories = st.sampled_from(list(Category))
rule_ids = st.sampled_from(["github-pat", "email", "code-match", "canary-x", "generic"])
reasons = st.one_of(st.none(), st.sampled_from(["inline", "path", "baseline"]))
candidates = st.lists(st.tuples(rule_ids, categories, reasons), max_size=8)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    return Policy(
        default_action=MappingProxyType(draw(st.dictionaries(categories, actions))),
        rule_actions=MappingProxyType(draw(st.dictionaries(rule_ids, actions))),
        destinations=MappingProxyType(
            {
                "d": Destination(
                    "d",
                    actions=MappingProxyType(draw(st.dictionaries(categories, actions))),
                    action=draw(st.one_of(st.none(), actions)),
                )
            }
        ),
    )


@given(policies(), candidates, st.sampled_from([None, "d", "elsewhere"]))
def test_verdict_invariants(
    policy: Policy, items: list[tuple[str, Category, str | None]], destination: str | None
) -> None:
    verdict = decide([(finding(r, c), why) for r, c, why in items], policy, destination)
    assert len(verdict.decisions) == len(items)
    for decision, (rule_id, _, why) in zip(verdict.decisions, items, strict=True):
        if rule_id.startswith("canary"):
            assert (decision.action, decision.suppressed_by) == (Action.BLOCK, None)
        elif why is not None:
            assert (decision.action, decision.suppressed_by) == (Action.ALLOW, why)
        # the overall action is never weaker than an active finding's
        if decision.suppressed_by is None:
            assert verdict.action.rank >= decision.action.rank
    if destination == "elsewhere":
        assert verdict.action is Action.BLOCK  # no `unknown` entry here: fail closed
    if not verdict.active and destination is None:
        assert verdict.action is Action.ALLOW


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3))
documents = st.recursive(
    scalars | st.lists(scalars, max_size=3),
    lambda inner: st.dictionaries(st.sampled_from("abcd"), inner, max_size=4),
    max_leaves=12,
).filter(lambda d: isinstance(d, dict))


@given(documents, documents)
def test_merge_is_idempotent_and_later_wins(base: dict[str, Any], over: dict[str, Any]) -> None:
    merged = merge(base, over)
    assert merge(merged, over) == merged
    assert merge(base, {}) == base
    for key, value in over.items():
        if not isinstance(value, dict):
            assert merged[key] == value
