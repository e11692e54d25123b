"""How a secret may appear outside memory: masked for people, keyed-hashed for machines."""

from __future__ import annotations

import os

# A default key keeps fingerprints stable across machines so baselines can be shared;
# an organisation that wants them unguessable sets its own key.
_DEFAULT_KEY = b"leakguard-fingerprint-v1"
KEY_ENV = "LEAKGUARD_FINGERPRINT_KEY"


def fingerprint_key() -> bytes:
    env = os.environ.get(KEY_ENV)
    return env.encode("utf-8") if env else _DEFAULT_KEY


def mask(value: str) -> str:
    """Show at most the first 4 characters and the length: ``ghp_…(40 chars)``."""
    shown = min(4, len(value) // 4)
    return f"{value[:shown]}…({len(value)} chars)"


def fingerprint(rule_id: str, value: str, key: bytes | None = None) -> str:
    """Keyed hash of rule and value: stable when the code moves, reveals nothing."""
    import hashlib  # here, not at the top: a clean scan never hashes (start-up)
    import hmac

    digest = hmac.new(key or fingerprint_key(), f"{rule_id}\0{value}".encode(), hashlib.sha256)
    return "sha256:" + digest.hexdigest()


def value_hash(value: str, key: bytes | None = None) -> str:
    """Keyed hash of a value alone (rule-independent allow-lists, canaries)."""
    import hashlib
    import hmac

    digest = hmac.new(key or fingerprint_key(), value.encode("utf-8"), hashlib.sha256)
    return "sha256:" + digest.hexdigest()
