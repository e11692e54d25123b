"""Policy: load, validate and merge policy files; ``decide`` turns findings into a Verdict."""

from __future__ import annotations

from leakguard.policy.decide import decide, destination_for
from leakguard.policy.load import (
    POLICY_ENV,
    REPO_POLICY_NAMES,
    PolicyError,
    default_policy,
    find_repo_policy,
    load_policy,
    load_policy_file,
)
from leakguard.policy.model import (
    Allow,
    AuditSettings,
    Budget,
    Canary,
    Destination,
    PiiSettings,
    Policy,
    ProprietarySettings,
    ScanSettings,
)

__all__ = [
    "POLICY_ENV",
    "REPO_POLICY_NAMES",
    "Allow",
    "AuditSettings",
    "Budget",
    "Canary",
    "Destination",
    "PiiSettings",
    "Policy",
    "PolicyError",
    "ProprietarySettings",
    "ScanSettings",
    "decide",
    "default_policy",
    "destination_for",
    "find_repo_policy",
    "load_policy",
    "load_policy_file",
]
