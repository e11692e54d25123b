"""The policy as a frozen value: what each category, rule and destination is allowed to do.

Built once from validated YAML (see ``load``) and passed down; nothing here reads files.
Mappings are read-only views so a ``Policy`` cannot be changed after it is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from leakguard.models import Action, Category
from leakguard.record import Record, field, record

# The canary rule family blocks whatever the policy says (see decide.py).
CANARY_PREFIX = "canary"

DEFAULT_ACTIONS: Mapping[Category, Action] = MappingProxyType(
    {
        Category.SECRET: Action.BLOCK,
        Category.PII: Action.ANONYMIZE,
        Category.PROPRIETARY: Action.BLOCK,
    }
)
DEFAULT_ENTITIES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
)
# Addresses that are never personal data: loopback, unspecified, link-local and the
# documentation ranges (RFC 5737, RFC 3849). Private ranges stay reported unless a
# policy adds them.
DEFAULT_PII_ALLOW_NETWORKS = (
    "127.0.0.0/8",
    "0.0.0.0/8",
    "169.254.0.0/16",
    "192.0.2.0/24",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "255.255.255.255/32",
    "::1/128",
    "::/128",
    "fe80::/10",
    "2001:db8::/32",
)
# Reserved example domains (RFC 2606, RFC 6761) and their subdomains.
DEFAULT_PII_ALLOW_DOMAINS = (
    "example.com",
    "example.org",
    "example.net",
    "example",
    "test",
    "invalid",
    "localhost",
    "local",
)
PII_OPERATORS = ("placeholder", "mask", "hash", "encrypt", "redact")
DEFAULT_AUDIT_STORE = "sqlite:///~/.local/state/leakguard/audit.db"
DEFAULT_INDEX = ".leakguard/index"
DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
UNKNOWN_DESTINATION = "unknown"


def frozen_map(items: Mapping[Any, Any] | None = None) -> Mapping[Any, Any]:
    """A read-only copy, so frozen records stay frozen all the way down."""
    return MappingProxyType(dict(items or {}))


@record
class Destination(Record):
    """Where data may go and under which terms.

    ``actions`` overrides the default action per category for this destination;
    ``action`` is a floor for the whole request (``unknown: {action: block}`` blocks
    every request to an unconfigured destination, with or without findings).
    """

    name: str
    upstream: str | None = None
    terms: Mapping[str, Any] = field(default_factory=frozen_map)
    actions: Mapping[Category, Action] = field(default_factory=frozen_map)
    action: Action | None = None
    on_scan_error: str = "block"  # block | allow-unscanned


DEFAULT_DESTINATIONS: Mapping[str, Destination] = MappingProxyType(
    {
        "anthropic": Destination("anthropic", "https://api.anthropic.com"),
        "openai": Destination("openai", "https://api.openai.com"),
        "gemini": Destination("gemini", "https://generativelanguage.googleapis.com"),
        UNKNOWN_DESTINATION: Destination(UNKNOWN_DESTINATION, action=Action.BLOCK),
    }
)


@record
class Allow(Record):
    """Content-keyed exceptions: path globs, value regexes, finding fingerprints."""

    paths: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    fingerprints: tuple[str, ...] = ()


@record
class PiiRecognizer(Record):
    """A policy's own regex recognizer for one entity, with optional context words."""

    entity: str
    pattern: str
    score: float = 0.6
    context: tuple[str, ...] = ()


@record
class PiiSettings(Record):
    """Which PII entities to look for; ``ner_model`` None means pattern recognizers only.

    ``allow_patterns`` are regexes a whole value may match to be ignored;
    ``allow_networks`` CIDR ranges of IP addresses and ``allow_domains`` e-mail domains
    (with their subdomains) that are never personal data. ``operators`` chooses per
    entity how ``redact`` replaces a value (``placeholder`` unless named);
    ``encrypt_key_file`` holds the key ``encrypt`` needs (LEAKGUARD_PII_ENCRYPT_KEY wins).
    """

    entities: tuple[str, ...] = DEFAULT_ENTITIES
    deny_lists: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_map)
    allow: tuple[str, ...] = ()  # exact values never reported (a support address, ...)
    ner_model: str | None = None
    min_score: float = 0.5
    recognizers: tuple[PiiRecognizer, ...] = ()
    allow_patterns: tuple[str, ...] = ()
    allow_networks: tuple[str, ...] = DEFAULT_PII_ALLOW_NETWORKS
    allow_domains: tuple[str, ...] = DEFAULT_PII_ALLOW_DOMAINS
    operators: Mapping[str, str] = field(default_factory=frozen_map)
    encrypt_key_file: str | None = None


@record
class Canary(Record):
    """A planted token: by value, or by its keyed hash (masking.value_hash) so the
    policy file does not itself carry the token."""

    label: str = ""
    token: str | None = field(default=None, repr=False)
    hash: str | None = None
    created: str | None = None


@record
class ProprietarySettings(Record):
    """Proprietary code: path globs, marker strings, the fingerprint index and its bars.

    ``similarity`` is the share of a matched source region's fingerprints that the text
    must hold (two thirds of it for a match holding the code's own words);
    ``min_matches`` the fewest fingerprints, in source order, a match needs (one fewer
    when they are nearly all of their region's: a short region copied whole; defaults
    from bench/fingerprint.py, see leakguard/fingerprint/match.py).
    """

    paths: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    index: str = DEFAULT_INDEX
    similarity: float = 0.3
    min_matches: int = 6
    canaries: tuple[Canary, ...] = ()


@record
class Budget(Record):
    """Daily allowance of proprietary bytes sent out; None = no budget."""

    proprietary_bytes_per_day: int | None = None
    on_exceeded: Action = Action.BLOCK
    anonymized_findings_per_day: int | None = None
    requests_per_day: Mapping[str, int] = field(default_factory=frozen_map)  # destination or "*"


@record
class AuditSettings(Record):
    """Where the audit log lives, what of each payload it keeps, and what a write
    failure does."""

    store: str = DEFAULT_AUDIT_STORE
    content: str = "none"  # none | redacted | full (issue 6: nothing of the payload by default)
    on_failure: str = "block"  # block | allow: what to do when the log cannot be written
    key_file: str | None = None  # HMAC key for the hash chain, kept outside the log
    allow_full_content: bool = False  # the explicit flag `content: full` needs
    content_key_file: str | None = None  # AES key sealing content (see audit/content.py)


# Where each provider's API lives when the policy does not say otherwise.
OFFICIAL_UPSTREAMS: Mapping[str, str] = MappingProxyType(
    {
        "anthropic": "https://api.anthropic.com",
        "openai": "https://api.openai.com",
        "gemini": "https://generativelanguage.googleapis.com",
    }
)


@record
class ProxySettings(Record):
    """The guarding proxy: forward URL per provider, body size cap, scan deadline,
    where session vaults live.

    An upstream not set here is the provider's destination ``upstream``, else the
    official endpoint. ``vault: store`` keeps each session's vault sealed in the audit
    store's database, so several ``serve`` instances give a conversation the same
    placeholders (they all need the same LEAKGUARD_VAULT_KEY). A stored vault that gained
    no placeholder for ``vault_keep_days`` is deleted, with the values it seals (None:
    kept until deleted by hand).
    """

    upstreams: Mapping[str, str] = field(default_factory=frozen_map)
    max_body_bytes: int = 32 * 1024 * 1024
    scan_timeout_seconds: float = 30.0
    vault: str = "memory"  # memory | store
    vault_keep_days: int | None = 30


@record
class Values(Record):
    """What a leak would cost, for `leakguard report`: per finding by category or rule
    (a rule's value wins), and per KB of proprietary code."""

    currency: str = "USD"
    per_category: Mapping[str, float] = field(default_factory=frozen_map)
    per_rule: Mapping[str, float] = field(default_factory=frozen_map)
    proprietary_per_kb: float | None = None


@record
class ScanSettings(Record):
    """Limits and choices of file scans: size cap, unreadable files, .gitignore."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    on_unreadable: str = "block"  # block | skip
    respect_gitignore: bool = True


@record
class Policy(Record):
    """The effective, merged policy.

    ``rules`` are extra rules as raw mappings in the rules/ schema (compiled by the
    detectors); ``disabled_rules`` are left out when rules are loaded; ``rule_actions``
    override the action per rule id. ``sources`` are the files merged (organisation
    first); ``root`` is the directory of the repository policy, which its relative
    paths and globs are relative to; ``locked`` lists the keys the organisation locked.
    """

    version: int = 1
    default_action: Mapping[Category, Action] = field(default_factory=lambda: DEFAULT_ACTIONS)
    destinations: Mapping[str, Destination] = field(default_factory=lambda: DEFAULT_DESTINATIONS)
    rule_actions: Mapping[str, Action] = field(default_factory=frozen_map)
    rules: tuple[Mapping[str, Any], ...] = ()
    disabled_rules: tuple[str, ...] = ()
    allow: Allow = Allow()
    pii: PiiSettings = PiiSettings()
    proprietary: ProprietarySettings = ProprietarySettings()
    budget: Budget = Budget()
    audit: AuditSettings = AuditSettings()
    scan: ScanSettings = ScanSettings()
    values: Values = Values()
    proxy: ProxySettings = ProxySettings()
    locked: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    root: str | None = None
    warnings: tuple[str, ...] = ()

    def action_for(self, category: Category) -> Action:
        return self.default_action.get(category, DEFAULT_ACTIONS[category])
