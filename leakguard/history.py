"""History scans report each secret once, with every commit that carries it.

``git log`` walks newest first, so the last occurrence of a fingerprint is the commit
that introduced it: that one is kept, and its message names the author, the date and the
other commits the same value appears in (a secret copied around, re-added, merged).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from leakguard.models import Decision, ScanResult, Verdict

CommitMeta = Callable[[Iterable[str]], dict[str, tuple[str, str]]]
_SHOWN = 8


def collapse_history(result: ScanResult, meta: CommitMeta) -> ScanResult:
    groups: dict[str, list[Decision]] = {}
    for decision in result.verdict.decisions:
        groups.setdefault(decision.finding.fingerprint, []).append(decision)
    keep = {fp: items[-1] for fp, items in groups.items()}  # oldest occurrence
    info = meta({d.finding.commit for d in keep.values() if d.finding.commit})
    decisions = []
    for decision in result.verdict.decisions:
        items = groups[decision.finding.fingerprint]
        if decision is not keep[decision.finding.fingerprint]:
            continue
        decisions.append(_annotate(decision, items, info))
    verdict = Verdict(action=result.verdict.action, decisions=tuple(decisions))
    return dataclasses.replace(result, verdict=verdict)


def _annotate(decision: Decision, items: list[Decision],
              info: dict[str, tuple[str, str]]) -> Decision:
    f = decision.finding
    if not f.commit:
        return decision
    parts = [f"added in {f.commit[:12]}"]
    if f.commit in info:
        author, date = info[f.commit]
        parts.append(f"by {author} on {date}")
    others = []
    for d in reversed(items[:-1]):  # oldest first
        label = d.finding.commit[:12] if d.finding.commit else "?"
        if d.finding.path != f.path:
            label += f" ({d.finding.path}:{d.finding.line})"
        if label not in others:
            others.append(label)
    if others:
        shown = ", ".join(others[:_SHOWN])
        more = f" and {len(others) - _SHOWN} more" if len(others) > _SHOWN else ""
        parts.append(f"also in {shown}{more}")
    message = f"{f.message} ({'; '.join(parts)})"
    return dataclasses.replace(decision, finding=dataclasses.replace(f, message=message))
