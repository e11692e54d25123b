"""Protected paths: content from files under the policy's proprietary globs is
proprietary whatever it says, so the whole fragment is one finding."""

from __future__ import annotations

from collections.abc import Sequence

from leakguard.allowlist import path_matches
from leakguard.masking import fingerprint
from leakguard.models import Category, Finding, Fragment, Severity
from leakguard.textpos import LineIndex

RULE_ID = "proprietary-protected-path"


class ProtectedPathDetector:
    name = "protected-paths"

    def __init__(self, globs: Sequence[str], key: bytes | None = None) -> None:
        self.globs = tuple(globs)
        self._key = key

    def detect(self, fragment: Fragment) -> list[Finding]:
        text = fragment.text
        if not text.strip() or not any(path_matches(fragment.path, g) for g in self.globs):
            return []
        lines = LineIndex(text, fragment.line_start)
        end = len(text.rstrip("\n")) or len(text)
        line, column = lines.position(0)
        end_line, end_column = lines.position(max(end - 1, 0))
        if fragment.lines is not None and not any(
            n in fragment.lines for n in range(line, end_line + 1)
        ):
            return []
        count = end_line - line + 1
        return [
            Finding(
                rule_id=RULE_ID,
                category=Category.PROPRIETARY,
                severity=Severity.HIGH,
                message=f"content of a protected path ({count} lines of {fragment.path})",
                path=fragment.path,
                start=0,
                end=end,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column + 1,
                masked=f"<{count} lines of {fragment.path}>",
                fingerprint=fingerprint(RULE_ID, fragment.path, self._key),
                value=fragment.path,
                commit=fragment.commit,
            )
        ]
