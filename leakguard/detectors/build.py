"""Build the detectors a policy asks for, once, and hand them to the pipeline.

The registry is an explicit dict of factories; heavy engines (Presidio, the
fingerprint index) are built lazily inside their own detector.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from leakguard.detectors import Detector
from leakguard.detectors.secrets import SecretDetector
from leakguard.policy import Policy
from leakguard.policy.model import DEFAULT_INDEX
from leakguard.rulepack import Rule, builtin_rules, rules_from_mappings

ENGINE_ENV = "LEAKGUARD_ENGINE"  # auto | hyperscan | python


def policy_rules(policy: Policy) -> tuple[Rule, ...]:
    """Built-in rules plus the policy's own, less the disabled ones."""
    extra = rules_from_mappings(policy.rules, "policy")
    disabled = set(policy.disabled_rules)
    return tuple(r for r in (*builtin_rules(examples=False), *extra) if r.id not in disabled)


def _secrets(policy: Policy) -> Detector:
    from leakguard.engine import build_engine

    rules = policy_rules(policy)
    return SecretDetector(rules, build_engine(rules, os.environ.get(ENGINE_ENV, "auto")))


def _pii(policy: Policy) -> Detector | None:
    # Cheap to build: Presidio is imported only when a fragment has a PII candidate.
    from leakguard.detectors.pii import PiiDetector

    pii = policy.pii
    if not (pii.entities or pii.deny_lists or pii.recognizers):
        return None
    return PiiDetector(pii)


def _markers(policy: Policy) -> Detector | None:
    settings = policy.proprietary
    tokens = [c.token for c in settings.canaries if c.token]
    hashes = [c.hash for c in settings.canaries if c.hash]
    if not (settings.markers or tokens or hashes):
        return None
    from leakguard.detectors.markers import MarkerDetector

    return MarkerDetector(settings.markers, canary_tokens=tokens, canary_hashes=hashes)


def _protected_paths(policy: Policy) -> Detector | None:
    paths = policy.proprietary.paths
    if not paths:
        return None
    from leakguard.detectors.protected import ProtectedPathDetector

    return ProtectedPathDetector(paths)


def _fingerprint_index(policy: Policy) -> Detector | None:
    # The default index path is used when it exists; a missing index is only an error
    # when it is what the policy explicitly names (load raises ConfigError then).
    settings = policy.proprietary
    path = Path(settings.index)
    if not path.is_absolute() and policy.root:
        path = Path(policy.root) / path
    if settings.index == DEFAULT_INDEX and not path.exists():
        return None
    from leakguard.detectors.proprietary import ProprietaryDetector
    from leakguard.fingerprint.match import Thresholds

    thresholds = Thresholds.from_policy(settings.similarity, settings.min_matches)
    return ProprietaryDetector.from_index(path, thresholds)


DETECTORS: dict[str, Callable[[Policy], Detector | None]] = {
    "secrets": _secrets,
    "pii": _pii,
    "markers": _markers,
    "protected-paths": _protected_paths,
    "fingerprint-index": _fingerprint_index,
}


def build_detectors(policy: Policy) -> list[Detector]:
    built = (factory(policy) for factory in DETECTORS.values())
    return [d for d in built if d is not None]
