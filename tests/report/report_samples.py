"""Hand-built scan results for the report tests.

Secret-looking values are assembled at test time so no token sits in the repo whole.
"""

from __future__ import annotations

from leakguard.masking import fingerprint, mask
from leakguard.models import (
    Action,
    Category,
    Decision,
    Finding,
    ScanResult,
    Severity,
    Skip,
    Verdict,
)

KEY = b"report-tests"


def make_finding(
    rule_id: str,
    category: Category,
    severity: Severity,
    message: str,
    path: str,
    value: str,
    line: int,
    column: int,
    context_before: str = "",
    context_after: str = "",
    start: int = 0,
    commit: str | None = None,
) -> Finding:
    masked = mask(value)
    return Finding(
        rule_id=rule_id,
        category=category,
        severity=severity,
        message=message,
        path=path,
        start=start,
        end=start + len(value),
        line=line,
        column=column,
        end_line=line,
        end_column=column + len(value),
        masked=masked,
        fingerprint=fingerprint(rule_id, value, KEY),
        value=value,
        context=f"{context_before}{masked}{context_after}" if context_before else "",
        commit=commit,
    )


def sample_values() -> dict[str, str]:
    return {
        "github": "ghp_" + "A1b2" * 9,
        "aws": "AKIA" + "Q7XZ" * 4,
        "email": "jane.doe" + "@" + "example.com",
        "marker": "ACME " + "CONFIDENTIAL",
        "entropy": "x9" + "Kq2Lm8Zp" * 3,
        "fixture_pat": "ghp_" + "Z9y8" * 9,
        "old_aws": "AKIA" + "J3NB" * 4,
        "person": "Zoë " + "Ångström",
    }


def sample_result() -> ScanResult:
    v = sample_values()
    github = make_finding(
        "github-pat", Category.SECRET, Severity.HIGH, "GitHub personal access token",
        "src/app.py", v["github"], 12, 9, 'token = "', '"', start=231,
    )
    aws = make_finding(
        "aws-access-key-id", Category.SECRET, Severity.CRITICAL, "AWS access key ID",
        "src/app.py", v["aws"], 4, 14, "AWS_KEY_ID = '", "'", start=60,
    )
    email = make_finding(
        "pii-email-address", Category.PII, Severity.MEDIUM, "Email address",
        "docs/contact us.md", v["email"], 3, 10, "Write to ", " for access.", start=41,
    )
    person = make_finding(
        "pii-person", Category.PII, Severity.LOW, "Person name",
        "docs/contact us.md", v["person"], 5, 1, "Owner: ", "", start=80,
    )
    marker = make_finding(
        "proprietary-marker", Category.PROPRIETARY, Severity.HIGH,
        "Proprietary marker in source", "src/core/engine.py", v["marker"], 1, 3, "# ",
        " - do not distribute", commit="0123456789abcdef0123456789abcdef01234567",
    )
    entropy = make_finding(
        "generic-high-entropy", Category.SECRET, Severity.LOW, "High-entropy string",
        "src/app.py", v["entropy"], 20, 11, "SEED = b'", "'", start=400,
    )
    fixture_pat = make_finding(
        "github-pat", Category.SECRET, Severity.HIGH, "GitHub personal access token",
        "tests/fixtures/keys.txt", v["fixture_pat"], 2, 1, "", "", start=17,
    )
    old_aws = make_finding(
        "aws-access-key-id", Category.SECRET, Severity.CRITICAL, "AWS access key ID",
        "config/old.env", v["old_aws"], 7, 15, "AWS_KEY_ID=", "", start=120,
    )
    decisions = (
        Decision(github, Action.BLOCK),
        Decision(email, Action.ANONYMIZE),
        Decision(person, Action.ANONYMIZE),
        Decision(marker, Action.WARN),
        Decision(aws, Action.BLOCK),
        Decision(entropy, Action.ALLOW),
        Decision(fixture_pat, Action.BLOCK, suppressed_by="inline"),
        Decision(old_aws, Action.BLOCK, suppressed_by="baseline"),
    )
    return ScanResult(
        verdict=Verdict(action=Action.BLOCK, decisions=decisions),
        files=10,
        bytes=48213,
        skipped=(
            Skip("assets/logo.png", "binary"),
            Skip("data/dump.sql", "too-large", "12.4 MB, over the 5 MB limit"),
        ),
        stale_suppressions=("baseline: " + fingerprint("slack-token", "gone", KEY),),
    )


def clean_result() -> ScanResult:
    return ScanResult(verdict=Verdict(action=Action.ALLOW, decisions=()), files=3, bytes=1234)
