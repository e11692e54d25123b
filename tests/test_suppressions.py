"""Content-keyed suppressions: .leakguardignore parsing, matching, staleness, baselines."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.errors import ConfigError
from leakguard.masking import fingerprint, mask
from leakguard.models import Category, Finding, Severity
from leakguard.suppressions import (
    HEADER,
    IgnoreTracker,
    baseline_text,
    inline_allowed,
    load_ignore_file,
    parse_ignore,
    path_matches,
)
from tests.gitutil import fake_aws_key, other_fake_aws_key

RULE = "aws-access-key-id"


def finding(value: str, path: str = "src/app.py", line: int = 3, rule: str = RULE) -> Finding:
    return Finding(rule_id=rule, category=Category.SECRET, severity=Severity.HIGH,
                   message="AWS access key id", path=path, start=0, end=len(value), line=line,
                   column=1, end_line=line, end_column=len(value) + 1, masked=mask(value),
                   fingerprint=fingerprint(rule, value), value=value)


def test_entry_matches_the_value_wherever_it_moves() -> None:
    key = fake_aws_key()
    ignore = parse_ignore(f"# accepted\n{fingerprint(RULE, key)}  # {RULE} in src/app.py\n")
    assert ignore.match(finding(key, line=3)) == f".leakguardignore:2: {fingerprint(RULE, key)}"
    assert ignore.match(finding(key, line=300, path="lib/other.py")) is not None


def test_entry_never_hides_a_different_secret_on_the_same_line() -> None:
    ignore = parse_ignore(fingerprint(RULE, fake_aws_key()) + "\n")
    assert ignore.match(finding(other_fake_aws_key(), line=3)) is None
    # the same value under another rule is another finding too
    assert ignore.match(finding(fake_aws_key(), rule="generic-secret")) is None


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("tests/fixtures/**", "tests/fixtures/a/b.txt", True),
        ("tests/fixtures/**", "src/tests/fixtures/a.txt", False),
        ("*.ini", "deep/down/conf.ini", True),
        ("/conf.ini", "deep/conf.ini", False),
        ("src/*.py", "src/a/b.py", False),
        ("src/**/*.py", "src/a/b.py", True),
        ("docs", "docs/secret.md", True),
    ],
)
def test_path_scoped_entries(glob: str, path: str, expected: bool) -> None:
    assert path_matches(path, glob) is expected
    ignore = parse_ignore(f"{fingerprint(RULE, fake_aws_key())} {glob}\n")
    assert (ignore.match(finding(fake_aws_key(), path=path)) is not None) is expected


def test_stale_entries_are_the_ones_that_matched_nothing() -> None:
    used_fp, stale_fp = fingerprint(RULE, fake_aws_key()), fingerprint(RULE, other_fake_aws_key())
    ignore = parse_ignore(f"{used_fp}\n\n{stale_fp} docs/**\n")
    tracker = IgnoreTracker(ignore)
    assert tracker(finding(fake_aws_key())) == "baseline"
    assert tracker(finding("AKIA" + "0" * 16)) is None
    assert tracker.stale() == (f".leakguardignore:3: {stale_fp} docs/**",)


@pytest.mark.parametrize("bad", ["sha256:abc", "md5:" + "0" * 32, "AKIA1234 path",
                                 "sha256:" + "0" * 64 + " a b"])
def test_malformed_lines_name_file_and_line(bad: str, tmp_path: Path) -> None:
    file = tmp_path / ".leakguardignore"
    file.write_text(f"# ok\n{bad}\n")
    with pytest.raises(ConfigError, match=r"\.leakguardignore:2: not an ignore entry"):
        load_ignore_file(file)


def test_missing_file_is_empty(tmp_path: Path) -> None:
    assert load_ignore_file(tmp_path / ".leakguardignore").entries == ()


@pytest.mark.parametrize(
    ("line", "allowed"),
    [
        ("key = 'AKIA...'  # leakguard:allow", True),
        ("key = 'AKIA...';  // leakguard:allow test fixture", True),
        ("<!-- leakguard:allow --> <key>AKIA...</key>", True),
        ("/* leakguard:allow */ key = 'x'", True),
        ("-- leakguard:allow", True),
        ("REM leakguard:allow", True),
        ("key = 'AKIA...'", False),
        ("leakguard:allowance = 1", False),
        ("leakguard:allow", False),  # not in a comment
    ],
)
def test_inline_allow(line: str, allowed: bool) -> None:
    assert inline_allowed(line) is allowed


def test_baseline_is_sorted_stable_and_positionless() -> None:
    a, b = fake_aws_key(), other_fake_aws_key()
    findings = [finding(b, path="z.py", line=9), finding(a, path="b.py", line=1),
                finding(a, path="a.py", line=5)]
    text = baseline_text(findings)
    assert text == baseline_text(list(reversed(findings)))
    body = text[len(HEADER):].splitlines()
    assert body == sorted(body) and len(body) == 2
    assert all(":" not in line.split("#", 1)[1] for line in body)  # no line numbers
    assert a not in text and b not in text
    assert f"{fingerprint(RULE, a)}  # {RULE} in a.py (+1 more)" in body
    reparsed = parse_ignore(text)
    assert all(reparsed.match(f) for f in findings)


def test_path_scoped_baseline_round_trips_odd_names() -> None:
    odd = finding(fake_aws_key(), path="src/we*ird?.py")
    text = baseline_text([odd], path_scoped=True)
    ignore = parse_ignore(text)
    assert ignore.match(odd) is not None
    assert ignore.match(finding(fake_aws_key(), path="src/weXirdY.py")) is None
