"""Claude Code hook handlers, fed the hook JSON shapes Claude Code 2.1.197 sends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from leakguard.integrations import claude_code
from leakguard.integrations.hookscan import session_vault_path
from leakguard.transform.restore import restore
from leakguard.transform.vault import load, vault_key
from tests.helpers import fake_aws_key_id, fake_github_pat
from tests.integrations.hookhelp import (
    SESSION,
    bash_response,
    call,
    claude_event,
    decision,
    hidden,
    post_tool,
    pre_tool,
    read_response,
)

KEY = fake_aws_key_id()
PAT = fake_github_pat()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    (root / "secrets.env").write_text(f"region=eu\naws_access_key_id = {KEY}\n")
    (root / "clean.txt").write_text("nothing to see\n" * 3)
    lines = [f"line {n}\n" for n in range(1, 31)]
    lines[24] = f"key = {KEY}\n"  # line 25
    (root / "long.txt").write_text("".join(lines))
    (root / "src" / "core").mkdir(parents=True)
    (root / "src" / "core" / "engine.py").write_text("def secret_sauce():\n    return 42\n")
    (root / "src" / "core" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (root / ".leakguard.yaml").write_text(
        "version: 1\nproprietary:\n  paths: ['src/core/**']\n")
    return root


def anonymize_policy(project: Path) -> None:
    (project / ".leakguard.yaml").write_text(
        "version: 1\nrule_actions:\n  aws-access-key-id: anonymize\n")


def no_secret(answer: Any) -> None:
    shown = json.dumps(answer.output) + answer.message
    hidden(KEY, shown)
    hidden(PAT, shown)


@pytest.mark.parametrize(("prompt", "expected"), [
    ("please fix the failing test in clean.txt", "allow"),
    (f"deploy with {KEY} please", "block"),
    (f"my token is {PAT}", "block"),
])
def test_user_prompt_submit(project: Path, prompt: str, expected: str) -> None:
    answer = call("claude-code", claude_event("UserPromptSubmit", project, prompt=prompt))
    assert decision(answer) == expected
    assert answer.exit_code == 0
    if expected == "block":
        reason = answer.output["reason"]  # type: ignore[index]
        assert "leakguard blocked this prompt" in reason and "…" in reason
    no_secret(answer)


def test_a_prompt_policy_would_anonymize_is_blocked_with_the_reason(project: Path) -> None:
    anonymize_policy(project)
    answer = call("claude-code", claude_event("UserPromptSubmit", project,
                                              prompt=f"use {KEY}"))
    assert decision(answer) == "block"
    reason = answer.output["reason"]  # type: ignore[index]
    assert "cannot rewrite a prompt" in reason and "leakguard run" in reason
    no_secret(answer)


PRE_TOOL_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("Read", {"file_path": "{root}/secrets.env"}, "deny"),
    ("Read", {"file_path": "{root}/clean.txt"}, "allow"),
    ("Read", {"file_path": "{root}/long.txt", "offset": 1, "limit": 10}, "allow"),
    ("Read", {"file_path": "{root}/long.txt", "offset": 20, "limit": 10}, "deny"),
    ("Read", {"file_path": "{root}/long.txt", "offset": 27}, "allow"),
    ("Read", {"file_path": "{root}/src/core/engine.py"}, "deny"),
    ("Read", {"file_path": "{root}/src/core/logo.png"}, "deny"),
    ("Read", {"file_path": "{root}/missing.txt"}, "allow"),
    ("Bash", {"command": "cat secrets.env", "description": "show"}, "deny"),
    ("Bash", {"command": "head -n 3 clean.txt && tail -1 clean.txt"}, "allow"),
    ("Bash", {"command": "grep -n aws secrets.env | wc -l"}, "deny"),
    ("Bash", {"command": "sed -n 1,5p long.txt"}, "deny"),
    ("Bash", {"command": "less < src/core/engine.py"}, "deny"),
    ("Bash", {"command": "grep -rn sauce src"}, "deny"),
    ("Bash", {"command": "ls -la && git status"}, "allow"),
    ("Grep", {"pattern": "aws", "path": "{root}/secrets.env"}, "deny"),
    ("Grep", {"pattern": "sauce", "output_mode": "content"}, "deny"),
    ("Grep", {"pattern": "sauce", "output_mode": "files_with_matches"}, "allow"),
    ("Glob", {"pattern": "**/*.env"}, "allow"),
    ("Write", {"file_path": "{root}/new.txt", "content": "hello"}, "allow"),
    ("WebFetch", {"url": "https://example.com", "prompt": f"summarise {KEY}"}, "deny"),
    ("mcp__db__query", {"sql": "select 1"}, "allow"),
]


@pytest.mark.parametrize(("tool", "tool_input", "expected"), PRE_TOOL_CASES)
def test_pre_tool_use(project: Path, tool: str, tool_input: dict[str, Any],
                      expected: str) -> None:
    filled = {k: v.replace("{root}", str(project)) if isinstance(v, str) else v
              for k, v in tool_input.items()}
    answer = call("claude-code", pre_tool(project, tool, filled))
    assert decision(answer) == expected, answer
    if expected == "deny":
        reason = answer.output["hookSpecificOutput"]["permissionDecisionReason"]  # type: ignore[index]
        assert reason.startswith("leakguard blocked")
    no_secret(answer)


def test_post_tool_use_withholds_blocked_output_in_the_same_shape(project: Path) -> None:
    response = bash_response(f"AWS_ACCESS_KEY_ID={KEY}\n")
    answer = call("claude-code", post_tool(project, "Bash", {"command": "env"}, response))
    assert decision(answer) == "rewrite"
    updated = answer.output["hookSpecificOutput"]["updatedToolOutput"]  # type: ignore[index]
    assert set(updated) == set(response) and updated["interrupted"] is False
    assert updated["stdout"].startswith("[leakguard withheld this output")
    no_secret(answer)


def test_post_tool_use_protected_read_is_withheld(project: Path) -> None:
    path = project / "src" / "core" / "engine.py"
    response = read_response(path, path.read_text())
    answer = call("claude-code", post_tool(project, "Read", {"file_path": str(path)}, response))
    updated = answer.output["hookSpecificOutput"]["updatedToolOutput"]  # type: ignore[index]
    assert "secret_sauce" not in json.dumps(updated)
    assert updated["type"] == "text" and updated["file"]["numLines"] == response["file"]["numLines"]


def test_post_tool_use_anonymizes_with_the_session_vault(project: Path) -> None:
    anonymize_policy(project)
    path = project / "secrets.env"
    content = path.read_text()
    answer = call("claude-code", post_tool(project, "Read", {"file_path": str(path)},
                                           read_response(path, content)))
    assert decision(answer) == "rewrite"
    updated = answer.output["hookSpecificOutput"]["updatedToolOutput"]  # type: ignore[index]
    text = updated["file"]["content"]
    assert hidden(KEY, text) and "SECRET_1_" in text and updated["file"]["filePath"] == str(path)
    vault = load(session_vault_path("claude-code", SESSION), vault_key())
    assert restore(text, vault).text == content  # the same value keeps its placeholder
    again = call("claude-code", post_tool(project, "Bash", {"command": "cat secrets.env"},
                                          bash_response(content)))
    assert again.output["hookSpecificOutput"]["updatedToolOutput"]["stdout"] == text  # type: ignore[index]


def test_clean_output_passes_untouched(project: Path) -> None:
    answer = call("claude-code", post_tool(project, "Bash", {"command": "ls"},
                                           bash_response("a.txt\nb.txt\n")))
    assert answer.output is None and answer.exit_code == 0


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '{"hook_event_name": "UserPromptSubmit"}'])
def test_unusable_input_blocks_with_exit_2(raw: str) -> None:
    from leakguard.integrations.hookrun import run
    from leakguard.integrations.hookscan import DirectServices

    answer = run("claude-code", raw.encode(), DirectServices())
    assert answer.exit_code == 2
    assert "blocked" in answer.message and "fails closed" in answer.message


def test_an_unloadable_policy_blocks(project: Path, tmp_path: Path) -> None:
    answer = call("claude-code", claude_event("UserPromptSubmit", project, prompt="hi"),
                  policy_file=tmp_path / "no-such-policy.yaml")
    assert answer.exit_code == 2 and "no-such-policy.yaml" in answer.message


def test_a_handler_that_raises_blocks(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"boom {KEY}")

    monkeypatch.setattr(claude_code, "pre_tool", broken)
    monkeypatch.setattr(claude_code, "post_tool", broken)
    denied = call("claude-code", pre_tool(project, "Read", {"file_path": "x"}))
    assert denied.exit_code == 2 and "internal error (RuntimeError)" in denied.message
    no_secret(denied)
    # After the tool ran, exit 2 would not stop its output: the answer replaces it.
    response = bash_response("whatever it printed")
    withheld = call("claude-code", post_tool(project, "Bash", {"command": "x"}, response))
    assert withheld.exit_code == 0
    updated = withheld.output["hookSpecificOutput"]["updatedToolOutput"]  # type: ignore[index]
    assert "whatever" not in json.dumps(updated) and "systemMessage" in withheld.output  # type: ignore[operator]


@pytest.mark.parametrize("event", ["SessionStart", "Stop", "SessionEnd"])
def test_other_events_pass(project: Path, event: str) -> None:
    answer = call("claude-code", claude_event(event, project))
    assert answer.exit_code == 0 and answer.output is None
