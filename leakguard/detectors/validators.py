"""Named checks a rule can ask for, by name, in its `validators:` list.

A validator gets the extracted secret and the whole match and answers whether the
candidate still looks like a real credential. The registry is an explicit dict, built
on first use: a scan in which no rule matches never imports the checks (start-up).
``NAMES`` lets rules be checked for unknown names before that; a test holds it equal
to the registry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

Validator = Callable[[str, str], bool]

NAMES = frozenset({
    "b64-private-key", "basic-auth-b64", "generic-value", "github-checksum", "has-digit",
    "jwt-header", "not-hash-or-id", "not-identifier", "npm-checksum",
    "password-not-placeholder", "password-value", "pem-body", "pem-der", "random-case",
    "service-key-value", "supabase-service-role", "token-value",
})


@functools.cache
def registry() -> dict[str, Validator]:
    """Every validator by name."""
    from leakguard.detectors.checksums import CHECKSUM_VALIDATORS
    from leakguard.detectors.filters import FILTER_VALIDATORS
    from leakguard.detectors.formats import FORMAT_VALIDATORS

    return {**CHECKSUM_VALIDATORS, **FILTER_VALIDATORS, **FORMAT_VALIDATORS}
