"""Helpers every report format shares: one order, one count, one scrub."""

from __future__ import annotations

from collections.abc import Iterable

from leakguard.models import Action, Decision, Finding, ScanResult


def sort_key(decision: Decision) -> tuple[str, int, int, str, int, int, str]:
    """Order findings by place, then rule; the tail keeps ties deterministic."""
    f = decision.finding
    return (f.path, f.line, f.column, f.rule_id, f.end_line, f.end_column, f.fingerprint)


def ordered(decisions: Iterable[Decision]) -> list[Decision]:
    return sorted(decisions, key=sort_key)


def active(result: ScanResult) -> list[Decision]:
    """Decisions that count (not suppressed), in report order."""
    return ordered(result.verdict.active)


def suppressed(result: ScanResult) -> list[Decision]:
    return ordered(d for d in result.verdict.decisions if d.suppressed_by is not None)


def action_counts(decisions: Iterable[Decision]) -> dict[Action, int]:
    """How many decisions per action, most restrictive first, zeros left out."""
    counts = {action: 0 for action in sorted(Action, key=lambda a: -a.rank)}
    for decision in decisions:
        counts[decision.action] += 1
    return {action: n for action, n in counts.items() if n}


def scrub(text: str, finding: Finding) -> str:
    """Defence in depth: if a detector let the value into a display string, mask it."""
    if finding.value and finding.value in text:
        return text.replace(finding.value, finding.masked)
    return text
