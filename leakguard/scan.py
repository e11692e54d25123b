"""The pipeline, read top to bottom like DESIGN.md's diagram.

items (Fragments and Skips from a door) -> detectors -> findings with masked context
-> suppressions (inline, allow-list, ignore file) -> policy decide -> ScanResult.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from leakguard.detectors import Detector
from leakguard.errors import ScanError
from leakguard.models import Category, Finding, Fragment, ScanResult, Skip
from leakguard.policy import Policy, decide
from leakguard.record import replace
from leakguard.textpos import LineIndex, masked_context

if TYPE_CHECKING:
    from leakguard.allowlist import AllowList

# An extra suppression stage (e.g. .leakguardignore): finding -> reason or None.
Suppressor = Callable[[Finding], "str | None"]

UNREAD_REASONS = frozenset({"unreadable", "missing", "error"})


def detect(fragment: Fragment, detectors: Sequence[Detector]) -> tuple[Finding, ...]:
    """All detectors on one fragment, with the masked one-line context filled in."""
    findings: list[Finding] = []
    for detector in detectors:
        try:
            findings.extend(detector.detect(fragment))
        except Exception as exc:  # a detector bug must not let data through unscanned
            raise ScanError(
                f"{fragment.path}: detector {detector.name} failed ({type(exc).__name__})"
            ) from exc
    if not findings:
        return ()
    findings = _drop_pii_inside_secrets(findings)
    return tuple(_with_context(fragment.text, fragment.line_start, findings))


def _drop_pii_inside_secrets(findings: list[Finding]) -> list[Finding]:
    """A PII match overlapping a secret is part of it (``user:pw@host`` read as an
    e-mail address): report the secret once, not both."""
    secrets = [(f.start, f.end) for f in findings if f.category is Category.SECRET]
    if not secrets:
        return findings
    return [
        f
        for f in findings
        if f.category is not Category.PII or all(f.end <= s or f.start >= e for s, e in secrets)
    ]


def _with_context(text: str, first_line: int, findings: list[Finding]) -> list[Finding]:
    lines = LineIndex(text, first_line)
    spans = [(f.start, f.end, f.masked) for f in findings]
    out = []
    for finding in sorted(findings, key=lambda f: (f.start, f.end, f.rule_id)):
        line_start, line_end = lines.line_span(finding.start)
        context = masked_context(text, line_start, line_end, spans, finding.start)
        out.append(replace(finding, context=context))
    return out


def line_text(text: str, position: int) -> str:
    """The whole line of ``text`` holding ``position`` (for inline allow markers)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


def run_pipeline(
    items: Iterable[Fragment | Skip],
    detectors: Sequence[Detector],
    policy: Policy,
    destination: str | None = None,
    suppressors: Sequence[Suppressor] = (),
    on_item: Callable[[Fragment | Skip], None] | None = None,
) -> ScanResult:
    """Scan every item a door yields and let the policy decide."""
    allow: AllowList | None = None  # built with the first finding: clean scans skip it
    policy_files = {str(Path(p).resolve()) for p in policy.sources}
    candidates: list[tuple[Finding, str | None]] = []
    skipped: list[Skip] = []
    files = size = 0
    for item in items:
        if on_item is not None:
            on_item(item)
        if isinstance(item, Skip):
            skipped.append(item)
            continue
        files += 1
        size += len(item.text)
        findings = detect(item, detectors)
        # Resolving a path costs syscalls: only fragments with findings pay for it.
        in_policy = bool(findings and policy_files) and _is_policy_file(item, policy_files)
        for finding in findings:
            if allow is None:
                from leakguard.allowlist import AllowList

                allow = AllowList.from_policy(policy)
            reason = allow.reason(finding, line_text(item.text, finding.start))
            if reason is None and in_policy and finding.category is not Category.SECRET:
                reason = "policy-file"  # the policy names its own markers and deny lists
            for suppress in suppressors:
                if reason is not None:
                    break
                reason = suppress(finding)
            candidates.append((finding, reason))
    verdict = decide(candidates, policy, destination)
    return ScanResult(verdict=verdict, files=files, bytes=size, skipped=tuple(skipped))


def _is_policy_file(fragment: Fragment, policy_files: set[str]) -> bool:
    if fragment.kind not in ("file", "staged", "diff", "history"):
        return False
    return str(Path(fragment.path).resolve()) in policy_files


def unread(result: ScanResult) -> tuple[Skip, ...]:
    """Skips that mean content could not be read (as opposed to chosen not to scan)."""
    return tuple(s for s in result.skipped if s.reason in UNREAD_REASONS)
