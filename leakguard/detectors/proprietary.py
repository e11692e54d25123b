"""The proprietary-code detector: outbound text that reproduces fingerprinted source.

Looks each fragment up in a fingerprint index (leakguard/fingerprint) and turns every
matched region into a finding spanning the whole matched lines. The finding names the
source file and lines it reproduces; it never carries the code in its masked form or
context (the matched text stays in ``value``, in memory only, for transforms).
"""

from __future__ import annotations

import os
from pathlib import Path

from leakguard.fingerprint.index import load
from leakguard.fingerprint.lexers import profile_for
from leakguard.fingerprint.match import Match, Matcher, Thresholds
from leakguard.masking import fingerprint
from leakguard.models import Category, Finding, Fragment, Severity

RULE_ID = "proprietary-code-match"


class ProprietaryDetector:
    """Findings for fragment text that matches the index; build once, reuse."""

    name = "proprietary"

    def __init__(
        self,
        matcher: Matcher,
        *,
        severity: Severity = Severity.HIGH,
        key: bytes | None = None,
    ) -> None:
        self.matcher = matcher
        self.severity = severity
        self._key = key

    @classmethod
    def from_index(
        cls,
        path: str | os.PathLike[str],
        thresholds: Thresholds | None = None,
        *,
        severity: Severity = Severity.HIGH,
        key: bytes | None = None,
    ) -> ProprietaryDetector:
        """Load the index at ``path`` (ConfigError if missing or damaged)."""
        return cls(Matcher(load(Path(path)), thresholds), severity=severity, key=key)

    def detect(self, fragment: Fragment) -> list[Finding]:
        if not fragment.text.strip() or not self.matcher.index.files:
            return []
        # A code file is lexed whole, as its language; anything else (a prompt, stdin, a
        # markdown file) with every language the index holds, fenced blocks apart.
        indexed = list(self.matcher.index.profiles)
        profile = profile_for(fragment.path) if fragment.path else None
        profiles = [profile] if profile in indexed else indexed
        matches = _strongest(self.matcher.match(fragment.text, profiles, fenced=profile is None))
        if not matches:
            return []
        starts = _line_starts(fragment.text)
        findings = []
        for match in matches:
            finding = self._finding(fragment, match, starts)
            if fragment.lines is None or any(
                n in fragment.lines for n in range(finding.line, finding.end_line + 1)
            ):
                findings.append(finding)
        return findings

    def _finding(self, fragment: Fragment, match: Match, starts: list[int]) -> Finding:
        text = fragment.text
        first = min(match.query_start, len(starts)) - 1
        last = min(match.query_end, len(starts)) - 1
        start = starts[first]
        end = starts[last + 1] - 1 if last + 1 < len(starts) else len(text)
        region = f"{match.path}:{match.source_start}-{match.source_end}"
        lines = last - first + 1
        return Finding(
            rule_id=RULE_ID,
            category=Category.PROPRIETARY,
            severity=self.severity,
            message=match.describe(),
            path=fragment.path,
            start=start,
            end=end,
            line=fragment.line_start + first,
            column=1,
            end_line=fragment.line_start + last,
            end_column=end - starts[last] + 1,
            masked=f"<{lines} lines of {region}>",
            fingerprint=fingerprint(RULE_ID, region, self._key),
            value=text[start:end],
            commit=fragment.commit,
            entity="source-code",
            detail=(
                f"{region}; {match.matched_tokens} tokens, {match.fingerprints} fingerprints, "
                f"{match.coverage:.0%} of the region"
            ),
            confidence=round(match.coverage, 3),
        )


def _strongest(matches: list[Match]) -> list[Match]:
    """One match per stretch of the query: where two overlap, the larger one wins."""
    kept: list[Match] = []
    for match in sorted(matches, key=lambda m: (-m.matched_tokens, m.query_start, m.path)):
        if all(
            match.query_end < other.query_start or match.query_start > other.query_end
            for other in kept
        ):
            kept.append(match)
    return sorted(kept, key=lambda m: m.query_start)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts
