"""The policy file's JSON Schema (draft 2020-12), printed by `leakguard policy schema`.

Kept as plain data so building it costs nothing; jsonschema itself is imported only
by ``validate`` when a policy file has not been validated before.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from leakguard.models import Action, Category
from leakguard.policy.model import PII_OPERATORS
from leakguard.rulepack import RULE_SCHEMA, SAMPLE_SCHEMA

SCHEMA_ID = "urn:leakguard:policy:1"

# Sections whose keys are fixed names accept `locked: true` in an organisation policy.
LOCKABLE_SECTIONS = (
    "default_action", "pii", "proprietary", "allow", "budget", "audit", "scan", "values", "proxy"
)
TOP_LEVEL_KEYS = (
    "version",
    "locked",
    "default_action",
    "rule_actions",
    "disabled_rules",
    "destinations",
    "rules",
    "pii",
    "proprietary",
    "allow",
    "budget",
    "audit",
    "scan",
    "values",
    "proxy",
)

_ACTIONS = [a.value for a in Action]
_RULE_ID = "^[a-z0-9][a-z0-9-]*$"
_FINGERPRINT = "^sha256:[0-9a-f]{64}$"


def _strings(min_length: int = 1) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "minLength": min_length}}


def _section(properties: dict[str, Any], lockable: bool = True) -> dict[str, Any]:
    props = dict(properties)
    if lockable:
        props["locked"] = {"type": "boolean"}
    return {"type": "object", "additionalProperties": False, "properties": props}


_CATEGORY_ACTIONS = _section({c.value: {"enum": _ACTIONS} for c in Category})

_DESTINATION = _section(
    {
        "upstream": {
            "type": ["string", "null"],
            "pattern": "^https?://",
            "x-error": "must be an http:// or https:// URL",
        },
        "terms": _section(
            {
                "trains_on_inputs": {"type": "boolean"},
                "retention_days": {"type": ["integer", "null"], "minimum": 0},
                "zero_data_retention": {"type": "boolean"},
                "data_region": {"type": "string"},
                "contract": {"type": "string"},
            },
            lockable=False,
        ),
        "actions": _section({c.value: {"enum": _ACTIONS} for c in Category}, lockable=False),
        "action": {"enum": _ACTIONS},
        "on_scan_error": {"enum": ["block", "allow-unscanned"]},
    }
)

_CANARY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "label": {"type": "string"},
        "token": {"type": "string", "minLength": 8},
        "hash": {"type": "string", "pattern": _FINGERPRINT},
        "created": {"type": "string"},
    },
    "anyOf": [{"required": ["token"]}, {"required": ["hash"]}],
    "x-error": "a canary needs a 'token' or a 'hash'",
}


_PII_RECOGNIZER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["entity", "pattern"],
    "properties": {
        "entity": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
        "pattern": {"type": "string", "minLength": 1},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "context": _strings(),
    },
}


def policy_schema() -> dict[str, Any]:
    """The whole schema; ``rules`` items use the rule-pack schema of leakguard.rulepack."""
    import copy

    from leakguard.policy.schema_docs import describe

    # A copy: the parts above are shared module constants and must stay untouched.
    return describe(copy.deepcopy(_schema()))


def _schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "leakguard policy",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "version": {"const": 1},
            "locked": {
                "oneOf": [
                    {"type": "boolean"},
                    {
                        "type": "array",
                        "items": {
                            "type": "string",
                            "pattern": "^(" + "|".join(TOP_LEVEL_KEYS[2:]) + r")(\.[^.]+)*$",
                        },
                    },
                ],
                "x-error": "must be true/false or a list of dotted keys such as 'audit.content'",
            },
            "default_action": _CATEGORY_ACTIONS,
            "rule_actions": {
                "type": "object",
                "propertyNames": {"pattern": _RULE_ID},
                "additionalProperties": {"enum": _ACTIONS},
            },
            "disabled_rules": {"type": "array", "items": {"type": "string", "pattern": _RULE_ID}},
            "destinations": {
                "type": "object",
                # No dots: `locked` names a destination as `destinations.NAME`.
                "propertyNames": {"pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$"},
                "additionalProperties": _DESTINATION,
            },
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
            "pii": _section(
                {
                    "entities": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
                    },
                    "deny_lists": {
                        "type": "object",
                        "propertyNames": {"pattern": "^[A-Z][A-Z0-9_]*$"},
                        "additionalProperties": _strings(),
                    },
                    "allow": _strings(),
                    "ner_model": {"type": ["string", "null"], "minLength": 1},
                    "min_score": {"type": "number", "minimum": 0, "maximum": 1},
                    "recognizers": {"type": "array", "items": _PII_RECOGNIZER},
                    "allow_patterns": _strings(),
                    "allow_networks": _strings(),
                    "allow_domains": _strings(),
                    "operators": {
                        "type": "object",
                        "propertyNames": {"pattern": "^[A-Z][A-Z0-9_]*$"},
                        "additionalProperties": {"enum": list(PII_OPERATORS)},
                    },
                    "encrypt_key_file": {"type": ["string", "null"], "minLength": 1},
                }
            ),
            "proprietary": _section(
                {
                    "paths": _strings(),
                    "markers": _strings(),
                    "index": {"type": "string", "minLength": 1},
                    "similarity": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "min_matches": {"type": "integer", "minimum": 1},
                    "canaries": {"type": "array", "items": _CANARY},
                }
            ),
            "allow": _section(
                {
                    "paths": _strings(),
                    "values": _strings(),
                    "fingerprints": {
                        "type": "array",
                        "items": {
                            "type": "string",
                            "pattern": _FINGERPRINT,
                            "x-error": "must be 'sha256:' and 64 hex digits",
                        },
                    },
                }
            ),
            "budget": _section(
                {
                    "proprietary_bytes_per_day": {"type": ["integer", "null"], "minimum": 0},
                    "on_exceeded": {"enum": ["warn", "block"]},
                    "anonymized_findings_per_day": {"type": ["integer", "null"], "minimum": 0},
                    "requests_per_day": {
                        "type": "object",
                        "additionalProperties": {"type": "integer", "minimum": 0},
                    },
                }
            ),
            "audit": _section(
                {
                    "store": {"type": "string", "minLength": 1},
                    "content": {"enum": ["none", "redacted", "full"]},
                    "on_failure": {"enum": ["block", "allow"]},
                    "key_file": {"type": ["string", "null"], "minLength": 1},
                    "allow_full_content": {"type": "boolean"},
                    "content_key_file": {"type": ["string", "null"], "minLength": 1},
                }
            ),
            "scan": _section(
                {
                    "max_file_bytes": {"type": "integer", "minimum": 1},
                    "on_unreadable": {"enum": ["block", "skip"]},
                    "respect_gitignore": {"type": "boolean"},
                }
            ),
            "values": _section(
                {
                    "currency": {"type": "string", "minLength": 1},
                    "per_category": _section(
                        {c.value: {"type": "number", "minimum": 0} for c in Category}, False
                    ),
                    "per_rule": {
                        "type": "object",
                        "additionalProperties": {"type": "number", "minimum": 0},
                    },
                    "proprietary_per_kb": {"type": ["number", "null"], "minimum": 0},
                }
            ),
            "proxy": _section(
                {
                    "upstreams": _section(
                        {
                            name: {
                                "type": "string",
                                "pattern": "^https?://",
                                "x-error": "must be an http:// or https:// URL",
                            }
                            for name in ("anthropic", "openai", "gemini")
                        },
                        lockable=False,
                    ),
                    "max_body_bytes": {"type": "integer", "minimum": 1024},
                    "scan_timeout_seconds": {"type": "number", "exclusiveMinimum": 0},
                    "vault": {"enum": ["memory", "store"]},
                    "vault_keep_days": {"type": ["integer", "null"], "minimum": 1},
                }
            ),
        },
        "$defs": {"rule": RULE_SCHEMA, "sample": SAMPLE_SCHEMA},
    }


def schema_digest() -> str:
    """Part of the validation-cache key, so a changed schema re-validates every file."""
    text = json.dumps(_schema(), separators=(",", ":"))  # built in a fixed order
    return hashlib.sha256(text.encode()).hexdigest()
