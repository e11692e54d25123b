"""A few lines a person reads after `leakguard policy check`."""

from __future__ import annotations

from leakguard.policy.model import Policy


def summary_lines(policy: Policy) -> list[str]:
    merged = ", ".join(policy.sources) if policy.sources else "none (built-in defaults only)"
    actions = ", ".join(f"{c.value}: {a.value}" for c, a in policy.default_action.items())
    if policy.pii.ner_model:
        pii = f"pattern recognizers and NER model {policy.pii.ner_model}"
    else:
        pii = "pattern recognizers only (no pii.ner_model set)"
    lines = [
        f"policy files merged: {merged}",
        f"default actions: {actions}",
        f"extra rules: {len(policy.rules)}; disabled rules: {len(policy.disabled_rules)}; "
        f"rule action overrides: {len(policy.rule_actions)}",
        f"destinations: {', '.join(policy.destinations) or 'none'}",
        f"PII: {pii}",
    ]
    if policy.locked:
        lines.append(f"locked by the organisation: {', '.join(policy.locked)}")
    return lines
