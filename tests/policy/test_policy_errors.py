"""Invalid policy files: every problem reported as FILE:LINE: key.path: what."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.errors import ConfigError
from leakguard.policy import PolicyError, load_policy_file
from tests.policy.policy_helpers import write


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def problems_of(text: str) -> tuple[str, ...]:
    with pytest.raises(PolicyError) as caught:
        load_policy_file(write(Path("p.yaml"), text))
    assert caught.value.exit_code == 2
    return caught.value.problems


RULE = """
rules:
  - id: team-key
    description: team key
    pattern: {pattern}
    allow: [{allow}]
    examples: ['tk_123456']
    counterexamples: ['tk_']
"""


@pytest.mark.parametrize(
    ("text", "expected_start", "expected_detail"),
    [
        (
            "version: 1\nalow: {paths: [x]}\n",
            "p.yaml:2: alow: ",
            "unknown key (did you mean 'allow'?)",
        ),
        (
            "version: 1\naudit:\n  store: x\n  contnet: full\n",
            "p.yaml:4: audit.contnet: ",
            "unknown key (did you mean 'content'?)",
        ),
        (
            "destinations:\n  anthropic:\n    terms: {trains: false}\n",
            "p.yaml:3: destinations.anthropic.terms.trains: ",
            "unknown key",
        ),
        (
            "audit:\n  content: everything\n",
            "p.yaml:2: audit.content: ",
            "must be one of none, redacted, full (got 'everything')",
        ),
        ("version: 2\n", "p.yaml:1: version: ", "must be 1 (got 2)"),
        ("scan: {max_file_bytes: big}\n", "p.yaml:1: scan.max_file_bytes: ", "must be an integer"),
        ("pii: [EMAIL_ADDRESS]\n", "p.yaml:1: pii: ", "must be a mapping (got a list)"),
        (
            "pii:\n  entities:\n    - EMAIL_ADDRESS\n    - email\n",
            "p.yaml:4: pii.entities[1]: ",
            "'email' does not match",
        ),
        (
            "destinations:\n  my.llm: {upstream: https://x.example}\n",
            "p.yaml:2: destinations.my.llm: ",
            "invalid name 'my.llm'",
        ),
        (
            "destinations:\n  llm:\n    upstream: ftp://x.example\n",
            "p.yaml:3: destinations.llm.upstream: ",
            "must be an http:// or https:// URL",
        ),
        (
            "rule_actions:\n  github-pat: ignore\n",
            "p.yaml:2: rule_actions.github-pat: ",
            "must be one of allow, warn, anonymize, block",
        ),
        (
            "proprietary:\n  canaries:\n    - {label: x}\n",
            "p.yaml:3: proprietary.canaries[0]: ",
            "needs a 'token' or a 'hash'",
        ),
        ("allow:\n  fingerprints: [abc]\n", "p.yaml:2: allow.fingerprints[0]: ", "64 hex digits"),
        (
            "allow:\n  values:\n    - '[unclosed'\n",
            "p.yaml:3: allow.values[0]: ",
            "invalid regex: unterminated character set",
        ),
        (
            RULE.format(pattern="'tk_([0-9]{6}'", allow="x"),
            "p.yaml:4: rules[0].pattern: ",
            "invalid regex: missing )",
        ),
        (
            RULE.format(pattern="'tk_[0-9]{6}'", allow="'(?<'"),
            "p.yaml:5: rules[0].allow[0]: ",
            "invalid regex",
        ),
        (
            "rules:\n  - id: Bad_Id\n    description: d\n    pattern: x\n"
            "    examples: [x]\n    counterexamples: [y]\n",
            "p.yaml:2: rules[0].id: ",
            "'Bad_Id' does not match",
        ),
        (
            "rules:\n  - id: x\n    pattern: x\n",
            "p.yaml:2: rules[0]: ",
            "missing key 'description', 'examples', 'counterexamples'",
        ),
        (
            "rules:\n  - id: x\n    description: d\n    pattern: 'x(y)'\n    secret_group: 2\n"
            "    examples: [xy]\n    counterexamples: [y]\n",
            "p.yaml:5: rules[0].secret_group: ",
            "group 2 does not exist in the pattern",
        ),
        ("locked: [nothing.here]\n", "p.yaml:1: locked: ", "a list of dotted keys"),
        ("- version\n- 1\n", "p.yaml:1: (top level): ", "a policy must be a mapping"),
        ("audit: {content: none}\naudit: {content: full}\n", "p.yaml:2: audit: ", "duplicate key"),
        ("scan:\n  1: true\n", "p.yaml:2: scan: ", "key 1 must be a string"),
    ],
)
def test_one_problem(text: str, expected_start: str, expected_detail: str) -> None:
    (problem,) = problems_of(text)
    assert problem.startswith(expected_start), problem
    assert expected_detail in problem[len(expected_start) :], problem


def test_every_problem_is_listed_in_line_order() -> None:
    text = "version: 1\nscan:\n  on_unreadable: ignore\nbogus: 1\naudit:\n  content: all\n"
    found = problems_of(text)
    assert [p.split(": ")[0] for p in found] == ["p.yaml:3", "p.yaml:4", "p.yaml:6"]
    assert [p.split(": ")[1] for p in found] == ["scan.on_unreadable", "bogus", "audit.content"]


def test_duplicate_rule_ids() -> None:
    rule = (
        "  - id: x\n    description: d\n    pattern: x\n"
        "    examples: [x]\n    counterexamples: [y]\n"
    )
    (problem,) = problems_of("rules:\n" + rule + rule)
    assert problem == "p.yaml:7: rules[1].id: rule 'x' is already defined at rules[0]"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("version: 1\naudit: {content: none\n", 3),
        ("version: 1\nallow:\n  paths: [a\n  values: b\n", 4),
        ("version: 1\n  audit: x\n", 2),
        ("version: 1\nrules:\n\t- id: x\n", 3),
    ],
)
def test_yaml_syntax_errors_have_a_line(text: str, line: int) -> None:
    with pytest.raises(ConfigError) as caught:
        load_policy_file(write(Path("p.yaml"), text))
    assert str(caught.value).startswith(f"p.yaml:{line}: YAML syntax error: "), str(caught.value)


def test_a_long_value_is_masked_in_errors() -> None:
    token = "ghp_" + "Zr8Kq2Lm" * 4 + "Hd6G"
    (problem,) = problems_of(f"audit:\n  content: {token}\n")
    assert token not in problem
    assert "ghp_…(40 chars)" in problem


def test_a_wrong_fingerprint_is_not_echoed() -> None:
    token = "ghp_" + "Zr8Kq2Lm" * 4 + "Hd6G"
    (problem,) = problems_of(f"allow:\n  fingerprints: ['{token}']\n")
    assert token not in problem


def test_errors_are_not_cached_as_valid() -> None:
    for _ in range(2):
        assert problems_of("bogus: 1\n")
