"""Report formats pinned by golden files.

Regenerate after an intended change with ``LEAKGUARD_UPDATE_GOLDEN=1 pytest tests/report``
and review the diff: these files are what users' scripts and dashboards see.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_samples import clean_result, sample_result

from leakguard.report import ReportOptions, render_report

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LEAKGUARD_UPDATE_GOLDEN") == "1"
VERSION = "0.0.0-test"  # pinned so a release does not churn the files

CASES = [
    ("findings.txt", sample_result, "text", ReportOptions(width=80, tool_version=VERSION)),
    (
        "findings-suppressed.txt",
        sample_result,
        "text",
        ReportOptions(width=80, tool_version=VERSION, show_suppressed=True),
    ),
    ("clean.txt", clean_result, "text", ReportOptions(width=80, tool_version=VERSION)),
    ("findings.json", sample_result, "json", ReportOptions(tool_version=VERSION)),
    (
        "findings-suppressed.json",
        sample_result,
        "json",
        ReportOptions(tool_version=VERSION, show_suppressed=True),
    ),
    ("clean.json", clean_result, "json", ReportOptions(tool_version=VERSION)),
    ("findings.sarif", sample_result, "sarif", ReportOptions(tool_version=VERSION)),
    ("clean.sarif", clean_result, "sarif", ReportOptions(tool_version=VERSION)),
]


@pytest.mark.parametrize(("name", "build", "fmt", "options"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, build: object, fmt: str, options: ReportOptions) -> None:
    assert callable(build)
    rendered = render_report(build(), fmt, options)
    path = GOLDEN / name
    if UPDATE:
        path.write_text(rendered, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {name}; run with LEAKGUARD_UPDATE_GOLDEN=1"
    assert rendered == path.read_text(encoding="utf-8")
