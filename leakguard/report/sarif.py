"""The SARIF 2.1.0 report, for code-scanning dashboards.

One run. Suppressed findings are kept, marked with a ``suppressions`` entry, so a
dashboard shows them as dismissed rather than fixed. Skipped content becomes a tool
execution notification: a skip is never silent, here either.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from leakguard.models import Action, Decision, Finding, ScanResult, Severity, Skip
from leakguard.report.common import ordered, scrub
from leakguard.report.options import ReportOptions

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/leakguard/"
FINGERPRINT_KEY = "leakguard/v1"
SRCROOT = "%SRCROOT%"

_RESULT_LEVEL = {
    Action.BLOCK: "error",
    Action.ANONYMIZE: "warning",
    Action.WARN: "warning",
    Action.ALLOW: "note",
}
_RULE_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
# GitHub code scanning reads this number (0.0-10.0) to rank security results.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}


def _rule_name(rule_id: str) -> str:
    """SARIF names are identifiers: ``github-pat`` -> ``GithubPat``."""
    parts = rule_id.replace("_", "-").replace(".", "-").split("-")
    return "".join(p[:1].upper() + p[1:] for p in parts if p) or "Rule"


def _quote(path: str, safe: str = "/") -> str:
    # A path decoded with surrogateescape holds its raw bytes: percent-encode those.
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "replace")
    return quote(raw, safe=safe)


def artifact_location(path: str) -> dict[str, str]:
    """A relative path under %SRCROOT%, or a file URI for an absolute one."""
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return {"uri": "file://" + _quote(posix)}
    if len(posix) > 2 and posix[1:3] == ":/":  # a Windows drive path
        return {"uri": "file:///" + _quote(posix, safe="/:")}
    return {"uri": _quote(posix.removeprefix("./")), "uriBaseId": SRCROOT}


def _rule(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.rule_id,
        "name": _rule_name(finding.rule_id),
        "shortDescription": {"text": scrub(finding.message, finding)},
        "defaultConfiguration": {"level": _RULE_LEVEL[finding.severity]},
        "properties": {
            "tags": ["security", finding.category.value],
            "security-severity": _SECURITY_SEVERITY[finding.severity],
        },
    }


def _region(f: Finding) -> dict[str, int]:
    # Lines and columns only: ``start``/``end`` index the scanned fragment, which for
    # a diff or history hunk is not the whole file a dashboard would open.
    # Clamped to 1 because the schema rejects 0 and a bad region loses the result.
    return {
        "startLine": max(1, f.line),
        "startColumn": max(1, f.column),
        "endLine": max(1, f.line, f.end_line),
        "endColumn": max(1, f.end_column),
    }


def _suppression(decision: Decision) -> dict[str, Any]:
    by = decision.suppressed_by or "unknown"
    return {
        "kind": "inSource" if by == "inline" else "external",
        "status": "accepted",
        "justification": f"suppressed by leakguard {by}",
    }


def _result(decision: Decision, rule_index: int) -> dict[str, Any]:
    f = decision.finding
    properties: dict[str, Any] = {
        "category": f.category.value,
        "severity": f.severity.value,
        "action": decision.action.value,
    }
    if f.commit:
        properties["commit"] = f.commit
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": _RESULT_LEVEL[decision.action],
        "message": {"text": f"{scrub(f.message, f)}: {f.masked}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(f.path),
                    "region": _region(f),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": properties,
    }
    if decision.suppressed_by is not None:
        result["suppressions"] = [_suppression(decision)]
    return result


def _notification(skip: Skip) -> dict[str, Any]:
    text = f"not scanned ({skip.reason})" + (f": {skip.detail}" if skip.detail else "")
    return {
        "descriptor": {"id": "skipped"},
        "level": "warning",
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(skip.path)}}],
        "properties": {"reason": skip.reason},
    }


def report_object(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    decisions = ordered(result.verdict.decisions)
    first_by_rule: dict[str, Finding] = {}
    for d in decisions:
        first_by_rule.setdefault(d.finding.rule_id, d.finding)
    rule_ids = sorted(first_by_rule)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "leakguard",
                "version": options.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(first_by_rule[r]) for r in rule_ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(s) for s in result.skipped],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index[d.finding.rule_id]) for d in decisions],
        "properties": {
            "decision": result.verdict.action.value,
            "files": result.files,
            "bytes": result.bytes,
            "staleSuppressions": list(result.stale_suppressions),
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: ScanResult, options: ReportOptions) -> str:
    return json.dumps(report_object(result, options), indent=2, ensure_ascii=True) + "\n"
