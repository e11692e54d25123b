"""The published JSON Schema: itself valid, and accepting the documented examples."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from leakguard.policy import Policy, load_policy_file
from leakguard.policy.convert import from_raw, to_raw
from leakguard.policy.schema import TOP_LEVEL_KEYS, policy_schema
from tests.policy.policy_helpers import write

REPO_ROOT = Path(__file__).resolve().parents[2]

# The policy sketch of DESIGN.md, verbatim but for its `rules: [...]` line.
DESIGN_SKETCH = (
    "version: 1\n"
    "default_action: {secret: block, pii: anonymize, proprietary: block}\n"
    "destinations:                          # where data may go, and under which terms\n"
    "  anthropic: {upstream: https://api.anthropic.com,"
    " terms: {trains_on_inputs: false, retention_days: 30}}\n"
    "  openai: {upstream: https://api.openai.com}"
    "   # upstream: where the proxy forwards; tests point it at a local fake\n"
    "  internal-llm: {upstream: https://llm.corp.example, actions: {proprietary: allow}}\n"
    "  unknown: {action: block}\n"
    "pii: {entities: [EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, ...],"
    " deny_lists: {CUSTOMER: [...]}}\n"
    'proprietary: {paths: ["src/core/**"], markers: ["ACME CONFIDENTIAL"],'
    " index: .leakguard/index}\n"
    'allow: {paths: ["tests/fixtures/**"], fingerprints: [...]}\n'
    "budget: {proprietary_bytes_per_day: 200000}\n"
    'audit: {store: "sqlite:///~/.local/state/leakguard/audit.db", content: redacted}\n'
)


def _without_placeholders(value: Any) -> Any:
    """Drop the sketch's `...` list items (placeholders, not values)."""
    if isinstance(value, dict):
        return {k: _without_placeholders(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_placeholders(v) for v in value if v != "..."]
    return value


def _errors(document: Any) -> list[str]:
    validator = Draft202012Validator(policy_schema())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(policy_schema())
    assert policy_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_names_every_top_level_key() -> None:
    assert tuple(policy_schema()["properties"]) == TOP_LEVEL_KEYS
    assert policy_schema()["additionalProperties"] is False


def test_every_top_level_key_reaches_the_policy() -> None:
    fields = {f.name for f in dataclasses.fields(Policy)}
    assert set(TOP_LEVEL_KEYS) <= fields


def test_the_design_sketch_validates() -> None:
    document = _without_placeholders(yaml.safe_load(DESIGN_SKETCH))
    assert _errors(document) == []
    policy = from_raw(document)
    assert policy.destinations["internal-llm"].upstream == "https://llm.corp.example"
    assert policy.budget.proprietary_bytes_per_day == 200000


def test_the_design_sketch_with_placeholders_is_rejected() -> None:
    # Proves the schema bites: `...` is not an entity name nor a fingerprint.
    assert len(_errors(yaml.safe_load(DESIGN_SKETCH))) == 2


def _readme_policies() -> list[tuple[int, str]]:
    readme = REPO_ROOT / "README.md"
    if not readme.is_file():
        return []
    text = readme.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"```yaml\n(.*?)```", text, re.S):
        block = match.group(1)
        loaded = yaml.safe_load(block)
        # Policy examples (a rule pack, `version` + `rules`, is a valid policy too).
        if isinstance(loaded, dict) and set(loaded) <= set(TOP_LEVEL_KEYS):
            found.append((text[: match.start()].count("\n") + 2, block))
    return found


@pytest.mark.parametrize(
    ("line", "block"),
    [pytest.param(line, block, id=f"README.md:{line}") for line, block in _readme_policies()]
    or [pytest.param(0, "", marks=pytest.mark.skip("no README policy"))],
)
def test_readme_policy_examples_validate(line: int, block: str, tmp_path: Path) -> None:
    path = write(tmp_path / "example.yaml", block)
    load_policy_file(path)  # raises with FILE:LINE on any problem


def test_the_default_policy_as_data_validates_and_round_trips() -> None:
    raw = to_raw(Policy())
    assert _errors(raw) == []
    assert from_raw(raw) == Policy()


FULL = """
version: 1
default_action: {secret: block, pii: warn, proprietary: anonymize}
rule_actions: {generic-password: warn}
disabled_rules: [jwt]
destinations:
  internal-llm:
    upstream: http://127.0.0.1:8080
    terms: {trains_on_inputs: false, retention_days: 0, zero_data_retention: true,
            data_region: eu, contract: MSA-42}
    actions: {proprietary: allow}
    on_scan_error: allow-unscanned
rules:
  - id: acme-host
    description: ACME host
    category: proprietary
    action: warn
    pattern: 'db\\.acme\\.internal'
    examples: ['db.acme.internal']
    counterexamples: ['db.example.com']
pii:
  entities: [EMAIL_ADDRESS, PERSON]
  deny_lists: {CUSTOMER: [Globex, Initech]}
  allow: [support@acme.example]
  ner_model: /opt/models/en_core_web_sm
  min_score: 0.6
proprietary:
  paths: ["src/core/**"]
  markers: [ACME CONFIDENTIAL]
  index: .leakguard/index
  similarity: 0.5
  min_matches: 4
  canaries:
    - {label: build server, hash: "sha256:HASH_A", created: "2026-11-28"}
    - {label: wiki, token: "lgc_0123456789abcdef"}
allow: {paths: ["tests/fixtures/**"], values: ["(?i)example"], fingerprints: ["sha256:HASH_B"]}
budget: {proprietary_bytes_per_day: 200000, on_exceeded: warn}
audit: {store: "sqlite:///audit.db", content: none, on_failure: allow}
scan: {max_file_bytes: 1000000, on_unreadable: skip, respect_gitignore: false}
""".replace("HASH_A", "a" * 64).replace("HASH_B", "b" * 64)


def test_every_key_loads_and_round_trips(tmp_path: Path) -> None:
    policy = load_policy_file(write(tmp_path / "full.yaml", FULL))
    assert policy.pii.ner_model == "/opt/models/en_core_web_sm"
    assert policy.pii.deny_lists["CUSTOMER"] == ("Globex", "Initech")
    assert policy.proprietary.canaries[1].token == "lgc_0123456789abcdef"
    assert "lgc_0123456789abcdef" not in repr(policy)
    assert policy.destinations["internal-llm"].on_scan_error == "allow-unscanned"
    assert policy.scan.on_unreadable == "skip"
    raw = to_raw(policy)
    assert _errors(raw) == []
    again = dataclasses.replace(from_raw(raw), sources=policy.sources, root=policy.root)
    assert again == policy
