"""The JSON report: the machine contract in DESIGN.md ("--format json").

The keys DESIGN.md names are a promise to users' scripts: their names and order
stay fixed. Extra keys may be added, never renamed or removed.
"""

from __future__ import annotations

import json
from typing import Any

from leakguard.models import Action, Decision, ScanResult
from leakguard.report.common import action_counts, active, scrub, suppressed
from leakguard.report.options import ReportOptions

FORMAT_VERSION = 1

_COUNT_KEYS = {
    Action.BLOCK: "blocked",
    Action.ANONYMIZE: "anonymized",
    Action.WARN: "warned",
    Action.ALLOW: "allowed",
}


def finding_object(decision: Decision) -> dict[str, Any]:
    """One finding with exactly the DESIGN.md keys; ``Finding.value`` never appears."""
    f = decision.finding
    return {
        "rule_id": f.rule_id,
        "category": f.category.value,
        "severity": f.severity.value,
        "action": decision.action.value,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "start": f.start,
        "end": f.end,
        "masked": f.masked,
        "fingerprint": f.fingerprint,
        "commit": f.commit,
        "message": scrub(f.message, f),
    }


def _summary(result: ScanResult, findings: list[Decision]) -> dict[str, Any]:
    counts = action_counts(findings)
    summary: dict[str, Any] = {
        "files": result.files,
        "bytes": result.bytes,
        "findings": len(findings),
        "blocked": result.blocked,
    }
    # Additive keys after the DESIGN.md ones.
    for action in (Action.ANONYMIZE, Action.WARN, Action.ALLOW):
        summary[_COUNT_KEYS[action]] = counts.get(action, 0)
    summary["suppressed"] = result.suppressed
    summary["skipped"] = [
        {"path": s.path, "reason": s.reason, "detail": s.detail} for s in result.skipped
    ]
    summary["stale_suppressions"] = list(result.stale_suppressions)
    return summary


def report_object(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    findings = active(result)
    report: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "decision": result.verdict.action.value,
        "findings": [finding_object(d) for d in findings],
        "summary": _summary(result, findings),
    }
    if options.show_suppressed:
        report["suppressed"] = [
            {**finding_object(d), "suppressed_by": d.suppressed_by} for d in suppressed(result)
        ]
    return report


def render(result: ScanResult, options: ReportOptions) -> str:
    # ensure_ascii keeps the output writable whatever the terminal's encoding, and
    # survives paths holding undecodable bytes (lone surrogates).
    return json.dumps(report_object(result, options), indent=2, ensure_ascii=True) + "\n"
