"""Detectors: text and rules in, findings out. They never redact, print or decide."""

from __future__ import annotations

from typing import Protocol

from leakguard.models import Finding, Fragment


class Detector(Protocol):
    name: str

    def detect(self, fragment: Fragment) -> list[Finding]:
        """Findings in ``fragment``; offsets are into ``fragment.text``."""
        ...
