"""Gemini CLI hooks: BeforeModel rewrites, AfterModel restores chunk by chunk."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import fake_aws_key_id
from tests.integrations.hookhelp import SESSION, call, hidden

KEY = fake_aws_key_id()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    (root / "creds.txt").write_text(f"key={KEY}\n")
    (root / ".leakguard.yaml").write_text(
        "version: 1\nrule_actions:\n  aws-access-key-id: anonymize\n")
    return root


def event(name: str, cwd: Path, **fields: Any) -> dict[str, Any]:
    return {"session_id": SESSION, "transcript_path": "/tmp/t.json", "cwd": str(cwd),
            "hook_event_name": name, "timestamp": "2026-01-01T00:00:00Z", **fields}


def chunk(text: str, finish: str | None = None) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [text]}}
    if finish:
        candidate["finishReason"] = finish
    return {"text": text, "candidates": [candidate]}


def parts(answer: Any) -> str:
    if answer.output is None:
        return "<unchanged>"
    response = answer.output["hookSpecificOutput"]["llm_response"]
    return "".join(response["candidates"][0]["content"]["parts"])


def test_before_model_rewrites_and_after_model_restores_across_chunks(project: Path) -> None:
    messages = [{"role": "user", "content": "hello"},
                {"role": "model", "content": "hi"},
                {"role": "user", "content": f"store {KEY} in the vault"}]
    request = {"model": "gemini-2.5-pro", "messages": messages, "config": {}}
    answer = call("gemini", event("BeforeModel", project, llm_request=request))
    rewritten = answer.output["hookSpecificOutput"]["llm_request"]["messages"]  # type: ignore[index]
    assert len(rewritten) == 3 and rewritten[:2] == messages[:2]
    assert hidden(KEY, json.dumps(answer.output))
    placeholder = re.search(r"SECRET_1_[0-9a-f]{4}", rewritten[2]["content"]).group()  # type: ignore[union-attr]
    # The model answers with the placeholder, cut across two chunks.
    cut = len(placeholder) // 2
    first = call("gemini", event("AfterModel", project, llm_request=request,
                                 llm_response=chunk("Stored " + placeholder[:cut])))
    second = call("gemini", event("AfterModel", project, llm_request=request,
                                  llm_response=chunk(placeholder[cut:] + " safely.", "STOP")))
    assert parts(first) + parts(second) == f"Stored {KEY} safely."
    assert placeholder[:cut] not in parts(first)


def test_after_model_without_a_vault_answers_nothing(tmp_path: Path) -> None:
    answer = call("gemini", event("AfterModel", tmp_path, llm_request={},
                                  llm_response=chunk("SECRET_1_abcd")))
    assert answer.output is None and answer.exit_code == 0


def test_before_agent_denies_a_blocked_prompt(tmp_path: Path) -> None:
    answer = call("gemini", event("BeforeAgent", tmp_path, prompt=f"key {KEY}"))
    assert answer.output["decision"] == "deny"  # type: ignore[index]
    assert hidden(KEY, answer.output["reason"])  # type: ignore[index]


@pytest.mark.parametrize(("tool", "tool_input", "expected"), [
    ("read_file", {"absolute_path": "{root}/creds.txt"}, "deny"),
    ("read_file", {"file_path": "{root}/creds.txt", "offset": 5, "limit": 3}, "allow"),
    ("run_shell_command", {"command": "cat creds.txt"}, "deny"),
    ("read_many_files", {"paths": ["creds.txt"]}, "deny"),
    ("glob", {"pattern": "*"}, "allow"),
])
def test_before_tool(tmp_path: Path, tool: str, tool_input: dict[str, Any],
                     expected: str) -> None:
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    (root / "creds.txt").write_text(f"key={KEY}\n")
    filled = {k: v.replace("{root}", str(root)) if isinstance(v, str) else v
              for k, v in tool_input.items()}
    answer = call("gemini", event("BeforeTool", root, tool_name=tool, tool_input=filled))
    got = (answer.output or {}).get("decision", "allow")
    assert got == expected


def test_before_tool_restores_placeholders_in_tool_input(project: Path) -> None:
    request = {"messages": [{"role": "user", "content": f"remember {KEY}"}]}
    answer = call("gemini", event("BeforeModel", project, llm_request=request))
    text = answer.output["hookSpecificOutput"]["llm_request"]["messages"][0]["content"]  # type: ignore[index]
    placeholder = re.search(r"SECRET_1_[0-9a-f]{4}", text).group()  # type: ignore[union-attr]
    tool_input = {"file_path": "out.txt", "content": f"k={placeholder}\n"}
    restored = call("gemini", event("BeforeTool", project, tool_name="write_file",
                                    tool_input=tool_input))
    assert restored.output["hookSpecificOutput"]["tool_input"] == {"content": f"k={KEY}\n"}  # type: ignore[index]


def test_after_tool_replaces_output_with_placeholders(project: Path) -> None:
    response = {"llmContent": f"key={KEY}\n", "returnDisplay": "read 1 line"}
    answer = call("gemini", event("AfterTool", project, tool_name="read_file",
                                  tool_input={"file_path": "creds.txt"}, tool_response=response))
    assert answer.output["decision"] == "deny"  # type: ignore[index]
    reason = answer.output["reason"]  # type: ignore[index]
    assert hidden(KEY, reason) and "SECRET_1_" in reason


def test_gemini_failure_blocks_with_exit_2(tmp_path: Path) -> None:
    answer = call("gemini", event("BeforeModel", tmp_path, llm_request="not an object"))
    assert answer.exit_code == 2
