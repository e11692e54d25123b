"""The JSON report keeps the DESIGN.md contract: keys, order, types, sorting."""

from __future__ import annotations

import json
from typing import Any

from report_samples import make_finding, sample_result

from leakguard.models import Action, Category, Decision, ScanResult, Severity, Verdict
from leakguard.report import ReportOptions, render_report

FINDING_KEYS = [
    "rule_id", "category", "severity", "action", "path", "line", "column", "end_line",
    "end_column", "start", "end", "masked", "fingerprint", "commit", "message",
]  # fmt: skip
DESIGN_SUMMARY_KEYS = ["files", "bytes", "findings", "blocked"]


def load(result: ScanResult, **options: Any) -> dict[str, Any]:
    text = render_report(result, "json", ReportOptions(**options))
    assert text.endswith("}\n") and text.startswith('{\n  "version": 1,\n')
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def test_top_level_and_finding_keys() -> None:
    report = load(sample_result())
    assert list(report) == ["version", "decision", "findings", "summary"]
    assert report["version"] == 1 and report["decision"] == "block"
    for finding in report["findings"]:
        assert list(finding) == FINDING_KEYS
    assert list(report["summary"])[:4] == DESIGN_SUMMARY_KEYS


def test_types_match_design() -> None:
    finding = load(sample_result())["findings"][0]
    ints = ["line", "column", "end_line", "end_column", "start", "end"]
    assert all(type(finding[k]) is int for k in ints)
    strs = ["rule_id", "category", "severity", "action", "path", "masked", "fingerprint"]
    assert all(isinstance(finding[k], str) for k in strs)
    assert finding["category"] in {"secret", "pii", "proprietary"}
    assert finding["fingerprint"].startswith("sha256:")


def test_only_active_findings_sorted() -> None:
    findings = load(sample_result())["findings"]
    keys = [(f["path"], f["line"], f["column"], f["rule_id"]) for f in findings]
    assert keys == sorted(keys)
    assert len(findings) == 6
    paths = {f["path"] for f in findings}
    assert "tests/fixtures/keys.txt" not in paths and "config/old.env" not in paths


def test_summary_counts() -> None:
    summary = load(sample_result())["summary"]
    assert summary["files"] == 10 and summary["bytes"] == 48213
    assert summary["findings"] == 6
    assert (summary["blocked"], summary["anonymized"], summary["warned"]) == (2, 2, 1)
    assert summary["allowed"] == 1
    assert summary["suppressed"] == 2
    assert summary["skipped"][1] == {
        "path": "data/dump.sql",
        "reason": "too-large",
        "detail": "12.4 MB, over the 5 MB limit",
    }
    assert len(summary["stale_suppressions"]) == 1


def test_commit_null_or_sha() -> None:
    commits = {f["path"]: f["commit"] for f in load(sample_result())["findings"]}
    assert commits["src/app.py"] is None
    assert commits["src/core/engine.py"] == "0123456789abcdef0123456789abcdef01234567"


def test_show_suppressed_adds_a_list() -> None:
    assert "suppressed" not in load(sample_result())
    hidden = load(sample_result(), show_suppressed=True)["suppressed"]
    assert [h["suppressed_by"] for h in hidden] == ["baseline", "inline"]
    assert list(hidden[0]) == [*FINDING_KEYS, "suppressed_by"]


def test_input_order_does_not_matter() -> None:
    result = sample_result()
    flipped = ScanResult(
        Verdict(result.verdict.action, tuple(reversed(result.verdict.decisions))),
        result.files,
        result.bytes,
        result.skipped,
        result.stale_suppressions,
    )
    assert render_report(flipped, "json") == render_report(result, "json")


def test_clean() -> None:
    report = load(ScanResult(Verdict(Action.ALLOW, ()), files=2, bytes=5))
    assert report["decision"] == "allow" and report["findings"] == []
    assert report["summary"]["findings"] == 0 and report["summary"]["skipped"] == []


def test_same_place_ties_are_stable() -> None:
    a = make_finding("b-rule", Category.SECRET, Severity.HIGH, "m", "x.py", "v1" * 8, 1, 1)
    b = make_finding("a-rule", Category.SECRET, Severity.HIGH, "m", "x.py", "v2" * 8, 1, 1)
    result = ScanResult(
        Verdict(Action.BLOCK, (Decision(a, Action.BLOCK), Decision(b, Action.WARN))), 1, 1
    )
    assert [f["rule_id"] for f in load(result)["findings"]] == ["a-rule", "b-rule"]
