"""Finding, merging and locking policy files; the embedded default; the cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from leakguard.cache import cache_dir
from leakguard.errors import ConfigError
from leakguard.models import Action, Category
from leakguard.policy import (
    PolicyError,
    default_policy,
    find_repo_policy,
    load_policy,
    load_policy_file,
)
from tests.policy.policy_helpers import write

NO_ENV: dict[str, str] = {}


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "src" / "pkg").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return root


def test_default_policy() -> None:
    policy = default_policy()
    assert dict(policy.default_action) == {
        Category.SECRET: Action.BLOCK,
        Category.PII: Action.ANONYMIZE,
        Category.PROPRIETARY: Action.BLOCK,
    }
    assert policy.destinations["unknown"].action is Action.BLOCK
    assert policy.scan.max_file_bytes == 5 * 1024 * 1024
    assert policy.scan.on_unreadable == "block"
    assert policy.scan.respect_gitignore is True
    assert policy.audit.content == "none"
    assert policy.pii.ner_model is None
    assert policy.sources == ()


def test_no_files_gives_the_default(repo: Path) -> None:
    assert load_policy(repo / "src", None, environ=NO_ENV) == default_policy()
    assert load_policy(None, None, environ=NO_ENV) == default_policy()


def test_found_upward_from_a_subfolder_and_a_file(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "audit: {content: none}\n")
    (repo / "src" / "pkg" / "mod.py").write_text("x = 1\n")
    for start in (repo / "src" / "pkg", repo / "src" / "pkg" / "mod.py", repo):
        policy = load_policy(start, None, environ=NO_ENV)
        assert policy.audit.content == "none"
        assert policy.sources == ("repo/.leakguard.yaml",)
        assert policy.root == str(repo)


def test_nearest_policy_wins(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "audit: {content: none}\n")
    write(repo / "src" / ".leakguard.yml", "audit: {content: full}\n")
    assert find_repo_policy(repo / "src" / "pkg") == repo / "src" / ".leakguard.yml"
    assert load_policy(repo / "src" / "pkg", None, environ=NO_ENV).audit.content == "full"


def test_discovery_stops_at_the_repository_root(repo: Path) -> None:
    write(repo.parent / ".leakguard.yaml", "audit: {content: redacted}\n")
    assert find_repo_policy(repo / "src") is None
    assert load_policy(repo / "src", None, environ=NO_ENV).audit.content == "none"


def test_discovery_outside_a_repository_reaches_the_filesystem_root(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    write(tmp_path / ".leakguard.yaml", "version: 1\n")
    assert find_repo_policy(folder) == tmp_path / ".leakguard.yaml"


def test_both_yaml_and_yml_is_an_error(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "version: 1\n")
    write(repo / ".leakguard.yml", "version: 1\n")
    with pytest.raises(ConfigError, match=r"both \.leakguard\.yaml and \.leakguard\.yml"):
        load_policy(repo, None, environ=NO_ENV)


def test_org_policy_from_argument_or_environment(repo: Path, tmp_path: Path) -> None:
    org = write(tmp_path / "org.yaml", "audit: {content: none}\n")
    other = write(tmp_path / "other.yaml", "audit: {content: full}\n")
    assert load_policy(repo, org, environ=NO_ENV).audit.content == "none"
    env = {"LEAKGUARD_POLICY": str(org)}
    assert load_policy(repo, None, environ=env).sources == ("org.yaml",)
    assert load_policy(repo, other, environ=env).audit.content == "full"


def test_missing_org_policy_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="policy file not found"):
        load_policy(None, tmp_path / "nope.yaml", environ=NO_ENV)


def test_empty_file_is_an_empty_policy(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "# nothing yet\n")
    policy = load_policy(repo, None, environ=NO_ENV)
    assert policy.sources == ("repo/.leakguard.yaml",)
    assert policy.default_action == default_policy().default_action


ORG = """
    version: 1
    default_action: {pii: warn}
    destinations:
      internal-llm: {upstream: https://llm.corp.example, actions: {proprietary: allow}}
    allow: {paths: ["vendor/**"]}
    rules:
      - id: acme-token
        description: ACME token
        pattern: 'acme_[a-z]{8}'
        examples: ['acme_abcdefgh']
        counterexamples: ['acme_']
      - id: acme-host
        description: ACME host
        category: proprietary
        action: warn
        pattern: 'db\\.acme\\.internal'
        examples: ['db.acme.internal']
        counterexamples: ['db.example.com']
    """


def test_repository_values_override_the_organisation(repo: Path, tmp_path: Path) -> None:
    org = write(tmp_path / "org.yaml", ORG)
    write(
        repo / ".leakguard.yaml",
        """
        default_action: {secret: warn}
        destinations:
          team-llm: {upstream: https://team.example, action: warn}
        allow: {paths: ["tests/fixtures/**"]}
        rules:
          - id: acme-token
            description: ACME token, stricter
            pattern: 'acme_[a-z]{12}'
            examples: ['acme_abcdefghijkl']
            counterexamples: ['acme_']
          - id: team-key
            description: team key
            pattern: 'tk_[0-9]{6}'
            examples: ['tk_123456']
            counterexamples: ['tk_']
        rule_actions: {acme-host: block}
        """,
    )
    policy = load_policy(repo, org, environ=NO_ENV)
    assert policy.sources == ("org.yaml", "repo/.leakguard.yaml")
    # mappings merge key by key
    assert policy.default_action[Category.SECRET] is Action.WARN
    assert policy.default_action[Category.PII] is Action.WARN
    assert policy.default_action[Category.PROPRIETARY] is Action.BLOCK
    assert {"anthropic", "internal-llm", "team-llm", "unknown"} <= set(policy.destinations)
    # lists are replaced
    assert policy.allow.paths == ("tests/fixtures/**",)
    # rules merge by id: a same-id rule replaces the organisation's, in place
    assert [r["id"] for r in policy.rules] == ["acme-token", "acme-host", "team-key"]
    assert policy.rules[0]["pattern"] == "acme_[a-z]{12}"
    # a rule's own action, overridden by rule_actions
    assert policy.rule_actions["acme-host"] is Action.BLOCK


def test_rule_action_from_the_rule_itself(tmp_path: Path) -> None:
    policy = load_policy_file(write(tmp_path / "org.yaml", ORG))
    assert dict(policy.rule_actions) == {"acme-host": Action.WARN}


LOCKING_ORG = """
    version: 1
    locked: [audit.content, destinations.unknown, rule_actions]
    audit: {content: redacted, store: "sqlite:///org.db"}
    destinations:
      unknown: {action: block}
    scan:
      locked: true
      on_unreadable: block
    """


@pytest.mark.parametrize(
    ("repo_text", "expected"),
    [
        (
            "audit:\n  content: full\n",
            "repo/.leakguard.yaml:2: audit.content: locked by the organisation policy "
            "(org.yaml:2); remove it from this file",
        ),
        (
            "version: 1\ndestinations:\n  unknown:\n    action: warn\n",
            "repo/.leakguard.yaml:4: destinations.unknown.action: locked by the organisation "
            "policy (org.yaml:2); remove it from this file",
        ),
        (
            "scan: {max_file_bytes: 10}\n",
            "repo/.leakguard.yaml:1: scan.max_file_bytes: locked by the organisation policy "
            "(org.yaml:7); remove it from this file",
        ),
        (
            "rule_actions:\n  github-pat: allow\n",
            "repo/.leakguard.yaml:2: rule_actions.github-pat: locked by the organisation "
            "policy (org.yaml:2); remove it from this file",
        ),
    ],
)
def test_changing_a_locked_key_is_an_error(
    repo: Path, tmp_path: Path, repo_text: str, expected: str
) -> None:
    org = write(tmp_path / "org.yaml", LOCKING_ORG)
    write(repo / ".leakguard.yaml", repo_text)
    with pytest.raises(PolicyError) as caught:
        load_policy(repo, org, environ=NO_ENV)
    assert caught.value.problems == (expected,)
    assert caught.value.exit_code == 2


def test_unlocked_keys_and_same_values_are_fine(repo: Path, tmp_path: Path) -> None:
    org = write(tmp_path / "org.yaml", LOCKING_ORG)
    write(
        repo / ".leakguard.yaml",
        """
        audit: {content: redacted, store: "sqlite:///repo.db"}
        scan: {on_unreadable: block}
        destinations:
          unknown: {action: block}
          anthropic: {action: warn}
        """,
    )
    policy = load_policy(repo, org, environ=NO_ENV)
    assert policy.audit.store == "sqlite:///repo.db"
    assert policy.destinations["anthropic"].action is Action.WARN
    assert policy.locked == ("audit.content", "destinations.unknown", "rule_actions", "scan")


def test_locked_true_locks_everything(repo: Path, tmp_path: Path) -> None:
    org = write(tmp_path / "org.yaml", "locked: true\n")
    write(repo / ".leakguard.yaml", "version: 1\nallow:\n  paths: ['**']\n")
    with pytest.raises(PolicyError, match=r"^repo/.leakguard.yaml:3: allow.paths: locked"):
        load_policy(repo, org, environ=NO_ENV)


def test_a_locked_destination_section(repo: Path, tmp_path: Path) -> None:
    org = write(tmp_path / "org.yaml", "destinations:\n  openai:\n    locked: true\n")
    write(repo / ".leakguard.yaml", "destinations:\n  openai: {upstream: http://127.0.0.1:9}\n")
    with pytest.raises(PolicyError, match=r":2: destinations.openai.upstream: .*org.yaml:3"):
        load_policy(repo, org, environ=NO_ENV)


def test_locked_in_a_repository_policy_is_ignored_with_a_warning(repo: Path) -> None:
    write(repo / ".leakguard.yaml", "version: 1\nlocked: [audit]\n")
    policy = load_policy(repo, None, environ=NO_ENV)
    assert policy.locked == ()
    (warning,) = policy.warnings
    assert warning.startswith("repo/.leakguard.yaml:2: locked: ignored")


def test_the_same_file_as_org_and_repo_counts_once(repo: Path) -> None:
    path = write(repo / ".leakguard.yaml", "locked: [audit]\naudit: {content: none}\n")
    policy = load_policy(repo, path, environ=NO_ENV)
    assert policy.sources == ("repo/.leakguard.yaml",)
    assert policy.warnings == ()
    assert policy.locked == ("audit",)


def test_a_policy_is_frozen() -> None:
    policy = default_policy()
    with pytest.raises(AttributeError):
        policy.version = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        policy.default_action[Category.SECRET] = Action.ALLOW  # type: ignore[index]


def test_validation_is_cached_by_content(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEAKGUARD_CACHE_DIR", str(tmp_path / "own-cache"))
    write(repo / ".leakguard.yaml", "audit: {content: none}\n")
    cache = cache_dir()
    load_policy(repo, None, environ=NO_ENV)
    assert len(list(cache.glob("policy-ok-*"))) == 1
    code = (
        "import sys; from pathlib import Path; from leakguard.policy import load_policy; "
        f"p = load_policy(Path({str(repo)!r}), None); "
        "print(p.audit.content, 'jsonschema' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "LEAKGUARD_POLICY"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.split() == ["none", "False"], out.stderr
    # a changed file is validated afresh
    write(repo / ".leakguard.yaml", "audit: {content: none}\nbogus: 1\n")
    with pytest.raises(PolicyError, match="bogus: unknown key"):
        load_policy(repo, None, environ=NO_ENV)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode != 0 and "bogus" in out.stderr


def test_an_unwritable_cache_is_ignored(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setenv("LEAKGUARD_CACHE_DIR", str(blocker / "leakguard"))
    write(repo / ".leakguard.yaml", "audit: {content: none}\n")
    assert load_policy(repo, None, environ=NO_ENV).audit.content == "none"
    assert load_policy(repo, None, environ=NO_ENV).audit.content == "none"


def test_yaml_dates_are_read_as_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.yaml",
        "proprietary:\n  canaries:\n    - {label: wiki, hash: 'sha256:"
        + "c" * 64
        + "', created: 2026-11-28}\n",
    )
    assert load_policy_file(path).proprietary.canaries[0].created == "2026-11-28"
