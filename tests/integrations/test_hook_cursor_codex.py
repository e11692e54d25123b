"""Cursor and Codex hook handlers: allow or deny, in each tool's own fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import fake_aws_key_id
from tests.integrations.hookhelp import bash_response, call, hidden, post_tool, pre_tool

KEY = fake_aws_key_id()


def cursor_event(name: str, root: Path, **fields: Any) -> dict[str, Any]:
    return {"hook_event_name": name, "conversation_id": "c-1", "generation_id": "g-1",
            "workspace_roots": [str(root)], **fields}


@pytest.mark.parametrize(("name", "fields", "expected"), [
    ("beforeSubmitPrompt", {"prompt": "refactor main.ts"}, {"continue": True}),
    ("beforeSubmitPrompt", {"prompt": f"use {KEY}"}, {"continue": False}),
    ("beforeReadFile", {"file_path": "a.env", "content": f"K={KEY}"}, {"permission": "deny"}),
    ("beforeReadFile", {"file_path": "a.txt", "content": "hello"}, {"permission": "allow"}),
    ("beforeShellExecution", {"command": "cat a.env", "cwd": "{root}"}, {"permission": "deny"}),
    ("beforeShellExecution", {"command": "npm test", "cwd": "{root}"}, {"permission": "allow"}),
    ("beforeMCPExecution", {"tool_name": "q", "tool_input": json.dumps({"k": KEY})},
     {"permission": "deny"}),
    ("beforeMCPExecution", {"tool_name": "q", "tool_input": {"sql": "select 1"}},
     {"permission": "allow"}),
])
def test_cursor(tmp_path: Path, name: str, fields: dict[str, Any],
                expected: dict[str, Any]) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.env").write_text(f"K={KEY}\n")
    filled = {k: v.replace("{root}", str(tmp_path)) if isinstance(v, str) else v
              for k, v in fields.items()}
    answer = call("cursor", cursor_event(name, tmp_path, **filled))
    assert answer.output is not None and expected.items() <= answer.output.items()
    assert hidden(KEY, json.dumps(answer.output))


def test_cursor_denies_what_it_cannot_anonymize(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".leakguard.yaml").write_text(
        "version: 1\nrule_actions:\n  aws-access-key-id: anonymize\n")
    answer = call("cursor", cursor_event("beforeSubmitPrompt", tmp_path, prompt=f"k {KEY}"))
    assert answer.output["continue"] is False  # type: ignore[index]
    assert "cannot rewrite" in answer.output["user_message"]  # type: ignore[index]


def test_codex_pre_tool_denies_and_post_tool_blocks_with_placeholders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.env").write_text(f"K={KEY}\n")
    denied = call("codex", pre_tool(tmp_path, "Bash", {"command": ["bash", "-lc", "cat a.env"]}))
    assert denied.output["hookSpecificOutput"]["permissionDecision"] == "deny"  # type: ignore[index]
    (tmp_path / ".leakguard.yaml").write_text(
        "version: 1\nrule_actions:\n  aws-access-key-id: anonymize\n")
    after = call("codex", post_tool(tmp_path, "Bash", {"command": "env"},
                                    bash_response(f"K={KEY}")))
    assert after.output["decision"] == "block"  # type: ignore[index]
    assert "SECRET_1_" in after.output["reason"] and hidden(KEY, after.output["reason"])  # type: ignore[index]
