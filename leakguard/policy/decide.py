"""Findings + policy + destination -> Verdict. Pure: no I/O, no clock, no state.

Per finding, the first that applies: a canary always blocks; a suppressed finding is
allowed (and kept, with its reason); a rule's own action (``rule_actions``); the
destination's action for the category; the policy's default for the category.
The overall action is the most restrictive active one, raised to the destination's
``action`` floor (an unconfigured destination gets the ``unknown`` entry: block).
"""

from __future__ import annotations

from collections.abc import Sequence

from leakguard.models import Action, Decision, Finding, Verdict
from leakguard.policy.model import CANARY_PREFIX, UNKNOWN_DESTINATION, Destination, Policy

# Used when a policy has no `unknown` entry at all: fail closed.
_BLOCK_UNKNOWN = Destination(UNKNOWN_DESTINATION, action=Action.BLOCK)


def destination_for(policy: Policy, name: str | None) -> Destination | None:
    """The configured destination, the ``unknown`` one for other names, None for none."""
    if name is None:
        return None
    configured = policy.destinations.get(name)
    if configured is not None:
        return configured
    return policy.destinations.get(UNKNOWN_DESTINATION, _BLOCK_UNKNOWN)


def _is_canary(finding: Finding) -> bool:
    return finding.rule_id.startswith(CANARY_PREFIX)


def _action(finding: Finding, policy: Policy, destination: Destination | None) -> Action:
    override = policy.rule_actions.get(finding.rule_id)
    if override is not None:
        return override
    if destination is not None and finding.category in destination.actions:
        return destination.actions[finding.category]
    return policy.action_for(finding.category)


def _decision(
    finding: Finding, reason: str | None, policy: Policy, destination: Destination | None
) -> Decision:
    if _is_canary(finding):
        # A planted token leaving is an incident: no allow-list or baseline hides it.
        return Decision(finding, Action.BLOCK)
    if reason is not None:
        return Decision(finding, Action.ALLOW, suppressed_by=reason)
    return Decision(finding, _action(finding, policy, destination))


def decide(
    candidates: Sequence[tuple[Finding, str | None]],
    policy: Policy,
    destination: str | None = None,
) -> Verdict:
    """Decide each (finding, suppression reason or None) and the request as a whole."""
    dest = destination_for(policy, destination)
    decisions = tuple(_decision(f, reason, policy, dest) for f, reason in candidates)
    overall = max(
        (d.action for d in decisions if d.suppressed_by is None),
        key=lambda a: a.rank,
        default=Action.ALLOW,
    )
    if dest is not None and dest.action is not None and dest.action.rank > overall.rank:
        overall = dest.action
    return Verdict(overall, decisions)
