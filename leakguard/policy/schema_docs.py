"""What each policy key means, attached to the schema as `description`s.

Editors that read JSON Schema (the YAML language server, for one) show these while
a person writes `.leakguard.yaml`; `leakguard policy schema` prints them.
"""

from __future__ import annotations

from typing import Any

DESCRIPTIONS: dict[str, str] = {
    "version": "Policy format version; 1 is the only one.",
    "locked": (
        "Organisation policy only. true locks every key; a list locks dotted keys such as "
        "'audit.content' or 'destinations.unknown'. A repository policy that changes a locked "
        "value is an error. Sections also accept 'locked: true'."
    ),
    "default_action": "Action per category when nothing more specific applies.",
    "rule_actions": "Action per rule id; beats destination and default actions.",
    "disabled_rules": "Rule ids that are not run at all.",
    "destinations": (
        "Where data may go: upstream URL, terms, per-category 'actions', and 'action', a "
        "floor for every request to it. 'unknown' applies to any destination not listed."
    ),
    "destinations.*.on_scan_error": (
        "block (default), or allow-unscanned: let a request through, logged, when scanning "
        "it failed."
    ),
    "rules": "Extra rules in the rule-pack schema (rules/README.md), merged by id.",
    "pii": "PII detection: entities, deny lists, exact values to allow, optional NER model.",
    "pii.ner_model": (
        "Folder or name of a spaCy pipeline for names, places and organisations; without "
        "it only pattern recognizers run."
    ),
    "pii.min_score": "Lowest recognizer score reported (0 to 1).",
    "pii.allow": "Exact values never reported as PII (a support address, a test card).",
    "pii.deny_lists": "Words always reported, per entity name: {CUSTOMER: [Globex, Initech]}.",
    "pii.recognizers": "Extra regex recognizers: [{entity, pattern, score, context: [words]}].",
    "pii.allow_patterns": "Regexes: a PII value matching one in full is not reported.",
    "pii.allow_networks": "CIDR ranges of IP addresses never reported (loopback, docs...).",
    "pii.allow_domains": "E-mail domains (and subdomains) never reported (example.com...).",
    "pii.operators": (
        "How redact replaces each entity: placeholder (default, restorable), mask, hash, "
        "encrypt (restorable with the key alone; needs pii.encrypt_key_file or "
        "LEAKGUARD_PII_ENCRYPT_KEY), redact."
    ),
    "pii.encrypt_key_file": (
        "File holding the encrypt operator's key (16, 24 or 32 bytes, base64url; readable "
        "by you only). LEAKGUARD_PII_ENCRYPT_KEY wins over it."
    ),
    "proprietary": "Proprietary code: path globs, marker strings, fingerprint index, canaries.",
    "proprietary.similarity": (
        "Share of a matched source region's fingerprints the text must hold to make a "
        "finding (two thirds of it when the match holds the code's own string literals "
        "or docstrings)."
    ),
    "proprietary.min_matches": (
        "Fewest matching fingerprints, in the order the source has them, that can make a "
        "finding (one fewer when they are 80% of their source region's)."
    ),
    "proprietary.canaries": (
        "Planted tokens, by 'token' or by 'hash' (keyed SHA-256); a canary always blocks."
    ),
    "allow": (
        "Suppressions: path globs (relative to the repository policy's folder), regexes a "
        "finding's value may match, and finding fingerprints."
    ),
    "allow.values": "Regexes (Python syntax); a finding whose value matches one is suppressed.",
    "allow.fingerprints": "Finding fingerprints (sha256:...) as printed in reports.",
    "budget": "Daily allowance of proprietary bytes sent out, and what happens beyond it.",
    "audit": (
        "Audit log: store URL, how much content it keeps (none, redacted, full) and what "
        "happens when it cannot be written (block by default)."
    ),
    "audit.allow_full_content": (
        "Must be true for content: full (payloads kept with their secrets, encrypted)."
    ),
    "audit.content_key_file": (
        "File holding the key (32 bytes, base64url; also LEAKGUARD_AUDIT_CONTENT_KEY) that "
        "encrypts stored content (AES-256-GCM). Needed for full; with it, redacted is "
        "encrypted too. Never stored in the log."
    ),
    "scan": (
        "Scanning limits: largest file read, what to do with unreadable content (block or "
        "skip), whether .gitignore is honoured."
    ),
    "proxy": (
        "Guarding proxy: where each provider's requests are forwarded (upstreams, e.g. a "
        "corporate gateway; the destination is the one whose upstream has the same host), "
        "the largest request body scanned, and the scan deadline. Both limits block."
    ),
    "proxy.vault": (
        "Where session vaults (placeholder to value) live: memory (one process), or store "
        "(sealed in the audit store's database, shared by several serve instances; each "
        "needs the same LEAKGUARD_VAULT_KEY)."
    ),
    "proxy.vault_keep_days": (
        "Days a stored session vault is kept after its last new placeholder; then it is "
        "deleted with the values it seals. null keeps vaults until deleted by hand."
    ),
}


def describe(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the descriptions to ``schema`` in place ('*' stands for any name) and return it."""
    for dotted, text in DESCRIPTIONS.items():
        node = schema
        for part in dotted.split("."):
            node = node["additionalProperties"] if part == "*" else node["properties"][part]
        node["description"] = text
    return schema
