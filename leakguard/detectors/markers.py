"""Proprietary markers and canary tokens: the other two signs of the organisation's code.

Markers are strings from the policy (`proprietary.markers`): classification labels
("ACME CONFIDENTIAL"), copyright lines, internal hostnames, package namespaces
(`com.acme.`, `@acme/`), ticket keys. Each is found case-insensitively, not inside a
longer word. A marker is a label, not a secret, so the finding shows it.

Canaries are unique tokens planted in code (`new_canary()` makes one). The policy lists
them by value or by keyed hash (masking.value_hash); any canary-shaped token in outbound
text is hashed and looked up, so the policy need not carry the tokens themselves. A
canary found is critical: the code it sits in is on its way out.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable, Sequence

from leakguard.detectors.finding import span_finding
from leakguard.masking import value_hash
from leakguard.models import Category, Finding, Fragment, Severity
from leakguard.textpos import LineIndex

MARKER_RULE = "proprietary-marker"
CANARY_RULE = "canary-token"
CANARY_PREFIX = "lgcanary_"
_CANARY = re.compile(r"lgcanary_[a-z2-7]{26}(?![a-z2-7])")


def new_canary() -> str:
    """A fresh canary: a valid identifier and string content in any language."""
    random = base64.b32encode(os.urandom(16)).decode().lower().rstrip("=")[:26]
    return CANARY_PREFIX + random


def _bounded(marker: str) -> str:
    """The marker, not as part of a longer word: `acme_internal` misses `xacme_internal`,
    while `com.acme.` (ending in a dot) still matches `com.acme.billing`."""
    head = r"(?<!\w)" if re.match(r"\w", marker[0]) else ""
    tail = r"(?!\w)" if re.match(r"\w", marker[-1]) else ""
    return head + re.escape(marker) + tail


class MarkerDetector:
    """Policy markers and registered canaries in a fragment's text."""

    name = "proprietary-markers"

    def __init__(
        self,
        markers: Sequence[str] = (),
        *,
        canary_tokens: Iterable[str] = (),
        canary_hashes: Iterable[str] = (),
        key: bytes | None = None,
        severity: Severity = Severity.HIGH,
    ) -> None:
        self.markers = tuple(m for m in markers if m.strip())
        self._key = key
        self.severity = severity
        self._canaries = {value_hash(t, key) for t in canary_tokens} | set(canary_hashes)
        alternatives = "|".join(_bounded(m) for m in self.markers)
        self._pattern = re.compile(alternatives, re.IGNORECASE) if self.markers else None

    def detect(self, fragment: Fragment) -> list[Finding]:
        text = fragment.text
        found: list[tuple[int, int, str]] = []
        if self._pattern is not None:
            found += [(m.start(), m.end(), MARKER_RULE) for m in self._pattern.finditer(text)]
        if self._canaries and CANARY_PREFIX in text:
            found += [
                (m.start(), m.end(), CANARY_RULE)
                for m in _CANARY.finditer(text)
                if value_hash(m.group(), self._key) in self._canaries
            ]
        if not found:
            return []
        lines = LineIndex(text, fragment.line_start)
        built = (self._finding(fragment, lines, *spot) for spot in sorted(found))
        return [f for f in built if f is not None]

    def _finding(
        self, fragment: Fragment, lines: LineIndex, start: int, end: int, rule: str
    ) -> Finding | None:
        value = fragment.text[start:end]
        canary = rule == CANARY_RULE
        return span_finding(
            fragment, lines, start, end, rule_id=rule, category=Category.PROPRIETARY,
            severity=Severity.CRITICAL if canary else self.severity,
            message="canary token: this code was planted to be recognised"
            if canary
            else f"proprietary marker {value!r}",
            masked=None if canary else value,  # a marker is policy text, not a secret
            fingerprint_of=value.lower(), key=self._key,
            entity="canary" if canary else "marker",
        )
