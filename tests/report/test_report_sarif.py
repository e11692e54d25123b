"""SARIF 2.1.0: valid against the official schema, and mapped as dashboards expect."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_samples import make_finding, sample_result

from leakguard.models import Action, Category, Decision, ScanResult, Severity, Skip, Verdict
from leakguard.report import ReportOptions, render_report
from leakguard.report.sarif import artifact_location

SCHEMA_PATH = Path(__file__).parents[1] / "data" / "sarif-2.1.0-schema.json"
# RFC 3986 characters (unreserved, reserved, percent escapes): the schema's "uri"
# formats are not checked by jsonschema without extra packages, so check them here.
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def sarif(result: ScanResult) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(
        render_report(result, "sarif", ReportOptions(tool_version="1.2.3"))
    )
    return log


def assert_valid(validator: jsonschema.Draft4Validator, log: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    for run in log["runs"]:
        locations = [loc for r in run["results"] for loc in r["locations"]]
        for inv in run["invocations"]:
            for note in inv["toolExecutionNotifications"]:
                locations += note["locations"]
        for loc in locations:
            assert URI_CHARS.match(loc["physicalLocation"]["artifactLocation"]["uri"])


def test_sample_is_valid(validator: jsonschema.Draft4Validator) -> None:
    assert_valid(validator, sarif(sample_result()))


def test_clean_is_valid(validator: jsonschema.Draft4Validator) -> None:
    log = sarif(ScanResult(Verdict(Action.ALLOW, ()), files=0, bytes=0))
    assert_valid(validator, log)
    assert log["runs"][0]["results"] == []


def test_schema_catches_a_broken_log(validator: jsonschema.Draft4Validator) -> None:
    log = sarif(sample_result())
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(log))


def test_driver_and_rules() -> None:
    run = sarif(sample_result())["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("leakguard", "1.2.3")
    assert driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(set(ids))  # one descriptor per rule id seen, suppressed ones too
    assert "github-pat" in ids and "aws-access-key-id" in ids
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    pii = next(r for r in driver["rules"] if r["id"] == "pii-email-address")
    assert pii["defaultConfiguration"] == {"level": "warning"}
    assert "pii" in pii["properties"]["tags"]
    assert pii["shortDescription"] == {"text": "Email address"}


@pytest.mark.parametrize(
    ("action", "level"),
    [
        (Action.BLOCK, "error"),
        (Action.ANONYMIZE, "warning"),
        (Action.WARN, "warning"),
        (Action.ALLOW, "note"),
    ],
)
def test_level_follows_action(action: Action, level: str) -> None:
    f = make_finding("r", Category.SECRET, Severity.LOW, "m", "a.py", "v" * 12, 1, 1)
    log = sarif(ScanResult(Verdict(action, (Decision(f, action),)), files=1, bytes=1))
    assert log["runs"][0]["results"][0]["level"] == level


@pytest.mark.parametrize(
    ("severity", "level"),
    [
        (Severity.CRITICAL, "error"),
        (Severity.HIGH, "error"),
        (Severity.MEDIUM, "warning"),
        (Severity.LOW, "note"),
    ],
)
def test_rule_level_follows_severity(severity: Severity, level: str) -> None:
    f = make_finding("r", Category.SECRET, severity, "m", "a.py", "v" * 12, 1, 1)
    log = sarif(ScanResult(Verdict(Action.WARN, (Decision(f, Action.WARN),)), files=1, bytes=1))
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] == level


def test_result_fields() -> None:
    run = sarif(sample_result())["runs"][0]
    by_path = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r
               for r in run["results"]}
    marker = by_path["src/core/engine.py"]
    assert marker["properties"] == {
        "category": "proprietary",
        "severity": "high",
        "action": "warn",
        "commit": "0123456789abcdef0123456789abcdef01234567",
    }
    loc = marker["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert loc["region"] == {"startLine": 1, "startColumn": 3, "endLine": 1, "endColumn": 20}
    assert marker["message"]["text"] == "Proprietary marker in source: ACME…(17 chars)"
    assert marker["partialFingerprints"]["leakguard/v1"].startswith("sha256:")
    email = by_path["docs/contact%20us.md"]
    assert "commit" not in email["properties"]
    assert run["columnKind"] == "unicodeCodePoints"


def test_suppressed_findings_are_marked() -> None:
    results = sarif(sample_result())["runs"][0]["results"]
    kinds = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: [
            s["kind"] for s in r.get("suppressions", [])
        ]
        for r in results
    }
    assert kinds["tests/fixtures/keys.txt"] == ["inSource"]
    assert kinds["config/old.env"] == ["external"]
    assert sum(1 for k in kinds.values() if k) == 2
    assert len(results) == 8  # active and suppressed alike


def test_skips_and_stale_suppressions_are_reported() -> None:
    run = sarif(sample_result())["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["properties"]["reason"] for n in notes] == ["binary", "too-large"]
    assert "12.4 MB" in notes[1]["message"]["text"]
    assert len(run["properties"]["staleSuppressions"]) == 1
    assert run["properties"]["decision"] == "block"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("src/app.py", {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}),
        ("./src/app.py", {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}),
        ("docs/a b#c.md", {"uri": "docs/a%20b%23c.md", "uriBaseId": "%SRCROOT%"}),
        ("src\\win\\x.py", {"uri": "src/win/x.py", "uriBaseId": "%SRCROOT%"}),
        ("/tmp/x y.py", {"uri": "file:///tmp/x%20y.py"}),
        ("C:\\repo\\x.py", {"uri": "file:///C:/repo/x.py"}),
        ("dé.py", {"uri": "d%C3%A9.py", "uriBaseId": "%SRCROOT%"}),
        ("raw\udcff.py", {"uri": "raw%FF.py", "uriBaseId": "%SRCROOT%"}),
    ],
)
def test_artifact_location(path: str, expected: dict[str, str]) -> None:
    assert artifact_location(path) == expected


# Any code point, lone surrogates included: paths decoded with surrogateescape hold them.
_char = st.one_of(
    st.characters(exclude_categories=[]),
    st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),
    st.sampled_from("\x1b\n\t #?%/\\.:"),
)
_text = st.text(_char, min_size=1, max_size=30)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=_text,
    rule_id=st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
    message=_text,
    line=st.integers(0, 10_000),
    column=st.integers(0, 500),
    action=st.sampled_from(list(Action)),
    suppressed_by=st.sampled_from([None, "inline", "path", "baseline"]),
    skip_path=_text,
)
def test_any_result_is_valid(
    validator: jsonschema.Draft4Validator,
    path: str,
    rule_id: str,
    message: str,
    line: int,
    column: int,
    action: Action,
    suppressed_by: str | None,
    skip_path: str,
) -> None:
    value = "s3cr" + "et-" + "Zq" * 8
    f = make_finding(rule_id, Category.PII, Severity.MEDIUM, message, path, value, line, column)
    result = ScanResult(
        Verdict(action, (Decision(f, action, suppressed_by),)),
        files=1,
        bytes=10,
        skipped=(Skip(skip_path, "unreadable", message),),
    )
    rendered = render_report(result, "sarif", ReportOptions())
    assert value not in rendered
    assert_valid(validator, json.loads(rendered))
