"""Suppressions known before a policy decides: inline comments and the policy's allow-list."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from leakguard.models import Finding
from leakguard.policy import Policy

INLINE_MARKER = "leakguard:allow"


@dataclass(frozen=True)
class AllowList:
    paths: tuple[str, ...]
    values: tuple[re.Pattern[str], ...]
    fingerprints: frozenset[str]

    @classmethod
    def from_policy(cls, policy: Policy) -> AllowList:
        allow = policy.allow
        return cls(
            paths=tuple(allow.paths),
            values=tuple(re.compile(v) for v in allow.values),
            fingerprints=frozenset(allow.fingerprints),
        )

    def reason(self, finding: Finding, line_text: str) -> str | None:
        """Why ``finding`` is suppressed, or None when it stands."""
        if INLINE_MARKER in line_text:
            return "inline"
        if finding.fingerprint in self.fingerprints:
            return "fingerprint"
        if any(path_matches(finding.path, glob) for glob in self.paths):
            return "path"
        if any(p.search(finding.value) for p in self.values):
            return "value"
        return None


def path_matches(path: str, glob: str) -> bool:
    """Whether a display path (relative, with /) falls under a policy glob."""
    if glob.endswith("/**"):
        prefix = glob[:-3]
        return path == prefix or path.startswith(prefix + "/")
    return fnmatch.fnmatchcase(path, glob) or fnmatch.fnmatchcase(path, glob.replace("**/", ""))
