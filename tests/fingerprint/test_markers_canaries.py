"""Policy markers and canary tokens as proprietary findings."""

from __future__ import annotations

import pytest

from leakguard.detectors.markers import (
    CANARY_RULE,
    MARKER_RULE,
    MarkerDetector,
    new_canary,
)
from leakguard.masking import value_hash
from leakguard.models import Category, Fragment, Severity

MARKERS = ["ACME CONFIDENTIAL", "com.acme.", "@acme/", "acme_internal", "ACME-", "git.acme.corp"]


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("# ACME Confidential - do not distribute\n", "ACME Confidential"),
        ("import com.acme.billing.Invoice;\n", "com.acme."),
        ("import { ledger } from '@acme/ledger';\n", "@acme/"),
        ("from acme_internal.auth import token\n", "acme_internal"),
        ("see ACME-1234 for details\n", "ACME-"),
        ("clone https://git.acme.corp/core/engine\n", "git.acme.corp"),
    ],
)
def test_each_marker_kind_is_found(text: str, marker: str) -> None:
    [finding] = MarkerDetector(MARKERS).detect(Fragment(text=text, path="a.py"))
    assert finding.rule_id == MARKER_RULE and finding.category is Category.PROPRIETARY
    assert text[finding.start : finding.end] == marker
    assert finding.masked == marker


@pytest.mark.parametrize(
    "text",
    ["Acme Corporation's public API\n", "xacme_internal_copy = 1\n", "com.acmex.thing\n", ""],
)
def test_counterexamples(text: str) -> None:
    assert MarkerDetector(MARKERS).detect(Fragment(text=text, path="a.py")) == []


def test_canaries_by_value_and_by_hash_in_stdin_and_files() -> None:
    by_value, by_hash, unknown = new_canary(), new_canary(), new_canary()
    assert by_value.isidentifier() and len({by_value, by_hash, unknown}) == 3
    detector = MarkerDetector(canary_tokens=[by_value], canary_hashes=[value_hash(by_hash)])
    text = f"x = '{by_value}'\n# {by_hash}\ny = '{unknown}'\n"
    for fragment in (Fragment(text=text, path="-", kind="stdin"), Fragment(text=text, path="m.py")):
        findings = detector.detect(fragment)
        assert [f.rule_id for f in findings] == [CANARY_RULE, CANARY_RULE]
        assert [f.line for f in findings] == [1, 2]
        assert all(f.severity is Severity.CRITICAL for f in findings)
        assert all(by_value not in f.masked and by_hash not in f.masked for f in findings)


def test_diff_lines_restrict_findings() -> None:
    text = "ok\nACME CONFIDENTIAL\n"
    fragment = Fragment(text=text, path="a.py", line_start=10, lines=frozenset({10}))
    assert MarkerDetector(MARKERS).detect(fragment) == []
    [finding] = MarkerDetector(MARKERS).detect(Fragment(text=text, path="a.py", line_start=10))
    assert (finding.line, finding.column) == (11, 1)
