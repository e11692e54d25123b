"""Between plain policy data (validated YAML) and the frozen ``Policy``, both ways.

``to_raw`` is what `leakguard policy show` prints: it is itself a valid policy file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leakguard.models import Action, Category
from leakguard.policy.model import (
    Allow,
    AuditSettings,
    Budget,
    Canary,
    Destination,
    PiiRecognizer,
    PiiSettings,
    Policy,
    ProprietarySettings,
    ProxySettings,
    ScanSettings,
    Values,
    frozen_map,
)

Raw = dict[str, Any]


def _actions(raw: Mapping[str, Any] | None) -> Mapping[Category, Action]:
    return frozen_map({Category(k): Action(v) for k, v in (raw or {}).items() if k != "locked"})


def _section(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, Mapping) else {}


def _destination(name: str, raw: Mapping[str, Any]) -> Destination:
    action = raw.get("action")
    return Destination(
        name=name,
        upstream=raw.get("upstream"),
        terms=frozen_map(raw.get("terms")),
        actions=_actions(raw.get("actions")),
        action=Action(action) if action is not None else None,
        on_scan_error=raw.get("on_scan_error", "block"),
    )


def _canary(raw: Mapping[str, Any]) -> Canary:
    return Canary(
        label=raw.get("label", ""),
        token=raw.get("token"),
        hash=raw.get("hash"),
        created=raw.get("created"),
    )


def _pii_recognizer(raw: Mapping[str, Any]) -> PiiRecognizer:
    return PiiRecognizer(
        entity=raw["entity"],
        pattern=raw["pattern"],
        score=float(raw.get("score", 0.6)),
        context=tuple(raw.get("context", ())),
    )


def from_raw(raw: Mapping[str, Any], **meta: Any) -> Policy:
    """Build a Policy from merged, validated data; ``meta`` sets sources, root, locked..."""
    pii, prop = _section(raw, "pii"), _section(raw, "proprietary")
    allow, budget = _section(raw, "allow"), _section(raw, "budget")
    audit, scan = _section(raw, "audit"), _section(raw, "scan")
    proxy = _section(raw, "proxy")
    values = _section(raw, "values")
    defaults = Policy()
    rules = tuple(frozen_map(r) for r in raw.get("rules", ()))
    rule_actions = {
        r["id"]: Action(r["action"]) for r in rules if "action" in r and "id" in r
    }  # a rule's own action, overridden below by rule_actions
    rule_actions.update({k: Action(v) for k, v in _section(raw, "rule_actions").items()})
    return Policy(
        version=raw.get("version", 1),
        default_action=frozen_map(
            {**defaults.default_action, **_actions(raw.get("default_action"))}
        ),
        destinations=frozen_map(
            {name: _destination(name, d) for name, d in _section(raw, "destinations").items()}
        ),
        rule_actions=frozen_map(rule_actions),
        rules=rules,
        disabled_rules=tuple(raw.get("disabled_rules", ())),
        allow=Allow(
            paths=tuple(allow.get("paths", ())),
            values=tuple(allow.get("values", ())),
            fingerprints=tuple(allow.get("fingerprints", ())),
        ),
        pii=PiiSettings(
            entities=tuple(pii.get("entities", defaults.pii.entities)),
            deny_lists=frozen_map({k: tuple(v) for k, v in pii.get("deny_lists", {}).items()}),
            allow=tuple(pii.get("allow", ())),
            ner_model=pii.get("ner_model"),
            min_score=float(pii.get("min_score", defaults.pii.min_score)),
            recognizers=tuple(_pii_recognizer(r) for r in pii.get("recognizers", ())),
            allow_patterns=tuple(pii.get("allow_patterns", ())),
            allow_networks=tuple(pii.get("allow_networks", defaults.pii.allow_networks)),
            allow_domains=tuple(pii.get("allow_domains", defaults.pii.allow_domains)),
            operators=frozen_map(pii.get("operators", {})),
            encrypt_key_file=pii.get("encrypt_key_file"),
        ),
        proprietary=ProprietarySettings(
            paths=tuple(prop.get("paths", ())),
            markers=tuple(prop.get("markers", ())),
            index=prop.get("index", defaults.proprietary.index),
            similarity=float(prop.get("similarity", defaults.proprietary.similarity)),
            min_matches=int(prop.get("min_matches", defaults.proprietary.min_matches)),
            canaries=tuple(_canary(c) for c in prop.get("canaries", ())),
        ),
        budget=Budget(
            proprietary_bytes_per_day=budget.get("proprietary_bytes_per_day"),
            on_exceeded=Action(budget.get("on_exceeded", defaults.budget.on_exceeded)),
            anonymized_findings_per_day=budget.get("anonymized_findings_per_day"),
            requests_per_day=frozen_map(budget.get("requests_per_day")),
        ),
        audit=AuditSettings(
            store=audit.get("store", defaults.audit.store),
            content=audit.get("content", defaults.audit.content),
            on_failure=audit.get("on_failure", defaults.audit.on_failure),
            key_file=audit.get("key_file"),
            allow_full_content=bool(audit.get("allow_full_content", False)),
            content_key_file=audit.get("content_key_file"),
        ),
        values=Values(
            currency=values.get("currency", defaults.values.currency),
            per_category=frozen_map(values.get("per_category")),
            per_rule=frozen_map(values.get("per_rule")),
            proprietary_per_kb=values.get("proprietary_per_kb"),
        ),
        scan=ScanSettings(
            max_file_bytes=scan.get("max_file_bytes", defaults.scan.max_file_bytes),
            on_unreadable=scan.get("on_unreadable", defaults.scan.on_unreadable),
            respect_gitignore=scan.get("respect_gitignore", defaults.scan.respect_gitignore),
        ),
        proxy=ProxySettings(
            upstreams=frozen_map(proxy.get("upstreams")),
            max_body_bytes=proxy.get("max_body_bytes", defaults.proxy.max_body_bytes),
            scan_timeout_seconds=float(
                proxy.get("scan_timeout_seconds", defaults.proxy.scan_timeout_seconds)
            ),
            vault=proxy.get("vault", defaults.proxy.vault),
            vault_keep_days=proxy.get("vault_keep_days", defaults.proxy.vault_keep_days),
        ),
        **meta,
    )


def _plain(value: Any) -> Any:
    """Enums to their values, read-only mappings to dicts, tuples to lists."""
    if isinstance(value, (Action, Category)):
        return value.value
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _destination_raw(dest: Destination) -> Raw:
    out: Raw = {}
    if dest.upstream is not None:
        out["upstream"] = dest.upstream
    if dest.terms:
        out["terms"] = _plain(dest.terms)
    if dest.actions:
        out["actions"] = _plain(dest.actions)
    if dest.action is not None:
        out["action"] = dest.action.value
    out["on_scan_error"] = dest.on_scan_error
    return out


def _canary_raw(canary: Canary) -> Raw:
    fields = {
        "label": canary.label,
        "token": canary.token,
        "hash": canary.hash,
        "created": canary.created,
    }
    return {k: v for k, v in fields.items() if v not in (None, "")}


def to_raw(policy: Policy) -> Raw:
    """The policy as plain data in the file's own shape (rule actions from rules kept
    in ``rule_actions``, so the output stands alone)."""
    prop = policy.proprietary
    return {
        "version": policy.version,
        "default_action": _plain(policy.default_action),
        "rule_actions": _plain(policy.rule_actions),
        "disabled_rules": list(policy.disabled_rules),
        "destinations": {n: _destination_raw(d) for n, d in policy.destinations.items()},
        "rules": _plain(policy.rules),
        "pii": {
            "entities": list(policy.pii.entities),
            "deny_lists": _plain(policy.pii.deny_lists),
            "allow": list(policy.pii.allow),
            "ner_model": policy.pii.ner_model,
            "min_score": policy.pii.min_score,
            "recognizers": [
                {"entity": r.entity, "pattern": r.pattern, "score": r.score,
                 "context": list(r.context)}
                for r in policy.pii.recognizers
            ],
            "allow_patterns": list(policy.pii.allow_patterns),
            "allow_networks": list(policy.pii.allow_networks),
            "allow_domains": list(policy.pii.allow_domains),
            "operators": _plain(policy.pii.operators),
            "encrypt_key_file": policy.pii.encrypt_key_file,
        },
        "proprietary": {
            "paths": list(prop.paths),
            "markers": list(prop.markers),
            "index": prop.index,
            "similarity": prop.similarity,
            "min_matches": prop.min_matches,
            "canaries": [_canary_raw(c) for c in prop.canaries],
        },
        "allow": _plain(policy.allow.__dict__),
        "budget": {
            "proprietary_bytes_per_day": policy.budget.proprietary_bytes_per_day,
            "on_exceeded": policy.budget.on_exceeded.value,
            "anonymized_findings_per_day": policy.budget.anonymized_findings_per_day,
            "requests_per_day": _plain(policy.budget.requests_per_day),
        },
        "audit": dict(policy.audit.__dict__),
        "scan": dict(policy.scan.__dict__),
        "values": _plain(policy.values.__dict__),
        "proxy": _plain(policy.proxy.__dict__),
    }
