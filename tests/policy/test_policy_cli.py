"""`leakguard policy check|show|schema` as a user runs them: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.helpers import run_cli
from tests.policy.policy_helpers import write


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_check_without_files(repo: Path) -> None:
    result = run_cli("policy", "check", cwd=repo)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ok"
    assert "  policy files merged: none (built-in defaults only)" in lines
    assert "  PII: pattern recognizers only (no pii.ner_model set)" in lines


def test_check_merges_org_and_repo(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    org = write(tmp_path_factory.mktemp("org") / "org.yaml", "pii: {ner_model: /models/en}\n")
    write(repo / ".leakguard.yaml", "disabled_rules: [jwt]\n")
    result = run_cli("policy", "check", cwd=repo, env={"LEAKGUARD_POLICY": str(org)})
    assert result.returncode == 0, result.stderr
    assert f"policy files merged: {org}, .leakguard.yaml" in result.stdout
    assert "extra rules: 0; disabled rules: 1" in result.stdout
    assert "PII: pattern recognizers and NER model /models/en" in result.stdout


def test_check_reports_problems_with_exit_2(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "version: 1\naudit:\n  content: all\nbogus: true\n")
    result = run_cli("policy", "check", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[:2] == [
        "leakguard: error: .leakguard.yaml:3: audit.content: "
        "must be one of none, redacted, full (got 'all')",
        ".leakguard.yaml:4: bogus: unknown key; known keys: version, locked, default_action, "
        "rule_actions, disabled_rules, destinations, rules, pii, proprietary, allow, budget, "
        "audit, scan, values, proxy",
    ]


def test_check_a_given_file(repo: Path) -> None:
    good = write(repo / "good.yaml", "version: 1\n")
    bad = write(repo / "bad.yaml", "version: 1\nscan: {on_unreadable: maybe}\n")
    assert run_cli("policy", "check", str(good), cwd=repo).returncode == 0
    result = run_cli("policy", "check", str(bad), cwd=repo)
    assert result.returncode == 2
    assert "bad.yaml:2: scan.on_unreadable: must be one of block, skip" in result.stderr
    missing = run_cli("policy", "check", "nope.yaml", cwd=repo)
    assert missing.returncode == 2
    assert "nope.yaml: policy file not found" in missing.stderr


def test_check_lock_conflict_exit_2(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    org = write(tmp_path_factory.mktemp("org") / "org.yaml", "audit: {locked: true}\n")
    write(repo / ".leakguard.yaml", "audit: {content: full}\n")
    result = run_cli("policy", "check", "--policy", str(org), cwd=repo)
    assert result.returncode == 2
    assert ".leakguard.yaml:1: audit.content: locked by the organisation policy" in result.stderr


def test_show_yaml_is_itself_a_valid_policy(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "audit: {content: none}\n")
    result = run_cli("policy", "show", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# sources: .leakguard.yaml\n")
    shown = write(repo / "shown.yaml", result.stdout)
    assert yaml.safe_load(shown.read_text())["audit"]["content"] == "none"
    assert run_cli("policy", "check", str(shown), cwd=repo).returncode == 0


def test_show_json(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "destinations: {local: {upstream: 'http://127.0.0.1:9'}}\n")
    result = run_cli("policy", "show", "--json", cwd=repo)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["sources"] == [".leakguard.yaml"]
    assert document["policy"]["destinations"]["local"]["upstream"] == "http://127.0.0.1:9"
    assert document["policy"]["default_action"]["secret"] == "block"


def test_show_with_a_bad_policy_exits_2(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "version: [1\n")
    result = run_cli("policy", "show", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith("leakguard: error: .leakguard.yaml:2: YAML syntax error")


def test_schema_prints_a_draft_2020_12_schema(repo: Path) -> None:
    result = run_cli("policy", "schema", cwd=repo)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("/draft/2020-12/schema")


def test_check_warns_about_rule_ids_that_match_no_rule(repo: Path) -> None:
    write(
        repo / ".leakguard.yaml",
        "rule_actions: {github-pat: warn, aws-access-key-id: warn}\ndisabled_rules: [zz-nothing]\n",
    )
    result = run_cli("policy", "check", cwd=repo)
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.splitlines()
    assert (
        "leakguard: warning: rule_actions.github-pat: no such rule "
        "(did you mean 'github-pat-classic'?)"
    ) in warnings
    assert "leakguard: warning: disabled_rules: zz-nothing: no such rule (a typo?)" in warnings
    assert not any("aws-access-key-id" in w for w in warnings), warnings


def test_check_says_when_pii_detection_is_off(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("version: 1\npii:\n  entities: []\n")
    result = run_cli("policy", "check", str(policy))
    assert result.returncode == 0, result.stderr
    assert "PII: off" in result.stdout
