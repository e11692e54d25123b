"""A few lines a person reads after `leakguard policy check`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from leakguard.policy.model import Policy


def summary_lines(policy: Policy) -> list[str]:
    merged = ", ".join(policy.sources) if policy.sources else "none (built-in defaults only)"
    actions = ", ".join(f"{c.value}: {a.value}" for c, a in policy.default_action.items())
    pii_settings = policy.pii
    if not (pii_settings.entities or pii_settings.deny_lists or pii_settings.recognizers):
        pii = "off (no entities, deny lists or recognizers)"
    elif pii_settings.ner_model:
        pii = f"pattern recognizers and NER model {pii_settings.ner_model}"
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
    if "encrypt" in pii_settings.operators.values():
        lines.append(_encrypt_line(policy))
    if policy.locked:
        lines.append(f"locked by the organisation: {', '.join(policy.locked)}")
    return lines


def _encrypt_line(policy: Policy) -> str:
    """Which entities are encrypted and where the key comes from; ConfigError when
    there is no usable key (redact would refuse too)."""
    from leakguard.transform.encrypt import key_source, require_key

    require_key(policy.pii.encrypt_key_file)
    chosen = sorted(e for e, op in policy.pii.operators.items() if op == "encrypt")
    return f"PII encrypt: {', '.join(chosen)}; key from {key_source(policy.pii.encrypt_key_file)}"


def unknown_rule_ids(policy: Policy, known: Iterable[str]) -> list[str]:
    """``rule_actions``/``disabled_rules`` entries naming no rule (likely typos), each as
    ``key: what``, with the closest known id when there is one."""
    ids = sorted(set(known) | {str(r.get("id")) for r in policy.rules})
    named = [(f"rule_actions.{r}", r) for r in policy.rule_actions]
    named += [(f"disabled_rules: {r}", r) for r in policy.disabled_rules]
    found = []
    for key, rule_id in named:
        if rule_id in ids:
            continue
        longer = [i for i in ids if i.startswith(rule_id)]  # `github-pat` -> `...-classic`
        close = longer[:1] or difflib.get_close_matches(rule_id, ids, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else " (a typo?)"
        found.append(f"{key}: no such rule{hint}")
    return found
